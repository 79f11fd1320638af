// `hashlake run PIPELINE [--check]` and `hashlake runs list|show|status`.
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

#include "hashlake/cli/command.h"
#include "hashlake/schedule/pipeline.h"
#include "hashlake/schedule/run_history.h"
#include "hashlake/schedule/scheduler.h"

namespace hashlake::cli {
namespace {

struct RunArgs {
  std::string file;
  bool check = false;
  std::string data_dir;
  std::string tick = "50ms";
};

int RunPipeline(const RunArgs& args) {
  schedule::LoadOptions load;
  if (!args.data_dir.empty()) load.data_dir = args.data_dir;
  auto pipeline = schedule::LoadPipeline(args.file, load);
  if (!pipeline.ok()) {
    PrintErrors(args.file, pipeline.status());
    return kExitUsage;
  }
  if (args.check) {
    fmt::print("{}: ok: {} service(s), {} job(s) in {} flow(s)\n", args.file,
               pipeline->services.size(), pipeline->jobs.size(), pipeline->flows.size());
    const Timestamp now = SystemClock::Instance().Now();
    for (const auto& flow : pipeline->flows) {
      fmt::print("  flow {}: {} -> {}; next run {}\n", flow.name, flow.trigger.Describe(),
                 fmt::join(flow.jobs, ", "), FormatRfc3339(flow.trigger.Next(now)));
    }
    for (const auto& service : pipeline->services) {
      fmt::print("  service {}: {} (restart {})\n", service.name, fmt::join(service.command, " "),
                 schedule::RestartPolicyName(service.restart));
    }
    return kExitOk;
  }
  auto tick = ParseDuration(args.tick);
  if (!tick.ok()) {
    PrintError("run --tick: " + tick.status().message());
    return kExitUsage;
  }
  schedule::PosixProcessRunner runner;
  schedule::SchedulerOptions options;
  options.hashlake_binary = SelfBinary();
  auto scheduler =
      schedule::Scheduler::Make(std::move(*pipeline), SystemClock::Instance(), runner, options);
  if (!scheduler.ok()) {
    PrintError(scheduler.status().message());
    return kExitFailure;
  }
  InstallStopSignals();
  if (auto status = (*scheduler)->Start(); !status.ok()) {
    PrintError(status.message());
    return kExitFailure;
  }
  fmt::print(stderr, "hashlake run: {} started; history and status in {}\n", args.file,
             (*scheduler)->runs_dir().string());
  bool stop_requested = false;
  while (!(*scheduler)->Stopped()) {
    if (!stop_requested && StopRequested()) {
      fmt::print(stderr, "hashlake run: stop requested: stopping every child\n");
      (*scheduler)->RequestStop();
      stop_requested = true;
    }
    if (auto status = (*scheduler)->Tick(); !status.ok()) {
      PrintError(status.message());  // e.g. a full disk: keep supervising
    }
    std::this_thread::sleep_for(*tick);
  }
  fmt::print(stderr, "hashlake run: stopped\n");
  return kExitOk;
}

struct RunsArgs {
  std::string pipeline;
  std::string data_dir;
  std::string job;
  std::string run_id;
  int limit = 20;
  bool json = false;
};

arrow::Result<std::filesystem::path> DataDir(const RunsArgs& args, const CommandContext& context) {
  if (!args.data_dir.empty()) return std::filesystem::path(args.data_dir);
  if (!args.pipeline.empty()) {
    schedule::LoadOptions options;
    options.check_programs = false;
    ARROW_ASSIGN_OR_RAISE(auto pipeline, schedule::LoadPipeline(args.pipeline, options));
    return pipeline.data_dir;
  }
  ARROW_ASSIGN_OR_RAISE(auto config, LoadConfig(context));
  return std::filesystem::path(config.GetString("data.dir"));
}

std::string Duration(const schedule::RunRecord& r) {
  if (!r.start || !r.end) return "-";
  return fmt::format("{:.1f}s", static_cast<double>((*r.end - *r.start).count()) / 1e6);
}

std::string Params(const schedule::RunRecord& r) {
  std::string out;
  for (const auto& [k, v] : r.params) {
    if (k == "data_dir") continue;
    out += (out.empty() ? "" : " ") + k + "=" + v;
  }
  return out;
}

arrow::Status RunsList(const RunsArgs& args, const CommandContext& context) {
  ARROW_ASSIGN_OR_RAISE(auto dir, DataDir(args, context));
  ARROW_ASSIGN_OR_RAISE(auto runs, schedule::ReadRunHistory(schedule::HistoryPath(dir)));
  std::vector<const schedule::RunRecord*> selected;
  for (const auto& r : runs) {
    if (args.job.empty() || r.job == args.job) selected.push_back(&r);
  }
  const size_t skip =
      selected.size() > static_cast<size_t>(args.limit) ? selected.size() - args.limit : 0;
  if (!args.json) {
    fmt::print("{:<44} {:<16} {:<15} {:>4} {:<20} {:>8} {}\n", "RUN_ID", "JOB", "OUTCOME", "EXIT",
               "START", "DURATION", "PARAMS");
  }
  for (size_t i = skip; i < selected.size(); ++i) {
    const auto& r = *selected[i];
    if (args.json) {
      fmt::print("{}\n", schedule::RunRecordToJson(r));
      continue;
    }
    fmt::print("{:<44} {:<16} {:<15} {:>4} {:<20} {:>8} {}\n", r.run_id, r.job, r.outcome,
               r.exit_code ? std::to_string(*r.exit_code) : "-",
               r.start ? FormatRfc3339(*r.start).substr(0, 19) : "-", Duration(r), Params(r));
  }
  return arrow::Status::OK();
}

arrow::Status RunsShow(const RunsArgs& args, const CommandContext& context) {
  ARROW_ASSIGN_OR_RAISE(auto dir, DataDir(args, context));
  ARROW_ASSIGN_OR_RAISE(auto runs, schedule::ReadRunHistory(schedule::HistoryPath(dir)));
  for (const auto& r : runs) {
    if (r.run_id != args.run_id) continue;
    if (args.json) {
      fmt::print("{}\n", schedule::RunRecordToJson(r));
      return arrow::Status::OK();
    }
    fmt::print("run:       {}\njob:       {} (task {}, flow {})\nlogical:   {}\n", r.run_id, r.job,
               r.task_id, r.flow, FormatRfc3339(r.logical_time));
    fmt::print("attempt:   {}\noutcome:   {}\nexit code: {}{}\n", r.attempt, r.outcome,
               r.exit_code ? std::to_string(*r.exit_code) : "-",
               r.signal ? fmt::format(" (signal {})", r.signal) : "");
    fmt::print("start:     {}\nend:       {}\nduration:  {}\n",
               r.start ? FormatRfc3339(*r.start) : "-", r.end ? FormatRfc3339(*r.end) : "-",
               Duration(r));
    fmt::print("command:   {}\nparams:    {}\nlog:       {}\n", fmt::join(r.argv, " "), Params(r),
               r.log_path);
    for (const auto& m : r.metrics) fmt::print("metrics:   {}\n", m);
    fmt::print("--- log tail ---\n{}", r.log_tail);
    if (!r.log_tail.empty() && r.log_tail.back() != '\n') fmt::print("\n");
    return arrow::Status::OK();
  }
  return arrow::Status::KeyError("no run '", args.run_id, "' in ",
                                 schedule::HistoryPath(dir).string(),
                                 " (see `hashlake runs list`)");
}

void AddRunsOptions(CLI::App* command, RunsArgs* args) {
  command->add_option("--data-dir", args->data_dir,
                      "Data directory holding runs/ (default: the pipeline's, else data.dir)");
  command->add_option("--pipeline", args->pipeline, "Read the data directory from this pipeline");
  command->add_flag("--json", args->json, "One JSON object per run");
}

}  // namespace

void AddRunCommand(CLI::App& root, CommandContext& context) {
  auto args = std::make_shared<RunArgs>();
  auto* run = root.add_subcommand(
      "run",
      "Run a pipeline file: supervise its services and run its scheduled jobs until "
      "SIGTERM/Ctrl-C (see examples/pipeline.toml)");
  run->add_option("pipeline", args->file, "The pipeline file (TOML)")->required();
  run->add_flag("--check", args->check,
                "Validate the file and exit: 0 when valid, 2 with every error otherwise");
  run->add_option("--data-dir", args->data_dir,
                  "Override [pipeline] data_dir (history, logs and the {data_dir} parameter)");
  run->add_option("--tick", args->tick, "How often the scheduler wakes up (default 50ms)");
  run->callback([args, &context] { context.exit_code = RunPipeline(*args); });
}

void AddRunsCommand(CLI::App& root, CommandContext& context) {
  auto args = std::make_shared<RunsArgs>();
  auto* runs = root.add_subcommand("runs", "The run history of `hashlake run`");
  runs->require_subcommand(1);
  auto* list = runs->add_subcommand("list", "List recent job runs, oldest first");
  AddRunsOptions(list, args.get());
  list->add_option("--job", args->job, "Only this job's runs");
  list->add_option("--limit", args->limit, "How many runs (the most recent), default 20")
      ->check(CLI::PositiveNumber);
  list->callback([args, &context] {
    if (auto status = RunsList(*args, context); !status.ok()) {
      PrintError("runs list: " + status.message());
      context.exit_code = kExitFailure;
    }
  });
  auto* show = runs->add_subcommand("show",
                                    "One run: outcome, exit code, parameters, metrics, "
                                    "log tail");
  show->add_option("run_id", args->run_id, "The run id, as `runs list` prints it")->required();
  AddRunsOptions(show, args.get());
  show->callback([args, &context] {
    if (auto status = RunsShow(*args, context); !status.ok()) {
      PrintError("runs show: " + status.message());
      context.exit_code = status.IsKeyError() ? kExitUsage : kExitFailure;
    }
  });
  auto* status = runs->add_subcommand(
      "status", "The pipeline status JSON (status.json) of a running hashlake run");
  AddRunsOptions(status, args.get());
  status->callback([args, &context] {
    auto dir = DataDir(*args, context);
    auto json = dir.ok() ? schedule::ReadPipelineStatus(*dir, static_cast<size_t>(args->limit))
                         : arrow::Result<std::string>(dir.status());
    if (!json.ok()) {
      PrintError("runs status: " + json.status().message());
      context.exit_code = kExitFailure;
      return;
    }
    fmt::print("{}\n", *json);
  });
}

}  // namespace hashlake::cli
