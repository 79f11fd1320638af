#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include <arrow/result.h>
#include <arrow/status.h>

#include "hashlake/serve/dashboard_data.h"
#include "hashlake/serve/embedded_asset.h"

namespace hashlake::serve {

/// How the dashboard server listens and streams. Plain HTTP/1.1; put a TLS proxy in
/// front of it to expose it beyond localhost.
struct ServerOptions {
  std::string bind_address = "127.0.0.1";  ///< IPv4 or IPv6 literal
  uint16_t port = 8080;                    ///< 0 picks a free port; see Server::port()
  int threads = 2;                         ///< I/O threads, >= 1
  /// `/api/stream` sends an `event: top` (and an `event: health`) at least this often...
  std::chrono::milliseconds stream_interval{1000};
  /// ...and, when the live data changed (DashboardData::LiveVersion), within this.
  std::chrono::milliseconds stream_news_check{50};
  /// The `retry:` that tells EventSource how long to wait before reconnecting.
  std::chrono::milliseconds stream_retry{2000};
  /// A `: keep-alive` comment goes out this often so proxies keep idle streams open.
  std::chrono::milliseconds stream_keepalive{15000};
  /// More concurrent streams than this get a 503.
  int max_stream_clients = 1024;
  /// An idle keep-alive connection, or a write that makes no progress, is closed after this.
  std::chrono::milliseconds io_timeout{30000};
  /// The static files; the ones compiled into the binary when empty.
  std::span<const EmbeddedAsset> assets;
};

/// The dashboard's HTTP server: JSON API, server-sent events and the embedded web app.
///
///   GET /api/health                         JSON health of the pipeline
///   GET /api/top-hashtags?window=1m&k=10    JSON top hashtags
///   GET /api/stream?window=1m&k=10          text/event-stream: `top` and `health` events
///   GET /, /index.html, /app.js, ...        the dashboard
///
/// Reads `data` from its I/O threads; `data` must outlive the Server. Start() and Stop()
/// are to be called from one owning thread; port() and stream_clients() from any.
class Server {
 public:
  /// Binds and listens (so port() is known), but serves nothing before Start().
  static arrow::Result<std::unique_ptr<Server>> Make(ServerOptions options,
                                                     const DashboardData& data);
  ~Server();  ///< Stops.

  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Starts the I/O threads. Fails when already started or stopped.
  arrow::Status Start();
  /// Closes the listener and every connection, live streams included, and joins the
  /// threads. Returns promptly; idempotent.
  void Stop();

  /// The port it listens on: the chosen one when ServerOptions::port was 0.
  uint16_t port() const;
  /// Event streams open right now.
  int64_t stream_clients() const;

 private:
  class Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace hashlake::serve
