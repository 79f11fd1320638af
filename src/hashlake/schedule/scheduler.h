#pragma once

#include <arrow/result.h>

#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hashlake/core/time.h"
#include "hashlake/schedule/pipeline.h"
#include "hashlake/schedule/process.h"
#include "hashlake/schedule/run_history.h"

namespace hashlake::schedule {

struct SchedulerOptions {
  /// What "hashlake" as a command's program means: normally /proc/self/exe.
  std::string hashlake_binary = "hashlake";
  /// Working directory of every child; empty = the scheduler's own.
  std::filesystem::path cwd;
  /// Bytes of output kept in a run record's log_tail.
  size_t log_tail_bytes = 4096;
  /// How many finished runs the status JSON lists.
  size_t recent_runs = 20;
};

/// Runs a pipeline: supervises its services and runs its flows on their triggers.
///
/// Single-threaded and driven from outside: `Start()` once, then `Tick()` repeatedly (the
/// CLI every 50 ms; tests after moving a ManualClock), `RequestStop()` on SIGTERM, and
/// `Tick()` until `Stopped()`. Every decision uses the injected clock; every child comes from
/// the injected runner. Not thread-safe: one thread owns it. The clock and runner must
/// outlive it.
class Scheduler {
 public:
  static arrow::Result<std::unique_ptr<Scheduler>> Make(Pipeline pipeline, const Clock& clock,
                                                        ProcessRunner& runner,
                                                        SchedulerOptions options = {});
  ~Scheduler();

  /// Opens the history (marking runs a previous process left "running" as "abandoned"),
  /// plans catch-up for ticks missed while down, and starts the services.
  arrow::Status Start();
  /// One step: reaps children, captures output, enforces timeouts, restarts services, starts
  /// due runs and retries, writes status.json when something changed.
  arrow::Status Tick();
  /// SIGTERM to every child now, SIGKILL to those still there after pipeline.stop_grace.
  /// Starts nothing more. Idempotent.
  void RequestStop();
  /// True once stop was requested and every child has exited.
  bool Stopped() const;

  /// The dashboard's view: {"pipeline","state","updated","services":[...],"flows":[...],
  /// "recent_runs":[...]}.
  std::string StatusJson() const;
  /// Where status.json and the history live: DATA_DIR/runs/.
  std::filesystem::path runs_dir() const;

 private:
  struct Impl;
  explicit Scheduler(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// For readers in other processes (`hashlake runs status`): the last status.json a
/// scheduler wrote under `data_dir` with recent_runs refreshed from the history, or, when no
/// scheduler ever ran there, {"state":"not running","services":[],"flows":[],"recent_runs":
/// [...]}.
arrow::Result<std::string> ReadPipelineStatus(const std::filesystem::path& data_dir,
                                              size_t recent_runs = 20);

}  // namespace hashlake::schedule
