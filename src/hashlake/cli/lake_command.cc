#include <chrono>
#include <iostream>
#include <optional>

#include <arrow/type.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "hashlake/cli/command.h"
#include "hashlake/lake/actions.h"
#include "hashlake/lake/delta_table.h"
#include "hashlake/lake/json_lines.h"
#include "hashlake/lake/json_util.h"
#include "hashlake/lake/optimize.h"
#include "hashlake/lake/scan.h"
#include "hashlake/lake/table_uri.h"
#include "hashlake/lake/time_travel.h"
#include "hashlake/lake/vacuum.h"

namespace hashlake::cli {
namespace {

struct LakeArgs {
  std::string table;
  std::optional<int64_t> version;
  std::optional<std::string> timestamp;
  std::optional<int64_t> limit;
  std::vector<std::string> min_bounds;  // COLUMN=VALUE
  std::vector<std::string> max_bounds;
  bool json = false;
  bool dry_run = false;
  bool force = false;
  std::optional<int64_t> target_size;
  std::optional<int64_t> retain_hours;
};

arrow::Result<std::unique_ptr<lake::DeltaTable>> OpenTable(const std::string& uri) {
  ARROW_ASSIGN_OR_RAISE(auto resolved, lake::ResolveTableUri(uri));
  return lake::DeltaTable::Open(resolved.root, resolved.store);
}

/// Epoch milliseconds, or a UTC timestamp ("2024-05-01 10:00:00", ISO 8601).
arrow::Result<int64_t> ParseTimestampArg(const std::string& text) {
  if (!text.empty() &&
      text.find_first_not_of("0123456789") == std::string::npos && text.size() <= 15) {
    return std::stoll(text);
  }
  ARROW_ASSIGN_OR_RAISE(int64_t micros, lake::ParseUtcTimestamp(text));
  return micros / 1000;
}

arrow::Result<lake::Snapshot> SnapshotFor(lake::DeltaTable& table, const LakeArgs& args) {
  std::optional<int64_t> version = args.version;
  if (args.timestamp) {
    if (version) return arrow::Status::Invalid("give --version or --timestamp, not both");
    ARROW_ASSIGN_OR_RAISE(int64_t ms, ParseTimestampArg(*args.timestamp));
    ARROW_ASSIGN_OR_RAISE(version, lake::VersionAtTimestamp(table.store(), table.path(), ms));
  }
  return table.LoadSnapshot(version);
}

arrow::Status AddBounds(const std::vector<std::string>& specs, bool is_min,
                        std::vector<lake::ColumnRange>* ranges) {
  for (const auto& spec : specs) {
    auto eq = spec.find('=');
    if (eq == std::string::npos || eq == 0) {
      return arrow::Status::Invalid("range bound '", spec, "' must be COLUMN=VALUE");
    }
    std::string column = spec.substr(0, eq);
    auto it = std::find_if(ranges->begin(), ranges->end(),
                           [&](const lake::ColumnRange& r) { return r.column == column; });
    if (it == ranges->end()) it = ranges->insert(ranges->end(), lake::ColumnRange{column, {}, {}});
    (is_min ? it->min : it->max) = spec.substr(eq + 1);
  }
  return arrow::Status::OK();
}

arrow::Status Scan(const LakeArgs& args) {
  ARROW_ASSIGN_OR_RAISE(auto table, OpenTable(args.table));
  ARROW_ASSIGN_OR_RAISE(auto snapshot, SnapshotFor(*table, args));
  lake::ScanOptions options;
  options.limit = args.limit;
  ARROW_RETURN_NOT_OK(AddBounds(args.min_bounds, true, &options.ranges));
  ARROW_RETURN_NOT_OK(AddBounds(args.max_bounds, false, &options.ranges));
  ARROW_ASSIGN_OR_RAISE(auto rows, lake::Scan(table->store(), snapshot, options));
  return lake::WriteRowsAsJsonLines(*rows, std::cout);
}

arrow::Status Describe(const LakeArgs& args) {
  ARROW_ASSIGN_OR_RAISE(auto table, OpenTable(args.table));
  ARROW_ASSIGN_OR_RAISE(auto snapshot, SnapshotFor(*table, args));
  ARROW_ASSIGN_OR_RAISE(auto info, lake::Describe(table->store(), snapshot));
  if (args.json) return lake::WriteDescribeJson(info, std::cout);
  fmt::print("table      {}\n", info.path);
  fmt::print("version    {}\n", info.version);
  fmt::print("protocol   reader {} / writer {}\n", info.protocol.min_reader_version,
             info.protocol.min_writer_version);
  fmt::print("partitions {}\n",
             info.partition_columns.empty() ? "(none)" : fmt::format("{}", fmt::join(info.partition_columns, ", ")));
  fmt::print("files      {}\n", info.num_files);
  fmt::print("bytes      {}\n", info.total_bytes);
  fmt::print("rows       {}\n", info.num_rows);
  if (info.checkpoint_version) fmt::print("checkpoint {}\n", *info.checkpoint_version);
  for (const auto& [app, version] : info.txn_versions) {
    fmt::print("txn        {} = {}\n", app, version);
  }
  fmt::print("schema\n");
  for (const auto& field : info.schema->fields()) {
    fmt::print("  {:<16} {}{}\n", field->name(), field->type()->ToString(),
               field->nullable() ? "" : " not null");
  }
  return arrow::Status::OK();
}

arrow::Status History(const LakeArgs& args) {
  ARROW_ASSIGN_OR_RAISE(auto table, OpenTable(args.table));
  ARROW_ASSIGN_OR_RAISE(auto timeline, lake::ReadCommitTimeline(table->store(), table->path()));
  if (args.limit && static_cast<int64_t>(timeline.size()) > *args.limit) {
    timeline.erase(timeline.begin(), timeline.end() - *args.limit);
  }
  return lake::WriteHistoryJsonLines(timeline, std::cout);
}

arrow::Status Checkpoint(const LakeArgs& args) {
  ARROW_ASSIGN_OR_RAISE(auto table, OpenTable(args.table));
  ARROW_ASSIGN_OR_RAISE(auto info, table->Checkpoint());
  std::cout << lake::LastCheckpointJson(info) << "\n";
  return arrow::Status::OK();
}

std::string JsonStringArray(const std::vector<std::string>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? "," : "") + lake::JsonQuote(v[i]);
  return out + "]";
}

arrow::Status Optimize(const LakeArgs& args) {
  ARROW_ASSIGN_OR_RAISE(auto table, OpenTable(args.table));
  lake::OptimizeOptions options;
  if (args.target_size) options.target_size_bytes = *args.target_size;
  options.dry_run = args.dry_run;
  ARROW_ASSIGN_OR_RAISE(auto result, lake::Optimize(*table, options));
  std::string bins = "[";
  for (size_t i = 0; i < result.bins.size(); ++i) {
    const auto& b = result.bins[i];
    bins += fmt::format("{}{{\"partition\":{},\"inputBytes\":{},\"files\":{}}}", i ? "," : "",
                        lake::JsonQuote(b.partition), b.input_bytes, JsonStringArray(b.files));
  }
  bins += "]";
  std::cout << fmt::format(
      "{{\"dryRun\":{},\"version\":{},\"filesRemoved\":{},\"filesAdded\":{},"
      "\"bytesRemoved\":{},\"bytesAdded\":{},\"bins\":{}}}\n",
      options.dry_run, result.version ? std::to_string(*result.version) : "null",
      result.files_removed, result.files_added, result.bytes_removed, result.bytes_added, bins);
  return arrow::Status::OK();
}

arrow::Status Vacuum(const LakeArgs& args) {
  ARROW_ASSIGN_OR_RAISE(auto table, OpenTable(args.table));
  ARROW_ASSIGN_OR_RAISE(auto snapshot, table->LoadSnapshot());
  lake::VacuumOptions options;
  if (args.retain_hours) options.retain = std::chrono::hours(*args.retain_hours);
  options.dry_run = args.dry_run;
  options.force = args.force;
  ARROW_ASSIGN_OR_RAISE(auto result, lake::Vacuum(table->store(), snapshot, options));
  std::cout << fmt::format("{{\"dryRun\":{},\"filesDeleted\":{},\"bytes\":{},\"files\":{}}}\n",
                           options.dry_run, result.files.size(), result.bytes,
                           JsonStringArray(result.files));
  return arrow::Status::OK();
}

CLI::App* AddTableCommand(CLI::App* lake, CommandContext& context, const std::string& name,
                          const std::string& help, arrow::Status (*run)(const LakeArgs&),
                          const std::shared_ptr<LakeArgs>& args) {
  auto* command = lake->add_subcommand(name, help);
  command
      ->add_option("table", args->table,
                   "The Delta table: a path, file:///path (e.g. hashlake-data/lake/posts)")
      ->required();
  command->callback([args, run, &context] {
    const auto status = run(*args);
    if (!status.ok()) {
      PrintError(status.message());
      context.exit_code = kExitFailure;
    }
  });
  return command;
}

void AddTimeTravel(CLI::App* command, const std::shared_ptr<LakeArgs>& args) {
  auto* version =
      command->add_option("--version", args->version, "Read the table as of this version (time travel)")
          ->check(CLI::NonNegativeNumber);
  command
      ->add_option("--timestamp", args->timestamp,
                   "Read the table as of this time: UTC 'yyyy-MM-dd HH:mm:ss', ISO 8601, or epoch "
                   "milliseconds (the newest version committed at or before it)")
      ->excludes(version);
}

}  // namespace

