// `hashlake demo`: the whole pipeline in one process on embedded defaults:
// source -> embedded log -> stream job -> Delta tables -> dashboard.
#include <atomic>
#include <csignal>
#include <filesystem>
#include <optional>
#include <thread>

#include <fmt/core.h>

#include "hashlake/bus/bus.h"
#include "hashlake/cli/command.h"
#include "hashlake/cli/source_from_config.h"
#include "hashlake/core/bus_message.h"
#include "hashlake/core/logging.h"
#include "hashlake/core/progress.h"
#include "hashlake/serve/server.h"
#include "hashlake/stream/delta_sink.h"
#include "hashlake/stream/hashtag_job.h"
#include "hashlake/stream/tables.h"

namespace hashlake::cli {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

std::atomic<bool> g_stop{false};

extern "C" void OnStopSignal(int) { g_stop.store(true); }

/// What the dashboard reads: the stream's live view plus pipeline counters.
class DemoDashboard final : public serve::DashboardData {
 public:
  explicit DemoDashboard(std::shared_ptr<stream::LiveView> view)
      : view_(std::move(view)), started_(SystemClock::Instance().Now()) {}

  arrow::Result<serve::TopHashtags> Top(Micros window, int k) const override {
    const auto top = view_->Top(window, k);
    serve::TopHashtags out;
    out.window_start = top.window_start;
    out.window_end = top.window_end;
    out.posts = top.posts;
    for (const auto& [tag, count] : top.top) out.top.push_back({tag, count});
    return out;
  }

  serve::Health HealthInfo() const override {
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

  void Record(const stream::BatchReport& report, const std::map<std::string, int64_t>& versions) {
    posts_ += report.posts;
    rejected_ += report.rejected;
    watermark_us_ = ToMicros(report.watermark);
    std::lock_guard lock(mu_);
    table_versions_ = versions;
  }

 private:
  std::shared_ptr<stream::LiveView> view_;
  const Timestamp started_;
  std::atomic<int64_t> posts_{0};
  std::atomic<int64_t> rejected_{0};
  std::atomic<int64_t> watermark_us_{0};
  mutable std::mutex mu_;
  std::map<std::string, int64_t> table_versions_;  // GUARDED_BY(mu_)
};

struct DemoFlags {
  std::optional<double> duration_s;
};

// Moves records from the source to the bus until stopped or the source ends.
// Runs on its own thread; owns `source` and `producer` while it runs.
arrow::Status Collect(source::Source& source, bus::Producer& producer, std::atomic<bool>& stop) {
  std::vector<Record> records;
  auto last_flush = std::chrono::steady_clock::now();
  while (!stop.load() && !source.Finished()) {
    records.clear();
    ARROW_RETURN_NOT_OK(source.Poll(&records, 2000, milliseconds(100)));
    const Timestamp now = SystemClock::Instance().Now();
    for (const auto& record : records) {
      ARROW_RETURN_NOT_OK(producer.Send({RecordKey(record), EncodeRecord(record), now}));
    }
    // Flushing makes records durable and visible to the stream job; batch the fsyncs.
    if (std::chrono::steady_clock::now() - last_flush > milliseconds(100)) {
      ARROW_RETURN_NOT_OK(producer.Flush());
      last_flush = std::chrono::steady_clock::now();
    }
  }
  return producer.Flush();
}

arrow::Status RunDemo(const Config& config, const DemoFlags& flags) {
  auto log = Logger("demo");
  ARROW_RETURN_NOT_OK(ConfigureLogging(config.GetString("log.level"), config.GetString("log.format")));
  const fs::path data_dir = fs::absolute(config.GetString("data.dir")).lexically_normal();
  const std::string app_id = config.GetString("stream.app_id");
  std::string bus_url = config.GetString("bus.url");
  if (bus_url.empty()) {
    bus_url = fmt::format("log://{}?partitions={}", (data_dir / "log").string(),
                          config.GetInt("bus.partitions"));
  }

  ARROW_ASSIGN_OR_RAISE(auto source, SourceFromConfig(config));
  ARROW_ASSIGN_OR_RAISE(auto producer, bus::MakeProducer(bus_url));
  ARROW_ASSIGN_OR_RAISE(auto consumer, bus::MakeConsumer(bus_url, app_id));

  const fs::path lake = data_dir / "lake";
  stream::HashtagJobSinks sinks;
  ARROW_ASSIGN_OR_RAISE(auto posts_sink, stream::DeltaSink::Make((lake / "posts").string(),
                                                                 *stream::PostsSchema(), {"date"}, app_id));
  ARROW_ASSIGN_OR_RAISE(auto counts_sink,
                        stream::DeltaSink::Make((lake / "hashtag_counts").string(),
                                                *stream::HashtagCountsSchema(), {"date"}, app_id));
  ARROW_ASSIGN_OR_RAISE(auto rejected_sink,
                        stream::DeltaSink::Make((lake / "rejected").string(),
                                                *stream::RejectedSchema(), {"date"}, app_id));
  stream::DeltaSink* sink_views[] = {posts_sink.get(), counts_sink.get(), rejected_sink.get()};
  sinks.posts = std::move(posts_sink);
  sinks.hashtag_counts = std::move(counts_sink);
  sinks.rejected = std::move(rejected_sink);

  auto live = std::make_shared<stream::LiveView>();
  stream::HashtagJobOptions job_options;
  job_options.window = config.GetDuration("stream.window");
  job_options.watermark = config.GetDuration("stream.watermark");
  job_options.max_batch = static_cast<size_t>(config.GetInt("stream.max_batch"));
  job_options.checkpoint_dir = data_dir / "checkpoints" / app_id;
  ARROW_ASSIGN_OR_RAISE(auto job, stream::HashtagJob::Make(job_options, std::move(consumer),
                                                           std::move(sinks), live));

  DemoDashboard dashboard(live);
  serve::ServerOptions server_options;
  server_options.bind_address = config.GetString("serve.host");
  server_options.port = static_cast<uint16_t>(config.GetInt("serve.port"));
  ARROW_ASSIGN_OR_RAISE(auto server, serve::Server::Make(server_options, dashboard));
  ARROW_RETURN_NOT_OK(server->Start());
  const std::string host = server_options.bind_address == "0.0.0.0" ? "127.0.0.1"
                                                                     : server_options.bind_address;
  fmt::print("hashlake demo: {} -> {} -> {}\n", source->Describe(), bus_url, lake.string());
  fmt::print("dashboard: http://{}:{}/\n", host, server->port());
  std::fflush(stdout);

  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);

