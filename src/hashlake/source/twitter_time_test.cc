#include "hashlake/source/twitter_time.h"

#include <gtest/gtest.h>

namespace hashlake::source {
namespace {

TEST(TwitterTimeTest, ParsesV1Dates) {
  auto t = ParseTwitterDate("Tue Feb 09 22:48:55 +0000 2021");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(FormatRfc3339(*t), "2021-02-09T22:48:55.000000Z");
  auto offset = ParseTwitterDate("Tue Feb 09 22:48:55 +0130 2021");
  ASSERT_TRUE(offset.ok());
  EXPECT_EQ(FormatRfc3339(*offset), "2021-02-09T21:18:55.000000Z");
}

TEST(TwitterTimeTest, RejectsMalformedDates) {
  EXPECT_FALSE(ParseTwitterDate("").ok());
  EXPECT_FALSE(ParseTwitterDate("2021-02-09T22:48:55Z").ok());
  EXPECT_FALSE(ParseTwitterDate("Tue Foo 09 22:48:55 +0000 2021").ok());
  EXPECT_FALSE(ParseTwitterDate("Tue Feb 30 22:48:55 +0000 2021").ok());
  EXPECT_FALSE(ParseTwitterDate("Tue Feb 09 25:48:55 +0000 2021").ok());
}

TEST(TwitterTimeTest, SnowflakeIds) {
  auto t = SnowflakeTime("1394735776701816833");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(FormatRfc3339(*t), "2021-05-18T19:24:56.760000Z");
  EXPECT_FALSE(SnowflakeTime("20").has_value());           // pre-snowflake
  EXPECT_FALSE(SnowflakeTime("12ab").has_value());
  EXPECT_FALSE(SnowflakeTime("").has_value());
}

}  // namespace
}  // namespace hashlake::source
