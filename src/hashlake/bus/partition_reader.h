#pragma once

// Internal: the read side of one partition, following the writer across segments.

#include <arrow/result.h>
#include <arrow/status.h>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "hashlake/bus/bus.h"
#include "hashlake/bus/segment_reader.h"
#include "hashlake/bus/topic_layout.h"

namespace hashlake::bus::internal {

/// Reads one partition from a position onwards while a writer (any process) may append,
/// roll segments and delete old ones. Not thread-safe.
class PartitionReader {
 public:
  PartitionReader(const TopicLayout& layout, PartitionId partition)
      : layout_(layout), partition_(partition) {}

  /// Positions at `offset`. Before the earliest retained offset: the earliest (logged).
  /// Past the end: the end (logged).
  arrow::Status Seek(Offset offset);
  /// Positions at the start of the newest segment (cheap way to find the end).
  arrow::Status SeekToLastSegment();

  /// Appends up to `max` messages to `out` (or just skips them when `out` is null).
  /// Returns how many were read; 0 when none is available now.
  arrow::Result<std::size_t> Read(std::size_t max, std::vector<ConsumedMessage>* out);

  /// The offset the next Read returns first.
  Offset position() const { return position_; }

  /// The earliest offset still on disk (the oldest segment's base); the position when the
  /// partition has no segment yet.
  arrow::Result<Offset> Earliest() const;

 private:
  /// Opens the segment holding `offset` and skips to it, clamping as Seek documents.
  arrow::Status Position(Offset offset);
  enum class Step { kStay, kRetry, kMoved };
  /// Called when the current segment has no more records: moves on to the next segment,
  /// or to the earliest one when retention deleted ours; kRetry asks for one more read of
  /// the current segment (a record written just before the roll).
  arrow::Result<Step> Advance(bool retried);

  TopicLayout layout_;
  PartitionId partition_;
  Offset position_;
  std::optional<SegmentReader> segment_;
};

}  // namespace hashlake::bus::internal
