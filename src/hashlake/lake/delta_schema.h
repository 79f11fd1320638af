#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <arrow/result.h>
#include <arrow/type_fwd.h>

namespace hashlake::lake {

/// Converts between Arrow schemas and the Delta `schemaString` (Spark's JSON schema,
/// PROTOCOL.md §Schema Serialization Format).
///
/// Mapping: string<->utf8 (large_utf8 and string_view also map to string), long<->int64,
/// integer<->int32, short<->int16, byte<->int8, float, double, boolean, binary<->binary,
/// date<->date32, timestamp<->timestamp(us, "UTC") (any unit with a time zone writes as
/// timestamp), decimal(p,s)<->decimal128, array<->list, map<->map, struct<->struct.
/// timestamp_ntz<->tz-naive timestamp(us) (DeltaTable::Create then enables table feature
/// timestampNtz).
/// Field metadata: Arrow key/value strings are written as JSON strings; on read, string
/// values come back unquoted and other JSON values as their compact JSON text.
arrow::Result<std::string> ToDeltaSchemaString(const arrow::Schema& schema);

/// Parses a Delta `schemaString`. Unknown type names are errors that name the type.
arrow::Result<std::shared_ptr<arrow::Schema>> FromDeltaSchemaString(std::string_view json);

/// The Delta type name of a primitive Arrow type ("long", "decimal(10,2)"), or an error for
/// nested and unsupported types.
arrow::Result<std::string> DeltaPrimitiveTypeName(const arrow::DataType& type);

}  // namespace hashlake::lake
