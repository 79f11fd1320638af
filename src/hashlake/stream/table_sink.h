#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <arrow/result.h>
#include <arrow/status.h>
#include <arrow/table.h>

namespace hashlake::stream {

/// Where one table's share of a micro-batch goes: the seam between the stream job and
/// the lake, so that tests can plug in sinks that fail after N commits.
/// Implementations must make `Commit` atomic and idempotent per batch: the Delta sink
/// records (app_id, batch_id) as a `txn` action in the same commit as the data.
class TableSink {
 public:
  virtual ~TableSink() = default;

  /// The last batch this job committed to the table, if any (the Delta `txn` version).
  virtual arrow::Result<std::optional<int64_t>> LastCommittedBatch() = 0;

  /// Commits `rows` as batch `batch_id`. `batch_info_json` is an object recorded beside
  /// it (the bus offsets the batch covers) for audit and recovery. The job calls this
  /// only for batches that have rows for the table.
  virtual arrow::Status Commit(int64_t batch_id, const std::shared_ptr<arrow::Table>& rows,
                               const std::string& batch_info_json) = 0;

  virtual std::string name() const = 0;
};

}  // namespace hashlake::stream
