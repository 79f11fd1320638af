#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <arrow/result.h>
#include <arrow/type_fwd.h>

namespace hashlake::lake {

/// Partition values (PROTOCOL.md §Partition Value Serialization): every value is a string
/// in the log; null is JSON null.
///
/// Written forms: integers and floats as decimal text, booleans "true"/"false", dates
/// "yyyy-MM-dd", timestamps "yyyy-MM-dd HH:mm:ss.ffffff" (UTC; the form Spark writes),
/// decimals as plain text, strings as themselves (an empty string is written as null,
/// since Delta cannot tell the two apart).
arrow::Result<std::optional<std::string>> SerializePartitionValue(const arrow::Array& array,
                                                                  int64_t row);

/// A column of `length` copies of the partition value `value` (null when nullopt or empty),
/// parsed as `type`. A value that does not parse is an error naming it.
arrow::Result<std::shared_ptr<arrow::Array>> MakePartitionColumn(
    const std::shared_ptr<arrow::DataType>& type, const std::optional<std::string>& value,
    int64_t length);

/// Hive/Spark path escaping of one partition value (ExternalCatalogUtils.escapePathName):
/// control characters and "#%'*/:=?\\{[]^ plus DEL become %XX.
std::string HiveEscape(std::string_view value);

/// The directory name of one partition column: "col=value" (Hive-escaped), with
/// `__HIVE_DEFAULT_PARTITION__` for null.
std::string PartitionDirName(std::string_view column, const std::optional<std::string>& value);

/// Percent-encodes a relative path for `add.path` (RFC 2396): everything but
/// unreserved characters and '/' is encoded, so a Hive-escaped '%' becomes "%25".
std::string UriEncodePath(std::string_view path);

/// Decodes %XX escapes of `add.path`; malformed escapes are kept literally.
std::string UriDecodePath(std::string_view path);

}  // namespace hashlake::lake
