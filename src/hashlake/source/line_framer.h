#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace hashlake::source {

/// Splits a byte stream into lines as X's filtered stream frames it: one JSON object per
/// "\r\n" (a bare "\n" is accepted, a trailing "\r" stripped), blank lines are keep-alives.
/// Bytes may arrive cut anywhere. A line longer than `max_line_bytes` is reported once as
/// oversized (with its first 4 KiB) and skipped in constant memory.
/// Not thread-safe.
class LineFramer {
 public:
  struct Line {
    std::string_view bytes;  ///< Without the line ending. Valid during the callback only.
    bool oversized = false;  ///< `bytes` is a prefix; `size` is the full length.
    std::size_t size = 0;
  };
  using Callback = std::function<void(const Line&)>;

  explicit LineFramer(std::size_t max_line_bytes = 1 << 20) : max_line_bytes_(max_line_bytes) {}

  /// Feeds bytes; calls `on_line` for each complete non-blank line.
  void Feed(std::string_view bytes, const Callback& on_line);
  /// The unterminated tail (a message cut by a disconnect); cleared. Empty when none.
  std::string TakePartial();

  uint64_t keepalives() const { return keepalives_; }

 private:
  void EndLine(const Callback& on_line);

  std::size_t max_line_bytes_;
  std::string line_;
  std::size_t dropped_ = 0;  // bytes of the current line beyond the limit
  char last_ = 0;            // the last byte of the current line seen
  uint64_t keepalives_ = 0;
};

}  // namespace hashlake::source
