#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "hashlake/core/time.h"

namespace hashlake::stream {

/// What the dashboard shows: the hashtags of the last `window` of event time.
struct TopHashtags {
  Timestamp window_start{};
  Timestamp window_end{};
  int64_t posts = 0;
  std::vector<std::pair<std::string, int64_t>> top;  ///< Count descending, then name.
};

/// The live (update-mode) view of the stream: per-second buckets of hashtag counts over
/// the most recent `retention` of event time, independent of the stream's windows so
/// the dashboard can ask for any window length. "Now" is the latest event time seen, so
/// a replay of old posts shows the same as a live feed.
/// Thread-safe: the stream job writes, server threads read.
class LiveView {
 public:
  explicit LiveView(Micros retention = std::chrono::minutes(15),
                    Micros bucket = std::chrono::seconds(1));

  void Add(Timestamp event_time, const std::vector<std::string>& hashtags);

  /// Top `k` hashtags over (latest - window, latest].
  TopHashtags Top(Micros window, int k) const;

  /// Posts per bucket over the last `window`: (bucket start, posts).
  std::vector<std::pair<Timestamp, int64_t>> Volume(Micros window) const;

  Timestamp latest() const;

  /// Changes with every Add: readers compare it to push only when there is news.
  int64_t version() const { return version_.load(std::memory_order_acquire); }

 private:
  struct Bucket {
    int64_t start_us = 0;
    int64_t posts = 0;
    std::unordered_map<std::string, int64_t> counts;
  };
  void EvictLocked();

  const Micros retention_;
  const Micros bucket_;
  mutable std::mutex mu_;
  std::deque<Bucket> buckets_;  // GUARDED_BY(mu_); ascending by start_us
  int64_t latest_us_ = 0;       // GUARDED_BY(mu_)
  std::atomic<int64_t> version_{0};
};

}  // namespace hashlake::stream
