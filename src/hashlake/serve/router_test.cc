#include "hashlake/serve/router.h"

#include <gtest/gtest.h>

#include "hashlake/serve/fake_dashboard_data.h"

namespace hashlake::serve {
namespace {

const unsigned char kIndex[] = "<html>hi</html>";
const unsigned char kScript[] = "console.log(1)";
const EmbeddedAsset kTestAssets[] = {
    {"/index.html", "text/html; charset=utf-8", kIndex, sizeof(kIndex) - 1, "\"idx1\""},
    {"/app.js", "text/javascript; charset=utf-8", kScript, sizeof(kScript) - 1, "\"js1\""},
};

class RouterTest : public ::testing::Test {
 protected:
  Routed Get(std::string target, http::verb verb = http::verb::get,
             const char* if_none_match = nullptr) {
    Request request{verb, target, 11};
    if (if_none_match != nullptr) request.set(http::field::if_none_match, if_none_match);
    return router_.Handle(request);
  }

  FakeDashboardData data_;
  std::atomic<int64_t> streams_{3};
  Router router_{data_, kTestAssets, streams_};
};

TEST_F(RouterTest, ServesIndexAtRoot) {
  Routed routed = Get("/");
  auto* asset = std::get_if<AssetResponse>(&routed);
  ASSERT_NE(asset, nullptr);
  EXPECT_EQ(asset->result(), http::status::ok);
  EXPECT_EQ((*asset)[http::field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ((*asset)[http::field::etag], "\"idx1\"");
  EXPECT_EQ(std::string(asset->body().data(), asset->body().size()), "<html>hi</html>");
}

TEST_F(RouterTest, NotModifiedWhenEtagMatches) {
  for (const char* header : {"\"idx1\"", "\"other\", \"idx1\"", "W/\"idx1\"", "*"}) {
    Routed routed = Get("/index.html", http::verb::get, header);
    auto* asset = std::get_if<AssetResponse>(&routed);
    ASSERT_NE(asset, nullptr);
    EXPECT_EQ(asset->result(), http::status::not_modified) << header;
    EXPECT_EQ(asset->body().size(), 0u);
  }
  Routed routed = Get("/index.html", http::verb::get, "\"stale\"");
  EXPECT_EQ(std::get<AssetResponse>(routed).result(), http::status::ok);
}

TEST_F(RouterTest, UnknownPathsAre404) {
  for (const char* target : {"/nope.html", "/api/nope", "/api", "/index.html/x"}) {
    Routed routed = Get(target);
    auto* response = std::get_if<StringResponse>(&routed);
    ASSERT_NE(response, nullptr) << target;
    EXPECT_EQ(response->result(), http::status::not_found) << target;
    EXPECT_EQ((*response)[http::field::content_type], "application/json");
  }
}

TEST_F(RouterTest, NonGetIs405) {
  for (http::verb verb : {http::verb::post, http::verb::put, http::verb::delete_,
                          http::verb::head}) {
    Routed routed = Get("/api/health", verb);
    auto& response = std::get<StringResponse>(routed);
    EXPECT_EQ(response.result(), http::status::method_not_allowed);
    EXPECT_EQ(response[http::field::allow], "GET");
  }
}

TEST_F(RouterTest, StreamQueryIsValidated) {
  Routed ok = Get("/api/stream?window=10s&k=3");
  auto* start = std::get_if<StreamStart>(&ok);
  ASSERT_NE(start, nullptr);
  EXPECT_EQ(start->query.window, std::chrono::seconds(10));
  EXPECT_EQ(start->query.k, 3);
  Routed bad = Get("/api/stream?k=0");
  auto& response = std::get<StringResponse>(bad);
  EXPECT_EQ(response.result(), http::status::bad_request);
  EXPECT_EQ(response.body(), "{\"error\":\"k must be an integer in 1..100, got '0'\"}");
}

TEST_F(RouterTest, HealthReportsStreamClients) {
  StringResponse response = std::get<StringResponse>(Get("/api/health"));
  EXPECT_EQ(response.result(), http::status::ok);
  EXPECT_NE(response.body().find("\"sse_clients\":3"), std::string::npos) << response.body();
}

TEST_F(RouterTest, DataFailureIs503) {
  data_.set_failing(true);
  StringResponse response = std::get<StringResponse>(Get("/api/top-hashtags"));
  EXPECT_EQ(response.result(), http::status::service_unavailable);
  EXPECT_NE(response.body().find("fake data set to fail"), std::string::npos);
}

TEST_F(RouterTest, RelativeTargetIs400) {
  StringResponse response = std::get<StringResponse>(Get("index.html"));
  EXPECT_EQ(response.result(), http::status::bad_request);
}

// Metrics come from the data seam: a fake with none answers 404, one with some 200.
class MetricsData final : public FakeDashboardData {
 public:
  std::string PrometheusMetrics() const override { return "hashlake_stream_batches_total 3\n"; }
};

TEST_F(RouterTest, MetricsInTheTextExpositionFormat) {
  EXPECT_EQ(std::get<StringResponse>(Get("/metrics")).result(), http::status::not_found);
  MetricsData data;
  Router router(data, kTestAssets, streams_);
  const StringResponse response = std::get<StringResponse>(router.Handle({http::verb::get, "/metrics", 11}));
  EXPECT_EQ(response.result(), http::status::ok);
  EXPECT_EQ(response[http::field::content_type], "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(response.body(), "hashlake_stream_batches_total 3\n");
}

}  // namespace
}  // namespace hashlake::serve
