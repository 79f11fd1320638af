#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "hashlake/serve/dashboard_data.h"

namespace hashlake::serve {

/// "2024-05-01T12:34:56.789Z": UTC, millisecond precision, what JavaScript's Date parses.
std::string FormatUtcMillis(Timestamp t);

/// {"window_start": "...", "window_end": "...", "window_seconds": 60, "posts": 10,
///  "top": [{"hashtag": "x", "count": 3}, ...]}
std::string TopHashtagsJson(const TopHashtags& top);

/// {"status": "ok", "uptime_seconds": 1.5, "posts_ingested": 10, "posts_rejected": 0,
///  "lag_ms": 120, "tables": {"posts": 4}, "server": {"sse_clients": 2}}
std::string HealthJson(const Health& health, int64_t sse_clients);

/// {"error": "<message>"}
std::string ErrorJson(std::string_view message);

}  // namespace hashlake::serve
