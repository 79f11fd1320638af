#include "hashlake/source/sse_parser.h"

#include <charconv>

namespace hashlake::source {

void SseParser::Feed(std::string_view bytes, const Callback& on_event) {
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const char c = bytes[i];
    if (skip_lf_) {
      skip_lf_ = false;
      if (c == '\n') continue;
    }
    if (c == '\r' || c == '\n') {
      skip_lf_ = c == '\r';
      Line(line_, on_event);
      line_.clear();
      continue;
    }
    // A line over the event limit (plus room for its field name) is marked, not kept.
    if (line_.size() <= max_event_bytes_ + 16) {
      line_.push_back(c);
    } else {
      line_too_long_ = true;
    }
  }
}

void SseParser::Line(std::string_view line, const Callback& on_event) {
  if (line_too_long_) {
    line_too_long_ = false;
    too_big_ = true;
    has_data_ = true;
    return;
  }
  if (line.empty()) {
    // The id in force becomes the reconnection id only once its event is dispatched, so a
    // resume after a cut event asks for that event again.
    last_id_ = id_buffer_;
    if (too_big_) {
      ++oversized_;
    } else if (has_data_) {
      SseEvent ev;
      ev.event = event_.empty() ? "message" : event_;
      ev.data = std::move(data_);
      ev.id = id_buffer_;
      on_event(ev);
    }
    event_.clear();
    data_.clear();
    has_data_ = false;
    too_big_ = false;
    return;
  }
  if (line.front() == ':') {
    ++comments_;
    return;
  }
  const auto colon = line.find(':');
  std::string_view field = line.substr(0, colon);
  std::string_view value;
  if (colon != std::string_view::npos) {
    value = line.substr(colon + 1);
    if (value.starts_with(' ')) value.remove_prefix(1);
  }
  if (field == "event") {
    event_ = value;
  } else if (field == "data") {
    if (has_data_) data_.push_back('\n');
    if (data_.size() + value.size() > max_event_bytes_) too_big_ = true;
    if (!too_big_) data_.append(value);
    has_data_ = true;
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos) id_buffer_ = value;
  } else if (field == "retry") {
    int64_t ms = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), ms);
    if (ec == std::errc() && ptr == value.data() + value.size() && !value.empty()) retry_ms_ = ms;
  }
  // Unknown fields are ignored, as the spec says.
}

std::optional<SseEvent> SseParser::TakePartial() {
  std::optional<SseEvent> out;
  if (!line_.empty()) {
    // The last line itself was cut: keep what arrived as data so that it can be reported.
    std::string_view line = line_;
    if (line.starts_with("data:")) {
      if (has_data_) data_.push_back('\n');
      line.remove_prefix(5);
      if (line.starts_with(' ')) line.remove_prefix(1);
      data_.append(line);
      has_data_ = true;
    } else if (line.starts_with("event:") || line.front() == ':') {
      // An unfinished field name carries no payload.
    } else {
      if (has_data_) data_.push_back('\n');
      data_.append(line);
      has_data_ = true;
    }
  }
  if (has_data_ || !event_.empty()) {
    out.emplace();
    out->event = event_.empty() ? "message" : event_;
    out->data = std::move(data_);
    out->id = id_buffer_;
  }
  line_.clear();
  event_.clear();
  data_.clear();
  has_data_ = false;
  too_big_ = false;
  skip_lf_ = false;
  line_too_long_ = false;
  id_buffer_ = last_id_;
  return out;
}

}  // namespace hashlake::source
