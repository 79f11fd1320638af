#include "hashlake/bus/segment_reader.h"

#include <fcntl.h>

#include <algorithm>

namespace hashlake::bus::internal {
namespace {

constexpr int64_t kReadChunk = int64_t{1} << 20;

}  // namespace

arrow::Result<SegmentReader> SegmentReader::Open(std::string path, Offset base) {
  ARROW_ASSIGN_OR_RAISE(UniqueFd fd, OpenFile(path, O_RDONLY));
  return SegmentReader(std::move(path), base, std::move(fd));
}

arrow::Result<int64_t> SegmentReader::Fill(int64_t need) {
  const int64_t consumed = position_ - buffer_start_;
  if (static_cast<int64_t>(buffer_.size()) - consumed >= need) {
    return static_cast<int64_t>(buffer_.size()) - consumed;
  }
  // Compact only when reading more, then read at least a chunk so small records batch.
  buffer_.erase(0, static_cast<std::size_t>(consumed));
  buffer_start_ = position_;
  const int64_t have = static_cast<int64_t>(buffer_.size());
  const int64_t want = std::max(need, kReadChunk) - have;
  buffer_.resize(static_cast<std::size_t>(have + want));
  auto got = PreadFull(fd_.get(), buffer_.data() + have, static_cast<std::size_t>(want),
                       buffer_start_ + have, path_);
  if (!got.ok()) {
    buffer_.resize(static_cast<std::size_t>(have));
    return got.status();
  }
  buffer_.resize(static_cast<std::size_t>(have) + *got);
  return static_cast<int64_t>(buffer_.size());
}

arrow::Result<bool> SegmentReader::RestIsZero(int64_t from, int64_t file_size) const {
  std::string chunk;
  while (from < file_size) {
    const int64_t n = std::min(kReadChunk, file_size - from);
    chunk.resize(static_cast<std::size_t>(n));
    ARROW_ASSIGN_OR_RAISE(std::size_t got,
                          PreadFull(fd_.get(), chunk.data(), chunk.size(), from, path_));
    if (got == 0) break;
    if (std::any_of(chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(got),
                    [](char c) { return c != 0; })) {
      return false;
    }
    from += static_cast<int64_t>(got);
  }
  return true;
}

arrow::Result<SegmentReader::Next> SegmentReader::ReadNext(log_format::RecordView* out) {
  ARROW_ASSIGN_OR_RAISE(int64_t have, Fill(static_cast<int64_t>(log_format::kHeaderSize)));
  auto view = [&] {
    return std::string_view(buffer_).substr(static_cast<std::size_t>(position_ - buffer_start_));
  };
  log_format::Decoded d = log_format::DecodeRecord(view());
  if (d.status == log_format::DecodeStatus::kIncomplete && have < d.size) {
    ARROW_ASSIGN_OR_RAISE(have, Fill(d.size));
    d = log_format::DecodeRecord(view());
  }
  if (d.status == log_format::DecodeStatus::kIncomplete) {
    // Forget the partial bytes: a restarted producer may truncate and rewrite them.
    buffer_.resize(static_cast<std::size_t>(position_ - buffer_start_));
    return Next::kEnd;
  }
  if (d.status != log_format::DecodeStatus::kOk) {
    buffer_.resize(static_cast<std::size_t>(position_ - buffer_start_));
    ARROW_ASSIGN_OR_RAISE(int64_t file_size, SizeOnDisk());
    const int64_t declared_end = position_ + d.size;
    if (declared_end >= file_size) return Next::kBadTail;
    ARROW_ASSIGN_OR_RAISE(bool zeros, RestIsZero(position_, file_size));
    if (zeros) return Next::kBadTail;
    return arrow::Status::IOError(
        "embedded log segment '", path_, "' is corrupt: ",
        d.status == log_format::DecodeStatus::kBadChecksum ? "CRC mismatch" : "bad length",
        " in the record at byte ", position_, " (offset ", next_offset_.value, "), with ",
        file_size - declared_end, " more bytes after it");
  }
  if (d.record.offset != next_offset_) {
    return arrow::Status::IOError("embedded log segment '", path_, "' is corrupt: record at byte ",
                                  position_, " has offset ", d.record.offset.value, ", expected ",
                                  next_offset_.value);
  }
  *out = d.record;
  position_ += d.size;
  next_offset_.value += 1;
  return Next::kRecord;
}

}  // namespace hashlake::bus::internal
