#include "hashlake/source/synth.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "hashlake/source/cities.h"
#include "hashlake/source/test_util_internal.h"
#include "hashlake/text/extract.h"

namespace hashlake::source {
namespace {

SynthOptions Fast(uint64_t seed = 42) {
  SynthOptions o;
  o.seed = seed;
  o.rate = 0;
  return o;
}

std::vector<Post> Take(SynthSource* source, std::size_t n, std::size_t batch) {
  std::vector<Record> out;
  while (out.size() < n) {
    EXPECT_TRUE(source->Poll(&out, std::min(batch, n - out.size()),
                             std::chrono::milliseconds(100)).ok());
  }
  return testing::Posts(out);
}

void ClearIngest(std::vector<Post>* posts) {
  for (Post& p : *posts) p.ingested_at = {};
}

TEST(SynthTest, SameSeedSameSequenceWhateverThePollSize) {
  auto a = SynthSource::Make(Fast()).ValueOrDie();
  auto b = SynthSource::Make(Fast()).ValueOrDie();
  auto pa = Take(a.get(), 1000, 1000);
  auto pb = Take(b.get(), 1000, 7);
  ClearIngest(&pa);
  ClearIngest(&pb);
  ASSERT_EQ(pa.size(), 1000u);
  EXPECT_EQ(pa, pb);
  EXPECT_EQ(pa[0].id, "synth-42-0");
  EXPECT_EQ(a->Stats().posts, 1000u);

  auto c = SynthSource::Make(Fast(43)).ValueOrDie();
  auto pc = Take(c.get(), 1000, 1000);
  std::size_t same_text = 0;
  for (std::size_t i = 0; i < pc.size(); ++i) same_text += pc[i].text == pa[i].text;
  EXPECT_LT(same_text, 10u);
}

TEST(SynthTest, PostsAreConsistentWithTheirText) {
  auto source = SynthSource::Make(Fast()).ValueOrDie();
  for (const Post& p : Take(source.get(), 2000, 500)) {
    EXPECT_EQ(p.source, SourceKind::kSynth);
    EXPECT_FALSE(p.hashtags.empty()) << p.text;
    std::vector<std::string> extracted = text::ExtractHashtags(p.text);
    for (const std::string& h : p.hashtags) {
      EXPECT_NE(std::find(extracted.begin(), extracted.end(), h), extracted.end()) << p.text;
    }
    EXPECT_EQ(p.mentions, text::ExtractMentions(p.text));
    EXPECT_EQ(p.urls, text::ExtractUrls(p.text));
    EXPECT_FALSE(p.lang.empty());
    EXPECT_FALSE(p.author_handle.empty());
  }
}

TEST(SynthTest, EveryVocabularyTagSurvivesExtraction) {
  auto model = SynthModel::Make(Fast()).ValueOrDie();
  for (const std::string& tag : model->Hashtags()) {
    EXPECT_EQ(text::ExtractHashtagEntities("#" + tag).size(), 1u) << tag;
  }
}

TEST(SynthTest, EventTimeFollowsRateAndSpeed) {
  SynthOptions o = Fast();
  o.rate = 0;
  o.event_speed = 60;  // a simulated minute per second, at the nominal 1000 posts/s
  auto model = SynthModel::Make(o).ValueOrDie();
  EXPECT_GE(model->CreatedAt(0), o.start);
  for (uint64_t i = 1; i < 1000; ++i) EXPECT_GE(model->CreatedAt(i), model->CreatedAt(i - 1));
  const double seconds = static_cast<double>((model->CreatedAt(10000) - o.start).count()) / 1e6;
  EXPECT_NEAR(seconds, 600.0, 0.1);
}

TEST(SynthTest, HashtagsAreZipfLike) {
  auto source = SynthSource::Make(Fast()).ValueOrDie();
  std::map<std::string, int> counts;
  int total = 0;
  for (const Post& p : Take(source.get(), 20000, 1000)) {
    for (const std::string& h : p.hashtags) {
      ++counts[h];
      ++total;
    }
  }
  std::vector<int> sorted;
  for (const auto& [tag, n] : counts) sorted.push_back(n);
  std::sort(sorted.rbegin(), sorted.rend());
  const double top_share = static_cast<double>(sorted[0]) / total;
  EXPECT_GT(top_share, 0.04);
  EXPECT_LT(top_share, 0.35);
  EXPECT_GT(sorted[0], 5 * sorted[20]);  // a heavy head...
  EXPECT_GT(counts.size(), 500u);         // ...and a long tail
}

std::set<std::string> Top10(const std::vector<Post>& posts) {
  std::map<std::string, int> counts;
  for (const Post& p : posts) {
    for (const std::string& h : p.hashtags) ++counts[h];
  }
  std::vector<std::pair<int, std::string>> v;
  for (const auto& [tag, n] : counts) v.emplace_back(-n, tag);
  std::sort(v.begin(), v.end());
  std::set<std::string> top;
  for (std::size_t i = 0; i < 10 && i < v.size(); ++i) top.insert(v[i].second);
  return top;
}

TEST(SynthTest, TopHashtagsDriftOverTime) {
  SynthOptions o = Fast();  // 1000 posts per event second
  auto model = SynthModel::Make(o).ValueOrDie();
  // Early: the first 5 simulated seconds; late: 30 minutes on.
  std::vector<Post> early, late;
  for (uint64_t i = 0; i < 5000; ++i) early.push_back(model->Generate(i));
  for (uint64_t i = 1'800'000; i < 1'805'000; ++i) late.push_back(model->Generate(i));
  const auto a = Top10(early), b = Top10(late);
  std::vector<std::string> common;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(common));
  EXPECT_LT(common.size(), 8u);

