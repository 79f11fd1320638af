#include <iostream>
#include <optional>

#include <arrow/type.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "hashlake/cli/command.h"
#include "hashlake/lake/delta_table.h"
#include "hashlake/lake/json_lines.h"
#include "hashlake/lake/scan.h"

namespace hashlake::cli {
namespace {

struct LakeArgs {
  std::string table;
  std::optional<int64_t> version;
  std::optional<int64_t> limit;
};

arrow::Status Scan(const LakeArgs& args) {
  ARROW_ASSIGN_OR_RAISE(auto table, lake::DeltaTable::Open(args.table));
  ARROW_ASSIGN_OR_RAISE(auto snapshot, table->LoadSnapshot(args.version));
  lake::ScanOptions options;
  options.limit = args.limit;
  ARROW_ASSIGN_OR_RAISE(auto rows, lake::Scan(table->store(), snapshot, options));
  return lake::WriteRowsAsJsonLines(*rows, std::cout);
}

arrow::Status Describe(const LakeArgs& args) {
  ARROW_ASSIGN_OR_RAISE(auto table, lake::DeltaTable::Open(args.table));
  ARROW_ASSIGN_OR_RAISE(auto snapshot, table->LoadSnapshot(args.version));
  ARROW_ASSIGN_OR_RAISE(auto info, lake::Describe(table->store(), snapshot));
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

void AddTableCommand(CLI::App* lake, CommandContext& context, const std::string& name,
                     const std::string& help, arrow::Status (*run)(const LakeArgs&),
                     bool with_limit) {
  auto args = std::make_shared<LakeArgs>();
  auto* command = lake->add_subcommand(name, help);
  command->add_option("table", args->table, "Path of the Delta table (e.g. hashlake-data/lake/posts)")
      ->required();
  command->add_option("--version", args->version, "Read the table as of this version (time travel)")
      ->check(CLI::NonNegativeNumber);
  if (with_limit) {
    command->add_option("--limit", args->limit, "Print at most this many rows")
        ->check(CLI::NonNegativeNumber);
  }
  command->callback([args, run, &context] {
    const auto status = run(*args);
    if (!status.ok()) {
      PrintError(status.message());
      context.exit_code = kExitFailure;
    }
  });
}

}  // namespace

void AddLakeCommand(CLI::App& root, CommandContext& context) {
  auto* lake = root.add_subcommand("lake", "Read the Delta tables hashlake writes (or any Delta table)");
  lake->require_subcommand(1);
  AddTableCommand(lake, context, "scan", "Print a table's rows as JSON lines", Scan, true);
  AddTableCommand(lake, context, "describe",
                  "Print a table's schema, version, partitioning, files and row count", Describe,
                  false);
}

}  // namespace hashlake::cli
