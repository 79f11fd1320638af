#include "hashlake/source/payload_decoder.h"

#include <gtest/gtest.h>

#include "hashlake/source/test_util_internal.h"

namespace hashlake::source {
namespace {

using testing::Posts;
using testing::Rejects;

class PayloadDecoderTest : public ::testing::Test {
 protected:
  std::vector<Record> Decode(std::string_view payload) {
    std::vector<Record> out;
    decoder_.Decode(payload, &out);
    return out;
  }
  std::string OnlyReason(std::string_view payload) {
    const auto rejects = Rejects(Decode(payload));
    EXPECT_EQ(rejects.size(), 1u);
    if (rejects.empty()) return {};
    EXPECT_EQ(rejects[0].at, clock_.Now());
    EXPECT_EQ(rejects[0].source, SourceKind::kReplay);
    return rejects[0].reason;
  }

  ManualClock clock_{FromMicros(1'700'000'000'000'000)};
  PayloadDecoder decoder_{&clock_};
};

TEST_F(PayloadDecoderTest, BadInputBecomesPreciseRejections) {
  EXPECT_TRUE(OnlyReason("{\"a\":").starts_with("invalid JSON: "));
  EXPECT_EQ(OnlyReason("{\"text\":\"caf\xC3\x28\"}"), "invalid UTF-8 at byte 12");
  EXPECT_EQ(OnlyReason("{\"foo\":1,\"bar\":2}"), "unrecognized payload: keys foo,bar");
  EXPECT_EQ(OnlyReason("42"), "unrecognized payload: (a number)");
  EXPECT_EQ(OnlyReason("{\"id\":\"1\",\"text\":\"hi\"}"), "missing created_at: keys id,text");
  EXPECT_EQ(decoder_.counts().rejected, 5u);
}

TEST_F(PayloadDecoderTest, BlankLinesAndKeepAlivesAreSkippedQuietly) {
  EXPECT_TRUE(Decode("").empty());
  EXPECT_TRUE(Decode("\r").empty());
  EXPECT_TRUE(Decode("  \t").empty());
  EXPECT_TRUE(Decode(":thump").empty());
  EXPECT_EQ(decoder_.counts().blank, 4u);
  EXPECT_EQ(decoder_.counts().rejected, 0u);
}

TEST_F(PayloadDecoderTest, XV1SearchResponseWithRetweetAndGeo) {
  const auto posts = Posts(Decode(R"({"statuses":[{"created_at":"Tue Feb 09 22:48:55 +0000 2021",
    "id":1,"id_str":"1359273099355713538","text":"RT @a: #Tag1 &amp; more","lang":"en",
    "user":{"id_str":"7","screen_name":"bob","location":"Lyon, France"},"retweet_count":3,
    "favorite_count":5,
    "entities":{"hashtags":[{"text":"Tag1"}],"user_mentions":[{"screen_name":"a"}],"urls":[]},
    "retweeted_status":{"id_str":"99"},
    "coordinates":{"type":"Point","coordinates":[2.35,48.85]},
    "place":{"country_code":"FR","full_name":"Paris, France"}}],"search_metadata":{}})"));
  ASSERT_EQ(posts.size(), 1u);
  const Post& p = posts[0];
  EXPECT_EQ(p.id, "1359273099355713538");
  EXPECT_EQ(p.text, "RT @a: #Tag1 & more");
  EXPECT_EQ(p.hashtags, std::vector<std::string>{"tag1"});
  EXPECT_EQ(p.mentions, std::vector<std::string>{"a"});
  EXPECT_EQ(p.repost_of, "99");
  EXPECT_EQ(p.like_count, 5);
  EXPECT_EQ(p.repost_count, 3);
  EXPECT_DOUBLE_EQ(*p.lat, 48.85);
  EXPECT_DOUBLE_EQ(*p.lon, 2.35);
  EXPECT_EQ(p.country_code, "FR");
  EXPECT_EQ(p.author_location, "Lyon, France");
  EXPECT_EQ(p.ingested_at, clock_.Now());
}

TEST_F(PayloadDecoderTest, XV2StreamMessageJoinsIncludes) {
  const auto posts = Posts(Decode(R"({"data":{"id":"1377650090978992134","text":"hi #Ünï",
    "created_at":"2021-04-01T15:52:31.000Z","author_id":"5","lang":"de",
    "geo":{"place_id":"p1"},"referenced_tweets":[{"type":"replied_to","id":"8"}],
    "public_metrics":{"like_count":2,"retweet_count":1},
    "entities":{"hashtags":[{"start":3,"end":7,"tag":"Ünï"}]}},
    "includes":{"users":[{"id":"4","username":"amy","location":"Oslo"},
                         {"id":"5","username":"eve","location":"Köln 🇩🇪"}],
      "places":[{"id":"p1","country_code":"DE","full_name":"Berlin, Germany",
                 "geo":{"bbox":[13.0,52.0,14.0,53.0]}}]},
    "matching_rules":[{"id":1,"tag":"x"}]})"));
  ASSERT_EQ(posts.size(), 1u);
  const Post& p = posts[0];
  EXPECT_EQ(p.author_handle, "eve");
  EXPECT_EQ(p.author_location, "Köln 🇩🇪");  // the author's, not another user's
  EXPECT_EQ(p.reply_to, "8");
  EXPECT_EQ(p.hashtags, std::vector<std::string>{"ünï"});
  EXPECT_EQ(p.country_code, "DE");
  EXPECT_EQ(p.geo_source, GeoSource::kPlace);
  EXPECT_DOUBLE_EQ(*p.lat, 52.5);
  EXPECT_DOUBLE_EQ(*p.lon, 13.5);
}

TEST_F(PayloadDecoderTest, XV2ErrorMessagesAreSkipped) {
  EXPECT_TRUE(Decode(R"({"errors":[{"title":"operational-disconnect"}]})").empty());
  EXPECT_EQ(decoder_.counts().skipped, 1u);
}

TEST_F(PayloadDecoderTest, XV2ItemWithoutCreatedAtOrSnowflakeIsRejected) {
  EXPECT_EQ(OnlyReason(R"({"data":[{"id":"12","text":"old"}]})").substr(0, 20),
            "missing created_at i");
}

TEST_F(PayloadDecoderTest, JetstreamPostAndNonPosts) {
  const auto posts = Posts(Decode(R"({"did":"did:plc:x","time_us":1,"kind":"commit",
    "commit":{"rev":"r","operation":"create","collection":"app.bsky.feed.post","rkey":"k1",
    "record":{"$type":"app.bsky.feed.post","createdAt":"2026-07-04T14:38:07.323Z",
      "text":"hey @al.bsky.social #Go","langs":["en"],
      "reply":{"parent":{"uri":"at://did:plc:y/app.bsky.feed.post/p"}},
      "facets":[{"index":{"byteStart":4,"byteEnd":19},
                 "features":[{"$type":"app.bsky.richtext.facet#mention","did":"did:plc:al"}]},
                {"index":{"byteStart":20,"byteEnd":23},
                 "features":[{"$type":"app.bsky.richtext.facet#tag","tag":"Go"}]}]}}})"));
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].id, "at://did:plc:x/app.bsky.feed.post/k1");
  EXPECT_EQ(posts[0].mentions, std::vector<std::string>{"al.bsky.social"});
  EXPECT_EQ(posts[0].hashtags, std::vector<std::string>{"go"});
  EXPECT_EQ(posts[0].reply_to, "at://did:plc:y/app.bsky.feed.post/p");
  EXPECT_TRUE(Decode(R"({"did":"d","time_us":1,"kind":"identity","identity":{}})").empty());
  EXPECT_TRUE(Decode(R"({"did":"d","time_us":1,"kind":"commit","commit":{"operation":"delete",
    "collection":"app.bsky.feed.post","rkey":"k"}})").empty());
  EXPECT_EQ(decoder_.counts().skipped, 2u);
}

