#include "hashlake/stream/window_state.h"

#include <gtest/gtest.h>

#include <deque>

#include "hashlake/core/test_util.h"

namespace hashlake::stream {
namespace {

using std::chrono::seconds;

Timestamp At(int64_t s) { return FromMicros(1'700'000'000'000'000 + s * 1'000'000); }

class WindowedAggregatesTest : public ::testing::Test {
 protected:
  // Keeps the hashtag vectors alive: PostFacts points at them.
  bool Add(WindowedAggregates& w, int64_t second, std::vector<std::string> tags,
           std::string_view country = "", std::string_view region = "",
           std::string_view lang = "en") {
    tags_.push_back(std::move(tags));
    return w.Add({At(second), &tags_.back(), country, region, lang});
  }
  static const WindowAggregates* Find(const std::vector<ClosedWindow>& closed, int64_t second) {
    for (const auto& c : closed) {
      if (c.start == At(second)) return &c.aggregates;
    }
    return nullptr;
  }
  std::deque<std::vector<std::string>> tags_;
};

TEST_F(WindowedAggregatesTest, ClosesWindowsOnlyWhenTheWatermarkPassesTheirEnd) {
  WindowedAggregates w(SlidingWindows::Tumbling(seconds(10)), seconds(5));
  Add(w, 1, {"a", "b"});
  Add(w, 3, {"a"});
  Add(w, 12, {"c"});
  EXPECT_EQ(w.Watermark(), At(7));
  EXPECT_TRUE(w.CloseUpTo(w.Watermark()).empty());
  Add(w, 14, {"a"});  // watermark 9: [0,10) still open
  EXPECT_TRUE(w.CloseUpTo(w.Watermark()).empty());
  Add(w, 15, {"a"});  // watermark 10: [0,10) closes at its end exactly
  const auto closed = w.CloseUpTo(w.Watermark());
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].start, At(0));
  EXPECT_EQ(closed[0].end, At(10));
  EXPECT_EQ(closed[0].aggregates.posts, 2);
  EXPECT_EQ(closed[0].aggregates.hashtags, (Counts{{"a", 2}, {"b", 1}}));
  EXPECT_EQ(w.open_windows(), 1u);
}

TEST_F(WindowedAggregatesTest, LateRecordsAreCountedNotAdded) {
  WindowedAggregates w(SlidingWindows::Tumbling(seconds(10)), seconds(0));
  Add(w, 1, {"a"});
  Add(w, 25, {"b"});
  ASSERT_EQ(w.CloseUpTo(w.Watermark()).size(), 1u);  // [0,10) closes; [10,20) was empty
  EXPECT_FALSE(Add(w, 2, {"a"}));                    // its window is gone
  EXPECT_FALSE(Add(w, 19, {"a"}));                   // so is [10,20), never opened
  EXPECT_EQ(w.late_records(), 2);
  EXPECT_TRUE(Add(w, 21, {"b"}));  // [20,30) still open
  const auto closed = w.CloseUpTo(At(30));
  ASSERT_EQ(closed.size(), 1u);  // empty windows emit nothing
  EXPECT_EQ(closed[0].aggregates.hashtags.at("b"), 2);
}

TEST_F(WindowedAggregatesTest, OutOfOrderWithinLatenessIsCounted) {
  WindowedAggregates w(SlidingWindows::Tumbling(seconds(10)), seconds(10));
  Add(w, 15, {"x"});
  Add(w, 8, {"x"});   // earlier window, but the watermark (5) has not passed 10
  Add(w, 21, {"y"});  // watermark 11: [0,10) closes
  const auto closed = w.CloseUpTo(w.Watermark());
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].aggregates.hashtags, (Counts{{"x", 1}}));
  EXPECT_EQ(w.late_records(), 0);
  EXPECT_EQ(w.max_event_time(), At(21));  // an old record does not move it back
}

