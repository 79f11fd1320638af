#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include <arrow/result.h>

#include "hashlake/core/time.h"

namespace hashlake::source {

/// Parses X API v1.1's `created_at`, e.g. "Tue Feb 09 22:48:55 +0000 2021".
arrow::Result<Timestamp> ParseTwitterDate(std::string_view text);

/// The creation time encoded in an X snowflake id (ids since November 2010 carry
/// milliseconds since 2010-11-04T01:42:54.657Z in their top 41 bits); nullopt for
/// older or non-numeric ids.
std::optional<Timestamp> SnowflakeTime(std::string_view id);

}  // namespace hashlake::source
