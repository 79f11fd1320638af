#include "hashlake/serve/json.h"

#include "hashlake/core/json_writer.h"

#include <gtest/gtest.h>

namespace hashlake::serve {
namespace {

using namespace std::chrono_literals;

std::string Quoted(std::string_view text) {
  std::string out;
  AppendJsonString(&out, text);  // core/json_writer.h, as the encoders here use it
  return out;
}

TEST(JsonTest, EscapesStrings) {
  EXPECT_EQ(Quoted("plain"), "\"plain\"");
  EXPECT_EQ(Quoted("a\"b\\c\n\t\x01"), "\"a\\\"b\\\\c\\n\\t\\u0001\"");
  EXPECT_EQ(Quoted("café 日本 🎉"), "\"café 日本 🎉\"");
}

TEST(JsonTest, ReplacesInvalidUtf8) {
  EXPECT_EQ(Quoted("a\xff" "b"), "\"a\xEF\xBF\xBD" "b\"");
  EXPECT_EQ(Quoted("\xC3"), "\"\xEF\xBF\xBD\"");            // truncated sequence
  EXPECT_EQ(Quoted("\xED\xA0\x80"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");  // surrogate
}

TEST(JsonTest, FormatsUtcMillis) {
  Timestamp t = FromMicros(1714566896789012);  // 2024-05-01T12:34:56.789012Z
  EXPECT_EQ(FormatUtcMillis(t), "2024-05-01T12:34:56.789Z");
  EXPECT_EQ(FormatUtcMillis(FromMicros(0)), "1970-01-01T00:00:00.000Z");
}

TEST(JsonTest, TopHashtags) {
  TopHashtags top;
  top.window_end = FromMicros(1714566900000000);
  top.window_start = top.window_end - std::chrono::minutes(1);
  top.posts = 42;
  top.top = {{"ai", 7}, {"say \"hi\"", 3}};
  EXPECT_EQ(TopHashtagsJson(top),
            "{\"window_start\":\"2024-05-01T12:34:00.000Z\",\"window_end\":"
            "\"2024-05-01T12:35:00.000Z\",\"window_seconds\":60,\"posts\":42,\"top\":["
            "{\"hashtag\":\"ai\",\"count\":7},{\"hashtag\":\"say \\\"hi\\\"\",\"count\":3}]}");
}

TEST(JsonTest, Health) {
  Health health;
  health.status = "degraded";
  health.uptime = 1500ms;
  health.posts_ingested = 10;
  health.posts_rejected = 2;
  health.lag = 120ms;
  health.table_versions = {{"posts", 4}, {"hashtag_counts", 3}};
  EXPECT_EQ(HealthJson(health, 5),
            "{\"status\":\"degraded\",\"uptime_seconds\":1.5,\"posts_ingested\":10,"
            "\"posts_rejected\":2,\"lag_ms\":120,\"tables\":{\"hashtag_counts\":3,\"posts\":4},"
            "\"server\":{\"sse_clients\":5}}");
}

TEST(JsonTest, Error) { EXPECT_EQ(ErrorJson("bad \"k\""), "{\"error\":\"bad \\\"k\\\"\"}"); }

}  // namespace
}  // namespace hashlake::serve
