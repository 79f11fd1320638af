#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include <arrow/result.h>

#include "hashlake/core/time.h"

namespace hashlake::stream {

/// Tumbling event-time windows of a fixed length, aligned to the Unix epoch
/// (as Spark's `window(col, "1 minute")`): [start, start + length).
class TumblingWindows {
 public:
  explicit TumblingWindows(Micros length) : length_(length) {}

  Timestamp StartOf(Timestamp t) const;
  Timestamp EndOf(Timestamp t) const { return StartOf(t) + length_; }
  Micros length() const { return length_; }

 private:
  Micros length_;
};

/// One closed window's count of one hashtag: a row of `hashtag_counts`.
struct WindowCount {
  Timestamp window_start{};
  Timestamp window_end{};
  std::string hashtag;
  int64_t count = 0;

  bool operator==(const WindowCount&) const = default;
};

/// Hashtag counts of the open windows with a watermark, in append mode: a window's rows
/// are emitted once, when the watermark passes the window's end, and never again.
/// Records whose window is already closed are late: counted, not added.
/// Not thread-safe: owned by the stream job's thread.
class WindowedHashtagCounts {
 public:
  WindowedHashtagCounts(Micros window, Micros allowed_lateness);

  /// Adds a post's hashtags at its event time. Returns false when the post is late.
  bool Add(Timestamp event_time, const std::vector<std::string>& hashtags);

  /// Closes every window whose end is at or before the watermark; returns their rows
  /// ordered by window, then count descending, then hashtag.
  std::vector<WindowCount> CloseUpTo(Timestamp watermark);

  /// max event time seen - allowed lateness (the epoch before any record).
  Timestamp Watermark() const;
  Timestamp max_event_time() const { return max_event_time_; }
  int64_t late_records() const { return late_records_; }
  std::size_t open_windows() const { return open_.size(); }

  /// The state as JSON (for the batch checkpoint) and back.
  std::string Serialize() const;
  static arrow::Result<WindowedHashtagCounts> Deserialize(std::string_view json, Micros window,
                                                          Micros allowed_lateness);

 private:
  TumblingWindows windows_;
  Micros allowed_lateness_;
  Timestamp max_event_time_{};
  Timestamp closed_before_{};  // every window ending at or before this is closed
  int64_t late_records_ = 0;
  std::map<int64_t, std::unordered_map<std::string, int64_t>> open_;  // by window start (us)
};

}  // namespace hashlake::stream
