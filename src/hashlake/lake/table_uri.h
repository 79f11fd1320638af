#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <arrow/result.h>

namespace hashlake::lake {

class LogStore;

/// Where a table lives, parsed from what a user types: a plain path, `file:///abs/path`,
/// or `s3://bucket/prefix?endpoint=...&region=...`.
struct TableUri {
  std::string scheme;  ///< "file" or "s3"
  /// For "file": the absolute, normalized directory. For "s3": "bucket/prefix" (no slashes
  /// at either end).
  std::string root;
  /// Query parameters (s3 only: endpoint, region, ...), percent-decoded.
  std::map<std::string, std::string> options;
};

/// Parses `uri`. Relative plain paths are made absolute against the working directory.
/// Unknown schemes, `file://host/...` with a host, and an s3 URI without a bucket are
/// Invalid.
arrow::Result<TableUri> ParseTableUri(std::string_view uri);

/// The LogStore serving `uri` and the table root to pass to DeltaTable with it.
/// "file" gives the local store. Backends not compiled in give NotImplemented naming them.
struct ResolvedTable {
  std::shared_ptr<LogStore> store;
  std::string root;
};
arrow::Result<ResolvedTable> ResolveTableUri(std::string_view uri);

}  // namespace hashlake::lake
