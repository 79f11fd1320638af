#include "hashlake/serve/server.h"

// GCC 12 flags Asio 1.74's recycling allocator for coroutine frames (operator new paired
// with a sized class operator delete) as mismatched: a known false positive.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include <utility>  // Boost 1.74's asio headers use std::exchange without including it.

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "hashlake/core/logging.h"
#include "hashlake/serve/json.h"
#include "hashlake/serve/router.h"

namespace hashlake::serve {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr size_t kMaxRequestBytes = 16 * 1024;  // GETs only: headers and a tiny body

// Decrements the open-stream count however the stream coroutine ends (error, client
// gone, or its frame destroyed by Stop()).
class StreamSlot {
 public:
  explicit StreamSlot(std::atomic<int64_t>& count) : count_(count) {
    count_.fetch_add(1, std::memory_order_relaxed);
  }
  ~StreamSlot() { count_.fetch_sub(1, std::memory_order_relaxed); }
  StreamSlot(const StreamSlot&) = delete;
  StreamSlot& operator=(const StreamSlot&) = delete;

 private:
  std::atomic<int64_t>& count_;
};

}  // namespace

class Server::Impl {
 public:
  Impl(ServerOptions options, const DashboardData& data)
      : options_(std::move(options)),
        data_(data),
        io_(std::make_unique<asio::io_context>(options_.threads)),
        acceptor_(std::make_unique<tcp::acceptor>(*io_)),
        router_(data_, options_.assets, stream_clients_) {}
  ~Impl() { Stop(); }

