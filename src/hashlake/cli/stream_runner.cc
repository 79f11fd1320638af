#include "hashlake/cli/stream_runner.h"

#include <fmt/core.h>

#include "hashlake/bus/bus.h"
#include "hashlake/cli/post_enrichment.h"
#include "hashlake/core/logging.h"

namespace hashlake::cli {

namespace fs = std::filesystem;

StreamPlaces StreamPlacesFromConfig(const Config& config) {
  const fs::path data_dir = fs::absolute(config.GetString("data.dir")).lexically_normal();
  const std::string app_id = config.GetString("stream.app_id");
  StreamPlaces places;
  places.bus_url = config.GetString("bus.url");
  if (places.bus_url.empty()) {
    places.bus_url = fmt::format("log://{}?partitions={}", (data_dir / "log").string(),
                                 config.GetInt("bus.partitions"));
  }
  places.lake = config.GetString("lake.uri");
  if (places.lake.empty()) places.lake = (data_dir / "lake").string();
  const std::string checkpoint = config.GetString("stream.checkpoint_dir");
  places.checkpoint_dir =
      checkpoint.empty() ? data_dir / "checkpoints" / app_id : fs::path(checkpoint);
  return places;
}

stream::StreamJobOptions StreamJobOptionsFromConfig(const Config& config,
                                                    const fs::path& checkpoint_dir) {
  stream::StreamJobOptions options;
  options.window = config.GetDuration("stream.window");
  options.slide = config.GetDuration("stream.slide");
  options.watermark = config.GetDuration("stream.watermark");
  options.top_k = static_cast<int>(config.GetInt("stream.counts_top_k"));
  options.max_batch = static_cast<size_t>(config.GetInt("stream.max_batch"));
  options.threads = static_cast<int>(config.GetInt("stream.threads"));
  options.checkpoint_dir = checkpoint_dir;
  options.enricher = PostEnricherFactoryFromConfig(config);
  options.pipeline_commits = true;  // the next batch gathers while this one commits
  return options;
}

arrow::Result<std::unique_ptr<StreamRunner>> StreamRunner::Make(const Config& config) {
  StreamPlaces places = StreamPlacesFromConfig(config);
  const std::string app_id = config.GetString("stream.app_id");
  ARROW_ASSIGN_OR_RAISE(auto lake, stream::OpenLakeSinks(places.lake, app_id));
  ARROW_ASSIGN_OR_RAISE(auto consumer, bus::MakeConsumer(places.bus_url, app_id));
  auto live = std::make_shared<stream::LiveView>();
  ARROW_ASSIGN_OR_RAISE(
      auto job, stream::StreamJob::Make(StreamJobOptionsFromConfig(config, places.checkpoint_dir),
                                        std::move(consumer), std::move(lake.sinks), live));
  return std::unique_ptr<StreamRunner>(
      new StreamRunner(std::move(places), std::move(lake), std::move(job), std::move(live)));
}

StreamRunner::StreamRunner(StreamPlaces places, stream::LakeSinks lake,
                           std::unique_ptr<stream::StreamJob> job,
                           std::shared_ptr<stream::LiveView> live)
    : places_(std::move(places)),
      tables_(std::move(lake.tables)),
      job_(std::move(job)),
      live_(std::move(live)),
      started_(SystemClock::Instance().Now()) {
  metrics_.RecordBatch({}, *job_);
  Record({});
}

arrow::Result<stream::BatchReport> StreamRunner::RunBatch(std::chrono::milliseconds timeout,
                                                          std::chrono::milliseconds gather) {
  ARROW_ASSIGN_OR_RAISE(auto report, job_->RunBatch(timeout, gather));
  Record(report);
  return report;
}

arrow::Result<stream::BatchReport> StreamRunner::Flush() {
  ARROW_ASSIGN_OR_RAISE(auto report, job_->Flush());
  Record(report);
  return report;
}

arrow::Result<stream::BatchReport> StreamRunner::CloseAllWindows() {
  ARROW_ASSIGN_OR_RAISE(auto report, job_->CloseAllWindows());
  Record(report);
  return report;
}

void StreamRunner::Record(const stream::BatchReport& report) {
  metrics_.RecordBatch(report, *job_);
  if (report.batch_id >= 0) {
    progress_.Add(report.posts, report.rejected);
    posts_ += report.posts;
    rejected_ += report.rejected;
  }
  progress_.SetWatermark(job_->watermark());
  watermark_us_ = ToMicros(job_->watermark());
  std::string lag_text;
  auto lag = job_->LagByPartition();
  if (lag.ok()) {
    metrics_.RecordLag(*lag);
    int64_t total = 0;
    for (const auto& [partition, behind] : *lag) {
      total += behind.value;
      lag_text += fmt::format("{}{}:{}", lag_text.empty() ? "" : " ", partition.value,
                              FormatCount(behind.value));
    }
    progress_.SetLag(total);
    lag_ = total;
  }
  std::map<std::string, int64_t> versions;
  for (const auto* table : tables_) versions[table->name()] = table->version();
  std::lock_guard lock(mu_);
  table_versions_ = std::move(versions);
  lag_by_partition_ = std::move(lag_text);
}

std::string StreamRunner::ProgressLine() {
  std::string line = progress_.Line();
  std::lock_guard lock(mu_);
  if (!lag_by_partition_.empty()) line += " · lag by partition " + lag_by_partition_;
  return line;
}

void StreamRunner::LogProgress(std::chrono::seconds every) {
  const auto now = std::chrono::steady_clock::now();
  if (now - last_progress_ < every) return;
  last_progress_ = now;
  Logger("stream")->info("{}", ProgressLine());
}

arrow::Result<serve::TopHashtags> StreamRunner::Top(Micros window, int k) const {
  const auto top = live_->Top(window, k);
  serve::TopHashtags out;
  out.window_start = top.window_start;
  out.window_end = top.window_end;
  out.posts = top.posts;
  for (const auto& [tag, count] : top.top) out.top.push_back({tag, count});
  return out;
}

serve::Health StreamRunner::HealthInfo() const {
  serve::Health health;
  health.uptime = SystemClock::Instance().Now() - started_;
  health.posts_ingested = posts_.load();
  health.posts_rejected = rejected_.load();
  const int64_t watermark = watermark_us_.load();
  if (watermark > 0) {
    health.lag = std::max(Micros{0}, SystemClock::Instance().Now() - FromMicros(watermark));
  }
  std::lock_guard lock(mu_);
  health.table_versions = table_versions_;
  return health;
}

}  // namespace hashlake::cli
