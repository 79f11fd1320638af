#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <arrow/result.h>

namespace hashlake::lake {

class DeltaTable;

/// Options of `Optimize`. Defaults: 128 MiB target, commit the result.
struct OptimizeOptions {
  /// Files smaller than this are candidates; bins are filled up to about this size (bytes
  /// of the input files, which is close to the output size at the same compression).
  int64_t target_size_bytes = 128LL * 1024 * 1024;
  /// Plan only: report the bins, write and commit nothing.
  bool dry_run = false;
  /// Attempts at committing against concurrent writers (see DeltaTable::Commit).
  int max_commit_attempts = 10;
};

/// One group of small files of one partition, rewritten as one file.
struct OptimizeBin {
  std::string partition;            ///< "date=2024-05-01/src=x" form; empty if unpartitioned
  std::vector<std::string> files;   ///< add.path of the inputs
  int64_t input_bytes = 0;
};

/// What Optimize did (or, on a dry run, would do).
struct OptimizeResult {
  std::optional<int64_t> version;  ///< the OPTIMIZE commit; nullopt when nothing committed
  std::vector<OptimizeBin> bins;
  int64_t files_removed = 0;
  int64_t files_added = 0;
  int64_t bytes_removed = 0;
  int64_t bytes_added = 0;
};

/// Bin-packing compaction (Delta OPTIMIZE): per partition, files smaller than the target are
/// grouped in path order into bins of up to `target_size_bytes`; each bin of two or more
/// files is read and rewritten as one file. One commit removes the inputs and adds the
/// outputs, all with dataChange=false, operation "OPTIMIZE", readVersion the version
/// planned from. A concurrent append does not conflict (the commit retries at the next
/// version); a concurrent commit that removed an input file is a commit conflict
/// (IsCommitConflict), and nothing is committed (the written files are orphans that vacuum
/// deletes).
arrow::Result<OptimizeResult> Optimize(DeltaTable& table, const OptimizeOptions& options = {});

}  // namespace hashlake::lake