  arrow::Status Listen() {
    error_code ec;
    asio::ip::address address = asio::ip::make_address(options_.bind_address, ec);
    if (ec) {
      return arrow::Status::Invalid("bind address '", options_.bind_address,
                                    "' is not an IP address: ", ec.message());
    }
    tcp::endpoint endpoint(address, options_.port);
    acceptor_->open(endpoint.protocol(), ec);
    if (!ec) acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_->bind(endpoint, ec);
    if (!ec) acceptor_->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return arrow::Status::IOError("cannot listen on ", options_.bind_address, ":",
                                    options_.port, ": ", ec.message());
    }
    port_ = acceptor_->local_endpoint().port();
    return arrow::Status::OK();
  }

  arrow::Status Start() {
    if (io_ == nullptr) return arrow::Status::Invalid("server already stopped");
    if (started_) return arrow::Status::Invalid("server already started");
    started_ = true;
    asio::co_spawn(acceptor_->get_executor(), Accept(), asio::detached);
    threads_.reserve(static_cast<size_t>(options_.threads));
    for (int i = 0; i < options_.threads; ++i) {
      threads_.emplace_back([this] { io_->run(); });
    }
    return arrow::Status::OK();
  }

  void Stop() {
    if (io_ == nullptr) return;
    // Stopping the context abandons every pending operation at once: live streams never
    // finish by themselves, so waiting for them to drain would never return.
    io_->stop();
    for (std::thread& thread : threads_) thread.join();
    threads_.clear();
    acceptor_.reset();
    // Destroying the context destroys the suspended coroutines and so closes their sockets.
    io_.reset();
  }

  uint16_t port() const { return port_; }
  int64_t stream_clients() const { return stream_clients_.load(std::memory_order_relaxed); }

 private:
  asio::awaitable<void> Accept() {
    for (;;) {
      error_code ec;
      tcp::socket socket = co_await acceptor_->async_accept(
          asio::make_strand(*io_), asio::redirect_error(asio::use_awaitable, ec));
      if (ec == asio::error::operation_aborted) co_return;
      if (ec) {
        // Out of file descriptors and the like: back off instead of spinning.
        Logger("serve")->warn("accept failed: {}", ec.message());
        asio::steady_timer timer(acceptor_->get_executor(), std::chrono::milliseconds(100));
        co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        continue;
      }
      auto executor = socket.get_executor();
      asio::co_spawn(executor, Session(beast::tcp_stream(std::move(socket))), asio::detached);
    }
  }

  // One connection: requests in turn (keep-alive) until it closes or turns into a stream.
  asio::awaitable<void> Session(beast::tcp_stream stream) {
    beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.header_limit(kMaxRequestBytes);
      parser.body_limit(kMaxRequestBytes);
      error_code ec;
      stream.expires_after(options_.io_timeout);
      co_await http::async_read(stream, buffer, parser,
                                asio::redirect_error(asio::use_awaitable, ec));
      if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
          ec == asio::error::operation_aborted) {
        break;
      }
      if (ec) {
        // A malformed request: answer 400 once, then drop the connection.
        Request bad;
        bad.version(11);
        bad.keep_alive(false);
        StringResponse response = Router::Json(
            bad, http::status::bad_request, ErrorJson("malformed HTTP request: " + ec.message()));
        co_await http::async_write(stream, response,
                                   asio::redirect_error(asio::use_awaitable, ec));
        break;
      }
      Request request = parser.release();
      Routed routed = router_.Handle(request);
      bool keep_alive = false;
      if (auto* response = std::get_if<StringResponse>(&routed)) {
        keep_alive = response->keep_alive();
        co_await http::async_write(stream, *response,
                                   asio::redirect_error(asio::use_awaitable, ec));
      } else if (auto* asset = std::get_if<AssetResponse>(&routed)) {
        keep_alive = asset->keep_alive();
        co_await http::async_write(stream, *asset, asio::redirect_error(asio::use_awaitable, ec));
      } else {
        co_await EventStream(stream, request, std::get<StreamStart>(routed).query);
        break;
      }
      if (ec || !keep_alive) break;
    }
    error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  // Writes `text`; false once the client is gone or stalls for longer than io_timeout.
  asio::awaitable<bool> WriteAll(beast::tcp_stream& stream, const std::string& text) {
    error_code ec;
    stream.expires_after(options_.io_timeout);
    co_await asio::async_write(stream, asio::buffer(text),
                               asio::redirect_error(asio::use_awaitable, ec));
    co_return !ec;
  }

  std::string StreamEvents(const TopQuery& query) const {
    std::string out;
    arrow::Result<TopHashtags> top = data_.Top(query.window, query.k);
    if (top.ok()) {
      out.append("event: top\ndata: ").append(TopHashtagsJson(*top)).append("\n\n");
    } else {
      out.append("event: failure\ndata: ")
          .append(ErrorJson("top hashtags are unavailable: " + top.status().message()))
          .append("\n\n");
    }
    out.append("event: health\ndata: ")
        .append(HealthJson(data_.HealthInfo(), stream_clients()))
        .append("\n\n");
    return out;
  }

  asio::awaitable<void> EventStream(beast::tcp_stream& stream, const Request& request,
                                    TopQuery query) {
    if (stream_clients() >= options_.max_stream_clients) {
      StringResponse response = Router::Json(
          request, http::status::service_unavailable,
          ErrorJson(fmt::format("too many live streams (at most {})", options_.max_stream_clients)));
      response.keep_alive(false);
      error_code ec;
      co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, ec));
      co_return;
    }
    StreamSlot slot(stream_clients_);
    // No Content-Length and no chunking: the body is the rest of the connection.
    std::string head = fmt::format(
        "HTTP/1.1 200 OK\r\nServer: hashlake\r\nContent-Type: text/event-stream\r\n"
        "Cache-Control: no-store\r\nX-Accel-Buffering: no\r\nConnection: close\r\n\r\n"
        "retry: {}\n\n",
        options_.stream_retry.count());
    // Read before the events are made, so that news arriving meanwhile is sent next.
    int64_t sent_version = data_.LiveVersion();
    head.append(StreamEvents(query));
    if (!co_await WriteAll(stream, head)) co_return;

    asio::steady_timer timer(stream.get_executor());
    auto now = std::chrono::steady_clock::now();
    auto next_event = now + options_.stream_interval;
    auto next_keepalive = now + options_.stream_keepalive;
    auto next_check = now + options_.stream_news_check;
    for (;;) {
      timer.expires_at(std::min({next_event, next_keepalive, next_check}));
      error_code ec;
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      now = std::chrono::steady_clock::now();
      std::string out;
      if (now >= next_keepalive) {
        out.append(": keep-alive\n\n");
        next_keepalive = now + options_.stream_keepalive;
      }
      // News goes out as soon as it is seen; otherwise events keep a steady cadence.
      bool news = false;
      if (now >= next_check) {
        news = data_.LiveVersion() != sent_version;
        next_check = now + options_.stream_news_check;
      }
      if (news || now >= next_event) {
        sent_version = data_.LiveVersion();
        out.append(StreamEvents(query));
        next_event = now + options_.stream_interval;
      }
      if (!out.empty() && !co_await WriteAll(stream, out)) co_return;
    }
  }

  ServerOptions options_;
  const DashboardData& data_;
  std::unique_ptr<asio::io_context> io_;
  std::unique_ptr<tcp::acceptor> acceptor_;
  std::atomic<int64_t> stream_clients_{0};
  Router router_;
  std::vector<std::thread> threads_;
  uint16_t port_ = 0;
  bool started_ = false;
};

arrow::Result<std::unique_ptr<Server>> Server::Make(ServerOptions options,
                                                    const DashboardData& data) {
  if (options.threads < 1) {
    return arrow::Status::Invalid("server threads must be >= 1, got ", options.threads);
  }
  if (options.stream_interval <= std::chrono::milliseconds::zero() ||
      options.stream_news_check <= std::chrono::milliseconds::zero() ||
      options.stream_keepalive <= std::chrono::milliseconds::zero() ||
      options.io_timeout <= std::chrono::milliseconds::zero()) {
    return arrow::Status::Invalid("server intervals and timeouts must be positive");
  }
  if (options.assets.empty()) options.assets = EmbeddedAssets();
  auto impl = std::make_unique<Impl>(std::move(options), data);
  ARROW_RETURN_NOT_OK(impl->Listen());
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() { Stop(); }
arrow::Status Server::Start() { return impl_->Start(); }
void Server::Stop() { impl_->Stop(); }
uint16_t Server::port() const { return impl_->port(); }
int64_t Server::stream_clients() const { return impl_->stream_clients(); }

}  // namespace hashlake::serve
