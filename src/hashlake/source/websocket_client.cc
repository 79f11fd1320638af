#include "hashlake/source/websocket_client.h"

#include <fmt/format.h>

#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "hashlake/source/net_internal.h"

namespace hashlake::source {
namespace {

namespace websocket = net::beast::websocket;
namespace http = net::beast::http;
using net::error_code;
using net::asio::awaitable;

struct Exchange {
  const Url* url;
  const WebSocketOptions* options;
  const MessageCallback* on_message;
  StreamResult* result;
};

void Fail(StreamResult* r, StreamEnd end, std::string message) {
  r->end = end;
  r->message = std::move(message);
}

template <class Ws>
awaitable<void> Talk(Ws& ws, Exchange& x) {
  StreamResult& r = *x.result;
  error_code ec;
  websocket::response_type response;
  ws.set_option(websocket::stream_base::decorator([&](websocket::request_type& req) {
    req.set(http::field::user_agent, net::kUserAgent);
    for (const HttpHeader& h : x.options->headers) req.set(h.name, h.value);
  }));
  ws.read_message_max(x.options->max_message_bytes);
  net::beast::get_lowest_layer(ws).expires_after(x.options->timeouts.connect);
  co_await ws.async_handshake(response, x.url->HostHeader(), x.url->target, net::Redirect(ec));
  r.http_status = response.result_int();
  for (const auto& field : response) {
    r.headers.push_back({std::string(field.name_string()), std::string(field.value())});
  }
  if (ec) {
    if (r.http_status != 0 && r.http_status != 101) {
      r.error_body = response.body();
      co_return Fail(&r, StreamEnd::kHttpError,
                     fmt::format("HTTP {} {} (WebSocket upgrade refused)", r.http_status,
                                 std::string(response.reason())));
    }
    co_return Fail(&r, StreamEnd::kNetworkError, "WebSocket handshake: " + ec.message());
  }
  r.established = true;
  // From here the websocket stream owns the timeouts: pings after idle/2, give up at idle.
  net::beast::get_lowest_layer(ws).expires_never();
  websocket::stream_base::timeout timeout;
  timeout.handshake_timeout = x.options->timeouts.connect;
  timeout.idle_timeout = x.options->timeouts.idle;
  timeout.keep_alive_pings = true;
  ws.set_option(timeout);

  net::beast::flat_buffer buffer;
  for (;;) {
    co_await ws.async_read(buffer, net::Redirect(ec));
    if (ec) {
      if (ec == net::beast::error::timeout) {
        co_return Fail(&r, StreamEnd::kStalled,
                       fmt::format("no data for {}", FormatDuration(x.options->timeouts.idle)));
      }
      if (ec == websocket::error::closed) {
        co_return Fail(&r, StreamEnd::kClosed,
                       fmt::format("server closed the WebSocket (code {} {})",
                                   static_cast<int>(ws.reason().code),
                                   std::string(ws.reason().reason.c_str())));
      }
      if (net::IsPeerClose(ec)) {
        co_return Fail(&r, StreamEnd::kClosed, "connection closed: " + ec.message());
      }
      co_return Fail(&r, StreamEnd::kNetworkError, "reading WebSocket: " + ec.message());
    }
    const auto data = buffer.data();
    const std::string_view message(static_cast<const char*>(data.data()), data.size());
    const bool keep_going = (*x.on_message)(message, ws.got_text());
    buffer.consume(buffer.size());
    if (!keep_going) {
      websocket::close_reason reason(websocket::close_code::normal);
      co_await ws.async_close(reason, net::Redirect(ec));
      co_return Fail(&r, StreamEnd::kCallerClosed, "closed by the client");
    }
  }
}

awaitable<void> Session(Exchange& x, net::asio::ssl::context& tls) {
  auto executor = co_await net::asio::this_coro::executor;
  StreamResult& r = *x.result;
  if (x.url->tls()) {
    websocket::stream<net::SslStream> ws(executor, tls);
    error_code ec = co_await net::ConnectTcp(ws, *x.url, x.options->timeouts.connect);
    if (ec) co_return Fail(&r, StreamEnd::kNetworkError, "connecting: " + ec.message());
    ec = co_await net::HandshakeTls(ws.next_layer(), *x.url, x.options->timeouts.connect);
    if (ec) co_return Fail(&r, StreamEnd::kNetworkError, "TLS handshake: " + ec.message());
    co_await Talk(ws, x);
  } else {
    websocket::stream<net::beast::tcp_stream> ws(executor);
    error_code ec = co_await net::ConnectTcp(ws, *x.url, x.options->timeouts.connect);
    if (ec) co_return Fail(&r, StreamEnd::kNetworkError, "connecting: " + ec.message());
    co_await Talk(ws, x);
  }
}

}  // namespace

StreamResult RunWebSocket(const Url& url, const WebSocketOptions& options,
                          const MessageCallback& on_message, StreamCanceller* canceller) {
  StreamResult result;
  if (url.scheme != "ws" && url.scheme != "wss") {
    Fail(&result, StreamEnd::kNetworkError, "not a WebSocket URL: " + url.ToString());
    return result;
  }
  net::asio::ssl::context tls = net::MakeTlsContext();
  Exchange x{&url, &options, &on_message, &result};
  std::string exception;
  if (!net::RunConnection(canceller, Session(x, tls), &exception)) {
    Fail(&result, StreamEnd::kStopped, "stopped");
    return result;
  }
  if (!exception.empty()) Fail(&result, StreamEnd::kNetworkError, exception);
  return result;
}

}  // namespace hashlake::source
