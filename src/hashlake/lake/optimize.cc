#include "hashlake/lake/optimize.h"

#include <chrono>
#include <map>

#include <arrow/api.h>

#include "hashlake/lake/delta_table.h"
#include "hashlake/lake/partition.h"
#include "hashlake/lake/scan.h"

namespace hashlake::lake {
namespace {

std::string PartitionKey(const Snapshot& s, const AddFile& f) {
  std::string key;
  for (const auto& column : s.metadata.partition_columns) {
    std::optional<std::string> value;
    auto it = f.partition_values.find(column);
    if (it != f.partition_values.end()) value = it->second;
    if (!key.empty()) key += "/";
    key += PartitionDirName(column, value);
  }
  return key;
}

}  // namespace

arrow::Result<OptimizeResult> Optimize(DeltaTable& table, const OptimizeOptions& options) {
  if (options.target_size_bytes <= 0) {
    return arrow::Status::Invalid("optimize target size must be positive, got ",
                                  options.target_size_bytes);
  }
  ARROW_ASSIGN_OR_RAISE(auto snapshot, table.LoadSnapshot());
  // Partition -> small files, in path order (snapshot.files is sorted by path).
  std::map<std::string, std::vector<const AddFile*>> by_partition;
  for (const auto& f : snapshot.files) {
    if (f.size < options.target_size_bytes) by_partition[PartitionKey(snapshot, f)].push_back(&f);
  }
  OptimizeResult result;
  std::vector<std::vector<const AddFile*>> bins;
  for (const auto& [partition, files] : by_partition) {
    std::vector<const AddFile*> bin;
    int64_t bytes = 0;
    auto flush = [&] {
      if (bin.size() >= 2) {
        OptimizeBin b{partition, {}, bytes};
        for (const auto* f : bin) b.files.push_back(f->path);
        result.bins.push_back(std::move(b));
        bins.push_back(bin);
      }
      bin.clear();
      bytes = 0;
    };
    for (const auto* f : files) {
      if (!bin.empty() && bytes + f->size > options.target_size_bytes) flush();
      bin.push_back(f);
      bytes += f->size;
    }
    flush();
  }
  for (const auto& b : result.bins) {
    result.files_removed += static_cast<int64_t>(b.files.size());
    result.bytes_removed += b.input_bytes;
  }
  if (options.dry_run || bins.empty()) return result;

  int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  std::vector<AddFile> adds;
  std::vector<RemoveFile> removes;
  for (const auto& bin : bins) {
    Snapshot part = snapshot;
    part.files.clear();
    for (const auto* f : bin) part.files.push_back(*f);
    ARROW_ASSIGN_OR_RAISE(auto data, Scan(table.store(), part));
    ARROW_ASSIGN_OR_RAISE(auto written, table.WriteFiles(*data, /*data_change=*/false));
    for (auto& a : written) {
      result.bytes_added += a.size;
      adds.push_back(std::move(a));
    }
    for (const auto* f : bin) {
      RemoveFile r;
      r.path = f->path;
      r.deletion_timestamp_ms = now_ms;
      r.data_change = false;
      r.extended_file_metadata = true;
      r.partition_values = f->partition_values;
      r.size = f->size;
      removes.push_back(std::move(r));
    }
  }
  result.files_added = static_cast<int64_t>(adds.size());
  CommitOptions commit;
  commit.operation = "OPTIMIZE";
  commit.operation_parameters = {
      {"predicate", "\"[]\""},
      {"targetSize", "\"" + std::to_string(options.target_size_bytes) + "\""}};
  commit.max_commit_attempts = options.max_commit_attempts;
  ARROW_ASSIGN_OR_RAISE(auto committed, table.Commit(snapshot.version, std::move(adds),
                                                     std::move(removes), commit));
  result.version = committed.version;
  return result;
}

}  // namespace hashlake::lake
