// `hashlake demo`: the whole pipeline in one process on embedded defaults:
// source -> embedded log -> stream job -> Delta tables -> dashboard.
#include <atomic>
#include <filesystem>
#include <optional>
#include <thread>

#include <fmt/core.h>

#include "hashlake/bus/bus.h"
#include "hashlake/cli/command.h"
#include "hashlake/cli/source_from_config.h"
#include "hashlake/cli/stream_runner.h"
#include "hashlake/core/bus_message.h"
#include "hashlake/core/logging.h"
#include "hashlake/serve/server.h"

namespace hashlake::cli {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

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
  ARROW_ASSIGN_OR_RAISE(auto source, SourceFromConfig(config));
  ARROW_ASSIGN_OR_RAISE(auto runner, StreamRunner::Make(config));
  const StreamPlaces& places = runner->places();
  ARROW_ASSIGN_OR_RAISE(auto producer, bus::MakeProducer(places.bus_url));

  serve::ServerOptions server_options;
  server_options.bind_address = config.GetString("serve.host");
  server_options.port = static_cast<uint16_t>(config.GetInt("serve.port"));
  ARROW_ASSIGN_OR_RAISE(auto server, serve::Server::Make(server_options, *runner));
  ARROW_RETURN_NOT_OK(server->Start());
  const std::string host = server_options.bind_address == "0.0.0.0" ? "127.0.0.1"
                                                                     : server_options.bind_address;
  fmt::print("hashlake demo: {} -> {} -> {}\n", source->Describe(), places.bus_url, places.lake);
  fmt::print("dashboard: http://{}:{}/\n", host, server->port());
  std::fflush(stdout);

  InstallStopSignals();

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
  bool windows_closed = false;
  arrow::Status status;
  while (!StopRequested() && (!deadline || std::chrono::steady_clock::now() < *deadline)) {
    // A trigger's worth of records per batch, each shown live as it arrives.
    status = runner->RunBatch(trigger, trigger).status();
    if (!status.ok()) break;
    if (collector_done.load() && !collect_status.ok()) break;
    // Bounded input fully read: close the remaining windows so their counts land.
    if (collector_done.load() && !windows_closed && runner->lag() == 0) {
      status = runner->CloseAllWindows().status();
      if (!status.ok()) break;
      windows_closed = true;
      log->info("{} finished: all windows closed; still serving (Ctrl-C to stop)",
                source->Describe());
    }
    runner->LogProgress(std::chrono::seconds(2));
  }

  // Graceful stop: stop the source, commit what reached the bus, then stop serving.
  stop_collector = true;
  source->Stop();
  collector.join();
  if (status.ok() && collect_status.ok()) status = runner->RunBatch(milliseconds(0)).status();
  if (status.ok()) status = runner->Flush().status();
  server->Stop();
  log->info("stopped: {}", runner->ProgressLine());
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
