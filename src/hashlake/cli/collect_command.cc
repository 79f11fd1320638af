// `hashlake collect`: a source -> a bus topic (Kafka or the embedded log), nothing else.
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <fmt/core.h>

#include "hashlake/bus/bus.h"
#include "hashlake/cli/command.h"
#include "hashlake/cli/source_from_config.h"
#include "hashlake/core/bus_message.h"
#include "hashlake/core/logging.h"
#include "hashlake/core/progress.h"

namespace hashlake::cli {

void AddCollectCommand(CLI::App& root, CommandContext& context);

namespace {

using std::chrono::milliseconds;

// How often collected records are flushed: durable on the embedded log, acknowledged by
// all in-sync replicas on Kafka. Kafka batches in between on its own.
constexpr auto kFlushInterval = milliseconds(500);
constexpr auto kProgressInterval = std::chrono::seconds(2);

struct CollectFlags {
  std::string to;
  int64_t limit = 0;
};

struct CollectTotals {
  int64_t posts = 0;
  int64_t rejected = 0;
};

arrow::Status RunCollect(const Config& config, const CollectFlags& flags, CollectTotals* totals) {
  auto log = Logger("collect");
  ARROW_ASSIGN_OR_RAISE(auto source, SourceFromConfig(config));
  ARROW_ASSIGN_OR_RAISE(auto producer, bus::MakeProducer(flags.to));
  log->info("collecting {} -> {}{}", source->Describe(), flags.to,
            flags.limit > 0 ? fmt::format(" (limit {} posts)", flags.limit) : "");
  InstallStopSignals();

  Progress progress;
  if (flags.limit > 0) progress.SetTotal(flags.limit);
  CollectTotals sent;  // handed to the producer; counted in `totals` once flushed
  int64_t bytes = 0;
  const auto started = std::chrono::steady_clock::now();
  auto last_flush = started;
  auto last_progress = last_flush;
  auto flush = [&]() -> arrow::Status {
    ARROW_RETURN_NOT_OK(producer->Flush());
    *totals = sent;
    last_flush = std::chrono::steady_clock::now();
    return arrow::Status::OK();
  };
  std::vector<Record> records;
  while (!StopRequested() && !source->Finished() &&
         (flags.limit == 0 || sent.posts < flags.limit)) {
    records.clear();
    const std::size_t want =
        flags.limit == 0 ? 2000 : static_cast<std::size_t>(std::min<int64_t>(
                                      2000, flags.limit - sent.posts));
    ARROW_RETURN_NOT_OK(source->Poll(&records, want, milliseconds(100)));
    const Timestamp now = SystemClock::Instance().Now();
    int64_t posts = 0, rejected = 0;
    for (const auto& record : records) {
      if (flags.limit > 0 && sent.posts + posts >= flags.limit) break;
      bus::Message message{RecordKey(record), EncodeRecord(record), now};
      bytes += static_cast<int64_t>(message.key.size() + message.value.size());
      ARROW_RETURN_NOT_OK(producer->Send(message));
      (std::holds_alternative<Post>(record) ? posts : rejected) += 1;
    }
    sent.posts += posts;
    sent.rejected += rejected;
    progress.Add(posts, rejected);
    const auto t = std::chrono::steady_clock::now();
    if (t - last_flush >= kFlushInterval) ARROW_RETURN_NOT_OK(flush());
    if (t - last_progress >= kProgressInterval) {
      log->info("{}", progress.Line());
      last_progress = t;
    }
  }
  // Graceful end (limit, end of input or a signal): everything sent is flushed first.
  source->Stop();
  ARROW_RETURN_NOT_OK(flush());
  if (StopRequested()) log->info("stopped by signal");
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  log->info("sent {} records, {} bytes in {:.3f} s ({:.0f} records/s, {:.2f} MB/s)",
            sent.posts + sent.rejected, bytes, seconds, (sent.posts + sent.rejected) / seconds,
            bytes / seconds / 1e6);
  return arrow::Status::OK();
}

}  // namespace

void AddCollectCommand(CLI::App& root, CommandContext& context) {
  auto* collect = root.add_subcommand(
      "collect",
      "Collect posts from a source into a bus topic: kafka://HOST:PORT/TOPIC or log://DIR/TOPIC. "
      "Prints 'produced N posts, rejected M' on exit.");
  auto flags = std::make_shared<CollectFlags>();
  auto config_flags = std::make_shared<ConfigFlags>(collect);
  auto bind = [&config_flags](const std::string& flag, const std::string& key,
                              const std::string& help) { config_flags->Bind(flag, key, help); };
  bind("--source", "source.kind", "Where posts come from");
  bind("--rate", "synth.rate", "Synthetic posts per second; 0 = as fast as possible");
  bind("--seed", "synth.seed", "Seed of the synthetic feed");
  bind("--speed", "source.speed", "Replay speed: 1 = real time, 0 = max");
  config_flags->BindReplayFiles();
  collect->add_option("--limit", flags->limit, "Stop after N posts (default 0: no limit)")
      ->check(CLI::NonNegativeNumber);
  collect
      ->add_option("--to", flags->to,
                   "Bus topic URL: kafka://HOST:PORT[,HOST:PORT]/TOPIC[?k=v…] or log://DIR/TOPIC")
      ->required();
  collect->callback([&context, flags, config_flags] {
    auto config = config_flags->Load(context);
    arrow::Status status = config.status();
    if (status.ok()) {
      status = ConfigureLogging(config->GetString("log.level"), config->GetString("log.format"));
    }
    if (!status.ok()) {
      PrintError(status.message());
      context.exit_code = kExitUsage;
      return;
    }
    CollectTotals totals;
    status = RunCollect(*config, *flags, &totals);
    fmt::print("produced {} posts, rejected {}\n", totals.posts, totals.rejected);
    std::fflush(stdout);
    if (!status.ok()) {
      PrintError(status.message());
      context.exit_code = status.IsInvalid() || status.IsKeyError() ? kExitUsage : kExitFailure;
    }
  });
}

}  // namespace hashlake::cli
