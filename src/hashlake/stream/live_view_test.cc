#include "hashlake/stream/live_view.h"

#include <thread>

#include <gtest/gtest.h>

namespace hashlake::stream {
namespace {

using std::chrono::seconds;

Timestamp At(int64_t s) { return FromMicros(1'700'000'000'000'000 + s * 1'000'000); }

TEST(LiveViewTest, TopCoversTheLastWindowOfEventTime) {
  LiveView view(std::chrono::minutes(5));
  view.Add(At(0), {"old"});
  view.Add(At(50), {"a", "b"});
  view.Add(At(55), {"a"});
  view.Add(At(60), {"c"});
  const auto top = view.Top(seconds(15), 10);
  EXPECT_EQ(top.posts, 3);
  ASSERT_EQ(top.top.size(), 3u);
  EXPECT_EQ(top.top[0], (std::pair<std::string, int64_t>{"a", 2}));
  EXPECT_EQ(top.top[1].first, "b");
  EXPECT_EQ(top.window_end, At(60));
  EXPECT_EQ(view.Top(seconds(120), 1).top[0].first, "a");
  EXPECT_EQ(view.Top(seconds(120), 10).posts, 4);
}

TEST(LiveViewTest, ForgetsWhatIsOlderThanRetention) {
  LiveView view(seconds(30));
  view.Add(At(0), {"old"});
  view.Add(At(100), {"new"});
  const auto top = view.Top(std::chrono::hours(1), 10);
  ASSERT_EQ(top.top.size(), 1u);
  EXPECT_EQ(top.top[0].first, "new");
  view.Add(At(1), {"too-old"});  // dropped, not resurrected
  EXPECT_EQ(view.Top(std::chrono::hours(1), 10).posts, 1);
}

TEST(LiveViewTest, VolumePerSecond) {
  LiveView view;
  view.Add(At(0), {});
  view.Add(At(0), {});
  view.Add(At(2), {});
  const auto volume = view.Volume(seconds(10));
  ASSERT_EQ(volume.size(), 2u);
  EXPECT_EQ(volume[0].second, 2);
  EXPECT_EQ(volume[1].second, 1);
}

TEST(LiveViewTest, ReadersAndAWriterRunTogether) {
  LiveView view;
  std::thread writer([&] {
    for (int i = 0; i < 20000; ++i) view.Add(At(i / 100), {"t" + std::to_string(i % 7)});
  });
  int64_t last = 0;
  for (int i = 0; i < 200; ++i) last = view.Top(seconds(60), 5).posts;
  writer.join();
  EXPECT_GE(view.Top(seconds(1000), 5).posts, last);
  EXPECT_EQ(view.Top(seconds(1000), 5).posts, 20000);
}

}  // namespace
}  // namespace hashlake::stream
