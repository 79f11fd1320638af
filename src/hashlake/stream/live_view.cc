#include "hashlake/stream/live_view.h"

#include <algorithm>

namespace hashlake::stream {

LiveView::LiveView(Micros retention, Micros bucket) : retention_(retention), bucket_(bucket) {}

void LiveView::Add(Timestamp event_time, const std::vector<std::string>& hashtags) {
  const int64_t us = ToMicros(event_time);
  const int64_t start = us - ((us % bucket_.count()) + bucket_.count()) % bucket_.count();
  std::lock_guard lock(mu_);
  if (!buckets_.empty() && start < latest_us_ - retention_.count()) return;  // too old to show
  latest_us_ = std::max(latest_us_, us);
  // Buckets stay sorted; posts arrive nearly in order, so search from the back.
  auto it = buckets_.end();
  while (it != buckets_.begin() && std::prev(it)->start_us > start) --it;
  if (it == buckets_.begin() || std::prev(it)->start_us != start) {
    it = buckets_.insert(it, Bucket{start, 0, {}});
  } else {
    --it;
  }
  ++it->posts;
  for (const auto& tag : hashtags) ++it->counts[tag];
  EvictLocked();
  version_.fetch_add(1, std::memory_order_release);
}

void LiveView::EvictLocked() {
  while (!buckets_.empty() && buckets_.front().start_us < latest_us_ - retention_.count()) {
    buckets_.pop_front();
  }
}

TopHashtags LiveView::Top(Micros window, int k) const {
  TopHashtags result;
  std::unordered_map<std::string, int64_t> totals;
  {
    std::lock_guard lock(mu_);
    const int64_t from = latest_us_ - window.count();
    result.window_end = FromMicros(latest_us_);
    result.window_start = FromMicros(from);
    for (auto it = buckets_.rbegin(); it != buckets_.rend() && it->start_us + bucket_.count() > from;
         ++it) {
      result.posts += it->posts;
      for (const auto& [tag, count] : it->counts) totals[tag] += count;
    }
  }
  result.top.assign(totals.begin(), totals.end());
  const auto by_count = [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  };
  const size_t keep = std::min(result.top.size(), static_cast<size_t>(std::max(k, 0)));
  std::partial_sort(result.top.begin(), result.top.begin() + static_cast<std::ptrdiff_t>(keep),
                    result.top.end(), by_count);
  result.top.resize(keep);
  return result;
}

std::vector<std::pair<Timestamp, int64_t>> LiveView::Volume(Micros window) const {
  std::vector<std::pair<Timestamp, int64_t>> out;
  std::lock_guard lock(mu_);
  const int64_t from = latest_us_ - window.count();
  for (const auto& bucket : buckets_) {
    if (bucket.start_us + bucket_.count() > from) out.emplace_back(FromMicros(bucket.start_us), bucket.posts);
  }
  return out;
}

Timestamp LiveView::latest() const {
  std::lock_guard lock(mu_);
  return FromMicros(latest_us_);
}

}  // namespace hashlake::stream
