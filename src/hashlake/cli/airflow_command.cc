// `hashlake airflow export PIPELINE --out FILE`: the pipeline's jobs as Airflow DAGs.
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <memory>

#include "hashlake/cli/command.h"
#include "hashlake/core/atomic_file.h"
#include "hashlake/schedule/airflow_export.h"
#include "hashlake/schedule/pipeline.h"

namespace hashlake::cli {
namespace {

struct ExportArgs {
  std::string file;
  std::string out;
  std::string hashlake_bin;
  std::string workdir;
  std::string start_date;
};

int Export(const ExportArgs& args) {
  // The DAG runs on Airflow's workers, whose PATH is not ours: programs are not checked here.
  schedule::LoadOptions load;
  load.check_programs = false;
  auto pipeline = schedule::LoadPipeline(args.file, load);
  if (!pipeline.ok()) {
    PrintErrors(args.file, pipeline.status());
    return kExitUsage;
  }
  schedule::AirflowExportOptions options;
  std::error_code ec;
  options.hashlake_binary = args.hashlake_bin.empty() ? SelfBinary() : args.hashlake_bin;
  options.workdir = std::filesystem::absolute(args.workdir.empty() ? "." : args.workdir, ec)
                        .lexically_normal()
                        .string();
  if (!options.workdir.empty() && options.workdir.size() > 1 && options.workdir.back() == '/') {
    options.workdir.pop_back();
  }
  if (!args.start_date.empty()) {
    if (!ParseRfc3339(args.start_date + "T00:00:00Z").ok()) {
      PrintError("airflow export --start-date: '" + args.start_date + "' is not YYYY-MM-DD");
      return kExitUsage;
    }
    options.start_date = args.start_date;
  } else {
    const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    options.start_date = FormatRfc3339(std::chrono::time_point_cast<Micros>(today)).substr(0, 10);
  }
  auto dag = schedule::ExportAirflowDag(*pipeline, options);
  if (!dag.ok()) {
    PrintError(args.file + ": " + dag.status().message());
    return kExitUsage;
  }
  const std::filesystem::path out(args.out);
  if (out.has_parent_path()) std::filesystem::create_directories(out.parent_path(), ec);
  if (auto status = WriteFileAtomically(out, *dag); !status.ok()) {
    PrintError("airflow export: " + status.message());
    return kExitFailure;
  }
  fmt::print("{}: {} DAG(s), {} job(s) -> {}\n", args.file, pipeline->flows.size(),
             pipeline->jobs.size(), out.string());
  return kExitOk;
}

}  // namespace

void AddAirflowCommand(CLI::App& root, CommandContext& context) {
  auto args = std::make_shared<ExportArgs>();
  auto* airflow = root.add_subcommand("airflow", "Run the pipeline's jobs from Apache Airflow");
  airflow->require_subcommand(1);
  auto* exp = airflow->add_subcommand(
      "export",
      "Write an Airflow DAG file (Airflow 2.x and 3.x) running the pipeline's jobs "
      "through this CLI, with the same schedules, retries, timeouts and dependencies");
  exp->add_option("pipeline", args->file, "The pipeline file (TOML)")->required();
  exp->add_option("--out", args->out, "The DAG file to write, e.g. dags/hashlake.py")->required();
  exp->add_option("--hashlake-bin", args->hashlake_bin,
                  "The hashlake binary the tasks run (default: this one; HASHLAKE_BIN "
                  "overrides it where the DAG runs)");
  exp->add_option("--workdir", args->workdir,
                  "Where the tasks run, so relative paths resolve as here (default: the "
                  "current directory; HASHLAKE_WORKDIR overrides it)");
  exp->add_option("--start-date", args->start_date,
                  "The DAGs' start_date, YYYY-MM-DD (default: [pipeline] start_date, else today)");
  exp->callback([args, &context] { context.exit_code = Export(*args); });
}

}  // namespace hashlake::cli
