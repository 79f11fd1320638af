#pragma once

// Internal: reads the records of one segment file in order, validating each.

#include <arrow/result.h>

#include <cstdint>
#include <string>

#include "hashlake/bus/bus.h"
#include "hashlake/bus/file_util.h"
#include "hashlake/bus/log_format.h"

namespace hashlake::bus::internal {

/// Sequential reader of one segment file. Tolerates a writer appending to the same file
/// concurrently (from any process): it only returns whole records whose CRC matches and
/// re-reads the tail on the next call. Not thread-safe; movable.
class SegmentReader {
 public:
  enum class Next {
    kRecord,   ///< A record was read; the reader moved past it.
    kEnd,      ///< No whole record at position(): the clean end, or an incomplete tail.
    kBadTail,  ///< A bad record that ends at (or runs past) the end of the file, or is
               ///< followed only by zero bytes: a torn write, not (yet) corruption.
  };

  static arrow::Result<SegmentReader> Open(std::string path, Offset base);

  /// Reads the record at position(). On kRecord, `*out` points into an internal buffer
  /// that stays valid until the next call. A bad record with more data after it, or a
  /// record whose offset is not the next one, is an IOError naming the file and byte.
  arrow::Result<Next> ReadNext(log_format::RecordView* out);

  /// Byte position of the next record, and its expected offset.
  int64_t position() const { return position_; }
  Offset next_offset() const { return next_offset_; }
  Offset base() const { return base_; }
  const std::string& path() const { return path_; }
  int fd() const { return fd_.get(); }

  /// Current size of the file on disk.
  arrow::Result<int64_t> SizeOnDisk() const { return FileSize(fd_.get(), path_); }

 private:
  SegmentReader(std::string path, Offset base, UniqueFd fd)
      : path_(std::move(path)), base_(base), next_offset_(base), fd_(std::move(fd)) {}

  /// Makes at least `need` bytes from position_ available in the buffer, if the file has
  /// them. Returns how many are available.
  arrow::Result<int64_t> Fill(int64_t need);
  arrow::Result<bool> RestIsZero(int64_t from, int64_t file_size) const;

  std::string path_;
  Offset base_;
  Offset next_offset_;
  UniqueFd fd_;
  int64_t position_ = 0;
  std::string buffer_;  // file bytes [buffer_start_, buffer_start_ + buffer_.size())
  int64_t buffer_start_ = 0;
};

}  // namespace hashlake::bus::internal
