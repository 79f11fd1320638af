#include "hashlake/lake/vacuum.h"

#include <set>

#include "hashlake/lake/log_store.h"
#include "hashlake/lake/partition.h"
#include "hashlake/lake/snapshot.h"
#include "hashlake/lake/table_properties.h"

namespace hashlake::lake {
namespace {

bool IsHidden(const std::string& name) {
  return (name.starts_with("_") || name.starts_with(".")) &&
         name.find('=') == std::string::npos;
}

arrow::Status Walk(LogStore& store, const std::string& root, const std::string& rel,
                   std::vector<std::pair<std::string, FileEntry>>* out) {
  ARROW_ASSIGN_OR_RAISE(auto entries, store.List(rel.empty() ? root : root + "/" + rel));
  for (auto& e : entries) {
    if (IsHidden(e.name)) continue;
    std::string path = rel.empty() ? e.name : rel + "/" + e.name;
    if (e.is_dir) {
      ARROW_RETURN_NOT_OK(Walk(store, root, path, out));
    } else {
      out->emplace_back(std::move(path), std::move(e));
    }
  }
  return arrow::Status::OK();
}

}  // namespace

arrow::Result<VacuumResult> Vacuum(LogStore& store, const Snapshot& snapshot,
                                   const VacuumOptions& options) {
  ARROW_RETURN_NOT_OK(CheckReadable(snapshot));
  ARROW_ASSIGN_OR_RAISE(auto props, TableProperties::FromMetadata(snapshot.metadata));
  std::chrono::milliseconds retention = props.deleted_file_retention;
  if (options.retain) {
    auto wanted = std::chrono::duration_cast<std::chrono::milliseconds>(*options.retain);
    if (wanted.count() < 0) return arrow::Status::Invalid("vacuum retention must not be negative");
    if (wanted < retention && !options.force) {
      return arrow::Status::Invalid(
          "vacuum retention of ", std::chrono::duration_cast<std::chrono::hours>(wanted).count(),
          " hours is shorter than the table's delta.deletedFileRetentionDuration (",
          std::chrono::duration_cast<std::chrono::hours>(retention).count(),
          " hours): readers of older versions and running writers could lose files. Pass "
          "--force (VacuumOptions::force) to vacuum anyway");
    }
    retention = wanted;
  }
  int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                       options.now.time_since_epoch())
                       .count();
  int64_t cutoff = now_ms - retention.count();
  std::set<std::string> keep;
  for (const auto& f : snapshot.files) keep.insert(UriDecodePath(f.path));
  for (const auto& r : snapshot.tombstones) {
    if (r.deletion_timestamp_ms.value_or(0) > cutoff) keep.insert(UriDecodePath(r.path));
  }
  std::vector<std::pair<std::string, FileEntry>> files;
  ARROW_RETURN_NOT_OK(Walk(store, snapshot.table_root, "", &files));
  VacuumResult result;
  for (const auto& [rel, entry] : files) {
    if (keep.count(rel) || entry.modification_time_ms > cutoff) continue;
    if (!options.dry_run) ARROW_RETURN_NOT_OK(store.Delete(snapshot.table_root + "/" + rel));
    result.files.push_back(rel);
    result.bytes += entry.size;
  }
  return result;
}

}  // namespace hashlake::lake
