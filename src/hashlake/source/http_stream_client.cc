#include "hashlake/source/http_stream_client.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/beast/http.hpp>
#include <cctype>

#include "hashlake/source/net_internal.h"

namespace hashlake::source {
namespace {

namespace http = net::beast::http;
using net::error_code;
using net::asio::awaitable;

constexpr std::size_t kMaxErrorBody = 64 << 10;
constexpr int kMaxRedirects = 3;

struct Exchange {
  const HttpRequest* request;
  Url url;  // the current target (after redirects)
  const StreamTimeouts* timeouts;
  const BytesCallback* on_body;
  std::size_t max_error_body;
  StreamResult* result;
};

void Fail(StreamResult* r, StreamEnd end, std::string message) {
  r->end = end;
  r->message = std::move(message);
}

template <class Stream>
awaitable<void> Talk(Stream& stream, Exchange& x) {
  StreamResult& r = *x.result;
  auto& tcp = net::beast::get_lowest_layer(stream);
  error_code ec;

  http::request<http::string_body> msg;
  msg.method_string(x.request->method);
  msg.target(x.url.target);
  msg.version(11);
  msg.set(http::field::host, x.url.HostHeader());
  msg.set(http::field::user_agent, net::kUserAgent);
  for (const HttpHeader& h : x.request->headers) msg.set(h.name, h.value);
  if (!x.request->body.empty() || x.request->method == "POST") {
    msg.body() = x.request->body;
    msg.prepare_payload();
  }
  tcp.expires_after(x.timeouts->connect);
  co_await http::async_write(stream, msg, net::Redirect(ec));
  if (ec) co_return Fail(&r, StreamEnd::kNetworkError, "sending request: " + ec.message());

  net::beast::flat_buffer buffer;
  http::response_parser<http::buffer_body> parser;
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  co_await http::async_read_header(stream, buffer, parser, net::Redirect(ec));
  if (ec) {
    co_return Fail(&r, StreamEnd::kNetworkError,
                   ec == net::beast::error::timeout ? "no response head before the timeout"
                                                    : "reading response head: " + ec.message());
  }
  r.http_status = parser.get().result_int();
  for (const auto& field : parser.get()) {
    r.headers.push_back({std::string(field.name_string()), std::string(field.value())});
  }
  const bool ok = r.http_status / 100 == 2;
  r.established = ok;

  char chunk[16384];
  while (!parser.is_done()) {
    parser.get().body().data = chunk;
    parser.get().body().size = sizeof(chunk);
    tcp.expires_after(ok ? x.timeouts->idle : x.timeouts->connect);
    co_await http::async_read_some(stream, buffer, parser, net::Redirect(ec));
    if (ec == http::error::need_buffer) ec = {};
    const std::size_t n = sizeof(chunk) - parser.get().body().size;
    if (n > 0) {
      if (ok) {
        if (!(*x.on_body)(std::string_view(chunk, n))) {
          co_return Fail(&r, StreamEnd::kCallerClosed, "closed by the client");
        }
      } else if (r.error_body.size() < x.max_error_body) {
        r.error_body.append(chunk, std::min(n, x.max_error_body - r.error_body.size()));
      }
    }
    if (ec) {
      if (!ok) break;  // the status says enough; a cut error body does not matter
      if (ec == net::beast::error::timeout) {
        co_return Fail(&r, StreamEnd::kStalled,
                       fmt::format("no data for {}", FormatDuration(x.timeouts->idle)));
      }
      if (net::IsPeerClose(ec)) {
        co_return Fail(&r, StreamEnd::kClosed, "server closed the stream: " + ec.message());
      }
      co_return Fail(&r, StreamEnd::kNetworkError, "reading stream: " + ec.message());
    }
  }
  if (ok) co_return Fail(&r, StreamEnd::kClosed, "server ended the response");
  Fail(&r, StreamEnd::kHttpError,
       fmt::format("HTTP {} {}", r.http_status, std::string(parser.get().reason())));
}

awaitable<void> Session(Exchange& x, net::asio::ssl::context& tls) {
  auto executor = co_await net::asio::this_coro::executor;
  StreamResult& r = *x.result;
  if (x.url.tls()) {
    net::SslStream stream(executor, tls);
    error_code ec = co_await net::ConnectTcp(stream, x.url, x.timeouts->connect);
    if (ec) co_return Fail(&r, StreamEnd::kNetworkError, "connecting: " + ec.message());
    ec = co_await net::HandshakeTls(stream, x.url, x.timeouts->connect);
    if (ec) co_return Fail(&r, StreamEnd::kNetworkError, "TLS handshake: " + ec.message());
    co_await Talk(stream, x);
  } else {
    net::beast::tcp_stream stream(executor);
    error_code ec = co_await net::ConnectTcp(stream, x.url, x.timeouts->connect);
    if (ec) co_return Fail(&r, StreamEnd::kNetworkError, "connecting: " + ec.message());
    co_await Talk(stream, x);
  }
}

StreamResult RunWithRedirects(const HttpRequest& request, const StreamTimeouts& timeouts,
                              const BytesCallback& on_body, StreamCanceller* canceller,
                              std::size_t max_error_body) {
  net::asio::ssl::context tls = net::MakeTlsContext();
  Url url = request.url;
  for (int hop = 0;; ++hop) {
    StreamResult result;
    Exchange x{&request, url, &timeouts, &on_body, max_error_body, &result};
    std::string exception;
    if (!net::RunConnection(canceller, Session(x, tls), &exception)) {
      result.end = StreamEnd::kStopped;
      result.message = "stopped";
      return result;
    }
    if (!exception.empty()) Fail(&result, StreamEnd::kNetworkError, exception);
    const int s = result.http_status;
    const std::string_view location = FindHeader(result.headers, "location");
    if ((s == 301 || s == 302 || s == 303 || s == 307 || s == 308) && !location.empty() &&
        hop < kMaxRedirects) {
      if (location.starts_with("/")) {
        url.target = std::string(location);
        continue;
      }
      auto next = ParseUrl(location);
      if (next.ok()) {
        url = *next;
        continue;
      }
    }
    return result;
  }
}

}  // namespace

std::string_view FindHeader(const std::vector<HttpHeader>& headers, std::string_view name) {
  for (const HttpHeader& h : headers) {
    if (h.name.size() == name.size() &&
        std::equal(name.begin(), name.end(), h.name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      return h.value;
    }
  }
  return {};
}

const char* StreamEndName(StreamEnd end) {
  switch (end) {
    case StreamEnd::kStopped:
      return "stopped";
    case StreamEnd::kClosed:
      return "closed";
    case StreamEnd::kCallerClosed:
      return "caller-closed";
    case StreamEnd::kStalled:
      return "stalled";
    case StreamEnd::kNetworkError:
      return "network-error";
    case StreamEnd::kHttpError:
      return "http-error";
  }
  return "?";
}

void StreamCanceller::Cancel() {
  std::lock_guard lock(mu_);
  cancelled_ = true;
  if (active_ != nullptr) active_->stop();
}

bool StreamCanceller::cancelled() const {
  std::lock_guard lock(mu_);
  return cancelled_;
}

bool StreamCanceller::Attach(boost::asio::io_context* ioc) {
  std::lock_guard lock(mu_);
  if (cancelled_) return false;
  active_ = ioc;
  return true;
}

void StreamCanceller::Detach() {
  std::lock_guard lock(mu_);
  active_ = nullptr;
}

StreamResult RunHttpStream(const HttpRequest& request, const StreamTimeouts& timeouts,
                           const BytesCallback& on_body, StreamCanceller* canceller) {
  return RunWithRedirects(request, timeouts, on_body, canceller, kMaxErrorBody);
}

arrow::Result<HttpResponse> HttpFetch(const HttpRequest& request, Micros timeout,
                                      std::size_t max_body) {
  HttpResponse response;
  bool too_big = false;
  StreamTimeouts timeouts{timeout, timeout};
  StreamResult r = RunWithRedirects(
      request, timeouts,
      [&](std::string_view bytes) {
        if (response.body.size() + bytes.size() > max_body) {
          too_big = true;
          return false;
        }
        response.body.append(bytes);
        return true;
      },
      nullptr, max_body);
  if (too_big) {
    return arrow::Status::IOError(request.method, " ", request.url.ToString(),
                                  ": response body over ", max_body, " bytes");
  }
  if (r.http_status == 0 || (r.established && r.end != StreamEnd::kClosed)) {
    return arrow::Status::IOError(request.method, " ", request.url.ToString(), ": ", r.message);
  }
  response.status = r.http_status;
  response.headers = std::move(r.headers);
  if (!r.established) response.body = std::move(r.error_body);
  return response;
}

}  // namespace hashlake::source
