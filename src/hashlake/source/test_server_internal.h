#pragma once

// A scripted HTTP/1.1 server on 127.0.0.1 for this folder's tests: each connection reads
// one request and answers with the bytes the script returns, then optionally holds the
// connection open (a stall) before closing it.

// clang-format off
#include <utility>  // before Boost 1.74, whose awaitable.hpp uses std::exchange
// clang-format on

#include <atomic>
#include <boost/asio.hpp>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace hashlake::source::testing {

struct ScriptedReply {
  std::string bytes;                  ///< Written as is (status line, headers, body).
  std::chrono::milliseconds hold{0};  ///< Keep the connection open this long afterwards.
};

class ScriptedHttpServer {
 public:
  /// `script(i, request)` answers the i-th connection (0-based); `request` is the head
  /// plus a Content-Length body.
  using Script = std::function<ScriptedReply(int, const std::string&)>;

  explicit ScriptedHttpServer(Script script)
      : script_(std::move(script)),
        acceptor_(ioc_,
                  boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)) {
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { Serve(); });
  }
  ~ScriptedHttpServer() {
    stop_ = true;
    boost::system::error_code ec;
    boost::asio::io_context wake;
    boost::asio::ip::tcp::socket s(wake);
    s.connect({boost::asio::ip::make_address("127.0.0.1"), port_}, ec);
    thread_.join();
  }
  uint16_t port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<std::string> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  void Serve() {
    for (int i = 0; !stop_; ++i) {
      boost::asio::ip::tcp::socket socket(ioc_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec || stop_) return;
      std::string request;
      char buf[4096];
      std::size_t want = std::string::npos;
      while (want == std::string::npos || request.size() < want) {
        const std::size_t n = socket.read_some(boost::asio::buffer(buf), ec);
        if (ec) break;
        request.append(buf, n);
        const auto head_end = request.find("\r\n\r\n");
        if (want == std::string::npos && head_end != std::string::npos) {
          std::size_t length = 0;
          const auto cl = request.find("Content-Length: ");
          if (cl != std::string::npos && cl < head_end)
            length = std::stoul(request.substr(cl + 16));
          want = head_end + 4 + length;
        }
      }
      {
        std::lock_guard lock(mu_);
        requests_.push_back(request);
      }
      ScriptedReply reply = script_(i, request);
      boost::asio::write(socket, boost::asio::buffer(reply.bytes), ec);
      const auto until = std::chrono::steady_clock::now() + reply.hold;
      while (!stop_ && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      socket.close(ec);
    }
  }

  Script script_;
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  mutable std::mutex mu_;
  std::vector<std::string> requests_;
};

/// A complete response with a Content-Length body.
inline std::string Response(int status, const std::string& body,
                            const std::string& content_type = "application/json") {
  return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: " + content_type +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
         body;
}

/// The head of a chunked 200 response; follow it with Chunk()s and "0\r\n\r\n".
inline std::string ChunkedHead(const std::string& content_type = "application/json") {
  return "HTTP/1.1 200 OK\r\nContent-Type: " + content_type +
         "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
}

inline std::string Chunk(const std::string& data) {
  char size[32];
  std::snprintf(size, sizeof(size), "%zx\r\n", data.size());
  return size + data + "\r\n";
}

}  // namespace hashlake::source::testing
