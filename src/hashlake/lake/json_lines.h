#pragma once

#include <ostream>
#include <vector>

#include <arrow/status.h>
#include <arrow/type_fwd.h>

namespace hashlake::lake {

struct TableInfo;
struct CommitEntry;

/// Writes one JSON object per row, keys in column order: strings as JSON strings, numbers
/// as numbers (NaN/Inf as null), booleans, dates "yyyy-MM-dd", timestamps RFC 3339 UTC with
/// microseconds ("...T12:00:00.000000Z"; no 'Z' for tz-naive), decimals as numbers, binary
/// as base64 strings, lists as arrays, structs and string-keyed maps as objects, other maps
/// as arrays of [key, value], nulls as null.
arrow::Status WriteRowsAsJsonLines(const arrow::Table& table, std::ostream& out);

/// Writes one JSON object per commit, newest first (the `lake history` output):
/// {"version", "timestamp" (the commit timestamp, RFC 3339 UTC with ms), "operation",
/// "operationParameters" (object), "engineInfo", "readVersion", "isBlindAppend", then every
/// other commitInfo key (e.g. "hashlake") verbatim}. Absent fields are omitted.
arrow::Status WriteHistoryJsonLines(const std::vector<CommitEntry>& commits, std::ostream& out);

/// Writes `info` as one pretty-printed JSON object (the `lake describe` output).
arrow::Status WriteDescribeJson(const TableInfo& info, std::ostream& out);

}  // namespace hashlake::lake
