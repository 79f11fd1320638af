#pragma once

// Internal to the serve module: maps one HTTP request to its response, apart from the
// sockets, so that routing and validation are testable without a network.

#include <utility>  // Boost 1.74's asio headers use std::exchange without including it.

#include <atomic>
#include <cstdint>
#include <span>
#include <variant>

#include <boost/beast/http.hpp>

#include "hashlake/serve/dashboard_data.h"
#include "hashlake/serve/embedded_asset.h"
#include "hashlake/serve/query.h"

namespace hashlake::serve {

namespace http = boost::beast::http;

using Request = http::request<http::string_body>;
using StringResponse = http::response<http::string_body>;
/// A static file, served from the embedded table without copying.
using AssetResponse = http::response<http::span_body<const char>>;
/// The request asks for an event stream with this query.
struct StreamStart {
  TopQuery query;
};
using Routed = std::variant<StringResponse, AssetResponse, StreamStart>;

/// Thread-safe: Handle() is const and only reads `data` through its thread-safe interface.
class Router {
 public:
  Router(const DashboardData& data, std::span<const EmbeddedAsset> assets,
         const std::atomic<int64_t>& stream_clients)
      : data_(data), assets_(assets), stream_clients_(stream_clients) {}

  Routed Handle(const Request& request) const;

  /// A JSON response with `body`; error responses carry ErrorJson().
  static StringResponse Json(const Request& request, http::status status, std::string body);
  /// A response that must not be cached, of any content type.
  static StringResponse Uncached(const Request& request, http::status status,
                                 std::string_view content_type, std::string body);

 private:
  const DashboardData& data_;
  std::span<const EmbeddedAsset> assets_;
  const std::atomic<int64_t>& stream_clients_;
};

}  // namespace hashlake::serve
