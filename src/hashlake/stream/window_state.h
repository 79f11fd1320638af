#pragma once

#include <arrow/result.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "hashlake/core/time.h"
#include "hashlake/stream/window.h"

namespace hashlake::stream {

/// What a window aggregates of one post.
struct PostFacts {
  Timestamp event_time{};
  const std::vector<std::string>* hashtags = nullptr;
  std::string_view country_code;  ///< Empty when the post has no area.
  std::string_view region;
  std::string_view lang;  ///< Empty counts as "und".
};

using Counts = std::unordered_map<std::string, int64_t>;

/// The aggregates of one window.
struct WindowAggregates {
  int64_t posts = 0;
  int64_t posts_with_area = 0;
  Counts hashtags;
  Counts area_hashtags;  ///< Key: AreaHashtagKey(country_code, region, hashtag).
  Counts languages;
};

/// `country_code \x1f region \x1f hashtag`: the unit separator cannot occur in any part
/// (hashtags are letters, marks, digits and '_'; codes are ASCII).
std::string AreaHashtagKey(std::string_view country_code, std::string_view region,
                           std::string_view hashtag);
struct AreaHashtag {
  std::string_view country_code, region, hashtag;
};
AreaHashtag SplitAreaHashtagKey(std::string_view key);

struct ClosedWindow {
  Timestamp start{};
  Timestamp end{};
  WindowAggregates aggregates;
};

/// The windows of several partitions as one list by start: the same window's aggregates
/// (from different partitions) added together.
std::vector<ClosedWindow> MergeClosedWindows(
    const std::vector<const std::vector<ClosedWindow>*>& parts);

/// The open windows of the stream with a watermark, in append mode: a window is emitted
/// once, when the watermark (max event time seen - allowed lateness) passes its end, and
/// never again. A post is late when one of its windows had already closed: it is not
/// added to that window (with tumbling windows, to any window); late posts are counted.
/// Not thread-safe: owned by the stream job's thread.
class WindowedAggregates {
 public:
  WindowedAggregates(SlidingWindows windows, Micros allowed_lateness);

  /// Adds a post to its open windows. Returns false when the post was late.
  bool Add(const PostFacts& post);

  /// Closes every window whose end is at or before `watermark`, earliest first.
  std::vector<ClosedWindow> CloseUpTo(Timestamp watermark);

  /// max event time seen - allowed lateness (the epoch before any record).
  Timestamp Watermark() const;
  Timestamp max_event_time() const { return max_event_time_; }
  /// False until the first post is added.
  bool has_events() const;
  const SlidingWindows& windows() const { return windows_; }
  /// Windows ending at or before this are closed.
  Timestamp closed_before() const { return closed_before_; }
  int64_t late_records() const { return late_records_; }
  std::size_t open_windows() const { return open_.size(); }
  /// Keys held over all open windows: the state size.
  std::size_t state_keys() const;

  /// The state as JSON (for the batch checkpoint) and back. The same state always
  /// serializes to the same bytes.
  std::string Serialize() const;
  static arrow::Result<WindowedAggregates> Deserialize(std::string_view json,
                                                       SlidingWindows windows,
                                                       Micros allowed_lateness);

 private:
  SlidingWindows windows_;
  Micros allowed_lateness_;
  Timestamp max_event_time_{};
  Timestamp closed_before_{};  // every window ending at or before this is closed
  int64_t late_records_ = 0;
  std::map<int64_t, WindowAggregates> open_;  // by window start (us)
};

}  // namespace hashlake::stream
