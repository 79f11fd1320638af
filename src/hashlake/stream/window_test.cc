#include "hashlake/stream/window.h"

#include <gtest/gtest.h>

#include "hashlake/core/test_util.h"

namespace hashlake::stream {
namespace {

using std::chrono::seconds;

Timestamp At(int64_t s) { return FromMicros(s * 1'000'000); }

std::vector<Timestamp> WindowsOf(const SlidingWindows& w, Timestamp t) {
  std::vector<Timestamp> starts;
  w.ForEachWindowOf(t, [&](Timestamp start) { starts.push_back(start); });
  return starts;
}

TEST(SlidingWindowsTest, TumblingAlignsToTheEpochIncludingNegativeTimes) {
  const auto w = SlidingWindows::Tumbling(seconds(60));
  EXPECT_EQ(WindowsOf(w, At(0)), std::vector{At(0)});
  EXPECT_EQ(WindowsOf(w, At(59)), std::vector{At(0)});
  EXPECT_EQ(WindowsOf(w, At(60)), std::vector{At(60)});  // the end is exclusive
  EXPECT_EQ(WindowsOf(w, At(-1)), std::vector{At(-60)});
}

TEST(SlidingWindowsTest, EveryInstantIsInLengthOverSlideWindows) {
  ASSERT_OK_AND_ASSIGN(auto w, SlidingWindows::Make(seconds(30), seconds(10)));
  EXPECT_EQ(WindowsOf(w, At(25)), (std::vector{At(0), At(10), At(20)}));
  EXPECT_EQ(WindowsOf(w, At(30)), (std::vector{At(10), At(20), At(30)}));  // boundary
  EXPECT_EQ(WindowsOf(w, At(9)), (std::vector{At(-20), At(-10), At(0)}));
  EXPECT_EQ(WindowsOf(w, At(-5)), (std::vector{At(-30), At(-20), At(-10)}));
}

TEST(SlidingWindowsTest, RejectsSlidesThatDoNotDivideTheWindow) {
  ASSERT_ERROR_CONTAINS(SlidingWindows::Make(seconds(30), seconds(7)), "stream.slide");
  ASSERT_ERROR_CONTAINS(SlidingWindows::Make(seconds(30), seconds(60)), "stream.slide");
  ASSERT_ERROR_CONTAINS(SlidingWindows::Make(seconds(30), seconds(0)), "stream.slide");
  ASSERT_ERROR_CONTAINS(SlidingWindows::Make(seconds(0), seconds(0)), "stream.window");
}

}  // namespace
}  // namespace hashlake::stream
