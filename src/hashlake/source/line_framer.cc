#include "hashlake/source/line_framer.h"

#include <algorithm>

#include "hashlake/source/line_reader.h"

namespace hashlake::source {

void LineFramer::Feed(std::string_view bytes, const Callback& on_line) {
  while (!bytes.empty()) {
    const auto nl = bytes.find('\n');
    const std::string_view piece = bytes.substr(0, nl);
    const std::size_t room = line_.size() < max_line_bytes_ ? max_line_bytes_ - line_.size() : 0;
    const std::size_t keep = std::min(room, piece.size());
    line_.append(piece.substr(0, keep));
    dropped_ += piece.size() - keep;
    if (!piece.empty()) last_ = piece.back();
    if (nl == std::string_view::npos) return;
    EndLine(on_line);
    bytes.remove_prefix(nl + 1);
  }
}

void LineFramer::EndLine(const Callback& on_line) {
  std::string_view line = line_;
  if (dropped_ == 0 && line.ends_with('\r')) line.remove_suffix(1);
  const bool blank = dropped_ == 0 && line.find_first_not_of(" \t\r") == std::string_view::npos;
  if (blank) {
    ++keepalives_;
  } else if (dropped_ > 0 || line.size() > max_line_bytes_) {
    // The reported size excludes the line ending, like every other line.
    const std::size_t size = line_.size() + dropped_ - (last_ == '\r' ? 1 : 0);
    Line out{line.substr(0, LineReader::kOversizedPrefixBytes), true, size};
    on_line(out);
  } else {
    on_line(Line{line, false, line.size()});
  }
  line_.clear();
  dropped_ = 0;
  last_ = 0;
}

std::string LineFramer::TakePartial() {
  std::string out;
  out.swap(line_);
  dropped_ = 0;
  if (out.find_first_not_of(" \t\r") == std::string::npos) out.clear();
  return out;
}

}  // namespace hashlake::source
