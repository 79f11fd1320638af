#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <arrow/result.h>
#include <arrow/status.h>
#include <arrow/table.h>

#include "hashlake/bus/bus.h"

namespace hashlake::stream {

/// Per bus partition, the batch id of that partition's part of a commit.
using PartitionBatches = std::map<bus::PartitionId, int64_t>;

/// Where one table's share of a micro-batch goes: the seam between the stream job and
/// the lake, so that tests can plug in sinks that fail after N commits.
/// Each bus partition is its own exactly-once stream with its own batch ids, so that a
/// partition can move to another instance of the job. Implementations must make `Commit`
/// atomic and idempotent: the Delta sink records one `txn` action per partition
/// (appId `<app_id>/<partition>`, version = batch id) in the same commit as the rows.
class TableSink {
 public:
  virtual ~TableSink() = default;

  /// The last batch of `partition` committed to the table, if any.
  virtual arrow::Result<std::optional<int64_t>> LastCommittedBatch(bus::PartitionId partition) = 0;

  /// Commits `rows` as the batches `batches` of their partitions, all or nothing.
  /// `batch_info_json` is recorded beside it (the bus ranges) for audit. The job calls this
  /// only for batches that have rows for the table.
  virtual arrow::Status Commit(const PartitionBatches& batches,
                               const std::shared_ptr<arrow::Table>& rows,
                               const std::string& batch_info_json) = 0;

  virtual std::string name() const = 0;
};

}  // namespace hashlake::stream
