#pragma once

#include <memory>
#include <string>
#include <vector>

#include <arrow/type_fwd.h>

#include "hashlake/lake/delta_table.h"
#include "hashlake/stream/table_sink.h"

namespace hashlake::stream {

/// The Delta `txn` appId of one bus partition of a stream job: `<app_id>/<partition>`.
std::string PartitionAppId(std::string_view app_id, bus::PartitionId partition);

/// A TableSink that appends to a Delta table, one commit per batch, with each partition's
/// batch id as the `txn` version of its PartitionAppId and the batch's bus ranges in
/// commitInfo.hashlake. Not thread-safe.
class DeltaSink final : public TableSink {
 public:
  /// Opens the table at `path` (a local path, file://… or s3://bucket/prefix?…), creating
  /// it with `schema` partitioned by `partition_columns` when absent.
  static arrow::Result<std::unique_ptr<DeltaSink>> Make(
      const std::string& path, const arrow::Schema& schema,
      const std::vector<std::string>& partition_columns, std::string app_id);

  arrow::Result<std::optional<int64_t>> LastCommittedBatch(bus::PartitionId partition) override;
  arrow::Status Commit(const PartitionBatches& batches, const std::shared_ptr<arrow::Table>& rows,
                       const std::string& batch_info_json) override;
  std::string name() const override;

  /// The latest version this sink committed or saw.
  int64_t version() const { return version_; }

 private:
  DeltaSink(std::unique_ptr<lake::DeltaTable> table, std::string app_id, int64_t version)
      : table_(std::move(table)), app_id_(std::move(app_id)), version_(version) {}

  std::unique_ptr<lake::DeltaTable> table_;
  std::string app_id_;
  int64_t version_;
};

}  // namespace hashlake::stream
