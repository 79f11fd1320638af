#include "hashlake/bus/partition_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "hashlake/bus/bus_logger.h"
#include "hashlake/bus/log_format.h"
#include "hashlake/bus/segment_reader.h"

namespace hashlake::bus::internal {

arrow::Result<std::unique_ptr<PartitionWriter>> PartitionWriter::Open(
    const TopicLayout& layout, PartitionId partition, const EmbeddedLogOptions& options) {
  std::unique_ptr<PartitionWriter> w(new PartitionWriter(layout, partition, options));
  const std::string dir = layout.PartitionDir(partition);
  ARROW_ASSIGN_OR_RAISE(std::vector<Offset> bases, ListSegments(dir));
  if (bases.empty()) {
    ARROW_ASSIGN_OR_RAISE(UniqueFd fd,
                          OpenFile(layout.SegmentPath(partition, Offset{0}), O_WRONLY | O_CREAT));
    ARROW_RETURN_NOT_OK(SyncDir(dir));
    bases.push_back(Offset{0});
  }
  for (Offset base : bases) {
    struct stat st;
    const std::string path = layout.SegmentPath(partition, base);
    if (::stat(path.c_str(), &st) != 0) return ErrnoStatus("cannot stat", path, errno);
    w->segments_.push_back(Segment{base, static_cast<int64_t>(st.st_size)});
  }
  ARROW_RETURN_NOT_OK(w->Recover());
  ARROW_RETURN_NOT_OK(w->OpenActive());
  ARROW_RETURN_NOT_OK(w->ApplyRetention());
  return w;
}

arrow::Status PartitionWriter::Recover() {
  Segment& last = segments_.back();
  const std::string path = ActivePath();
  ARROW_ASSIGN_OR_RAISE(SegmentReader reader, SegmentReader::Open(path, last.base));
  log_format::RecordView record;
  SegmentReader::Next next;
  do {
    ARROW_ASSIGN_OR_RAISE(next, reader.ReadNext(&record));
  } while (next == SegmentReader::Next::kRecord);
  ARROW_ASSIGN_OR_RAISE(int64_t size, reader.SizeOnDisk());
  next_offset_ = reader.next_offset();
  last.size = reader.position();
  if (size > reader.position()) {
    recovered_bytes_dropped_ = size - reader.position();
    ARROW_ASSIGN_OR_RAISE(UniqueFd fd, OpenFile(path, O_WRONLY));
    if (::ftruncate(fd.get(), reader.position()) != 0) {
      return ErrnoStatus("cannot truncate torn tail of", path, errno);
    }
    ARROW_RETURN_NOT_OK(DataSync(fd.get(), path));
    Logger()->warn(
        "embedded log: recovered '{}': dropped {} bytes of torn tail at byte {}; the next "
        "offset is {}",
        path, recovered_bytes_dropped_, reader.position(), next_offset_.value);
  }
  return arrow::Status::OK();
}

arrow::Status PartitionWriter::OpenActive() {
  ARROW_ASSIGN_OR_RAISE(active_fd_, OpenFile(ActivePath(), O_WRONLY | O_CREAT | O_APPEND));
  dirty_ = false;
  return arrow::Status::OK();
}

arrow::Result<Offset> PartitionWriter::Append(std::string_view key, std::string_view value,
                                              int64_t timestamp_us) {
  ARROW_RETURN_NOT_OK(broken_);
  const int64_t size = log_format::EncodedSize(key.size(), value.size());
  if (segments_.back().size > 0 && segments_.back().size + size > options_.segment_bytes) {
    ARROW_RETURN_NOT_OK(Roll());
  }
  scratch_.clear();
  const Offset offset = next_offset_;
  log_format::AppendRecord(&scratch_, offset, timestamp_us, key, value);
  const std::string path = ActivePath();
  arrow::Status written = WriteAll(active_fd_.get(), scratch_, path);
  if (!written.ok()) {
    // Cut off whatever part of the record reached the file, so that the next append does
    // not land after garbage (which readers would rightly call corruption).
    if (::ftruncate(active_fd_.get(), segments_.back().size) != 0) {
      broken_ = arrow::Status::IOError("embedded log partition ", partition_.value,
                                       " is unusable after a failed write: ", written.message());
    }
    return written;
  }
  segments_.back().size += size;
  next_offset_.value += 1;
  dirty_ = true;
  if (options_.fsync == FsyncPolicy::kAlways) ARROW_RETURN_NOT_OK(Sync());
  return offset;
}

arrow::Status PartitionWriter::Sync() {
  ARROW_RETURN_NOT_OK(broken_);
  if (!dirty_) return arrow::Status::OK();
  ARROW_RETURN_NOT_OK(DataSync(active_fd_.get(), ActivePath()));
  dirty_ = false;
  return arrow::Status::OK();
}

arrow::Status PartitionWriter::Roll() {
  if (options_.fsync != FsyncPolicy::kNever) ARROW_RETURN_NOT_OK(Sync());
  const Offset base = next_offset_;
  segments_.push_back(Segment{base, 0});
  auto opened = OpenActive();
  if (!opened.ok()) {
    segments_.pop_back();
    return opened;
  }
  if (options_.fsync != FsyncPolicy::kNever) {
    ARROW_RETURN_NOT_OK(SyncDir(layout_.PartitionDir(partition_)));
  }
  return ApplyRetention();
}

arrow::Status PartitionWriter::ApplyRetention() {
  const auto now = std::chrono::system_clock::now();
  int64_t total = 0;
  for (const Segment& s : segments_) total += s.size;
  bool deleted = false;
  while (segments_.size() > 1) {
    const Segment& oldest = segments_.front();
    const std::string path = layout_.SegmentPath(partition_, oldest.base);
    const char* reason = nullptr;
    if (options_.retention_bytes && total > *options_.retention_bytes) {
      reason = "retention_bytes";
    } else if (options_.retention) {
      struct stat st;
      if (::stat(path.c_str(), &st) != 0) return ErrnoStatus("cannot stat", path, errno);
      const auto modified = std::chrono::system_clock::time_point(
          std::chrono::duration_cast<std::chrono::system_clock::duration>(
              std::chrono::seconds(st.st_mtim.tv_sec) +
              std::chrono::nanoseconds(st.st_mtim.tv_nsec)));
      if (now - modified > *options_.retention) reason = "retention_ms";
    }
    if (reason == nullptr) break;
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
      return ErrnoStatus("cannot delete segment", path, errno);
    }
    Logger()->info("embedded log: deleted segment '{}' ({} bytes) by {}; earliest offset is now {}",
                   path, oldest.size, reason, segments_[1].base.value);
    total -= oldest.size;
    segments_.pop_front();
    deleted = true;
  }
  if (deleted && options_.fsync != FsyncPolicy::kNever) {
    ARROW_RETURN_NOT_OK(SyncDir(layout_.PartitionDir(partition_)));
  }
  return arrow::Status::OK();
}

}  // namespace hashlake::bus::internal
