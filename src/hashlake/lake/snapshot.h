#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <arrow/result.h>
#include <arrow/type_fwd.h>

#include "hashlake/lake/actions.h"

namespace hashlake::lake {

class LogStore;

/// The state of a Delta table at one version, from log replay. A plain value: copyable,
/// not synchronized.
struct Snapshot {
  std::string table_root;  ///< absolute path of the table directory
  int64_t version = -1;
  Protocol protocol;
  Metadata metadata;
  std::shared_ptr<arrow::Schema> schema;  ///< parsed from metadata.schema_string
  /// Live files (adds minus removes by path and deletion-vector id), sorted by path.
  std::vector<AddFile> files;
  /// Removed files not re-added since (the latest remove per path), sorted by path. Vacuum
  /// keeps the ones younger than the retention; checkpoints carry them.
  std::vector<RemoveFile> tombstones;
  /// Latest `txn` version per appId.
  std::map<std::string, Txn> txns;
  /// The commitInfo of each version replayed from a JSON commit (versions covered only by a
  /// checkpoint have none; see ReadHistory).
  std::map<int64_t, CommitInfo> commit_infos;
  /// Version of the checkpoint replay started from, if any.
  std::optional<int64_t> checkpoint_version;

  /// The last committed version of `app_id`, or nullopt if it never committed.
  std::optional<int64_t> TxnVersion(const std::string& app_id) const;
};

/// Reads the table at `root` at `version` (latest when nullopt): the newest complete
/// checkpoint at or below it (classic single-file or multi-part Parquet; `_last_checkpoint`
/// is used as a hint), then the JSON commits after it. `.crc`, compacted log files, temp
/// files and other foreign entries are ignored.
///
/// Errors: NotFound-style IOError when `root` has no Delta log; Invalid for a missing
/// commit or malformed action; NotImplemented naming the reader feature when the table
/// needs one this reader lacks (deletionVectors, columnMapping, v2Checkpoint, ...).
arrow::Result<Snapshot> LoadSnapshot(LogStore& store, const std::string& root,
                                     std::optional<int64_t> version = std::nullopt);

/// Brings `snapshot` up to the latest version by replaying the commits after it.
arrow::Status UpdateSnapshot(LogStore& store, Snapshot* snapshot);

/// Applies the actions of commit `version` (already ordered as in the file) to
/// `snapshot`; used by replay and by writers after a successful commit.
arrow::Status ApplyCommit(int64_t version, const std::vector<Action>& actions,
                          Snapshot* snapshot);

/// Reader table features (protocol reader version 3) this library reads.
inline constexpr const char* kSupportedReaderFeatures[] = {"timestampNtz", "vacuumProtocolCheck"};

/// Fails with NotImplemented, naming the feature, if reading needs one this reader lacks.
arrow::Status CheckReadable(const Snapshot& snapshot);

/// One entry of the table history.
struct HistoryEntry {
  int64_t version = 0;
  int64_t file_modification_time_ms = 0;  ///< the commit time without in-commit timestamps
  std::optional<CommitInfo> commit_info;
};

/// The commitInfo of every JSON commit still present in the log, oldest first.
arrow::Result<std::vector<HistoryEntry>> ReadHistory(LogStore& store, const std::string& root);

/// Versions that have a complete classic (single-file or multi-part) checkpoint in the log
/// of `root`, ascending.
arrow::Result<std::vector<int64_t>> ListCompleteCheckpoints(LogStore& store,
                                                            const std::string& root);

/// The path of the commit file of `version` under `root`.
std::string CommitPath(const std::string& root, int64_t version);

}  // namespace hashlake::lake