void AddLakeCommand(CLI::App& root, CommandContext& context) {
  auto* lake = root.add_subcommand(
      "lake", "Read and maintain Delta tables: scan, describe, history, checkpoint, optimize, vacuum");
  lake->require_subcommand(1);

  auto scan_args = std::make_shared<LakeArgs>();
  auto* scan = AddTableCommand(lake, context, "scan", "Print a table's rows as JSON lines", Scan,
                               scan_args);
  AddTimeTravel(scan, scan_args);
  scan->add_option("--limit", scan_args->limit, "Print at most this many rows")
      ->check(CLI::NonNegativeNumber);
  scan->add_option("--min", scan_args->min_bounds,
                   "COLUMN=VALUE: only rows with COLUMN >= VALUE (skips files by stats)");
  scan->add_option("--max", scan_args->max_bounds,
                   "COLUMN=VALUE: only rows with COLUMN <= VALUE (skips files by stats)");

  auto describe_args = std::make_shared<LakeArgs>();
  auto* describe = AddTableCommand(
      lake, context, "describe",
      "Print a table's schema, version, partitioning, files, size, row count and protocol",
      Describe, describe_args);
  AddTimeTravel(describe, describe_args);
  describe->add_flag("--json", describe_args->json, "Print one JSON object");

  auto history_args = std::make_shared<LakeArgs>();
  auto* history = AddTableCommand(lake, context, "history",
                                  "Print the table's commits, newest first, as JSON lines",
                                  History, history_args);
  history->add_option("--limit", history_args->limit, "Print only the newest N commits")
      ->check(CLI::NonNegativeNumber);

  AddTableCommand(lake, context, "checkpoint",
                  "Write a checkpoint of the latest version now (and _last_checkpoint)",
                  Checkpoint, std::make_shared<LakeArgs>());

  auto optimize_args = std::make_shared<LakeArgs>();
  auto* optimize = AddTableCommand(
      lake, context, "optimize",
      "Compact small files per partition into files near the target size (dataChange=false)",
      Optimize, optimize_args);
  optimize
      ->add_option("--target-size", optimize_args->target_size,
                   "Target file size in bytes (default 134217728 = 128 MiB)")
      ->check(CLI::PositiveNumber);
  optimize->add_flag("--dry-run", optimize_args->dry_run, "Print the plan; change nothing");

  auto vacuum_args = std::make_shared<LakeArgs>();
  auto* vacuum = AddTableCommand(
      lake, context, "vacuum",
      "Delete data files no version within the retention needs", Vacuum, vacuum_args);
  vacuum
      ->add_option("--retain", vacuum_args->retain_hours,
                   "Retention in hours (default: delta.deletedFileRetentionDuration, 168)")
      ->check(CLI::NonNegativeNumber);
  vacuum->add_flag("--dry-run", vacuum_args->dry_run, "List the files it would delete; delete nothing");
  vacuum->add_flag("--force", vacuum_args->force,
                   "Allow --retain below the table's retention (unsafe for older readers)");
}

}  // namespace hashlake::cli
