#pragma once

// Shared plumbing of http_stream_client.cc and websocket_client.cc: TCP connect, TLS
// setup, and running one connection's coroutine on its own io_context. Internal.

// clang-format off
#include <utility>  // before Boost 1.74, whose awaitable.hpp uses std::exchange
// clang-format on

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <exception>
#include <string>

#include "hashlake/source/http_stream_client.h"

namespace hashlake::source::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
using error_code = boost::system::error_code;
using tcp = asio::ip::tcp;
using SslStream = beast::ssl_stream<beast::tcp_stream>;

inline constexpr char kUserAgent[] = "hashlake/0.1";

inline auto Redirect(error_code& ec) { return asio::redirect_error(asio::use_awaitable, ec); }

/// A TLS client context verifying peers against the system's trust store.
inline asio::ssl::context MakeTlsContext() {
  asio::ssl::context ctx(asio::ssl::context::tls_client);
  ctx.set_default_verify_paths();
  ctx.set_verify_mode(asio::ssl::verify_peer);
  return ctx;
}

/// Resolves and connects the lowest layer of `stream` (a beast::tcp_stream) within `timeout`.
template <class Stream>
asio::awaitable<error_code> ConnectTcp(Stream& stream, const Url& url, Micros timeout) {
  error_code ec;
  tcp::resolver resolver(co_await asio::this_coro::executor);
  auto results = co_await resolver.async_resolve(url.host, std::to_string(url.port), Redirect(ec));
  if (ec) co_return ec;
  auto& lowest = beast::get_lowest_layer(stream);
  lowest.expires_after(timeout);
  co_await lowest.async_connect(results, Redirect(ec));
  co_return ec;
}

/// SNI, host-name verification and the client handshake.
inline asio::awaitable<error_code> HandshakeTls(SslStream& stream, const Url& url, Micros timeout) {
  error_code ec;
  if (!SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str())) {
    co_return error_code(static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category());
  }
  stream.set_verify_callback(asio::ssl::host_name_verification(url.host));
  beast::get_lowest_layer(stream).expires_after(timeout);
  co_await stream.async_handshake(asio::ssl::stream_base::client, Redirect(ec));
  co_return ec;
}

/// An end of stream from the peer, however the layers report it.
inline bool IsPeerClose(const error_code& ec) {
  return ec == asio::error::eof || ec == beast::http::error::end_of_stream ||
         ec == beast::http::error::partial_message || ec == asio::ssl::error::stream_truncated ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe;
}

/// Runs `coroutine` (an awaitable<void>) on a fresh io_context on this thread until it
/// completes or `canceller` fires. Returns false when cancelled. An exception escaping
/// the coroutine is reported in `*error`.
template <class Awaitable>
bool RunConnection(StreamCanceller* canceller, Awaitable coroutine, std::string* error) {
  asio::io_context ioc;
  if (canceller != nullptr && !canceller->Attach(&ioc)) return false;
  asio::co_spawn(ioc, std::move(coroutine), [error](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      *error = ex.what();
    }
  });
  ioc.run();
  if (canceller == nullptr) return true;
  canceller->Detach();
  return !canceller->cancelled();
}

}  // namespace hashlake::source::net
