// Replays every payload file of /work/shared/data/tweets (see its README.md) and pins
// counts and a few exact fields per format.

#include <algorithm>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "hashlake/source/replay.h"
#include "hashlake/source/test_util_internal.h"
#include "hashlake/source/twitter_time.h"

namespace hashlake::source {
namespace {

using testing::Drain;
using testing::Posts;
using testing::Rejects;

const std::string kDir = std::string(HASHLAKE_SHARED_DATA) + "/tweets/";

struct Replayed {
  std::vector<Record> records;
  SourceStats stats;
};

Replayed Replay(const std::string& relative) {
  ReplayOptions options;
  options.files = {kDir + relative};
  auto source = ReplaySource::Make(options);
  EXPECT_TRUE(source.ok()) << source.status().ToString();
  if (!source.ok()) return {};
  Replayed r;
  r.records = Drain(source->get(), 500);
  r.stats = (*source)->Stats();
  return r;
}

const Post* FindPost(const std::vector<Post>& posts, const std::string& id) {
  auto it = std::find_if(posts.begin(), posts.end(), [&](const Post& p) { return p.id == id; });
  return it == posts.end() ? nullptr : &*it;
}

class ReplayFixturesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::is_directory(kDir)) {
      GTEST_SKIP() << "shared test data not found at " << kDir;
    }
  }
};

struct Expected {
  const char* file;
  uint64_t posts, rejected, skipped;
  int with_hashtags, with_geo, with_lang;
};

TEST_F(ReplayFixturesTest, CountsPerFile) {
  // Posts / geo / lang shares agree with the README's tables (H / G / L columns).
  const Expected kFiles[] = {
      {"twitter_v1/tweet_parser_original_format_examples.json", 25, 0, 0, 2, 15, 25},
      {"twitter_v1/tweet_parser_activity_streams_examples.json", 25, 0, 0, 2, 15, 25},
      {"twitter_v1/tweet_parser_public_api_sample.json", 20, 0, 0, 2, 10, 20},
      {"twitter_v1/tweepy_v1_tweet_responses.ndjson", 144, 0, 3, 7, 16, 144},
      // geo/* responses hold places, not posts: dead-lettered as unrecognized.
      {"twitter_v1/tweepy_v1_geo_place_responses.ndjson", 0, 3, 0, 0, 0, 0},
      {"twitter_v2/twarc-csv_streaming_output_with_error.jsonl", 7, 1, 0, 1, 7, 7},
      {"twitter_v2/twarc-csv_geo_tweets.jsonl", 2, 0, 0, 1, 2, 2},
      {"twitter_v2/twarc-csv_withheld.jsonl", 215, 0, 0, 61, 30, 215},
      {"twitter_v2/twarc-csv_brexit.jsonl", 100, 0, 0, 77, 0, 100},
      {"twitter_v2/twarc-csv_2sets.jsonl", 200, 0, 0, 175, 1, 200},
      {"twitter_v2/twarc-csv_entities_test.jsonl", 474, 0, 0, 89, 0, 0},
      {"twitter_v2/twarc-csv_cashtags.jsonl", 1, 0, 0, 1, 0, 1},
      {"twitter_v2/twarc-csv_two_tweets.jsonl", 1, 0, 0, 1, 0, 1},
      {"twitter_v2/twarc-csv_mentions_tweet.jsonl", 1, 0, 0, 0, 0, 1},
      {"twitter_v2/twarc-csv_many_urls.jsonl", 1, 0, 0, 0, 0, 1},
      {"twitter_v2/twarc-csv_media_tweet.jsonl", 1, 0, 0, 0, 0, 1},
      {"twitter_v2/twarc-csv_verified_type.jsonl", 1, 0, 0, 0, 0, 1},
      {"twitter_v2/twarc-csv_quoted_edit.jsonl", 1, 0, 0, 0, 0, 1},
      {"twitter_v2/twarc-csv_edited_before.jsonl", 1, 0, 0, 0, 0, 1},
      {"twitter_v2/twarc-csv_edited_after.jsonl", 1, 0, 0, 0, 0, 1},
      // Default fields only: created_at comes from the snowflake id, hashtags from text.
      {"twitter_v2/tweepy_v2_tweet_responses.ndjson", 664, 0, 0, 154, 0, 0},
      {"bluesky/jetstream_v1_expected_v1.jsonl", 17, 0, 135, 2, 0, 16},
      {"bluesky/jetstream_v1_golden_v1.jsonl", 1, 0, 9, 0, 0, 1},
      {"mastodon/tootkit_public_timeline_2020-04-16.json", 20, 0, 0, 5, 0, 19},
      {"mastodon/mastodon_docs_streaming_sse_examples.sse", 7, 0, 19, 2, 0, 5},
      {"mastodon/mastodon_docs_streaming_websocket_examples.ndjson", 1, 0, 2, 0, 0, 1},
  };
  for (const Expected& e : kFiles) {
    SCOPED_TRACE(e.file);
    const Replayed r = Replay(e.file);
    EXPECT_EQ(r.stats.posts, e.posts);
    EXPECT_EQ(r.stats.rejected, e.rejected);
    EXPECT_EQ(r.stats.skipped, e.skipped);
    int h = 0, g = 0, l = 0;
    for (const Post& p : Posts(r.records)) {
      h += !p.hashtags.empty();
      g += p.geo_source != GeoSource::kNone;
      l += !p.lang.empty();
      EXPECT_FALSE(p.id.empty());
      EXPECT_GT(ToMicros(p.created_at), 0);
    }
    EXPECT_EQ(h, e.with_hashtags);
    EXPECT_EQ(g, e.with_geo);
    EXPECT_EQ(l, e.with_lang);
  }
}

