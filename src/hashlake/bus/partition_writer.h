#pragma once

// Internal: the append side of one partition (its segment files).

#include <arrow/result.h>
#include <arrow/status.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>

#include "hashlake/bus/bus.h"
#include "hashlake/bus/embedded_log_options.h"
#include "hashlake/bus/file_util.h"
#include "hashlake/bus/topic_layout.h"

namespace hashlake::bus::internal {

/// Appends records to one partition, rolls segments and applies retention. The caller
/// holds the topic's producer lock, so this is the only writer. Not thread-safe.
class PartitionWriter {
 public:
  /// Opens the partition, recovering the last segment: a torn tail (incomplete record, or
  /// a bad record at the very end) is truncated and logged; a bad record in the middle is
  /// an IOError.
  static arrow::Result<std::unique_ptr<PartitionWriter>> Open(const TopicLayout& layout,
                                                              PartitionId partition,
                                                              const EmbeddedLogOptions& options);

  /// Appends one record and returns its offset. The caller has checked the size limit.
  arrow::Result<Offset> Append(std::string_view key, std::string_view value, int64_t timestamp_us);
  /// fdatasync of the active segment when it has unsynced appends.
  arrow::Status Sync();
  /// Deletes the oldest sealed segments past the age or size limit. Never the active one.
  arrow::Status ApplyRetention();

  Offset next_offset() const { return next_offset_; }
  Offset earliest_offset() const { return segments_.front().base; }
  /// Bytes cut off the last segment by recovery at Open.
  int64_t recovered_bytes_dropped() const { return recovered_bytes_dropped_; }

 private:
  struct Segment {
    Offset base;
    int64_t size = 0;
  };

  PartitionWriter(const TopicLayout& layout, PartitionId partition,
                  const EmbeddedLogOptions& options)
      : layout_(layout), partition_(partition), options_(options) {}

  arrow::Status Recover();
  arrow::Status Roll();
  arrow::Status OpenActive();
  std::string ActivePath() const { return layout_.SegmentPath(partition_, segments_.back().base); }

  TopicLayout layout_;
  PartitionId partition_;
  EmbeddedLogOptions options_;
  std::deque<Segment> segments_;  // ascending; back() is the active segment
  UniqueFd active_fd_;
  Offset next_offset_;
  bool dirty_ = false;
  arrow::Status broken_;  // set when a failed write could not be undone
  int64_t recovered_bytes_dropped_ = 0;
  std::string scratch_;
};

}  // namespace hashlake::bus::internal