  // Without drift the head stays put.
  o.drift = 0;
  model = SynthModel::Make(o).ValueOrDie();
  early.clear();
  late.clear();
  for (uint64_t i = 0; i < 20000; ++i) early.push_back(model->Generate(i));
  for (uint64_t i = 1'800'000; i < 1'820'000; ++i) late.push_back(model->Generate(i));
  const auto c = Top10(early), d = Top10(late);
  common.clear();
  std::set_intersection(c.begin(), c.end(), d.begin(), d.end(), std::back_inserter(common));
  EXPECT_GE(common.size(), 7u);
}

TEST(SynthTest, GeoShares) {
  auto source = SynthSource::Make(Fast()).ValueOrDie();
  int coords = 0, place = 0;
  const auto posts = Take(source.get(), 20000, 1000);
  std::set<std::string> codes;
  for (const City& c : WorldCities()) codes.insert(std::string(c.country_code));
  for (const Post& p : posts) {
    if (p.geo_source == GeoSource::kCoordinates) {
      ++coords;
      ASSERT_TRUE(p.lat && p.lon);
      // Inside the city it names.
      const auto cities = WorldCities();
      auto city = std::find_if(cities.begin(), cities.end(),
                               [&](const City& c) { return c.name == p.place_name; });
      ASSERT_NE(city, cities.end());
      EXPECT_LE(std::hypot(*p.lat - city->lat, *p.lon - city->lon), city->radius_deg + 1e-9);
      EXPECT_EQ(p.country_code, city->country_code);
    } else if (p.geo_source == GeoSource::kPlace) {
      ++place;
      EXPECT_FALSE(p.place_name.empty());
      EXPECT_TRUE(codes.count(p.country_code));
    } else {
      EXPECT_TRUE(p.country_code.empty());
    }
  }
  EXPECT_NEAR(coords / 20000.0, 0.02, 0.005);
  EXPECT_NEAR(place / 20000.0, 0.10, 0.01);
}

TEST(SynthTest, LanguageShares) {
  auto source = SynthSource::Make(Fast()).ValueOrDie();
  std::map<std::string, int> langs;
  for (const Post& p : Take(source.get(), 10000, 1000)) ++langs[p.lang];
  EXPECT_NEAR(langs["en"] / 10000.0, 0.45, 0.03);
  EXPECT_NEAR(langs["ja"] / 10000.0, 0.12, 0.02);
  EXPECT_GE(langs.size(), 8u);
}

TEST(SynthTest, TrueTopicMixtureIsRecoverableFromThePostId) {
  auto source = SynthSource::Make(Fast()).ValueOrDie();
  const auto posts = Take(source.get(), 200, 200);
  int agree = 0;
  for (const Post& p : posts) {
    auto theta = source->model().TopicMixtureOf(p.id).ValueOrDie();
    ASSERT_EQ(theta.size(), 8u);
    EXPECT_NEAR(std::accumulate(theta.begin(), theta.end(), 0.0), 1.0, 1e-9);
    EXPECT_EQ(std::count_if(theta.begin(), theta.end(), [](double x) { return x > 0; }) <= 2,
              true);
    // The dominant topic's own top words should dominate the text's topic words.
    const std::size_t top = std::max_element(theta.begin(), theta.end()) - theta.begin();
    std::vector<int> hits(theta.size(), 0);
    for (std::size_t t = 0; t < theta.size(); ++t) {
      for (std::size_t k = 0; k < 20; ++k) {
        const std::string& w = source->model().TopicWords(t)[k].first;
        if (p.text.find(" " + w + " ") != std::string::npos) ++hits[t];
      }
    }
    agree += static_cast<std::size_t>(std::max_element(hits.begin(), hits.end()) - hits.begin()) ==
             top;
  }
  EXPECT_GT(agree, 120);
  EXPECT_FALSE(source->model().TopicMixtureOf("synth-7-1").ok());
  EXPECT_FALSE(source->model().TopicMixtureOf("synth-42-x").ok());
}

TEST(SynthTest, RateIsRespected) {
  SynthOptions o = Fast();
  o.rate = 200;
  auto source = SynthSource::Make(o).ValueOrDie();
  std::vector<Record> out;
  const auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(500)) {
    ASSERT_TRUE(source->Poll(&out, 1000, std::chrono::milliseconds(20)).ok());
  }
  EXPECT_GE(out.size(), 80u);
  EXPECT_LE(out.size(), 125u);
  EXPECT_FALSE(source->Finished());
}

TEST(SynthTest, StopWakesABlockedPoll) {
  SynthOptions o = Fast();
  o.rate = 0.01;  // one post per 100 s
  auto source = SynthSource::Make(o).ValueOrDie();
  std::vector<Record> out;
  ASSERT_TRUE(source->Poll(&out, 10, std::chrono::milliseconds(10)).ok());
  EXPECT_EQ(out.size(), 1u);
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    source->Stop();
  });
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(source->Poll(&out, 10, std::chrono::seconds(30)).ok());
  stopper.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(SynthTest, InvalidOptions) {
  SynthOptions o = Fast();
  o.hashtags = 0;
  EXPECT_TRUE(SynthSource::Make(o).status().IsInvalid());
  o = Fast();
  o.coordinates_share = 0.95;
  EXPECT_TRUE(SynthSource::Make(o).status().IsInvalid());
  o = Fast();
  o.event_speed = 0;
  EXPECT_TRUE(SynthSource::Make(o).status().IsInvalid());
}

}  // namespace
}  // namespace hashlake::source