TEST_F(PayloadDecoderTest, MastodonReblogTakesOriginalContent) {
  const auto posts = Posts(Decode(R"([{"id":"2","created_at":"2022-08-30T23:05:46.839Z",
    "account":{"id":"9","acct":"me@host.social"},"content":"","language":null,
    "reblog":{"id":"1","created_at":"2022-08-30T20:00:00Z","account":{"id":"3","acct":"o"},
      "content":"<p>A &amp; B <a href=\"https://x/tags/Cats\">#<span>Cats</span></a></p>",
      "language":"en","tags":[{"name":"Cats"}],"mentions":[]}}])"));
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].repost_of, "1");
  EXPECT_EQ(posts[0].text, "A & B #Cats");
  EXPECT_EQ(posts[0].hashtags, std::vector<std::string>{"cats"});
  EXPECT_EQ(posts[0].lang, "en");
  EXPECT_EQ(posts[0].author_handle, "me@host.social");
}

TEST_F(PayloadDecoderTest, SseFraming) {
  std::vector<Record> out;
  for (std::string_view line :
       {"event: delete", "data: 108914398911648589", "", "event: update",
        R"(data: {"id":"5","created_at":"2022-08-30T23:05:46Z","account":{"id":"1","acct":"a"},"content":"<p>x</p>"})",
        ""}) {
    decoder_.Decode(line, &out);
  }
  ASSERT_EQ(Posts(out).size(), 1u);
  EXPECT_EQ(Posts(out)[0].id, "5");
  EXPECT_EQ(decoder_.counts().skipped, 1u);
  EXPECT_EQ(decoder_.counts().rejected, 0u);
}

TEST_F(PayloadDecoderTest, OwnPostJsonRoundTrips) {
  Post post;
  post.id = "p1";
  post.source = SourceKind::kSynth;
  post.created_at = FromMicros(1'000'000);
  post.text = "hello #x";
  post.hashtags = {"x"};
  const auto posts = Posts(Decode(ToJson(post)));
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].id, "p1");
  EXPECT_EQ(posts[0].hashtags, post.hashtags);
  EXPECT_EQ(posts[0].ingested_at, clock_.Now());
}

}  // namespace
}  // namespace hashlake::source
