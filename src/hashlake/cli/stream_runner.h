#pragma once

#include <arrow/result.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "hashlake/core/config.h"
#include "hashlake/core/progress.h"
#include "hashlake/serve/dashboard_data.h"
#include "hashlake/stream/lake_sinks.h"
#include "hashlake/stream/live_view.h"
#include "hashlake/stream/stream_job.h"
#include "hashlake/stream/stream_metrics.h"

namespace hashlake::cli {

/// Where the stream job's parts go, from the configuration (shared by `demo` and
/// `process`): the lake, the checkpoint directory, the bus.
struct StreamPlaces {
  std::string bus_url;
  std::string lake;
  std::filesystem::path checkpoint_dir;
};
StreamPlaces StreamPlacesFromConfig(const Config& config);

/// The job's options from the configuration: windows, watermark, threads, and the
/// enricher (text cleaning and areas) with the text.* settings.
stream::StreamJobOptions StreamJobOptionsFromConfig(const Config& config,
                                                    const std::filesystem::path& checkpoint_dir);

/// Drives a stream job: one batch at a time, feeding the live view, the metrics, the
/// dashboard's health numbers and a progress line. Also the dashboard's data source.
/// RunBatch/CloseAllWindows from one thread; the DashboardData methods from any.
class StreamRunner final : public serve::DashboardData {
 public:
  /// Opens the lake's tables and the bus consumer, and recovers the job.
  static arrow::Result<std::unique_ptr<StreamRunner>> Make(const Config& config);

  arrow::Result<stream::BatchReport> RunBatch(std::chrono::milliseconds poll_timeout,
                                              std::chrono::milliseconds gather = {});
  arrow::Result<stream::BatchReport> CloseAllWindows();
  /// Finishes the batch whose commits are still in flight: call before stopping.
  arrow::Result<stream::BatchReport> Flush();
  /// Logs the progress line when `every` has passed since the last one.
  void LogProgress(std::chrono::seconds every);

  stream::StreamJob& job() { return *job_; }
  /// Records behind the end of the bus after the last batch; -1 when unknown.
  int64_t lag() const { return lag_.load(); }
  const StreamPlaces& places() const { return places_; }
  /// "posts 1,204 (312/s) · … · lag by partition 0:12 1:0"
  std::string ProgressLine();

  arrow::Result<serve::TopHashtags> Top(Micros window, int k) const override;
  serve::Health HealthInfo() const override;
  std::string PrometheusMetrics() const override { return metrics_.Render(); }
  int64_t LiveVersion() const override { return live_->version(); }

 private:
  StreamRunner(StreamPlaces places, stream::LakeSinks lake, std::unique_ptr<stream::StreamJob> job,
               std::shared_ptr<stream::LiveView> live);
  void Record(const stream::BatchReport& report);

  StreamPlaces places_;
  std::vector<const stream::DeltaSink*> tables_;
  std::unique_ptr<stream::StreamJob> job_;
  std::shared_ptr<stream::LiveView> live_;
  stream::StreamMetrics metrics_;
  Progress progress_;
  std::chrono::steady_clock::time_point last_progress_ = std::chrono::steady_clock::now();
  const Timestamp started_;
  std::atomic<int64_t> posts_{0};
  std::atomic<int64_t> rejected_{0};
  std::atomic<int64_t> watermark_us_{0};
  std::atomic<int64_t> lag_{-1};
  mutable std::mutex mu_;
  std::map<std::string, int64_t> table_versions_;  // GUARDED_BY(mu_)
  std::string lag_by_partition_;                   // GUARDED_BY(mu_)
};

}  // namespace hashlake::cli
