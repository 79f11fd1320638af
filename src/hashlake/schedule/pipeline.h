#pragma once

#include <arrow/result.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hashlake/core/time.h"
#include "hashlake/schedule/trigger.h"

namespace hashlake::schedule {

/// Retries of a failed job run: retry N (1-based) waits `delay * backoff^(N-1)`, capped at
/// `max_delay`. backoff 1.0 means a fixed delay.
struct RetryPolicy {
  int retries = 0;                           ///< Extra attempts after the first.
  Micros delay = std::chrono::seconds{30};   ///< Before the first retry.
  double backoff = 2.0;                      ///< Multiplier per retry, >= 1.
  Micros max_delay = std::chrono::hours{1};  ///< Cap on any one delay.

  Micros DelayBefore(int retry_number) const;
};

/// What to do with ticks that passed while the scheduler was down or the job still ran.
enum class Catchup {
  kNone,    ///< Skip them; run at the next tick (Vixie cron).
  kLatest,  ///< Run once for the most recent missed tick.
  kAll,     ///< Run each missed tick in order, at most `catchup_max` (the most recent ones).
};
std::string_view CatchupName(Catchup catchup);

enum class RestartPolicy { kAlways, kOnFailure, kNever };
std::string_view RestartPolicyName(RestartPolicy policy);

/// A long-running process supervised by `hashlake run` (collect, process, serve…).
struct ServiceSpec {
  std::string name;
  std::vector<std::string> command;  ///< argv, parameters substituted; "hashlake" = this binary
  std::map<std::string, std::string> env;
  RestartPolicy restart = RestartPolicy::kOnFailure;
  Micros restart_delay = std::chrono::seconds{1};  ///< After the first exit; doubles.
  Micros max_restart_delay = std::chrono::minutes{1};
  Micros healthy_after = std::chrono::seconds{30};  ///< Up this long resets the backoff.
};

/// A job: a command that runs to completion, on a trigger or after other jobs.
struct JobSpec {
  std::string name;
  std::vector<std::string> command;  ///< argv with `{param}` placeholders still in it
  std::optional<Trigger> trigger;    ///< Set for root jobs; dependents run after their roots.
  std::string schedule_text;         ///< As written: the cron expression or the interval.
  std::vector<std::string> after;    ///< Jobs that must succeed first, in the same flow run.
  RetryPolicy retry;
  std::optional<Micros> timeout;  ///< Kill (SIGTERM, then SIGKILL) a run that takes longer.
  Micros kill_grace = std::chrono::seconds{10};  ///< SIGTERM to SIGKILL on timeout.
  Catchup catchup = Catchup::kNone;
  int catchup_max = 10;
  std::map<std::string, std::string> params;  ///< The pipeline's [params], then the job's.
  /// Grid axes in file order: every combination is one run, in order (last axis fastest).
  std::vector<std::pair<std::string, std::vector<std::string>>> grid;
  std::map<std::string, std::string> env;
};

/// One concrete run of a job: a grid point with its parameters substituted.
struct JobRunSpec {
  std::string job;
  int grid_index = 0;
  std::string task_id;                        ///< "job", or "job__k_5" for grid points
  std::map<std::string, std::string> params;  ///< Every parameter, grid values included.
  std::vector<std::string> argv;
  std::map<std::string, std::string> env;  ///< The job's env plus HASHLAKE_JOB and HASHLAKE_PARAM_<NAME>.
};

/// A connected group of jobs sharing one trigger (the roots'), run together as one unit:
/// what Airflow calls a DAG run. At most one run of a flow, hence of each job, at a time.
struct Flow {
  std::string name;  ///< The first root job's name.
  Trigger trigger;
  Catchup catchup = Catchup::kNone;
  int catchup_max = 10;
  std::vector<std::string> jobs;  ///< Topologically ordered, file order among equals.
};

/// A parsed and validated pipeline file (format: pipeline_format.md).
struct Pipeline {
  std::filesystem::path source;
  std::string name = "hashlake";
  std::filesystem::path data_dir = "./hashlake-data";  ///< History in DATA_DIR/runs/.
  Micros stop_grace = std::chrono::seconds{10};        ///< SIGTERM to SIGKILL on shutdown.
  std::optional<std::string> start_date;               ///< For Airflow, "YYYY-MM-DD".
  std::map<std::string, std::string> params;           ///< [params], plus data_dir.
  std::vector<ServiceSpec> services;                   ///< File order.
  std::vector<JobSpec> jobs;                           ///< File order.
  std::vector<Flow> flows;

  const JobSpec* FindJob(std::string_view name) const;
};

struct LoadOptions {
  /// Check that each command's program exists (PATH lookup, "hashlake" always exists).
  bool check_programs = true;
  /// Replaces [pipeline] data_dir (and so {data_dir}) when set: `hashlake run --data-dir`.
  std::optional<std::filesystem::path> data_dir;
};

/// Parses and validates a pipeline. On any error returns Invalid whose message holds every
/// error, one per line, each naming the key and what is allowed.
arrow::Result<Pipeline> ParsePipeline(std::string_view toml_text,
                                      const std::filesystem::path& source,
                                      const LoadOptions& options = {});
arrow::Result<Pipeline> LoadPipeline(const std::filesystem::path& path,
                                     const LoadOptions& options = {});

/// The runs one trigger of `job` makes: one, or one per grid point.
std::vector<JobRunSpec> ExpandRuns(const JobSpec& job);

}  // namespace hashlake::schedule