TEST_F(ReplayFixturesTest, XV1Fields) {
  const auto posts = Posts(Replay("twitter_v1/tweet_parser_original_format_examples.json").records);
  const Post* p = FindPost(posts, "887453193294282752");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->source, SourceKind::kX);
  EXPECT_EQ(FormatRfc3339(p->created_at), "2017-07-18T23:25:04.000000Z");
  EXPECT_EQ(p->author_handle, "RobotPrincessFi");
  EXPECT_EQ(p->author_id, "815279070241955840");
  EXPECT_EQ(p->lang, "en");
  EXPECT_EQ(p->geo_source, GeoSource::kCoordinates);
  ASSERT_TRUE(p->lat && p->lon);
  EXPECT_DOUBLE_EQ(*p->lat, 40.01736548);  // GeoJSON gives [lon, lat]
  EXPECT_DOUBLE_EQ(*p->lon, -105.27786886);
  EXPECT_EQ(p->country_code, "US");
  const Post* q = FindPost(posts, "872836479608733696");
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->hashtags, (std::vector<std::string>{"quotetweet", "hashtags"}));
}

TEST_F(ReplayFixturesTest, ActivityStreamsMatchOriginalFormat) {
  const auto as = Posts(Replay("twitter_v1/tweet_parser_activity_streams_examples.json").records);
  const auto v1 = Posts(Replay("twitter_v1/tweet_parser_original_format_examples.json").records);
  ASSERT_EQ(as.size(), v1.size());
  for (const Post& a : as) {
    const Post* b = FindPost(v1, a.id);
    ASSERT_NE(b, nullptr) << a.id;
    EXPECT_EQ(a.created_at, b->created_at) << a.id;
    EXPECT_EQ(a.author_handle, b->author_handle) << a.id;
    EXPECT_EQ(a.hashtags, b->hashtags) << a.id;
    EXPECT_EQ(a.country_code, b->country_code) << a.id;
    EXPECT_EQ(a.repost_of, b->repost_of) << a.id;
  }
}

TEST_F(ReplayFixturesTest, XV2FieldsAndJoins) {
  const auto posts = Posts(Replay("twitter_v2/twarc-csv_geo_tweets.jsonl").records);
  const Post* p = FindPost(posts, "1249702384659554308");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(FormatRfc3339(p->created_at), "2020-04-13T14:14:01.000000Z");
  EXPECT_EQ(p->author_id, "2344192110");
  EXPECT_EQ(p->author_handle, "kamanonickname");  // joined from includes.users
  EXPECT_EQ(p->lang, "pl");
  ASSERT_TRUE(p->lat && p->lon);
  EXPECT_DOUBLE_EQ(*p->lat, 88.01785747);
  EXPECT_DOUBLE_EQ(*p->lon, 42.77810097);
  EXPECT_NE(std::find(p->hashtags.begin(), p->hashtags.end(), "zostańwdomu"), p->hashtags.end());
  // Repeated tags are kept once.
  EXPECT_EQ(std::count(p->hashtags.begin(), p->hashtags.end(), "harrypotter"), 1);
  const Post* q = FindPost(posts, "1501963039859363843");
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->author_handle, "IgorBrigadir");
  EXPECT_EQ(q->country_code, "DE");  // joined from includes.places
  EXPECT_EQ(q->place_name, "Berlin, Germany");
  EXPECT_EQ(q->geo_source, GeoSource::kPlace);
}

