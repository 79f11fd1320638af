#include "hashlake/stream/delta_sink.h"

#include <arrow/table.h>

#include "hashlake/core/logging.h"
#include "hashlake/lake/table_uri.h"

namespace hashlake::stream {

arrow::Result<std::unique_ptr<DeltaSink>> DeltaSink::Make(
    const std::string& path, const arrow::Schema& schema,
    const std::vector<std::string>& partition_columns, std::string app_id) {
  // `path` is a table URI: a local path, file://… or s3://bucket/prefix?endpoint=…
  ARROW_ASSIGN_OR_RAISE(auto resolved, lake::ResolveTableUri(path));
  ARROW_ASSIGN_OR_RAISE(auto table, lake::DeltaTable::OpenOrCreate(resolved.root, schema,
                                                                   partition_columns, {},
                                                                   resolved.store));
  ARROW_ASSIGN_OR_RAISE(auto snapshot, table->LoadSnapshot());
  return std::unique_ptr<DeltaSink>(new DeltaSink(std::move(table), std::move(app_id),
                                                  snapshot.version));
}

std::string PartitionAppId(std::string_view app_id, bus::PartitionId partition) {
  return std::string(app_id) + "/" + std::to_string(partition.value);
}

arrow::Result<std::optional<int64_t>> DeltaSink::LastCommittedBatch(bus::PartitionId partition) {
  ARROW_ASSIGN_OR_RAISE(auto snapshot, table_->LoadSnapshot());
  version_ = snapshot.version;
  return snapshot.TxnVersion(PartitionAppId(app_id_, partition));
}

arrow::Status DeltaSink::Commit(const PartitionBatches& batches,
                                const std::shared_ptr<arrow::Table>& rows,
                                const std::string& batch_info_json) {
  lake::CommitOptions options;
  int64_t epoch = 0;
  for (const auto& [partition, batch_id] : batches) {
    options.txns.push_back({PartitionAppId(app_id_, partition), batch_id});
    epoch = std::max(epoch, batch_id);
  }
  options.operation = "STREAMING UPDATE";
  options.operation_parameters = {{"outputMode", "\"Append\""},
                                  {"queryId", "\"" + app_id_ + "\""},
                                  {"epochId", "\"" + std::to_string(epoch) + "\""}};
  options.commit_info_extra = {{"hashlake", batch_info_json}};
  ARROW_ASSIGN_OR_RAISE(auto result, table_->Append(*rows, options));
  version_ = result.version;
  if (!result.maintenance_status.ok()) {
    // The commit landed; only the checkpoint or log cleanup after it failed (retried at
    // the next due checkpoint).
    Logger("lake")->warn("{}: checkpoint after version {} failed: {}", name(), result.version,
                         result.maintenance_status.ToString());
  }
  return arrow::Status::OK();
}

std::string DeltaSink::name() const {
  std::string path = table_->path();
  while (!path.empty() && path.back() == '/') path.pop_back();
  return path.substr(path.find_last_of('/') + 1);
}

}  // namespace hashlake::stream
