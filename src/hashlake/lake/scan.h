#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <arrow/result.h>
#include <arrow/type_fwd.h>

namespace hashlake::lake {

class LogStore;
struct Snapshot;

/// What to read from a snapshot. Defaults read everything.
struct ScanOptions {
  /// Stop after this many rows (files are read in path order). nullopt = all rows.
  std::optional<int64_t> limit;
  /// Columns to return, in this order; empty = every column of the table schema.
  std::vector<std::string> columns;
};

/// Reads the live files of `snapshot` into one Arrow table with the table's schema:
/// partition columns are rebuilt from `partitionValues` with their schema types, data
/// columns are cast to the schema types (e.g. INT96 timestamps), and columns a file lacks
/// (added by a later schema change) read as null. Errors name the file.
arrow::Result<std::shared_ptr<arrow::Table>> Scan(LogStore& store, const Snapshot& snapshot,
                                                  const ScanOptions& options = {});

}  // namespace hashlake::lake
