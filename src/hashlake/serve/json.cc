#include "hashlake/serve/json.h"

#include <cstdint>
#include <cstdio>

#include <fmt/format.h>

#include "hashlake/core/json_writer.h"

namespace hashlake::serve {

std::string FormatUtcMillis(Timestamp t) {
  using namespace std::chrono;
  auto ms = floor<milliseconds>(t);
  auto day = floor<days>(ms);
  year_month_day ymd{day};
  hh_mm_ss<milliseconds> hms{ms - day};
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}.{:03d}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count(),
                     hms.subseconds().count());
}

std::string TopHashtagsJson(const TopHashtags& top) {
  std::string out;
  out.reserve(64 + top.top.size() * 40);
  out.append("{\"window_start\":\"").append(FormatUtcMillis(top.window_start));
  out.append("\",\"window_end\":\"").append(FormatUtcMillis(top.window_end));
  double window_seconds =
      std::chrono::duration<double>(top.window_end - top.window_start).count();
  out.append(fmt::format("\",\"window_seconds\":{},\"posts\":{},\"top\":[", window_seconds,
                         top.posts));
  bool first = true;
  for (const HashtagCount& entry : top.top) {
    if (!first) out.push_back(',');
    first = false;
    out.append("{\"hashtag\":");
    AppendJsonString(&out, entry.hashtag);
    out.append(fmt::format(",\"count\":{}}}", entry.count));
  }
  out.append("]}");
  return out;
}

std::string HealthJson(const Health& health, int64_t sse_clients) {
  std::string out = "{\"status\":";
  AppendJsonString(&out, health.status);
  out.append(fmt::format(
      ",\"uptime_seconds\":{},\"posts_ingested\":{},\"posts_rejected\":{},\"lag_ms\":{}"
      ",\"tables\":{{",
      std::chrono::duration<double>(health.uptime).count(), health.posts_ingested,
      health.posts_rejected,
      std::chrono::duration_cast<std::chrono::milliseconds>(health.lag).count()));
  bool first = true;
  for (const auto& [table, version] : health.table_versions) {
    if (!first) out.push_back(',');
    first = false;
    AppendJsonString(&out, table);
    out.append(fmt::format(":{}", version));
  }
  out.append(fmt::format("}},\"server\":{{\"sse_clients\":{}}}}}", sse_clients));
  return out;
}

std::string ErrorJson(std::string_view message) {
  std::string out = "{\"error\":";
  AppendJsonString(&out, message);
  out.push_back('}');
  return out;
}

}  // namespace hashlake::serve