TEST_F(ReplayFixturesTest, XV2TruncatedStreamLine) {
  const Replayed r = Replay("twitter_v2/twarc-csv_streaming_output_with_error.jsonl");
  const auto rejects = Rejects(r.records);
  ASSERT_EQ(rejects.size(), 1u);
  EXPECT_TRUE(rejects[0].reason.starts_with("truncated last line")) << rejects[0].reason;
  EXPECT_NE(rejects[0].reason.find("invalid JSON"), std::string::npos);
}

TEST_F(ReplayFixturesTest, XV2RetweetAndSnowflakeTime) {
  const auto posts = Posts(Replay("twitter_v2/twarc-csv_two_tweets.jsonl").records);
  const Post* p = FindPost(posts, "1394735776701816833");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->repost_of, "1391677057810288641");
  EXPECT_EQ(p->hashtags, std::vector<std::string>{"poiuytrewq"});
  // Same tweet's time from its id alone (tweepy's responses lack created_at).
  EXPECT_EQ(FormatRfc3339(*SnowflakeTime("1394735776701816833")).substr(0, 19),
            "2021-05-18T19:24:56");
}

TEST_F(ReplayFixturesTest, JetstreamFields) {
  const auto posts = Posts(Replay("bluesky/jetstream_v1_expected_v1.jsonl").records);
  const Post* p =
      FindPost(posts, "at://did:plc:tn3hni2jpphsgl6amfbb7ja6/app.bsky.feed.post/3mptbypfywk2v");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->source, SourceKind::kBluesky);
  EXPECT_EQ(p->author_id, "did:plc:tn3hni2jpphsgl6amfbb7ja6");
  EXPECT_EQ(FormatRfc3339(p->created_at), "2026-07-04T14:38:07.323000Z");
  EXPECT_EQ(p->lang, "de");
  EXPECT_EQ(p->hashtags, (std::vector<std::string>{"howtotellaitoshutup", "indierebellion"}));
}

TEST_F(ReplayFixturesTest, MastodonFields) {
  const auto posts = Posts(Replay("mastodon/tootkit_public_timeline_2020-04-16.json").records);
  const Post* p = FindPost(posts, "104009345973121628");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->source, SourceKind::kMastodon);
  EXPECT_EQ(FormatRfc3339(p->created_at), "2020-04-16T16:45:08.000000Z");
  EXPECT_EQ(p->author_handle, "elmostrador@friendica.chilemasto.casa");
  EXPECT_EQ(p->lang, "es");
  EXPECT_TRUE(p->text.starts_with("“Léanlo completo”: la respuesta de Mañalich")) << p->text;
  EXPECT_EQ(p->text.find('<'), std::string::npos);
  EXPECT_NE(p->text.find('\n'), std::string::npos);  // <br> became a newline
  const Post* tagged = FindPost(posts, "104009345638805466");
  ASSERT_NE(tagged, nullptr);
  EXPECT_EQ(tagged->hashtags, std::vector<std::string>{"makeamericagreatagain"});
}

TEST_F(ReplayFixturesTest, SseOnlyUpdateEventsBecomePosts) {
  const auto posts = Posts(Replay("mastodon/mastodon_docs_streaming_sse_examples.sse").records);
  ASSERT_EQ(posts.size(), 7u);
  EXPECT_EQ(posts[0].id, "108914327388663283");
  EXPECT_EQ(posts[0].reply_to, "108914298452377720");
}

TEST_F(ReplayFixturesTest, NonJsonFilesAreRejectedNotCrashing) {
  // The relay firehose capture is zstd + DAG-CBOR: out of scope (README), refused upfront.
  ReplayOptions options;
  options.files = {kDir + "bluesky/firehose_subscribeRepos_frames.bin.zst"};
  auto source = ReplaySource::Make(options);
  ASSERT_FALSE(source.ok());
  EXPECT_NE(source.status().message().find("zstd"), std::string::npos);
  const Replayed manifest = Replay("bluesky/firehose_capture_manifest.json");
  EXPECT_EQ(manifest.stats.posts, 0u);
  ASSERT_EQ(manifest.stats.rejected, 1u);
  EXPECT_TRUE(Rejects(manifest.records)[0].reason.starts_with("unrecognized payload: keys "));
}

}  // namespace
}  // namespace hashlake::source
