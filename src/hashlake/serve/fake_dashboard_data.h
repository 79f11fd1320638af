#pragma once

// Test-only (not part of hashlake_serve): a DashboardData made up from the clock.

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "hashlake/serve/dashboard_data.h"

namespace hashlake::serve {

/// Counts for a fixed set of hashtags that change every second: weights times the window
/// length plus a per-second pseudo-random wobble, so rankings shift now and then.
/// Thread-safe.
class FakeDashboardData : public DashboardData {
 public:
  FakeDashboardData();

  arrow::Result<TopHashtags> Top(std::chrono::microseconds window, int k) const override;
  Health HealthInfo() const override;

  /// While set, Top() fails with an IOError (to test the 503 path).
  void set_failing(bool failing) { failing_.store(failing); }
  /// Calls of Top() so far.
  int64_t top_calls() const { return top_calls_.load(); }
  int64_t LiveVersion() const override { return live_version_.load(); }
  /// As if new posts had reached the live view.
  void AddNews() { live_version_.fetch_add(1); }

 private:
  struct Tag {
    std::string name;
    double per_second;
  };
  std::vector<Tag> tags_;
  std::chrono::steady_clock::time_point started_;
  std::atomic<bool> failing_{false};
  mutable std::atomic<int64_t> top_calls_{0};
  std::atomic<int64_t> live_version_{0};
};

}  // namespace hashlake::serve
