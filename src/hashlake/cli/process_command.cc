// `hashlake process`: the long-running stream job, bus -> lake, as Spark Structured
// Streaming runs it: micro-batches on a trigger, a graceful stop on SIGTERM/SIGINT, and
// `--available-now` for everything present at start (Trigger.AvailableNow).
#include <fmt/core.h>

#include <atomic>

#include "hashlake/cli/command.h"
#include "hashlake/cli/stream_runner.h"
#include "hashlake/core/logging.h"
#include "hashlake/serve/server.h"

namespace hashlake::cli {
namespace {

using std::chrono::milliseconds;

struct ProcessFlags {
  bool available_now = false;
  bool close_windows = false;
  bool serve = false;
};

// True once every partition has been read up to `ends`.
bool ReachedEnds(const bus::OffsetMap& positions, const bus::OffsetMap& ends) {
  for (const auto& [partition, end] : ends) {
    const auto it = positions.find(partition);
    if (end.value > 0 && (it == positions.end() || it->second < end)) return false;
  }
  return true;
}

// Available-now is a batch job over the whole topic, as Spark's: on Kafka it reads every
// partition itself (assign=all) unless the URL says otherwise, rather than the share a
// consumer group would give it (a member killed a moment ago still holds its share).
std::string AvailableNowBusUrl(std::string url) {
  if (url.rfind("kafka://", 0) != 0 || url.find("assign=") != std::string::npos) return url;
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "assign=all";
}

arrow::Status RunProcess(Config config, const ProcessFlags& flags) {
  ARROW_RETURN_NOT_OK(
      ConfigureLogging(config.GetString("log.level"), config.GetString("log.format")));
  auto log = Logger("process");
  if (flags.available_now) {
    ARROW_RETURN_NOT_OK(
        config.Set("bus.url", AvailableNowBusUrl(StreamPlacesFromConfig(config).bus_url)));
  }
  ARROW_ASSIGN_OR_RAISE(auto runner, StreamRunner::Make(config));
  const auto& places = runner->places();
  std::unique_ptr<serve::Server> server;
  if (flags.serve) {
    serve::ServerOptions options;
    options.bind_address = config.GetString("serve.host");
    options.port = static_cast<uint16_t>(config.GetInt("serve.port"));
    ARROW_ASSIGN_OR_RAISE(server, serve::Server::Make(options, *runner));
    ARROW_RETURN_NOT_OK(server->Start());
    log->info("dashboard and /metrics on http://{}:{}/", options.bind_address, server->port());
  }
  log->info("{} -> {} (checkpoint {})", places.bus_url, places.lake,
            places.checkpoint_dir.string());

  // Available-now: the end of each partition at start, as Spark's Trigger.AvailableNow.
  bus::OffsetMap ends_at_start;
  if (flags.available_now) {
    ARROW_ASSIGN_OR_RAISE(auto lag, runner->job().LagByPartition(/*exact=*/true));
    const auto positions = runner->job().positions();
    for (const auto& [partition, behind] : lag) {
      ends_at_start[partition] = bus::Offset{positions.at(partition).value + behind.value};
    }
  }
  InstallStopSignals();
  const auto trigger =
      std::chrono::duration_cast<milliseconds>(config.GetDuration("stream.trigger"));
  while (!StopRequested()) {
    if (flags.available_now && ReachedEnds(runner->job().positions(), ends_at_start)) break;
    // Available-now runs batches back to back; a live job gathers a trigger's worth of
    // records per batch, showing each in the live view as it arrives.
    ARROW_RETURN_NOT_OK(flags.available_now ? runner->RunBatch(milliseconds(500)).status()
                                            : runner->RunBatch(trigger, trigger).status());
    runner->LogProgress(std::chrono::seconds(2));
  }
  ARROW_RETURN_NOT_OK(runner->Flush().status());
  if (flags.close_windows && !StopRequested()) {
    ARROW_RETURN_NOT_OK(runner->CloseAllWindows().status());
  }
  if (server) server->Stop();
  log->info("{}: {}", StopRequested() ? "stopped" : "done", runner->ProgressLine());
  fmt::print("{{\"posts\":{},\"watermark\":\"{}\",\"late\":{}}}\n",
             runner->HealthInfo().posts_ingested, FormatRfc3339(runner->job().watermark()),
             runner->job().late_records());
  return arrow::Status::OK();
}

}  // namespace

void AddProcessCommand(CLI::App& root, CommandContext& context) {
  auto* process = root.add_subcommand(
      "process",
      "Run the stream job: read posts from the bus, clean them, window and count them by "
      "event time, and commit every batch to the lake's Delta tables exactly once. Runs "
      "until SIGTERM/SIGINT (finishing the batch in flight) or, with --available-now, until "
      "what the bus held at start is processed.");
  auto flags = std::make_shared<ProcessFlags>();
  auto config_flags = std::make_shared<ConfigFlags>(process);
  auto bind = [&config_flags](const std::string& flag, const std::string& key,
                              const std::string& help) { config_flags->Bind(flag, key, help); };
  bind("--from", "bus.url", "The bus: kafka://host:port/topic or log:///dir");
  bind("--lake", "lake.uri", "Where the tables go: a directory or s3://bucket/prefix");
  bind("--group", "stream.app_id", "Consumer group and Delta txn appId of this job");
  bind("--checkpoint", "stream.checkpoint_dir", "Checkpoint directory (plans, window state)");
  bind("--window", "stream.window", "Window length, e.g. 1m");
  bind("--slide", "stream.slide", "Sliding windows: a new window every this long; 0s = tumbling");
  bind("--watermark", "stream.watermark", "Allowed lateness, e.g. 30s");
  bind("--trigger", "stream.trigger", "Micro-batch interval, e.g. 1s");
  bind("--threads", "stream.threads", "Worker threads decoding, cleaning and locating posts");
  bind("--port", "serve.port", "With --serve: the port of the dashboard and /metrics");
  bind("--data", "data.dir", "Default root of the checkpoint and lake directories");
  process->add_flag("--available-now", flags->available_now,
                    "Process what the bus holds at start, commit, and exit 0 (on Kafka, every "
                    "partition: assign=all unless the URL sets assign)");
  process->add_flag("--close-windows", flags->close_windows,
                    "The input is complete: after the last batch, close every open window "
                    "and write its rows (later records for them count as late)");
  process->add_flag("--serve", flags->serve,
                    "Serve the live dashboard (open windows, update mode) and /metrics");
  process->callback([&context, flags, config_flags] {
    auto config = config_flags->Load(context);
    if (!config.ok()) {
      PrintError(config.status().message());
      context.exit_code = kExitUsage;
      return;
    }
    const auto status = RunProcess(*config, *flags);
    if (!status.ok()) {
      PrintError(status.message());
      context.exit_code = status.IsInvalid() ? kExitUsage : kExitFailure;
    }
  });
}

}  // namespace hashlake::cli
