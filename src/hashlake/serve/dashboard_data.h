#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <arrow/result.h>

#include "hashlake/core/time.h"

namespace hashlake::serve {

/// One bar of the top-hashtags chart.
struct HashtagCount {
  std::string hashtag;  ///< case-folded, without '#'
  int64_t count = 0;
};

/// The most frequent hashtags in [window_start, window_end).
struct TopHashtags {
  Timestamp window_start;
  Timestamp window_end;
  int64_t posts = 0;                ///< posts whose event time falls in the window
  std::vector<HashtagCount> top;    ///< by count descending, at most k entries
};

/// What `/api/health` reports about the pipeline feeding the dashboard.
struct Health {
  std::string status = "ok";           ///< "ok", "starting", "degraded", ...
  std::chrono::microseconds uptime{0};
  int64_t posts_ingested = 0;          ///< accepted posts since start
  int64_t posts_rejected = 0;          ///< dead-lettered posts since start
  std::chrono::microseconds lag{0};    ///< wall clock minus the watermark; 0 when unknown
  std::map<std::string, int64_t> table_versions;  ///< Delta table name -> latest version
};

/// The seam between the server and whatever computes the numbers (the stream engine,
/// a lake reader, a test fake). The server never owns it and calls it from any of its
/// threads, concurrently: implementations must be thread-safe and should answer fast
/// (they are called once per request and once per second per live stream).
class DashboardData {
 public:
  virtual ~DashboardData() = default;

  /// The top `k` (1..100) hashtags over the last `window` (> 0). An error becomes a 503.
  virtual arrow::Result<TopHashtags> Top(std::chrono::microseconds window, int k) const = 0;

  virtual Health HealthInfo() const = 0;

  /// Changes whenever the live data changes, so that live streams push news at once
  /// rather than on their next tick; a constant (the default) means "only on ticks".
  virtual int64_t LiveVersion() const { return 0; }

  /// Prometheus text exposition of the pipeline's metrics for `/metrics`; empty when
  /// there are none (the server then answers 404).
  virtual std::string PrometheusMetrics() const { return {}; }
};

}  // namespace hashlake::serve
