#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <arrow/result.h>
#include <arrow/status.h>
#include <arrow/type_fwd.h>

#include "hashlake/lake/checkpoint_writer.h"
#include "hashlake/lake/snapshot.h"

namespace hashlake::lake {

class LogStore;

/// Options of one commit. Defaults: a blind append with no txn and no extra commitInfo.
struct CommitOptions {
  /// Exactly-once markers: {app_id, version}, one per app_id (a stream job writing several
  /// bus partitions in one commit records one per partition). When the table already holds
  /// a txn for every app_id with a version >= the marker's, the append is skipped (see
  /// CommitResult); when it holds that for only some of them, the commit is refused as a
  /// conflict (the caller must split it).
  struct TxnMarker {
    std::string app_id;
    int64_t version = 0;
  };
  std::vector<TxnMarker> txns;
  /// Extra top-level commitInfo fields, each value JSON text (e.g. {"hashlake",
  /// R"({"offsets":{"0":[10,20]}})"}). Readable back from Snapshot::commit_infos.
  std::map<std::string, std::string> commit_info_extra;
  /// commitInfo.operation; operation_parameters values are JSON text.
  std::string operation = "WRITE";
  std::map<std::string, std::string> operation_parameters = {{"mode", "\"Append\""}};
  /// Attempts at put-if-absent before giving up with a commit conflict.
  int max_commit_attempts = 10;
  /// Write a checkpoint after the commit when its version is a multiple of
  /// `delta.checkpointInterval` (then clean expired log files when
  /// `delta.enableExpiredLogCleanup`), as Delta writers do. Default on.
  bool auto_checkpoint = true;
};

/// The outcome of an append.
struct CommitResult {
  /// The version written, or (when skipped) the version of the snapshot that showed the
  /// txn was already committed.
  int64_t version = -1;
  /// True when the txn marker had already been committed: nothing was written.
  bool skipped_already_committed = false;
  /// Version of the checkpoint written after this commit, if one was due.
  std::optional<int64_t> checkpoint_version;
  /// Outcome of the post-commit checkpoint and log cleanup. The commit itself succeeded
  /// even when this is an error (the next due checkpoint retries), so callers log it.
  arrow::Status maintenance_status;
};

/// True for the status Append/Commit return when they ran out of commit attempts, or when a
/// concurrent commit changed the protocol, the metadata or the same txn appId, or removed a
/// file this commit removes.
bool IsCommitConflict(const arrow::Status& status);

/// Summary of a table version for `hashlake lake describe`.
struct TableInfo {
  std::string path;
  int64_t version = -1;
  std::shared_ptr<arrow::Schema> schema;
  std::vector<std::string> partition_columns;
  std::map<std::string, std::string> configuration;
  Protocol protocol;
  std::string id;
  std::optional<int64_t> created_time_ms;
  int64_t num_files = 0;
  int64_t total_bytes = 0;
  /// Sum of numRecords from file stats; files without stats are counted from their
  /// Parquet footers.
  int64_t num_rows = 0;
  std::optional<int64_t> checkpoint_version;
  std::map<std::string, int64_t> txn_versions;
};

/// A Delta table (protocol reader 1 / writer 2, or table features hashlake implements) on a
/// LogStore: creates it, appends Arrow
/// tables as ZSTD Parquet files with per-file stats, and reads it back.
///
/// Thread safety: one DeltaTable may be used by one thread at a time (it caches the latest
/// snapshot). Any number of DeltaTable objects, in any processes, may append to the same
/// table concurrently: commits are put-if-absent and blind appends retry on the next
/// version.
class DeltaTable {
 public:
  /// Opens an existing table (NotFound-style IOError when there is no log).
  static arrow::Result<std::unique_ptr<DeltaTable>> Open(
      const std::string& path, std::shared_ptr<LogStore> store = nullptr);

  /// Creates a table at version 0 with `schema` and `partition_columns` (which must be
  /// primitive columns of the schema). AlreadyExists when the table exists. The protocol is
  /// reader 1 / writer 2 unless the table needs table features: a tz-naive timestamp column
  /// gives reader 3 / writer 7 with timestampNtz; `delta.enableInCommitTimestamps=true`
  /// gives writer 7 with inCommitTimestamp.
  static arrow::Result<std::unique_ptr<DeltaTable>> Create(
      const std::string& path, const arrow::Schema& schema,
      const std::vector<std::string>& partition_columns,
      const std::map<std::string, std::string>& configuration = {},
      std::shared_ptr<LogStore> store = nullptr);

  /// Opens the table, creating it first if absent. An existing table must have the same
  /// column names, types and partition columns, else Invalid.
  static arrow::Result<std::unique_ptr<DeltaTable>> OpenOrCreate(
      const std::string& path, const arrow::Schema& schema,
      const std::vector<std::string>& partition_columns,
      const std::map<std::string, std::string>& configuration = {},
      std::shared_ptr<LogStore> store = nullptr);

  /// The table at `version` (latest when nullopt). Refreshes the cached latest snapshot.
  arrow::Result<Snapshot> LoadSnapshot(std::optional<int64_t> version = std::nullopt);

  /// Appends `data` (columns matched to the table schema by name; castable types are cast,
  /// absent nullable columns become null) as one Parquet file per partition and one commit.
  /// An empty `data` still commits (recording the txn marker).
  arrow::Result<CommitResult> Append(const arrow::Table& data, const CommitOptions& options = {});

  /// Writes `data` (already in the table schema, e.g. from Scan) as one ZSTD Parquet file
  /// per partition with stats, without committing; the adds carry `data_change`.
  arrow::Result<std::vector<AddFile>> WriteFiles(const arrow::Table& data, bool data_change);

  /// Commits `adds` and `removes` read at `read_version` as one optimistic transaction
  /// (the commitInfo and txn come from `options`). When another writer took the version, the
  /// winners are checked (PROTOCOL.md, conflict detection): a winner that changed protocol
  /// or metadata, removed a file this commit removes, or wrote the same txn appId is a
  /// commit conflict (IsCommitConflict); otherwise the commit retries at the next version,
  /// at most `max_commit_attempts` times. Every file in `removes` must be live at
  /// `read_version`.
  arrow::Result<CommitResult> Commit(int64_t read_version, std::vector<AddFile> adds,
                                     std::vector<RemoveFile> removes,
                                     const CommitOptions& options);

  /// Writes a checkpoint of the latest version now (whatever the interval says).
  arrow::Result<CheckpointInfo> Checkpoint();

  const std::string& path() const { return path_; }
  LogStore& store() { return *store_; }

 private:
  DeltaTable(std::string path, std::shared_ptr<LogStore> store, Snapshot snapshot)
      : path_(std::move(path)), store_(std::move(store)), latest_(std::move(snapshot)) {}

  arrow::Result<CommitResult> CommitLoop(int64_t read_version, std::vector<Action> body,
                                         const std::vector<RemoveFile>& removes,
                                         const CommitOptions& options, bool blind_append);
  arrow::Result<int64_t> InCommitTimestamp();
  void PostCommit(const CommitOptions& options, CommitResult* result);

  std::string path_;
  std::shared_ptr<LogStore> store_;
  Snapshot latest_;  // the newest version this object has seen
};

/// The latest committed txn version of `app_id` in `snapshot` (nullopt: never committed).
std::optional<int64_t> LatestTxnVersion(const Snapshot& snapshot, const std::string& app_id);

/// Summarizes `snapshot`; reads Parquet footers of files without stats.
arrow::Result<TableInfo> Describe(LogStore& store, const Snapshot& snapshot);

}  // namespace hashlake::lake
