#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <arrow/result.h>

namespace hashlake::source {

/// Reads a file (plain, or gzip/zlib: zlib detects it by content) line by line with a
/// bound on the bytes held per line: a longer line is skipped in constant memory and
/// reported with its full length and a prefix. Not thread-safe; owns its file handle.
class LineReader {
 public:
  struct Line {
    std::string_view bytes;        ///< Without the '\n'; valid until the next call.
    bool oversized = false;        ///< Longer than the limit: `bytes` is a prefix only.
    uint64_t size = 0;             ///< The whole line's length in bytes.
    bool missing_newline = false;  ///< The file's last line, not ended by '\n'.
  };

  /// `max_line_bytes` bounds memory per line; an oversized line keeps a prefix of
  /// at most `kOversizedPrefixBytes`.
  static arrow::Result<std::unique_ptr<LineReader>> Open(const std::string& path,
                                                         std::size_t max_line_bytes);
  ~LineReader();

  /// The next line; false at end of file. An I/O or decompression error is an
  /// IOError naming the file.
  arrow::Result<bool> Next(Line* line);

  /// The rest of the (decompressed) file, failing with CapacityError beyond `max_bytes`.
  arrow::Result<std::string> ReadRest(std::size_t max_bytes);

  /// Bytes consumed after decompression.
  uint64_t bytes_read() const { return bytes_read_; }

  static constexpr std::size_t kOversizedPrefixBytes = 4096;

 private:
  LineReader(void* file, std::string path, std::size_t max_line_bytes);
  arrow::Result<std::size_t> Fill();  // reads one chunk; 0 at end of file

  void* file_;  // gzFile, kept opaque so that zlib.h stays out of this header
  std::string path_;
  std::size_t max_line_bytes_;
  std::string buffer_;
  std::size_t start_ = 0;  // first unread byte in buffer_
  std::string prefix_;     // of the current oversized line
  uint64_t bytes_read_ = 0;
  bool eof_ = false;
};

}  // namespace hashlake::source
