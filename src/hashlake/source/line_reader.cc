#include "hashlake/source/line_reader.h"

#include <algorithm>
#include <cstring>

#include <zlib.h>

namespace hashlake::source {
namespace {
constexpr std::size_t kChunkBytes = 256 * 1024;
}  // namespace

arrow::Result<std::unique_ptr<LineReader>> LineReader::Open(const std::string& path,
                                                            std::size_t max_line_bytes) {
  gzFile file = gzopen(path.c_str(), "rb");
  if (file == nullptr) {
    return arrow::Status::IOError("cannot open '", path, "': ", std::strerror(errno));
  }
  gzbuffer(file, kChunkBytes);
  return std::unique_ptr<LineReader>(
      new LineReader(file, path, std::max<std::size_t>(max_line_bytes, 1)));
}

LineReader::LineReader(void* file, std::string path, std::size_t max_line_bytes)
    : file_(file), path_(std::move(path)), max_line_bytes_(max_line_bytes) {}

LineReader::~LineReader() { gzclose(static_cast<gzFile>(file_)); }

arrow::Result<std::size_t> LineReader::Fill() {
  if (eof_) return 0;
  // Drop consumed bytes before growing the buffer.
  if (start_ > 0) {
    buffer_.erase(0, start_);
    start_ = 0;
  }
  const std::size_t old_size = buffer_.size();
  buffer_.resize(old_size + kChunkBytes);
  const int n = gzread(static_cast<gzFile>(file_), buffer_.data() + old_size,
                       static_cast<unsigned>(kChunkBytes));
  if (n < 0) {
    buffer_.resize(old_size);
    int errnum = 0;
    const char* msg = gzerror(static_cast<gzFile>(file_), &errnum);
    return arrow::Status::IOError("reading '", path_, "': ", msg ? msg : "unknown error");
  }
  buffer_.resize(old_size + static_cast<std::size_t>(n));
  bytes_read_ += static_cast<uint64_t>(n);
  if (n == 0) eof_ = true;
  return static_cast<std::size_t>(n);
}

arrow::Result<bool> LineReader::Next(Line* line) {
  std::size_t scan = start_;
  bool oversized = false;
  uint64_t discarded = 0;  // bytes of an oversized line already dropped
  for (;;) {
    const char* begin = buffer_.data() + scan;
    const char* end = buffer_.data() + buffer_.size();
    const char* nl = static_cast<const char*>(std::memchr(begin, '\n', end - begin));
    if (nl != nullptr) {
      const std::size_t len = static_cast<std::size_t>(nl - (buffer_.data() + start_));
      if (oversized || len > max_line_bytes_) {
        if (!oversized) {
          prefix_.assign(buffer_.data() + start_, std::min(len, kOversizedPrefixBytes));
        }
        *line = Line{prefix_, true, discarded + len, false};
      } else {
        *line = Line{std::string_view(buffer_.data() + start_, len), false, len, false};
      }
      start_ += len + 1;
      return true;
    }
    const std::size_t pending = buffer_.size() - start_;
    if (!oversized && pending > max_line_bytes_) {
      // Keep a prefix for the dead letter and stop holding the line.
      oversized = true;
      prefix_.assign(buffer_.data() + start_,
                     std::min(pending, kOversizedPrefixBytes));
    }
    if (oversized) {
      discarded += pending;
      start_ = buffer_.size();
    }
    const std::size_t scanned = buffer_.size() - start_;
    ARROW_ASSIGN_OR_RAISE(const std::size_t n, Fill());
    scan = start_ + scanned;  // Fill() may have moved the unread bytes to the front
    if (n == 0) {
      const std::size_t rest = buffer_.size() - start_;
      if (!oversized && rest == 0) return false;
      if (oversized) {
        *line = Line{prefix_, true, discarded + rest, true};
      } else {
        *line = Line{std::string_view(buffer_.data() + start_, rest), false, rest, true};
      }
      start_ = buffer_.size();
      return true;
    }
  }
}

arrow::Result<std::string> LineReader::ReadRest(std::size_t max_bytes) {
  while (true) {
    if (buffer_.size() - start_ > max_bytes) {
      return arrow::Status::CapacityError("'", path_, "' is larger than ", max_bytes, " bytes");
    }
    ARROW_ASSIGN_OR_RAISE(const std::size_t n, Fill());
    if (n == 0) break;
  }
  if (buffer_.size() - start_ > max_bytes) {
    return arrow::Status::CapacityError("'", path_, "' is larger than ", max_bytes, " bytes");
  }
  std::string out = buffer_.substr(start_);
  start_ = buffer_.size();
  return out;
}

}  // namespace hashlake::source
