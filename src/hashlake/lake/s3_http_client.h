#pragma once

#include <arrow/result.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hashlake::lake {

/// One HTTP request. `body` is borrowed for the duration of Send.
struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string_view body;
  std::chrono::milliseconds connect_timeout{5000};
  /// Whole-request limit (connect, send, receive).
  std::chrono::milliseconds timeout{60000};
};

/// A complete HTTP response; header names are lowercased.
struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  /// The value of header `name` (lowercase), or "" when absent.
  std::string Header(std::string_view name) const;
};

/// A blocking HTTP/1.1 client on libcurl that keeps connections alive between requests.
/// Thread-safe: each Send borrows an idle curl handle (with its open connection) from a pool.
/// Transport failures (refused, reset, timed out) are IOError statuses naming the URL;
/// any HTTP status, including 4xx and 5xx, is a successful Send.
class HttpClient {
 public:
  static std::shared_ptr<HttpClient> Make();
  virtual ~HttpClient() = default;
  virtual arrow::Result<HttpResponse> Send(const HttpRequest& request) = 0;
};

}  // namespace hashlake::lake
