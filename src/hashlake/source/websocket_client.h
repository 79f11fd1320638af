#pragma once

#include <cstddef>
#include <functional>
#include <string_view>
#include <vector>

#include "hashlake/source/http_stream_client.h"
#include "hashlake/source/url.h"

namespace hashlake::source {

struct WebSocketOptions {
  std::vector<HttpHeader> headers;  ///< Extra handshake headers.
  StreamTimeouts timeouts;          ///< `idle`: no frame (nor pong) for this long = stalled.
  std::size_t max_message_bytes = 4 << 20;  ///< A bigger message ends the connection.
};

/// One received message. `text` is false for binary frames.
using MessageCallback = std::function<bool(std::string_view message, bool text)>;

/// Connects to a ws:// or wss:// URL (TLS verified against the system store), then hands
/// each message to `on_message` until the server closes, the connection stalls (pings are
/// sent after idle/2 of silence; no answer by `idle` = stalled), `on_message` returns
/// false, or `canceller` fires. A refused upgrade is kHttpError with its status.
/// Blocks the calling thread.
StreamResult RunWebSocket(const Url& url, const WebSocketOptions& options,
                          const MessageCallback& on_message, StreamCanceller* canceller);

}  // namespace hashlake::source
