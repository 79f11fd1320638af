#include "hashlake/serve/router.h"

#include <string>
#include <string_view>

#include "hashlake/serve/json.h"

namespace hashlake::serve {
namespace {

constexpr const char* kServerName = "hashlake";

void CommonHeaders(http::fields& fields) {
  fields.set(http::field::server, kServerName);
  fields.set("X-Content-Type-Options", "nosniff");
}

// True when an If-None-Match header lists `etag` (or is "*").
bool EtagMatches(const Request& request, std::string_view etag) {
  auto it = request.find(http::field::if_none_match);
  if (it == request.end()) return false;
  std::string_view header(it->value().data(), it->value().size());
  if (header == "*") return true;
  while (!header.empty()) {
    size_t comma = header.find(',');
    std::string_view candidate = header.substr(0, comma);
    while (!candidate.empty() && candidate.front() == ' ') candidate.remove_prefix(1);
    while (!candidate.empty() && candidate.back() == ' ') candidate.remove_suffix(1);
    if (candidate.substr(0, 2) == "W/") candidate.remove_prefix(2);
    if (candidate == etag) return true;
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
  }
  return false;
}

}  // namespace

StringResponse Router::Json(const Request& request, http::status status, std::string body) {
  return Uncached(request, status, "application/json", std::move(body));
}

StringResponse Router::Uncached(const Request& request, http::status status,
                                std::string_view content_type, std::string body) {
  StringResponse response{status, request.version()};
  CommonHeaders(response.base());
  response.set(http::field::content_type,
               boost::beast::string_view(content_type.data(), content_type.size()));
  response.set(http::field::cache_control, "no-store");
  response.keep_alive(request.keep_alive());
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

Routed Router::Handle(const Request& request) const {
  if (request.method() != http::verb::get) {
    StringResponse response =
        Json(request, http::status::method_not_allowed,
             ErrorJson("method " +
                       std::string(request.method_string().data(), request.method_string().size()) +
                       " is not allowed: this server only answers GET"));
    response.set(http::field::allow, "GET");
    return response;
  }
  std::string_view target(request.target().data(), request.target().size());
  if (target.empty() || target.front() != '/') {
    return Json(request, http::status::bad_request,
                ErrorJson("request target must be an absolute path"));
  }
  size_t question = target.find('?');
  std::string_view path = target.substr(0, question);
  std::string_view query =
      question == std::string_view::npos ? std::string_view{} : target.substr(question + 1);

  if (path == "/api/health") {
    return Json(request, http::status::ok,
                HealthJson(data_.HealthInfo(), stream_clients_.load(std::memory_order_relaxed)));
  }
  if (path == "/api/top-hashtags" || path == "/api/stream") {
    arrow::Result<TopQuery> parsed = ParseTopQuery(query);
    if (!parsed.ok()) {
      return Json(request, http::status::bad_request, ErrorJson(parsed.status().message()));
    }
    if (path == "/api/stream") return StreamStart{*parsed};
    arrow::Result<TopHashtags> top = data_.Top(parsed->window, parsed->k);
    if (!top.ok()) {
      return Json(request, http::status::service_unavailable,
                  ErrorJson("top hashtags are unavailable: " + top.status().message()));
    }
    return Json(request, http::status::ok, TopHashtagsJson(*top));
  }
  if (path == "/metrics") {
    std::string metrics = data_.PrometheusMetrics();
    if (metrics.empty()) {
      return Json(request, http::status::not_found,
                  ErrorJson("this server has no stream job, so no metrics"));
    }
    return Uncached(request, http::status::ok, "text/plain; version=0.0.4; charset=utf-8",
                    std::move(metrics));
  }
  if (path.substr(0, 5) == "/api/" || path == "/api") {
    return Json(request, http::status::not_found,
                ErrorJson("no such endpoint '" + std::string(path) +
                          "' (endpoints: /api/health, /api/top-hashtags, /api/stream)"));
  }

  const EmbeddedAsset* asset = FindAsset(assets_, path);
  if (asset == nullptr) {
    return Json(request, http::status::not_found,
                ErrorJson("no such file '" + std::string(path) + "'"));
  }
  AssetResponse response{http::status::ok, request.version()};
  CommonHeaders(response.base());
  response.set(http::field::content_type, asset->content_type);
  response.set(http::field::etag, asset->etag);
  // File names carry no content hash, so the browser revalidates every time (cheap: 304).
  response.set(http::field::cache_control, "no-cache");
  response.keep_alive(request.keep_alive());
  if (EtagMatches(request, asset->etag)) {
    response.result(http::status::not_modified);
  } else {
    response.body() = {reinterpret_cast<const char*>(asset->data), asset->size};
  }
  response.prepare_payload();
  return response;
}

}  // namespace hashlake::serve
