#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include <arrow/result.h>
#include <arrow/status.h>

#include "hashlake/bus/bus.h"

namespace hashlake::stream {

/// The bus range one micro-batch covers: [from, to) per partition.
struct BatchPlan {
  int64_t batch_id = 0;
  bus::OffsetMap from;
  bus::OffsetMap to;
  bool close_all = false;  ///< End of bounded input: the batch closed every open window.
  /// Every bus partition of the batch with its own batch id there (a batch of the stream
  /// job covers all its partitions, each with a plan in its own folder): recovery checks
  /// that all of them were written. Empty in plans written before this field existed.
  std::map<bus::PartitionId, int64_t> members;
};

/// The stream job's checkpoint directory, laid out as Spark's:
///   offsets/<batch>   the plan, written before the batch is processed
///   state/<batch>     the window state after the batch
///   commits/<batch>   written once every table and the bus have the batch
/// Each file is written to a temporary name, fsynced and renamed, so a file either
/// exists whole or not at all. See CHECKPOINT_FORMAT.md. Not thread-safe.
class CheckpointDir {
 public:
  static arrow::Result<CheckpointDir> Open(const std::filesystem::path& dir);

  arrow::Status WritePlan(const BatchPlan& plan);
  arrow::Status WriteState(int64_t batch_id, const std::string& state);
  arrow::Status WriteCommit(int64_t batch_id);

  /// The newest plan, if any.
  arrow::Result<std::optional<BatchPlan>> LatestPlan() const;
  arrow::Result<BatchPlan> ReadPlan(int64_t batch_id) const;
  bool IsCommitted(int64_t batch_id) const;
  bool HasPlan(int64_t batch_id) const;
  /// Deletes a plan that never started (its batch wrote nothing else).
  arrow::Status DropPlan(int64_t batch_id);
  /// The state after `batch_id`; nullopt when there is none (the very first batch).
  arrow::Result<std::optional<std::string>> ReadState(int64_t batch_id) const;

  /// Deletes files of batches older than `keep_from` (recovery needs only the last two).
  arrow::Status Prune(int64_t keep_from);

  const std::filesystem::path& dir() const { return dir_; }

 private:
  explicit CheckpointDir(std::filesystem::path dir) : dir_(std::move(dir)) {}
  std::filesystem::path dir_;
};

/// {"batch_id":7,"close_all":false,"from":{…},"to":{…}}: the plan as the checkpoint
/// stores it and as each Delta commit of the batch records it (commitInfo.hashlake).
std::string BatchPlanJson(const BatchPlan& plan);

/// {"0":12,"1":40} — the form offsets take in plans and Delta commitInfo.
std::string OffsetsToJson(const bus::OffsetMap& offsets);
arrow::Result<bus::OffsetMap> OffsetsFromJson(std::string_view json);

}  // namespace hashlake::stream
