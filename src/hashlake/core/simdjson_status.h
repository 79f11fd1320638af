#pragma once

#include <string>

#include <arrow/status.h>
#include <simdjson.h>

namespace hashlake {

/// Turns a simdjson error code into an Invalid status that says what was expected.
inline arrow::Status JsonError(simdjson::error_code code, const std::string& context) {
  return arrow::Status::Invalid(context, ": ", simdjson::error_message(code));
}

}  // namespace hashlake

/// Returns an Invalid status from the enclosing function when `expr` (a simdjson
/// error_code) is not SUCCESS. `context` is evaluated only on failure.
#define HASHLAKE_RETURN_NOT_OK_JSON(expr, context)                     \
  do {                                                                 \
    const ::simdjson::error_code _hl_code = (expr);                    \
    if (_hl_code != ::simdjson::SUCCESS) {                             \
      return ::hashlake::JsonError(_hl_code, (context));               \
    }                                                                  \
  } while (false)
