#pragma once

#include <string>

#include <arrow/result.h>
#include <arrow/type_fwd.h>

namespace hashlake::lake {

/// Maximum number of characters kept of a string min/max (Spark's default prefix length).
inline constexpr int kStatsStringPrefixLength = 32;

/// The `add.stats` JSON object of one data file: {"numRecords", "minValues", "maxValues",
/// "nullCount"}, nested like the schema. `data` holds the columns written to the file
/// (partition columns excluded).
///
/// Min/max are kept for integer, floating (NaN ignored), date, timestamp (UTC text truncated
/// to ms; the max rounded up so it stays an upper bound), decimal and string columns (a
/// longer string's min is its 32-character prefix and its max that prefix followed by
/// U+10FFFF, so both remain bounds). Booleans, binary, lists and maps get only a
/// nullCount, like Spark; all-null columns get no min/max.
arrow::Result<std::string> ComputeStatsJson(const arrow::Table& data);

}  // namespace hashlake::lake
