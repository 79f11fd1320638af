#include "hashlake/core/progress.h"

#include <gtest/gtest.h>

namespace hashlake {
namespace {

TEST(ProgressTest, ReportsRateLagWatermarkAndEta) {
  ManualClock clock(FromMicros(1'000'000'000'000'000));
  Progress progress(clock);
  progress.SetTotal(10'000);
  progress.Add(2'000, 3);
  progress.SetLag(1204);
  progress.SetWatermark(FromMicros(1'714'566'896'000'000));
  clock.Advance(std::chrono::seconds(2));
  const std::string line = progress.Line();
  EXPECT_NE(line.find("posts 2,000 (1,000/s)"), std::string::npos) << line;
  EXPECT_NE(line.find("rejected 3"), std::string::npos) << line;
  EXPECT_NE(line.find("lag 1,204"), std::string::npos) << line;
  EXPECT_NE(line.find("watermark 12:34:56"), std::string::npos) << line;
  EXPECT_NE(line.find("ETA 0:08"), std::string::npos) << line;
}

TEST(ProgressTest, FormatsCounts) {
  EXPECT_EQ(FormatCount(0), "0");
  EXPECT_EQ(FormatCount(999), "999");
  EXPECT_EQ(FormatCount(1000), "1,000");
  EXPECT_EQ(FormatCount(-1234567), "-1,234,567");
}

}  // namespace
}  // namespace hashlake
