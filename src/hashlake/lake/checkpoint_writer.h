#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <arrow/result.h>

namespace hashlake::lake {

class LogStore;
struct Snapshot;

/// What a written checkpoint holds; also the content of `_last_checkpoint`.
struct CheckpointInfo {
  int64_t version = -1;
  int64_t size = 0;           ///< actions (rows) in the checkpoint
  int64_t size_in_bytes = 0;  ///< bytes of the Parquet file
  int64_t num_add_files = 0;
};

/// Writes the classic single-file (V1) Parquet checkpoint of `snapshot`
/// (`_delta_log/<version 20 digits>.checkpoint.parquet`, see checkpoint_format.md), then
/// `_delta_log/_last_checkpoint`. Both go through LogStore::Put, so a reader never sees a
/// partial file; two writers checkpointing the same version write equivalent files.
///
/// Tombstones (remove actions) younger than `delta.deletedFileRetentionDuration` before
/// `now` are kept so that vacuum still honours them; older ones are dropped.
arrow::Result<CheckpointInfo> WriteCheckpoint(
    LogStore& store, const Snapshot& snapshot,
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

/// The `_last_checkpoint` JSON text for `info`.
std::string LastCheckpointJson(const CheckpointInfo& info);

/// Deletes log files no longer needed (PROTOCOL.md §Metadata Cleanup): commits, checkpoints,
/// checksums and compacted files of versions below the newest checkpoint whose own commit
/// is older than `delta.logRetentionDuration` before `now`, and only files that are
/// themselves older than that. The table stays readable at every version from that
/// checkpoint on. Returns the number of files deleted.
arrow::Result<int64_t> CleanupExpiredLogs(
    LogStore& store, const Snapshot& snapshot,
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

}  // namespace hashlake::lake
