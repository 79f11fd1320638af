#include "hashlake/bus/partition_reader.h"

#include "hashlake/bus/bus_logger.h"
#include "hashlake/bus/file_util.h"

namespace hashlake::bus::internal {

arrow::Result<Offset> PartitionReader::Earliest() const {
  ARROW_ASSIGN_OR_RAISE(std::vector<Offset> bases, ListSegments(layout_.PartitionDir(partition_)));
  if (bases.empty()) return position_;
  return bases.front();
}

arrow::Status PartitionReader::Seek(Offset offset) { return Position(offset); }

arrow::Status PartitionReader::SeekToLastSegment() {
  ARROW_ASSIGN_OR_RAISE(std::vector<Offset> bases, ListSegments(layout_.PartitionDir(partition_)));
  return Position(bases.empty() ? Offset{0} : bases.back());
}

arrow::Status PartitionReader::Position(Offset offset) {
  segment_.reset();
  position_ = offset;
  ARROW_ASSIGN_OR_RAISE(std::vector<Offset> bases, ListSegments(layout_.PartitionDir(partition_)));
  if (bases.empty()) return arrow::Status::OK();  // nothing written yet; Read retries
  if (offset < bases.front()) {
    Logger()->warn(
        "embedded log '{}' partition {}: offset {} is before the earliest available offset "
        "{} (older segments were deleted by retention); continuing from {}",
        layout_.dir(), partition_.value, offset.value, bases.front().value, bases.front().value);
    offset = bases.front();
    position_ = offset;
  }
  std::size_t i = bases.size() - 1;
  while (bases[i] > offset) --i;
  ARROW_ASSIGN_OR_RAISE(SegmentReader reader,
                        SegmentReader::Open(layout_.SegmentPath(partition_, bases[i]), bases[i]));
  log_format::RecordView record;
  while (reader.next_offset() < offset) {
    ARROW_ASSIGN_OR_RAISE(SegmentReader::Next next, reader.ReadNext(&record));
    if (next != SegmentReader::Next::kRecord) break;
  }
  if (reader.next_offset() < offset) {
    // A later segment would start at or before `offset`, so this one holds the end.
    Logger()->warn(
        "embedded log '{}' partition {}: offset {} is past the end {}; continuing from {}",
        layout_.dir(), partition_.value, offset.value, reader.next_offset().value,
        reader.next_offset().value);
    position_ = reader.next_offset();
  }
  segment_.emplace(std::move(reader));
  return arrow::Status::OK();
}

arrow::Result<PartitionReader::Step> PartitionReader::Advance(bool retried) {
  // An empty segment has no successor yet: the next one would start at a later offset.
  const std::string next_path = layout_.SegmentPath(partition_, position_);
  bool next_exists = false;
  if (position_ != segment_->base()) {
    ARROW_ASSIGN_OR_RAISE(next_exists, PathExists(next_path));
  }
  if (next_exists) {
    // The writer creates the next segment only after its last write to this one, so
    // bytes past our position are either a record we raced with (read again, once) or
    // garbage that no writer will complete.
    ARROW_ASSIGN_OR_RAISE(int64_t size, segment_->SizeOnDisk());
    if (size > segment_->position()) {
      if (!retried) return Step::kRetry;
      return arrow::Status::IOError("embedded log segment '", segment_->path(),
                                    "' is corrupt: it ends with ", size - segment_->position(),
                                    " bytes that are not a whole record, yet segment '", next_path,
                                    "' follows it");
    }
    ARROW_ASSIGN_OR_RAISE(SegmentReader reader, SegmentReader::Open(next_path, position_));
    segment_.emplace(std::move(reader));
    return Step::kMoved;
  }
  ARROW_ASSIGN_OR_RAISE(bool ours_exists, PathExists(segment_->path()));
  if (!ours_exists) {
    // Retention deleted the segment we were reading and the one after it.
    ARROW_RETURN_NOT_OK(Position(position_));
    return segment_.has_value() ? Step::kMoved : Step::kStay;
  }
  return Step::kStay;
}

arrow::Result<std::size_t> PartitionReader::Read(std::size_t max,
                                                 std::vector<ConsumedMessage>* out) {
  if (!segment_) {
    ARROW_RETURN_NOT_OK(Position(position_));
    if (!segment_) return 0;
  }
  std::size_t count = 0;
  bool retried = false;
  log_format::RecordView record;
  while (count < max) {
    ARROW_ASSIGN_OR_RAISE(SegmentReader::Next next, segment_->ReadNext(&record));
    if (next != SegmentReader::Next::kRecord) {
      ARROW_ASSIGN_OR_RAISE(Step step, Advance(retried));
      if (step == Step::kStay) break;
      retried = step == Step::kRetry;
      continue;
    }
    retried = false;
    if (out != nullptr) {
      out->push_back(ConsumedMessage{partition_, record.offset, std::string(record.key),
                                     std::string(record.value), FromMicros(record.timestamp_us)});
    }
    position_.value = record.offset.value + 1;
    ++count;
  }
  return count;
}

}  // namespace hashlake::bus::internal