TEST_F(WindowedAggregatesTest, SlidingWindowsCountAPostInEachOverlappingWindow) {
  ASSERT_OK_AND_ASSIGN(auto windows, SlidingWindows::Make(seconds(20), seconds(10)));
  WindowedAggregates w(windows, seconds(0));
  Add(w, 5, {"a"});   // [-10,10) and [0,20)
  Add(w, 15, {"a"});  // [0,20) and [10,30)
  Add(w, 25, {"b"});  // [10,30) and [20,40); watermark 25 closes [-10,10) and [0,20)
  auto closed = w.CloseUpTo(w.Watermark());
  ASSERT_EQ(closed.size(), 2u);
  EXPECT_EQ(Find(closed, -10)->hashtags, (Counts{{"a", 1}}));
  EXPECT_EQ(Find(closed, 0)->hashtags, (Counts{{"a", 2}}));
  // A post at 12 would go to [0,20) (closed) and [10,30) (open): partly late.
  EXPECT_FALSE(Add(w, 12, {"c"}));
  EXPECT_EQ(w.late_records(), 1);
  closed = w.CloseUpTo(At(40));
  ASSERT_EQ(closed.size(), 2u);
  EXPECT_EQ(Find(closed, 10)->hashtags, (Counts{{"a", 1}, {"b", 1}, {"c", 1}}));
  EXPECT_EQ(Find(closed, 20)->hashtags, (Counts{{"b", 1}}));
}

TEST_F(WindowedAggregatesTest, AggregatesAreasLanguagesAndVolume) {
  WindowedAggregates w(SlidingWindows::Tumbling(seconds(10)), seconds(0));
  Add(w, 1, {"a", "b"}, "US", "US-CA", "en");
  Add(w, 2, {"a"}, "US", "US-CA", "es");
  Add(w, 3, {"a"}, "FR", "", "fr");
  Add(w, 4, {}, "", "", "");  // no area, no language: counted as "und"
  const auto closed = w.CloseUpTo(At(10));
  ASSERT_EQ(closed.size(), 1u);
  const auto& agg = closed[0].aggregates;
  EXPECT_EQ(agg.posts, 4);
  EXPECT_EQ(agg.posts_with_area, 3);
  EXPECT_EQ(agg.languages, (Counts{{"en", 1}, {"es", 1}, {"fr", 1}, {"und", 1}}));
  EXPECT_EQ(agg.area_hashtags, (Counts{{AreaHashtagKey("US", "US-CA", "a"), 2},
                                       {AreaHashtagKey("US", "US-CA", "b"), 1},
                                       {AreaHashtagKey("FR", "", "a"), 1}}));
  const std::string key = AreaHashtagKey("US", "US-CA", "a");  // the parts view into it
  const auto parts = SplitAreaHashtagKey(key);
  EXPECT_EQ(parts.country_code, "US");
  EXPECT_EQ(parts.region, "US-CA");
  EXPECT_EQ(parts.hashtag, "a");
}

TEST_F(WindowedAggregatesTest, NoRecordsMeansNoWatermarkAndNothingLate) {
  WindowedAggregates w(SlidingWindows::Tumbling(seconds(10)), seconds(0));
  EXPECT_EQ(w.Watermark(), Timestamp{});
  EXPECT_TRUE(w.CloseUpTo(w.Watermark()).empty());
  // A post from before 1970 is not late just because nothing was seen yet.
  EXPECT_TRUE(w.Add({FromMicros(-5'000'000), nullptr, "", "", ""}));
}

TEST_F(WindowedAggregatesTest, StateRoundTripsThroughItsCheckpoint) {
  ASSERT_OK_AND_ASSIGN(auto windows, SlidingWindows::Make(seconds(20), seconds(10)));
  WindowedAggregates w(windows, seconds(5));
  Add(w, 1, {"a", "ü"}, "DE", "", "de");
  Add(w, 12, {"c"});
  Add(w, 40, {"d"}, "US", "US-TX");
  w.CloseUpTo(w.Watermark());
  Add(w, 3, {"late"});
  const std::string json = w.Serialize();
  ASSERT_OK_AND_ASSIGN(auto back, WindowedAggregates::Deserialize(json, windows, seconds(5)));
  EXPECT_EQ(back.Serialize(), json);
  EXPECT_EQ(back.late_records(), 1);
  EXPECT_EQ(back.state_keys(), w.state_keys());
  ASSERT_ERROR_CONTAINS(
      WindowedAggregates::Deserialize(json, SlidingWindows::Tumbling(seconds(20)), seconds(5)),
      "stream.slide");
  ASSERT_ERROR_CONTAINS(WindowedAggregates::Deserialize("{\"window_us\":", windows, seconds(5)),
                        "window state");
}

}  // namespace
}  // namespace hashlake::stream
