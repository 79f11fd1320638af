#include "hashlake/core/post.h"

#include <gtest/gtest.h>

#include "hashlake/core/test_util.h"

namespace hashlake {
namespace {

Post FullPost() {
  Post p;
  p.id = "1790000000000000001";
  p.source = SourceKind::kX;
  p.created_at = FromMicros(1'714'566'896'123'456);
  p.ingested_at = FromMicros(1'714'566'897'000'000);
  p.author_id = "42";
  p.author_handle = "ada";
  p.author_location = "東京, \"Japan\"";
  p.lang = "en";
  p.text = "Hello \"world\" \n\t #DataEng @bob https://x.co/1 — 東京 \x01";
  p.hashtags = {"dataeng"};
  p.mentions = {"bob"};
  p.urls = {"https://x.co/1"};
  p.reply_to = "7";
  p.repost_of = "8";
  p.country_code = "JP";
  p.region = "13";
  p.place_name = "Tokyo";
  p.lat = 35.6895;
  p.lon = 139.6917;
  p.geo_source = GeoSource::kCoordinates;
  p.like_count = 3;
  p.repost_count = 1;
  return p;
}

TEST(PostTest, JsonRoundTripKeepsEveryField) {
  const Post p = FullPost();
  ASSERT_OK_AND_ASSIGN(auto back, PostFromJson(ToJson(p)));
  EXPECT_EQ(back, p);
}

TEST(PostTest, MinimalPostRoundTrips) {
  Post p;
  p.id = "a";
  p.created_at = FromMicros(5);
  ASSERT_OK_AND_ASSIGN(auto back, PostFromJson(ToJson(p)));
  EXPECT_EQ(back, p);
}

TEST(PostTest, AuthorLocationIsOmittedWhenEmpty) {
  Post p = FullPost();
  EXPECT_NE(ToJson(p).find("\"author_location\":\"東京, \\\"Japan\\\"\""), std::string::npos);
  p.author_location.clear();
  EXPECT_EQ(ToJson(p).find("author_location"), std::string::npos);
  ASSERT_ERROR_CONTAINS(PostFromJson(R"({"id":"1","created_at":1,"author_location":3})"),
                        "'author_location' must be a string");
}

TEST(PostTest, CarriesSchemaVersion) {
  EXPECT_NE(ToJson(FullPost()).find("\"schema_version\":1"), std::string::npos);
}

TEST(PostTest, InvalidUtf8InTextBecomesReplacementCharacter) {
  Post p;
  p.id = "a";
  p.text = "ok\xff\xfe!";
  ASSERT_OK_AND_ASSIGN(auto back, PostFromJson(ToJson(p)));
  EXPECT_EQ(back.text, "ok\xEF\xBF\xBD\xEF\xBF\xBD!");
}

TEST(PostTest, RejectsBadInputWithReason) {
  ASSERT_ERROR_CONTAINS(PostFromJson("{\"id\":\"1\"}"), "missing 'created_at'");
  ASSERT_ERROR_CONTAINS(PostFromJson("{\"created_at\":1}"), "missing 'id'");
  ASSERT_ERROR_CONTAINS(PostFromJson("{\"id\":1,\"created_at\":1}"), "'id' must be a string");
  ASSERT_ERROR_CONTAINS(PostFromJson("[1,2]"), "must be a JSON object");
  ASSERT_ERROR_CONTAINS(PostFromJson("{\"id\":\"1\",\"created_at\":1,\"source\":\"fax\"}"),
                        "unknown source 'fax'");
  ASSERT_ERROR_CONTAINS(PostFromJson("{\"id\":\"1\",\"created_at\":1,\"lat\":1.0}"), "only one");
  ASSERT_ERROR_CONTAINS(PostFromJson("{\"schema_version\":99,\"id\":\"1\",\"created_at\":1}"),
                        "newer");
  EXPECT_FALSE(PostFromJson("{\"id\":\"1\",\"created_at\":").ok());
  EXPECT_FALSE(PostFromJson("").ok());
}

TEST(PostTest, IgnoresUnknownKeys) {
  ASSERT_OK_AND_ASSIGN(auto p,
                       PostFromJson(R"({"id":"1","created_at":7,"future":{"x":[1,2]},"raw":"z"})"));
  EXPECT_EQ(p.id, "1");
  EXPECT_EQ(ToMicros(p.created_at), 7);
}

}  // namespace
}  // namespace hashlake
