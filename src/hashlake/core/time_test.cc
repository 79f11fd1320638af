#include "hashlake/core/time.h"

#include <gtest/gtest.h>

#include "hashlake/core/test_util.h"

namespace hashlake {
namespace {

TEST(TimeTest, FormatsRfc3339InUtcWithMicroseconds) {
  EXPECT_EQ(FormatRfc3339(FromMicros(0)), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(FormatRfc3339(FromMicros(1'714'566'896'123'456)), "2024-05-01T12:34:56.123456Z");
}

TEST(TimeTest, ParsesWhatSourcesSend) {
  ASSERT_OK_AND_ASSIGN(auto a, ParseRfc3339("2024-05-01T12:34:56.123456Z"));
  EXPECT_EQ(ToMicros(a), 1'714'566'896'123'456);
  ASSERT_OK_AND_ASSIGN(auto b, ParseRfc3339("2024-05-01T12:34:56.123Z"));
  EXPECT_EQ(ToMicros(b), 1'714'566'896'123'000);
  ASSERT_OK_AND_ASSIGN(auto c, ParseRfc3339("2024-05-01T14:34:56+02:00"));
  EXPECT_EQ(ToMicros(c), 1'714'566'896'000'000);
  ASSERT_OK_AND_ASSIGN(auto d, ParseRfc3339("2024-05-01T12:34:56.123456789Z"));
  EXPECT_EQ(ToMicros(d), 1'714'566'896'123'456);
  ASSERT_OK_AND_ASSIGN(auto e, ParseRfc3339("2024-02-29T00:00:00Z"));
  EXPECT_EQ(FormatRfc3339(e), "2024-02-29T00:00:00.000000Z");
}

TEST(TimeTest, RejectsMalformedTimestamps) {
  for (const char* bad : {"", "2024-05-01", "2024-13-01T00:00:00Z", "2023-02-29T00:00:00Z",
                          "2024-05-01T12:34:56", "2024-05-01T12:34:56Zjunk", "yesterday",
                          "2024-05-01T25:00:00Z", "2024-05-01T12:34:56.Z"}) {
    EXPECT_FALSE(ParseRfc3339(bad).ok()) << bad;
  }
}

TEST(TimeTest, ParsesDurations) {
  ASSERT_OK_AND_ASSIGN(auto a, ParseDuration("500ms"));
  EXPECT_EQ(a, std::chrono::milliseconds(500));
  ASSERT_OK_AND_ASSIGN(auto b, ParseDuration("1m30s"));
  EXPECT_EQ(b, std::chrono::seconds(90));
  ASSERT_OK_AND_ASSIGN(auto c, ParseDuration("7d"));
  EXPECT_EQ(c, std::chrono::hours(168));
  ASSERT_OK_AND_ASSIGN(auto d, ParseDuration("15"));
  EXPECT_EQ(d, std::chrono::seconds(15));
  for (const char* bad : {"", "m", "5x", "-1s", "1.5s", "s5", "5s10", "99999999999999999999d"}) {
    EXPECT_FALSE(ParseDuration(bad).ok()) << bad;
  }
}

TEST(TimeTest, FormatsDurationsAsTheyParse) {
  for (const char* text : {"500ms", "2s", "1m30s", "1h", "2h5m", "7d", "0s", "250us"}) {
    ASSERT_OK_AND_ASSIGN(auto d, ParseDuration(text));
    EXPECT_EQ(FormatDuration(d), text);
  }
}

TEST(TimeTest, ManualClockMovesOnlyWhenTold) {
  ManualClock clock(FromMicros(100));
  EXPECT_EQ(ToMicros(clock.Now()), 100);
  clock.Advance(Micros{50});
  EXPECT_EQ(ToMicros(clock.Now()), 150);
}

}  // namespace
}  // namespace hashlake
