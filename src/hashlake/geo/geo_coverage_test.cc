// How many real posts get an area: every payload file of shared/data/tweets is replayed
// through the source module's decoders and resolved. Prints the shares per file and
// overall, split by how the area was found.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <variant>
#include <vector>

#include "hashlake/geo/geo_test_util.h"
#include "hashlake/source/replay.h"

namespace hashlake::geo {
namespace {

namespace fs = std::filesystem;
const fs::path kDir = fs::path(HASHLAKE_SHARED_DATA) / "tweets";

struct Shares {
  uint64_t posts = 0;
  uint64_t by[4] = {0, 0, 0, 0};  // indexed by GeoSource
  uint64_t with_location = 0;     // posts whose author has a profile location
  uint64_t area() const { return posts - by[static_cast<int>(GeoSource::kNone)]; }
  void Add(const Shares& o) {
    posts += o.posts;
    with_location += o.with_location;
    for (int i = 0; i < 4; ++i) by[i] += o.by[i];
  }
};

void Print(const std::string& name, const Shares& s) {
  auto pct = [&](uint64_t n) { return s.posts ? 100.0 * n / s.posts : 0.0; };
  std::printf(
      "%-58s %5llu posts  area %5.1f%%  coordinates %5.1f%%  place %5.1f%%  "
      "profile %5.1f%%  (profile text on %5.1f%%)\n",
      name.c_str(), static_cast<unsigned long long>(s.posts), pct(s.area()),
      pct(s.by[static_cast<int>(GeoSource::kCoordinates)]),
      pct(s.by[static_cast<int>(GeoSource::kPlace)]),
      pct(s.by[static_cast<int>(GeoSource::kProfile)]), pct(s.with_location));
}

TEST(GeoCoverageTest, ShareOfRealPostsWithAnArea) {
  if (!fs::is_directory(kDir)) GTEST_SKIP() << "shared test data not found at " << kDir;
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(kDir)) {
    const std::string name = entry.path().filename().string();
    // Indexes and the README are not payloads; the zstd CAR capture is out of scope.
    if (!entry.is_regular_file() || name.ends_with(".tsv") || name.ends_with(".md") ||
        name.ends_with(".zst")) {
      continue;
    }
    files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  const AreaResolver& resolver = testing::BuiltInResolver();
  Shares total, x_total;
  for (const fs::path& file : files) {
    source::ReplayOptions options;
    options.files = {file.string()};
    auto replay = source::ReplaySource::Make(options);
    ASSERT_TRUE(replay.ok()) << replay.status().ToString();
    std::vector<Record> records;
    while (!(*replay)->Finished()) {
      ASSERT_TRUE((*replay)->Poll(&records, 256, std::chrono::milliseconds(100)).ok());
    }
    Shares s;
    for (Record& record : records) {
      auto* post = std::get_if<Post>(&record);
      if (!post) continue;
      resolver.Resolve(post);
      ++s.posts;
      ++s.by[static_cast<int>(post->geo_source)];
      s.with_location += !post->author_location.empty();
    }
    if (s.posts == 0) continue;
    Print(fs::relative(file, kDir).string(), s);
    total.Add(s);
    if (file.parent_path().filename().string().starts_with("twitter")) x_total.Add(s);
  }
  Print("all X posts", x_total);
  Print("all posts", total);
  ASSERT_GT(total.posts, 1000u);
  // Floors (README.md): 40% of the X posts carry a profile location and 5% coordinates
  // or a place; about a quarter of the profile texts name no place ("everywhere",
  // "she/her"), and tweepy_v2_tweet_responses (664 posts) has no user fields at all.
  // Bluesky and Mastodon posts carry no location. Measured: 31.6% of X posts, 30.9% of all.
  EXPECT_GE(1.0 * x_total.area() / x_total.posts, 0.30);
  EXPECT_GE(1.0 * total.area() / total.posts, 0.29);
  // Every post with exact coordinates on land resolves by them.
  EXPECT_GT(total.by[static_cast<int>(GeoSource::kCoordinates)], 0u);
  EXPECT_GT(total.by[static_cast<int>(GeoSource::kProfile)], 0u);
}

}  // namespace
}  // namespace hashlake::geo
