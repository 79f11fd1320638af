#include "hashlake/source/twitter_time.h"

#include <array>
#include <charconv>
#include <string>

namespace hashlake::source {
namespace {

bool ParseInt(std::string_view s, int* out) {
  if (s.empty()) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace

arrow::Result<Timestamp> ParseTwitterDate(std::string_view text) {
  // "Www Mmm dd hh:mm:ss +zzzz yyyy": fixed width, 30 characters.
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  auto bad = [&] { return arrow::Status::Invalid("bad X date '", std::string(text), "'"); };
  if (text.size() != 30 || text[3] != ' ' || text[7] != ' ' || text[10] != ' ' ||
      text[13] != ':' || text[16] != ':' || text[19] != ' ' || text[25] != ' ') {
    return bad();
  }
  unsigned month = 0;
  for (unsigned m = 0; m < 12; ++m) {
    if (text.substr(4, 3) == kMonths[m]) month = m + 1;
  }
  int day, hour, minute, second, offset, year;
  if (month == 0 || !ParseInt(text.substr(8, 2), &day) || !ParseInt(text.substr(11, 2), &hour) ||
      !ParseInt(text.substr(14, 2), &minute) || !ParseInt(text.substr(17, 2), &second) ||
      (text[20] != '+' && text[20] != '-') || !ParseInt(text.substr(21, 4), &offset) ||
      !ParseInt(text.substr(26, 4), &year)) {
    return bad();
  }
  const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{month},
                                        std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) return bad();
  const int offset_minutes = (offset / 100) * 60 + offset % 100;
  const auto local = std::chrono::sys_days{ymd} + std::chrono::hours{hour} +
                     std::chrono::minutes{minute} + std::chrono::seconds{second};
  const auto utc = local - std::chrono::minutes{text[20] == '+' ? offset_minutes : -offset_minutes};
  return std::chrono::time_point_cast<Micros>(utc);
}

std::optional<Timestamp> SnowflakeTime(std::string_view id) {
  uint64_t value = 0;
  auto [ptr, ec] = std::from_chars(id.data(), id.data() + id.size(), value);
  if (ec != std::errc() || ptr != id.data() + id.size()) return std::nullopt;
  // The first snowflakes (Nov 2010) were already above 2.9e16; smaller ids are older.
  if (value < 10'000'000'000'000'000ULL) return std::nullopt;
  constexpr int64_t kTwitterEpochMs = 1288834974657;
  const int64_t ms = static_cast<int64_t>(value >> 22) + kTwitterEpochMs;
  return FromMicros(ms * 1000);
}

}  // namespace hashlake::source
