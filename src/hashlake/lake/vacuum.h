#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <arrow/result.h>

namespace hashlake::lake {

class LogStore;
struct Snapshot;

/// Options of `Vacuum`. Defaults: the table's retention, delete for real, no override.
struct VacuumOptions {
  /// How old an unreferenced file must be to go; nullopt = the table's
  /// `delta.deletedFileRetentionDuration` (default 7 days).
  std::optional<std::chrono::hours> retain;
  /// List what would be deleted; delete nothing.
  bool dry_run = false;
  /// Allow `retain` below the table's retention (Delta's retentionDurationCheck). Readers at
  /// older versions, and writers still running, may then lose files.
  bool force = false;
  /// The reference time (tests inject it).
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
};

/// What Vacuum deleted (or, on a dry run, would delete).
struct VacuumResult {
  std::vector<std::string> files;  ///< paths relative to the table root, not URI-encoded
  int64_t bytes = 0;
};

/// Deletes data files the table at `snapshot` no longer needs (Delta VACUUM): every file
/// under the table root that is neither live, nor a tombstone removed within the retention,
/// and that was last modified before now - retention. `_delta_log/` and other entries whose
/// names start with '_' or '.' (except partition directories, which contain '=') are never
/// touched. A retention shorter than the table's is refused (Invalid) unless `force`.
arrow::Result<VacuumResult> Vacuum(LogStore& store, const Snapshot& snapshot,
                                   const VacuumOptions& options = {});

}  // namespace hashlake::lake
