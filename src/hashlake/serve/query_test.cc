#include "hashlake/serve/query.h"

#include <gtest/gtest.h>

namespace hashlake::serve {
namespace {

using std::chrono::microseconds;
using namespace std::chrono_literals;

TEST(ParseQueryStringTest, DecodesPairsInOrder) {
  auto params = ParseQueryString("a=1&b=x%20y&c=p+q&flag&&d=");
  ASSERT_TRUE(params.ok()) << params.status();
  QueryParams expected = {{"a", "1"}, {"b", "x y"}, {"c", "p q"}, {"flag", ""}, {"d", ""}};
  EXPECT_EQ(*params, expected);
}

TEST(ParseQueryStringTest, RejectsMalformedEscapes) {
  EXPECT_FALSE(ParseQueryString("a=%4").ok());
  EXPECT_FALSE(ParseQueryString("a=%zz").ok());
  EXPECT_FALSE(ParseQueryString("a=%").ok());
}

TEST(ParseWindowTest, AcceptsUnitsAndCombinations) {
  EXPECT_EQ(*ParseWindow("500ms"), microseconds(500'000));
  EXPECT_EQ(*ParseWindow("2s"), microseconds(2s));
  EXPECT_EQ(*ParseWindow("5m"), microseconds(5min));
  EXPECT_EQ(*ParseWindow("1h"), microseconds(1h));
  EXPECT_EQ(*ParseWindow("1d"), microseconds(24h));
  EXPECT_EQ(*ParseWindow("1m30s"), microseconds(90s));
  EXPECT_EQ(*ParseWindow("1h2m3s4ms"), microseconds(3'723'004'000));
}

TEST(ParseWindowTest, RejectsMalformedDurations) {
  for (const char* bad : {"", "1", "m", "1x", "-1s", "1s1m", "1m1m", "1.5s", " 1s", "1s ",
                          "99999999999999999999d", "9999999999999d"}) {
    auto parsed = ParseWindow(bad);
    EXPECT_FALSE(parsed.ok()) << "'" << bad << "' parsed as " << parsed->count();
  }
  EXPECT_EQ(ParseWindow("1x").status().message(),
            "window must be a duration such as 30s, 1m, 5m, 1h or 1m30s, got '1x'");
}

TEST(ParseTopQueryTest, DefaultsWhenAbsent) {
  auto query = ParseTopQuery("");
  ASSERT_TRUE(query.ok());
  EXPECT_EQ(query->window, TopQuery::kDefaultWindow);
  EXPECT_EQ(query->k, TopQuery::kDefaultK);
}

TEST(ParseTopQueryTest, ReadsWindowAndK) {
  auto query = ParseTopQuery("window=30s&k=100");
  ASSERT_TRUE(query.ok()) << query.status();
  EXPECT_EQ(query->window, microseconds(30s));
  EXPECT_EQ(query->k, 100);
}

TEST(ParseTopQueryTest, KOutOfRangeOrNotAnInteger) {
  for (const char* bad : {"abc", "0", "101", "-1", "1.5", "", "10x", " 5", "99999999999"}) {
    auto query = ParseTopQuery(std::string("k=") + bad);
    ASSERT_FALSE(query.ok()) << bad;
    EXPECT_EQ(query.status().message(),
              std::string("k must be an integer in 1..100, got '") + bad + "'");
  }
}

TEST(ParseTopQueryTest, WindowOutOfRange) {
  EXPECT_EQ(ParseTopQuery("window=0s").status().message(),
            "window must be greater than 0 and at most 7d, got '0s'");
  EXPECT_FALSE(ParseTopQuery("window=8d").ok());
  EXPECT_TRUE(ParseTopQuery("window=7d").ok());
}

TEST(ParseTopQueryTest, UnknownAndRepeatedParameters) {
  EXPECT_EQ(ParseTopQuery("window=1m&limit=5").status().message(),
            "unknown query parameter 'limit' (allowed: window, k)");
  EXPECT_EQ(ParseTopQuery("k=1&k=2").status().message(), "parameter 'k' given more than once");
}

TEST(ParseTopQueryTest, QuotesHugeInputShortened) {
  std::string huge(1000, 'x');
  auto query = ParseTopQuery("k=" + huge);
  ASSERT_FALSE(query.ok());
  EXPECT_LT(query.status().message().size(), 150u);
}

}  // namespace
}  // namespace hashlake::serve
