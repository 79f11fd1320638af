#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <arrow/result.h>

namespace hashlake {

/// A UTC instant with microsecond precision: the unit of Delta `timestamp` columns.
using Micros = std::chrono::microseconds;
using Timestamp = std::chrono::sys_time<Micros>;

inline int64_t ToMicros(Timestamp t) { return t.time_since_epoch().count(); }
inline Timestamp FromMicros(int64_t us) { return Timestamp{Micros{us}}; }

/// "2024-05-01T12:34:56.789012Z" (always UTC, always 6 fractional digits).
std::string FormatRfc3339(Timestamp t);

/// Parses RFC 3339 / ISO 8601 timestamps as the sources send them: fractional
/// seconds of any length, `Z` or a `±HH:MM` offset.
arrow::Result<Timestamp> ParseRfc3339(std::string_view text);

/// Parses durations as users write them in flags and config: "500ms", "2s", "5m",
/// "1h", "7d", or combinations such as "1m30s". A bare number is seconds.
arrow::Result<Micros> ParseDuration(std::string_view text);
std::string FormatDuration(Micros d);

/// Time source, injected so that tests can move time by hand.
/// Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() const = 0;
};

/// The wall clock.
class SystemClock final : public Clock {
 public:
  Timestamp Now() const override;
  static const Clock& Instance();
};

/// A clock that only moves when told to.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start) : now_us_(ToMicros(start)) {}
  Timestamp Now() const override;
  void Advance(Micros d);
  void Set(Timestamp t);

 private:
  std::atomic<int64_t> now_us_;
};

}  // namespace hashlake
