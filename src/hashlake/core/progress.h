#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include "hashlake/core/time.h"

namespace hashlake {

/// A progress line for long work: rate over the last interval, totals, lag and ETA.
/// `Update` is cheap and thread-safe; `Line` formats the current state, e.g.
///   "posts 120,345 (9,812/s) · rejected 3 · lag 1,204 · watermark 12:00:03 · ETA 0:41"
class Progress {
 public:
  explicit Progress(const Clock& clock = SystemClock::Instance());

  void Add(int64_t posts, int64_t rejected = 0);
  void SetLag(int64_t records);
  void SetWatermark(Timestamp watermark);
  /// Total expected records, for an ETA; 0 = unknown (live streams).
  void SetTotal(int64_t total);

  /// Formats the line and starts a new rate interval.
  std::string Line();

  int64_t posts() const;
  double last_rate() const;

 private:
  const Clock& clock_;
  mutable std::mutex mu_;
  int64_t posts_ = 0;            // GUARDED_BY(mu_)
  int64_t rejected_ = 0;         // GUARDED_BY(mu_)
  int64_t lag_ = -1;             // GUARDED_BY(mu_)
  int64_t total_ = 0;            // GUARDED_BY(mu_)
  Timestamp watermark_{};        // GUARDED_BY(mu_)
  Timestamp interval_start_{};   // GUARDED_BY(mu_)
  int64_t interval_posts_ = 0;   // GUARDED_BY(mu_)
  double last_rate_ = 0;         // GUARDED_BY(mu_)
};

/// "1,234,567"
std::string FormatCount(int64_t n);

}  // namespace hashlake
