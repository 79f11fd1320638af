#include "hashlake/serve/json.h"

#include <cstdint>
#include <cstdio>

#include <fmt/format.h>

namespace hashlake::serve {
namespace {

// Length of the valid UTF-8 sequence at the start of `s`, or 0 when it is not valid.
size_t Utf8SequenceLength(std::string_view s) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  auto continuation = [&](size_t i) { return i < s.size() && (byte(i) & 0xC0) == 0x80; };
  unsigned char b0 = byte(0);
  if (b0 < 0x80) return 1;
  if (b0 >= 0xC2 && b0 <= 0xDF) return continuation(1) ? 2 : 0;
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (!continuation(1) || !continuation(2)) return 0;
    if (b0 == 0xE0 && byte(1) < 0xA0) return 0;   // overlong
    if (b0 == 0xED && byte(1) >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (!continuation(1) || !continuation(2) || !continuation(3)) return 0;
    if (b0 == 0xF0 && byte(1) < 0x90) return 0;   // overlong
    if (b0 == 0xF4 && byte(1) >= 0x90) return 0;  // beyond U+10FFFF
    return 4;
  }
  return 0;
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view text) {
  out.push_back('"');
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    switch (c) {
      case '"': out.append("\\\""); ++i; continue;
      case '\\': out.append("\\\\"); ++i; continue;
      case '\n': out.append("\\n"); ++i; continue;
      case '\r': out.append("\\r"); ++i; continue;
      case '\t': out.append("\\t"); ++i; continue;
      default: break;
    }
    if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out.append(buf);
      ++i;
      continue;
    }
    size_t n = Utf8SequenceLength(text.substr(i));
    if (n == 0) {
      out.append("\xEF\xBF\xBD");  // U+FFFD
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  out.push_back('"');
}

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
    AppendJsonString(out, entry.hashtag);
    out.append(fmt::format(",\"count\":{}}}", entry.count));
  }
  out.append("]}");
  return out;
}

std::string HealthJson(const Health& health, int64_t sse_clients) {
  std::string out = "{\"status\":";
  AppendJsonString(out, health.status);
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
    AppendJsonString(out, table);
    out.append(fmt::format(":{}", version));
  }
  out.append(fmt::format("}},\"server\":{{\"sse_clients\":{}}}}}", sse_clients));
  return out;
}

std::string ErrorJson(std::string_view message) {
  std::string out = "{\"error\":";
  AppendJsonString(out, message);
  out.push_back('}');
  return out;
}

}  // namespace hashlake::serve
