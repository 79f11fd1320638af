#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <arrow/result.h>
#include <simdjson.h>

namespace hashlake::lake {

/// Delta log actions (PROTOCOL.md §Actions) as plain value types. Times are milliseconds
/// since the Unix epoch, as the protocol stores them; sizes are bytes.

/// `protocol`: the reader/writer versions a client needs.
struct Protocol {
  int32_t min_reader_version = 1;
  int32_t min_writer_version = 2;
  std::vector<std::string> reader_features;  ///< only at reader version 3
  std::vector<std::string> writer_features;  ///< only at writer version 7
};

/// `metaData`: schema, partitioning and table properties.
struct Metadata {
  std::string id;  ///< a UUID
  std::string name;
  std::string description;
  std::string format_provider = "parquet";
  std::map<std::string, std::string> format_options;
  std::string schema_string;  ///< Delta JSON schema (see delta_schema.h)
  std::vector<std::string> partition_columns;
  std::map<std::string, std::string> configuration;
  std::optional<int64_t> created_time_ms;
};

/// A deletion vector descriptor; only its identity is used (tables that need DVs are
/// refused before their data is read).
struct DeletionVectorRef {
  std::string storage_type;
  std::string path_or_inline_dv;
  std::optional<int64_t> offset;
  int64_t size_in_bytes = 0;
  int64_t cardinality = 0;
  /// The DV's part of the (path, dv id) primary key of a file action.
  std::string UniqueId() const;
};

/// A partition value as the log stores it: a string, or null.
using PartitionValues = std::map<std::string, std::optional<std::string>>;

/// `add`: a data file that is part of the table from this version on.
struct AddFile {
  std::string path;  ///< relative URI, percent-encoded (RFC 2396)
  PartitionValues partition_values;
  int64_t size = 0;
  int64_t modification_time_ms = 0;
  bool data_change = true;
  std::string stats;  ///< JSON text of the statistics object; empty when absent
  std::map<std::string, std::string> tags;
  std::optional<DeletionVectorRef> deletion_vector;
};

/// `remove`: a logical deletion (tombstone) of a previously added file.
struct RemoveFile {
  std::string path;
  std::optional<int64_t> deletion_timestamp_ms;
  bool data_change = true;
  std::optional<bool> extended_file_metadata;
  std::optional<PartitionValues> partition_values;
  std::optional<int64_t> size;
  std::optional<DeletionVectorRef> deletion_vector;
};

/// `txn`: the last committed version of an application (exactly-once writes).
struct Txn {
  std::string app_id;
  int64_t version = 0;
  std::optional<int64_t> last_updated_ms;
};

/// `commitInfo`: free-form provenance. Keys the struct does not name are kept in
/// `extra` as compact JSON text, so a caller can add e.g. `"hashlake": {...}` and read it
/// back.
struct CommitInfo {
  std::optional<int64_t> timestamp_ms;
  std::string operation;
  /// Values are JSON text (a string parameter is stored quoted: "\"Append\"").
  std::map<std::string, std::string> operation_parameters;
  std::string engine_info;
  std::optional<int64_t> read_version;
  std::optional<bool> is_blind_append;
  /// Other top-level keys, each value as JSON text.
  std::map<std::string, std::string> extra;
};

using Action = std::variant<Protocol, Metadata, AddFile, RemoveFile, Txn, CommitInfo>;

/// One action as a single line of JSON (no trailing newline). Fails only when a JSON-text
/// field of a CommitInfo is not valid JSON.
arrow::Result<std::string> ActionToJson(const Action& action);

/// Parses one line of a commit file. Returns nullopt for actions this library does not
/// model (cdc, domainMetadata, checkpointMetadata, sidecar, ...), which readers ignore.
arrow::Result<std::optional<Action>> ParseAction(simdjson::dom::element line);

/// Parses a whole commit file (newline-delimited JSON). `what` names the file in errors.
arrow::Result<std::vector<Action>> ParseCommitFile(std::string_view text, std::string_view what);

/// "2022-01-01T00:00:00.000Z"-style UTC text for microseconds since the epoch, with
/// `fraction_digits` (0, 3 or 6) fractional digits.
std::string FormatUtcTimestamp(int64_t micros, int fraction_digits);

/// Parses the timestamp forms found in Delta logs: "yyyy-MM-dd HH:mm:ss[.f*]" and ISO 8601
/// "yyyy-MM-ddTHH:mm:ss[.f*][Z|±HH:MM]". Returns microseconds since the epoch (UTC).
arrow::Result<int64_t> ParseUtcTimestamp(std::string_view text);

/// Days since the epoch <-> "yyyy-MM-dd".
std::string FormatDate(int32_t days);
arrow::Result<int32_t> ParseDate(std::string_view text);

}  // namespace hashlake::lake
