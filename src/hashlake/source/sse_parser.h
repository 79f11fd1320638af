#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace hashlake::source {

/// One server-sent event (WHATWG HTML "event stream interpretation").
struct SseEvent {
  std::string event = "message";  ///< The `event:` field; "message" when absent.
  std::string data;               ///< `data:` lines joined with "\n".
  std::string id;                 ///< The last event id in force (`id:`), may be empty.
};

/// Incremental parser of a `text/event-stream` body: lines end in "\r\n", "\n" or "\r";
/// a blank line dispatches the event; lines starting with ':' are comments (Mastodon's
/// `:thump` heartbeats); `field: value` drops one leading space. An event with no data
/// is not dispatched (as the spec says). Not thread-safe.
class SseParser {
 public:
  using Callback = std::function<void(const SseEvent&)>;

  explicit SseParser(std::size_t max_event_bytes = 1 << 20) : max_event_bytes_(max_event_bytes) {}

  void Feed(std::string_view bytes, const Callback& on_event);

  /// What an unfinished event held when the stream ended (no blank line yet); cleared.
  /// nullopt when nothing was pending.
  std::optional<SseEvent> TakePartial();

  /// The id of the last dispatched event (for Last-Event-ID on reconnect): an `id:` of an
  /// event cut by a disconnect does not count.
  const std::string& last_event_id() const { return last_id_; }
  /// The last valid `retry:` in milliseconds, if any.
  std::optional<int64_t> retry_ms() const { return retry_ms_; }
  uint64_t comments() const { return comments_; }
  /// Events dropped because their data exceeded max_event_bytes.
  uint64_t oversized() const { return oversized_; }

 private:
  void Line(std::string_view line, const Callback& on_event);

  std::size_t max_event_bytes_;
  std::string line_;
  bool skip_lf_ = false;  // a "\r" ended the last line; a following "\n" belongs to it
  std::string event_, data_, id_buffer_, last_id_;
  bool has_data_ = false;
  bool too_big_ = false;
  bool line_too_long_ = false;
  std::optional<int64_t> retry_ms_;
  uint64_t comments_ = 0, oversized_ = 0;
};

}  // namespace hashlake::source