  std::atomic<bool> stop_collector{false};
  arrow::Status collect_status;
  std::atomic<bool> collector_done{false};
  std::thread collector([&] {
    collect_status = Collect(*source, *producer, stop_collector);
    collector_done = true;
  });

  const auto trigger = std::chrono::duration_cast<milliseconds>(config.GetDuration("stream.trigger"));
  const auto started = std::chrono::steady_clock::now();
  const auto deadline =
      flags.duration_s ? std::optional(started + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                     std::chrono::duration<double>(*flags.duration_s)))
                       : std::nullopt;
  Progress progress;
  auto last_progress = std::chrono::steady_clock::now();
  bool windows_closed = false;
  arrow::Status status;
  auto versions = [&] {
    std::map<std::string, int64_t> out;
    for (const auto* sink : sink_views) out[sink->name()] = sink->version();
    return out;
  };
  auto run_batch = [&](milliseconds timeout) -> arrow::Status {
    ARROW_ASSIGN_OR_RAISE(auto report, job->RunBatch(timeout));
    if (report.batch_id >= 0) {
      progress.Add(report.posts, report.rejected);
      progress.SetWatermark(report.watermark);
      dashboard.Record(report, versions());
    }
    return arrow::Status::OK();
  };
  while (!g_stop.load() && (!deadline || std::chrono::steady_clock::now() < *deadline)) {
    const auto batch_start = std::chrono::steady_clock::now();
    status = run_batch(milliseconds(100));
    if (!status.ok()) break;
    if (collector_done.load() && !collect_status.ok()) break;
    auto lag = job->Lag();
    if (lag.ok()) progress.SetLag(*lag);
    // Bounded input fully read: close the remaining windows so their counts land.
    if (collector_done.load() && !windows_closed && lag.ok() && *lag == 0) {
      ARROW_ASSIGN_OR_RAISE(auto report, job->CloseAllWindows());
      dashboard.Record(report, versions());
      windows_closed = true;
      log->info("{} finished: all windows closed; still serving (Ctrl-C to stop)",
                source->Describe());
    }
    if (std::chrono::steady_clock::now() - last_progress > std::chrono::seconds(2)) {
      log->info("{}", progress.Line());
      last_progress = std::chrono::steady_clock::now();
    }
    const auto spent = std::chrono::steady_clock::now() - batch_start;
    if (spent < trigger) std::this_thread::sleep_for(trigger - spent);
  }

  // Graceful stop: stop the source, commit what reached the bus, then stop serving.
  stop_collector = true;
  source->Stop();
  collector.join();
  if (status.ok() && collect_status.ok()) status = run_batch(milliseconds(0));
  server->Stop();
  log->info("stopped: {}", progress.Line());
  ARROW_RETURN_NOT_OK(collect_status);
  return status;
}

}  // namespace

void AddDemoCommand(CLI::App& root, CommandContext& context) {
  auto* demo = root.add_subcommand(
      "demo", "Run the whole pipeline in one process: a feed -> the embedded log -> the stream "
              "job -> Delta tables -> the live dashboard. Runs until Ctrl-C or --duration.");
  auto flags = std::make_shared<DemoFlags>();
  auto config_flags = std::make_shared<ConfigFlags>(demo);
  auto bind = [&config_flags](const std::string& flag, const std::string& key,
                              const std::string& help) { config_flags->Bind(flag, key, help); };
  bind("--data", "data.dir", "Directory for the embedded log (DIR/log) and the lake (DIR/lake)");
  bind("--port", "serve.port", "Dashboard port on 127.0.0.1; 0 picks a free one");
  bind("--source", "source.kind", "Feed: synth, replay, x, bluesky or mastodon");
  bind("--window", "stream.window", "Tumbling window length, e.g. 1m or 2s");
  bind("--watermark", "stream.watermark", "Allowed lateness before a window closes, e.g. 10s");
  bind("--trigger", "stream.trigger", "Micro-batch interval, e.g. 1s");
  bind("--rate", "synth.rate", "Synthetic posts per second");
  bind("--seed", "synth.seed", "Seed of the synthetic feed");
  bind("--speed", "source.speed", "Replay speed: 1 = real time, 10 = ten times, 0 = max");
  config_flags->BindReplayFiles();
  demo->add_option("--duration", flags->duration_s, "Stop after this many seconds")
      ->check(CLI::PositiveNumber);
  demo->callback([&context, flags, config_flags] {
    auto config = config_flags->Load(context);
    if (!config.ok()) {
      PrintError(config.status().message());
      context.exit_code = kExitUsage;
      return;
    }
    const auto status = RunDemo(*config, *flags);
    if (!status.ok()) {
      PrintError(status.message());
      context.exit_code = kExitFailure;
    }
  });
}

}  // namespace hashlake::cli
