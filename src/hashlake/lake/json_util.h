#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <arrow/result.h>
#include <simdjson.h>

namespace hashlake::lake {

/// Appends `s` as a quoted JSON string (RFC 8259 escaping; bytes >= 0x80 pass through).
void AppendJsonString(std::string* out, std::string_view s);

/// Appends a double in the shortest form that round-trips. NaN/Inf become null.
void AppendJsonDouble(std::string* out, double v);

/// Returns `s` as a quoted JSON string.
std::string JsonQuote(std::string_view s);

/// Compact JSON text of a parsed element (for keeping free-form objects verbatim).
std::string JsonMinify(simdjson::dom::element e);

/// Typed lookups on a parsed object: a missing key or a JSON null yields `fallback`; a
/// present value of the wrong type is an error naming the key.
arrow::Result<std::string> GetString(simdjson::dom::object o, std::string_view key,
                                     std::string fallback = {});
arrow::Result<int64_t> GetInt(simdjson::dom::object o, std::string_view key,
                              int64_t fallback = 0);
arrow::Result<bool> GetBool(simdjson::dom::object o, std::string_view key, bool fallback);

}  // namespace hashlake::lake
