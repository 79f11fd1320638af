#include "hashlake/core/time.h"

#include <cctype>
#include <charconv>

#include <fmt/format.h>

namespace hashlake {
namespace {

bool ReadDigits(std::string_view s, size_t& pos, size_t count, int& out) {
  if (pos + count > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < count; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  pos += count;
  out = v;
  return true;
}

bool Expect(std::string_view s, size_t& pos, char c) {
  if (pos < s.size() && s[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

}  // namespace

std::string FormatRfc3339(Timestamp t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const auto tod = t - day;
  const auto h = duration_cast<hours>(tod);
  const auto m = duration_cast<minutes>(tod - h);
  const auto s = duration_cast<seconds>(tod - h - m);
  const auto us = duration_cast<microseconds>(tod - h - m - s);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     h.count(), m.count(), s.count(), us.count());
}

arrow::Result<Timestamp> ParseRfc3339(std::string_view text) {
  using namespace std::chrono;
  size_t pos = 0;
  int y, mo, d, h, mi, s;
  auto invalid = [&] {
    return arrow::Status::Invalid("invalid RFC 3339 timestamp '", text,
                                  "' (expected e.g. 2024-05-01T12:34:56Z)");
  };
  if (!ReadDigits(text, pos, 4, y) || !Expect(text, pos, '-') || !ReadDigits(text, pos, 2, mo) ||
      !Expect(text, pos, '-') || !ReadDigits(text, pos, 2, d)) {
    return invalid();
  }
  if (!(Expect(text, pos, 'T') || Expect(text, pos, 't') || Expect(text, pos, ' ')) ||
      !ReadDigits(text, pos, 2, h) || !Expect(text, pos, ':') || !ReadDigits(text, pos, 2, mi) ||
      !Expect(text, pos, ':') || !ReadDigits(text, pos, 2, s)) {
    return invalid();
  }
  int64_t frac_us = 0;
  if (Expect(text, pos, '.')) {
    int digits = 0;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      if (digits < 6) frac_us = frac_us * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return invalid();
    for (int i = digits; i < 6; ++i) frac_us *= 10;
  }
  int64_t offset_min = 0;
  if (Expect(text, pos, 'Z') || Expect(text, pos, 'z')) {
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    int oh, om = 0;
    if (!ReadDigits(text, pos, 2, oh)) return invalid();
    if (Expect(text, pos, ':')) {
      if (!ReadDigits(text, pos, 2, om)) return invalid();
    } else if (pos < text.size() && !ReadDigits(text, pos, 2, om)) {
      return invalid();
    }
    offset_min = sign * (oh * 60 + om);
  } else {
    return invalid();
  }
  if (pos != text.size()) return invalid();
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)},
                           day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 60) return invalid();
  const auto t = sys_days{ymd} + hours{h} + minutes{mi} + seconds{s} + microseconds{frac_us} -
                 minutes{offset_min};
  return Timestamp{duration_cast<Micros>(t.time_since_epoch())};
}

arrow::Result<Micros> ParseDuration(std::string_view text) {
  auto invalid = [&] {
    return arrow::Status::Invalid("invalid duration '", text,
                                  "' (expected e.g. 500ms, 2s, 5m, 1h, 7d or 1m30s)");
  };
  if (text.empty()) return invalid();
  int64_t total_us = 0;
  size_t pos = 0;
  bool bare_number = true;
  while (pos < text.size()) {
    int64_t value = 0;
    auto [ptr, ec] = std::from_chars(text.data() + pos, text.data() + text.size(), value);
    if (ec != std::errc() || value < 0) return invalid();
    pos = static_cast<size_t>(ptr - text.data());
    size_t unit_end = pos;
    while (unit_end < text.size() && std::isalpha(static_cast<unsigned char>(text[unit_end]))) {
      ++unit_end;
    }
    const std::string_view unit = text.substr(pos, unit_end - pos);
    int64_t scale;
    if (unit.empty()) {
      if (!bare_number || unit_end != text.size() || pos == 0) return invalid();
      scale = 1000000;  // a bare number is seconds
    } else if (unit == "us") {
      scale = 1;
    } else if (unit == "ms") {
      scale = 1000;
    } else if (unit == "s") {
      scale = 1000000;
    } else if (unit == "m") {
      scale = 60LL * 1000000;
    } else if (unit == "h") {
      scale = 3600LL * 1000000;
    } else if (unit == "d") {
      scale = 86400LL * 1000000;
    } else {
      return invalid();
    }
    if (value > INT64_MAX / scale || total_us > INT64_MAX - value * scale) return invalid();
    total_us += value * scale;
    bare_number = false;
    pos = unit_end;
  }
  return Micros{total_us};
}

std::string FormatDuration(Micros d) {
  int64_t us = d.count();
  if (us == 0) return "0s";
  if (us % 1000000 != 0) {
    return us % 1000 == 0 ? fmt::format("{}ms", us / 1000) : fmt::format("{}us", us);
  }
  int64_t s = us / 1000000;
  std::string out;
  if (s >= 86400 && s % 86400 == 0) return fmt::format("{}d", s / 86400);
  if (s >= 3600) {
    out += fmt::format("{}h", s / 3600);
    s %= 3600;
  }
  if (s >= 60) {
    out += fmt::format("{}m", s / 60);
    s %= 60;
  }
  if (s > 0) out += fmt::format("{}s", s);
  return out;
}

Timestamp SystemClock::Now() const {
  return std::chrono::time_point_cast<Micros>(std::chrono::system_clock::now());
}

const Clock& SystemClock::Instance() {
  static const SystemClock clock;
  return clock;
}

Timestamp ManualClock::Now() const { return FromMicros(now_us_.load()); }
void ManualClock::Advance(Micros d) { now_us_.fetch_add(d.count()); }
void ManualClock::Set(Timestamp t) { now_us_.store(ToMicros(t)); }

}  // namespace hashlake
