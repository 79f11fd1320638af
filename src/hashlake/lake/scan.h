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

struct AddFile;

/// An inclusive range on one top-level column: rows with a null, or a value outside the
/// range, are filtered out. Bounds are text in the column's partition-value form ("42",
/// "2024-05-01", "2024-05-01 10:00:00" or ISO 8601 for timestamps, in UTC). Supported on
/// integer, floating, date, timestamp and string columns.
struct ColumnRange {
  std::string column;
  std::optional<std::string> min;  ///< nullopt: unbounded below
  std::optional<std::string> max;  ///< nullopt: unbounded above
};

/// What to read from a snapshot. Defaults read everything.
struct ScanOptions {
  /// Stop after this many rows (files are read in path order). nullopt = all rows.
  std::optional<int64_t> limit;
  /// Columns to return, in this order; empty = every column of the table schema.
  std::vector<std::string> columns;
  /// Row filters (all must hold). Files whose partition values or `add.stats`
  /// min/max/nullCount show no row can match are skipped without being opened.
  std::vector<ColumnRange> ranges;
};

/// The live files of `snapshot` that may hold rows within all `ranges` (file skipping by
/// partition values and stats; files without usable stats are kept). Errors: a range on an
/// unknown column, of an unsupported type, or with a bound that does not parse.
arrow::Result<std::vector<AddFile>> PruneFiles(const Snapshot& snapshot,
                                               const std::vector<ColumnRange>& ranges);

/// Reads the live files of `snapshot` into one Arrow table with the table's schema:
/// partition columns are rebuilt from `partitionValues` with their schema types, data
/// columns are cast to the schema types (e.g. INT96 timestamps), and columns a file lacks
/// (added by a later schema change) read as null. Errors name the file. With `ranges`, only
/// the files PruneFiles keeps are read and their rows are filtered.
arrow::Result<std::shared_ptr<arrow::Table>> Scan(LogStore& store, const Snapshot& snapshot,
                                                  const ScanOptions& options = {});

}  // namespace hashlake::lake
