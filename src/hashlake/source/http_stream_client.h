#pragma once

#include <arrow/result.h>

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "hashlake/core/time.h"
#include "hashlake/source/url.h"

namespace boost::asio {
class io_context;
}

namespace hashlake::source {

struct HttpHeader {
  std::string name;
  std::string value;
};

/// Finds a header by case-insensitive name; empty when absent.
std::string_view FindHeader(const std::vector<HttpHeader>& headers, std::string_view name);

struct HttpRequest {
  std::string method = "GET";
  Url url;
  std::vector<HttpHeader> headers;  ///< Host, User-Agent and Content-Length are added.
  std::string body;
};

/// Timeouts of one connection. Defaults suit X (a keep-alive at least every 20 s).
struct StreamTimeouts {
  Micros connect = std::chrono::seconds(10);  ///< DNS + TCP + TLS + request + response head.
  Micros idle = std::chrono::seconds(20);     ///< No byte for this long = a stalled stream.
};

/// How one streaming connection ended.
enum class StreamEnd {
  kStopped,       ///< Cancelled from another thread.
  kClosed,        ///< The server ended an established stream (EOF, close frame, TLS close).
  kCallerClosed,  ///< A callback asked to end the connection.
  kStalled,       ///< No byte for `idle` on an established stream.
  kNetworkError,  ///< Connecting or reading failed (DNS, TCP, TLS, protocol).
  kHttpError,     ///< The server answered with a non-2xx status (or refused the upgrade).
};

const char* StreamEndName(StreamEnd end);

struct StreamResult {
  StreamEnd end = StreamEnd::kNetworkError;
  bool established = false;  ///< A 2xx response (or WebSocket upgrade) was received.
  int http_status = 0;       ///< 0 when no response arrived.
  std::vector<HttpHeader> headers;
  std::string message;     ///< What went wrong, for logs.
  std::string error_body;  ///< Up to 64 KiB of a non-2xx response body.
};

/// Lets another thread end a running connection. Thread-safe. Once cancelled, every
/// later connection using it ends at once with kStopped.
class StreamCanceller {
 public:
  void Cancel();
  bool cancelled() const;

  // Used by the clients: registers the io_context that runs the current connection.
  bool Attach(boost::asio::io_context* ioc);
  void Detach();

 private:
  mutable std::mutex mu_;
  boost::asio::io_context* active_ = nullptr;
  bool cancelled_ = false;
};

/// Body bytes as they arrive (chunked encoding removed). Return false to end the
/// connection (kCallerClosed).
using BytesCallback = std::function<bool(std::string_view)>;

/// Sends `request` over HTTP/1.1 (TLS for https, verifying the server's certificate and
/// name against the system store) and streams the 2xx response body to `on_body` until
/// the server closes, the stream stalls, a callback ends it, or `canceller` fires.
/// Follows up to 3 redirects (301/302/303/307/308). Blocks the calling thread.
StreamResult RunHttpStream(const HttpRequest& request, const StreamTimeouts& timeouts,
                           const BytesCallback& on_body, StreamCanceller* canceller);

struct HttpResponse {
  int status = 0;
  std::vector<HttpHeader> headers;
  std::string body;
};

/// One request, the whole response (any status). Errors only for network failures and
/// responses over `max_body` bytes.
arrow::Result<HttpResponse> HttpFetch(const HttpRequest& request, Micros timeout,
                                      std::size_t max_body = 16 << 20);

}  // namespace hashlake::source
