#include "hashlake/stream/window.h"

#include <gtest/gtest.h>

#include "hashlake/core/test_util.h"

namespace hashlake::stream {
namespace {

using std::chrono::seconds;

Timestamp At(int64_t s) { return FromMicros(s * 1'000'000); }

TEST(TumblingWindowsTest, AlignsToTheEpochIncludingNegativeTimes) {
  TumblingWindows w(seconds(60));
  EXPECT_EQ(w.StartOf(At(0)), At(0));
  EXPECT_EQ(w.StartOf(At(59)), At(0));
  EXPECT_EQ(w.StartOf(At(60)), At(60));
  EXPECT_EQ(w.StartOf(At(-1)), At(-60));
  EXPECT_EQ(w.EndOf(At(61)), At(120));
}

TEST(WindowedHashtagCountsTest, ClosesWindowsOnlyWhenTheWatermarkPassesTheirEnd) {
  WindowedHashtagCounts counts(seconds(10), seconds(5));
  counts.Add(At(1), {"a", "b"});
  counts.Add(At(3), {"a"});
  counts.Add(At(12), {"c"});
  EXPECT_EQ(counts.Watermark(), At(7));
  EXPECT_TRUE(counts.CloseUpTo(counts.Watermark()).empty());
  counts.Add(At(15), {"a"});  // watermark 10: window [0,10) closes
  const auto rows = counts.CloseUpTo(counts.Watermark());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (WindowCount{At(0), At(10), "a", 2}));
  EXPECT_EQ(rows[1], (WindowCount{At(0), At(10), "b", 1}));
  EXPECT_EQ(counts.open_windows(), 1u);
}

TEST(WindowedHashtagCountsTest, LateRecordsAreCountedNotAdded) {
  WindowedHashtagCounts counts(seconds(10), seconds(0));
  counts.Add(At(1), {"a"});
  counts.Add(At(25), {"b"});
  ASSERT_EQ(counts.CloseUpTo(counts.Watermark()).size(), 1u);  // [0,10) closes
  EXPECT_FALSE(counts.Add(At(2), {"a"}));                      // its window is gone
  EXPECT_EQ(counts.late_records(), 1);
  EXPECT_TRUE(counts.Add(At(21), {"b"}));  // [20,30) still open
  const auto rows = counts.CloseUpTo(At(30));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].count, 2);
}

TEST(WindowedHashtagCountsTest, OutOfOrderWithinLatenessIsCounted) {
  WindowedHashtagCounts counts(seconds(10), seconds(10));
  counts.Add(At(15), {"x"});
  counts.Add(At(8), {"x"});  // earlier window, but the watermark (5) has not passed 10
  counts.Add(At(21), {"y"});  // watermark 11: [0,10) closes
  const auto rows = counts.CloseUpTo(counts.Watermark());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], (WindowCount{At(0), At(10), "x", 1}));
  EXPECT_EQ(counts.late_records(), 0);
}

TEST(WindowedHashtagCountsTest, StateRoundTripsThroughItsCheckpoint) {
  WindowedHashtagCounts counts(seconds(10), seconds(5));
  counts.Add(At(1), {"a", "ü"});
  counts.Add(At(12), {"c"});
  counts.Add(At(30), {"d"});
  counts.CloseUpTo(counts.Watermark());
  counts.Add(At(3), {"late"});
  const std::string json = counts.Serialize();
  ASSERT_OK_AND_ASSIGN(auto back, WindowedHashtagCounts::Deserialize(json, seconds(10), seconds(5)));
  EXPECT_EQ(back.Serialize(), json);
  EXPECT_EQ(back.late_records(), 1);
  ASSERT_ERROR_CONTAINS(WindowedHashtagCounts::Deserialize(json, seconds(60), seconds(5)),
                        "stream.window");
}

}  // namespace
}  // namespace hashlake::stream
