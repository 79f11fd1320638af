#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <arrow/result.h>

#include "hashlake/lake/snapshot.h"

namespace hashlake::lake {

class LogStore;

/// One commit of the log with its commit timestamp as Delta defines it: the commit's
/// `inCommitTimestamp` when the table writes in-commit timestamps, else the commit file's
/// modification time, made strictly increasing (a time not after its predecessor's becomes
/// the predecessor's + 1 ms), as Delta does for clock skew.
struct CommitEntry {
  int64_t version = 0;
  int64_t timestamp_ms = 0;
  std::optional<CommitInfo> commit_info;
};

/// Every JSON commit still in the log of `root`, oldest first, with commit timestamps.
arrow::Result<std::vector<CommitEntry>> ReadCommitTimeline(LogStore& store,
                                                           const std::string& root);

/// The newest version whose commit timestamp is at or before `timestamp_ms` (Delta's
/// `TIMESTAMP AS OF`). Invalid when `timestamp_ms` is before the earliest version that can
/// still be read or after the latest commit (as Spark refuses both).
arrow::Result<int64_t> VersionAtTimestamp(LogStore& store, const std::string& root,
                                          int64_t timestamp_ms);

}  // namespace hashlake::lake
