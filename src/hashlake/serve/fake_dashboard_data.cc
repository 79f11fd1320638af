#include "hashlake/serve/fake_dashboard_data.h"

#include <algorithm>
#include <cstdint>

#include <arrow/status.h>

namespace hashlake::serve {
namespace {

uint64_t Mix(uint64_t x) {  // splitmix64 finalizer
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

FakeDashboardData::FakeDashboardData() : started_(std::chrono::steady_clock::now()) {
  const char* names[] = {"ai",        "climate",   "worldcup", "election", "crypto",
                         "music",     "nba",       "space",    "rust",     "cplusplus",
                         "photography", "gaming",  "movies",   "science",  "travel",
                         "food",      "bitcoin",   "f1",       "art",      "books",
                         "health",    "fashion",   "coffee",   "cats",     "dogs",
                         "python",    "opensource", "weather", "marathon", "jazz"};
  double rate = 40.0;
  for (const char* name : names) {
    tags_.push_back({name, rate});
    rate *= 0.88;
  }
}

arrow::Result<TopHashtags> FakeDashboardData::Top(std::chrono::microseconds window,
                                                  int k) const {
  top_calls_.fetch_add(1);
  if (failing_.load()) return arrow::Status::IOError("fake data set to fail");
  auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const uint64_t tick = static_cast<uint64_t>(now.time_since_epoch().count());
  const double seconds = std::chrono::duration<double>(window).count();
  TopHashtags out;
  out.window_end = std::chrono::time_point_cast<Micros>(now);
  out.window_start = out.window_end - window;
  std::vector<HashtagCount> all;
  int64_t tagged = 0;
  for (size_t i = 0; i < tags_.size(); ++i) {
    // Wobble of up to +-35% that changes every second.
    double wobble = 0.65 + 0.7 * static_cast<double>(Mix(tick * 131 + i) % 1000) / 1000.0;
    auto count = static_cast<int64_t>(tags_[i].per_second * seconds * wobble);
    tagged += count;
    if (count > 0) all.push_back({tags_[i].name, count});
  }
  std::sort(all.begin(), all.end(), [](const HashtagCount& a, const HashtagCount& b) {
    return a.count != b.count ? a.count > b.count : a.hashtag < b.hashtag;
  });
  if (all.size() > static_cast<size_t>(k)) all.resize(static_cast<size_t>(k));
  out.top = std::move(all);
  out.posts = tagged * 3;  // most posts carry no hashtag
  return out;
}

Health FakeDashboardData::HealthInfo() const {
  auto uptime = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - started_);
  const double seconds = std::chrono::duration<double>(uptime).count();
  Health health;
  health.status = "ok";
  health.uptime = uptime;
  health.posts_ingested = static_cast<int64_t>(seconds * 850.0);
  health.posts_rejected = static_cast<int64_t>(seconds * 3.0);
  health.lag = std::chrono::milliseconds(420);
  health.table_versions = {{"posts", static_cast<int64_t>(seconds / 5)},
                           {"hashtag_counts", static_cast<int64_t>(seconds / 5)}};
  return health;
}

}  // namespace hashlake::serve
