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

/// The URI of table `name` inside the lake at `lake_uri`: `name` joined onto the path, before
/// an s3 URI's query ("s3://b/lake?endpoint=E" + "posts" -> "s3://b/lake/posts?endpoint=E";
/// "/data/lake/" + "posts" -> "/data/lake/posts"). Use it instead of path joins, which would
/// append after the query.
std::string JoinTableUri(std::string_view lake_uri, std::string_view name);

/// The LogStore serving `uri` and the table root to pass to DeltaTable with it.
/// "file" gives the local store. "s3" gives an S3 store (s3_log_store.h) with the root
/// "s3://bucket/prefix"; its query options are S3Options::FromUriOptions's (endpoint, region,
/// path_style, multipart_threshold, part_size, max_attempts, upload_concurrency) and its
/// credentials come from the standard chain (aws_credentials.h), resolved here: no
/// credentials is an Invalid status naming the variables to set.
struct ResolvedTable {
  std::shared_ptr<LogStore> store;
  std::string root;
};
arrow::Result<ResolvedTable> ResolveTableUri(std::string_view uri);

}  // namespace hashlake::lake
