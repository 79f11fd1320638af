#include "hashlake/schedule/cron.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <sstream>
#include <vector>

namespace hashlake::schedule {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

struct FieldInfo {
  const char* name;
  int min;
  int max;
  const char* const* names;  // names[i] is value min+i, or nullptr
};

constexpr const char* kMonthNames[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                       "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr const char* kWeekdayNames[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

constexpr FieldInfo kSecond{"second", 0, 59, nullptr};
constexpr FieldInfo kMinute{"minute", 0, 59, nullptr};
constexpr FieldInfo kHour{"hour", 0, 23, nullptr};
constexpr FieldInfo kDayOfMonth{"day-of-month", 1, 31, nullptr};
constexpr FieldInfo kMonth{"month", 1, 12, kMonthNames};
// Weekday 7 is accepted as Sunday and folded to 0 after parsing.
constexpr FieldInfo kWeekday{"day-of-week", 0, 7, kWeekdayNames};

arrow::Status FieldError(const FieldInfo& field, std::string_view text, std::string_view why) {
  std::string allowed = "*, N, A-B, lists A,B, steps */S or A-B/S; ";
  allowed += std::to_string(field.min) + "-" + std::to_string(field.max);
  if (field.names == kMonthNames) allowed += " or jan-dec";
  if (field.names == kWeekdayNames) allowed += " (0 and 7 are Sunday) or sun-sat";
  return arrow::Status::Invalid("cron ", field.name, " field '", text, "': ", why,
                                " (allowed: ", allowed, ")");
}

arrow::Result<int> ParseValue(const FieldInfo& field, std::string_view whole, std::string_view v) {
  if (field.names != nullptr && v.size() == 3 && std::isalpha(static_cast<unsigned char>(v[0]))) {
    std::string lower(v);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    const int count = field.names == kMonthNames ? 12 : 7;
    for (int i = 0; i < count; ++i) {
      if (lower == field.names[i]) return field.min + i;
    }
    return FieldError(field, whole, "unknown name '" + std::string(v) + "'");
  }
  int value = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
  if (ec != std::errc() || end != v.data() + v.size() || v.empty()) {
    return FieldError(field, whole, "'" + std::string(v) + "' is not a number");
  }
  if (value < field.min || value > field.max) {
    return FieldError(field, whole, std::to_string(value) + " is out of range");
  }
  return value;
}

// Sets the bits of `field` named by `text`; returns whether the field starts with '*'.
arrow::Result<bool> ParseField(const FieldInfo& field, std::string_view text,
                               std::vector<bool>* bits) {
  bits->assign(field.max + 1, false);
  if (text.empty()) return FieldError(field, text, "empty");
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view item = text.substr(start, comma - start);
    if (item.empty()) return FieldError(field, text, "empty list item");
    int step = 1;
    const size_t slash = item.find('/');
    std::string_view range = item.substr(0, slash);
    if (slash != std::string_view::npos) {
      std::string_view step_text = item.substr(slash + 1);
      auto [end, ec] = std::from_chars(step_text.data(), step_text.data() + step_text.size(), step);
      if (ec != std::errc() || end != step_text.data() + step_text.size() || step_text.empty() ||
          step <= 0 || step > field.max) {
        return FieldError(field, text, "bad step '" + std::string(step_text) + "'");
      }
    }
    int lo = field.min;
    int hi = field.max;
    if (range == "*") {
      // full range
    } else if (const size_t dash = range.find('-'); dash != std::string_view::npos) {
      ARROW_ASSIGN_OR_RAISE(lo, ParseValue(field, text, range.substr(0, dash)));
      ARROW_ASSIGN_OR_RAISE(hi, ParseValue(field, text, range.substr(dash + 1)));
      if (lo > hi) {
        return FieldError(field, text, "range " + std::string(range) + " runs backwards");
      }
    } else {
      ARROW_ASSIGN_OR_RAISE(lo, ParseValue(field, text, range));
      // Vixie cron: "A/S" means A to the end of the field, every S.
      hi = slash == std::string_view::npos ? lo : field.max;
    }
    for (int v = lo; v <= hi; v += step) (*bits)[v] = true;
    start = comma + 1;
  }
  return text[0] == '*';
}

template <size_t N>
std::bitset<N> ToBits(const std::vector<bool>& v) {
  std::bitset<N> out;
  for (size_t i = 0; i < v.size() && i < N; ++i) out[i] = v[i];
  return out;
}

std::string ExpandMacro(std::string_view text) {
  if (text == "@yearly" || text == "@annually") return "0 0 1 1 *";
  if (text == "@monthly") return "0 0 1 * *";
  if (text == "@weekly") return "0 0 * * 0";
  if (text == "@daily" || text == "@midnight") return "0 0 * * *";
  if (text == "@hourly") return "0 * * * *";
  return std::string(text);
}

}  // namespace

arrow::Result<CronExpression> CronExpression::Parse(std::string_view text) {
  CronExpression cron;
  cron.text_ = std::string(text);
  const std::string expanded = ExpandMacro(text);
  if (!expanded.empty() && expanded[0] == '@') {
    return arrow::Status::Invalid("unknown cron macro '", text,
                                  "' (allowed: @yearly, @annually, @monthly, @weekly, @daily, "
                                  "@midnight, @hourly)");
  }
  std::istringstream in(expanded);
  std::vector<std::string> fields;
  for (std::string f; in >> f;) fields.push_back(f);
  if (fields.size() != 5 && fields.size() != 6) {
    return arrow::Status::Invalid("cron expression '", text, "' has ", fields.size(),
                                  " fields (allowed: 5 `min hour dom month dow` or 6 with a "
                                  "leading second)");
  }
  cron.has_seconds_ = fields.size() == 6;
  std::vector<bool> bits;
  size_t i = 0;
  if (cron.has_seconds_) {
    ARROW_RETURN_NOT_OK(ParseField(kSecond, fields[i++], &bits));
    cron.seconds_ = ToBits<60>(bits);
  } else {
    cron.seconds_[0] = true;
  }
  cron.five_field_text_ = fields[i];
  for (size_t j = i + 1; j < fields.size(); ++j) cron.five_field_text_ += " " + fields[j];
  ARROW_RETURN_NOT_OK(ParseField(kMinute, fields[i++], &bits));
  cron.minutes_ = ToBits<60>(bits);
  ARROW_RETURN_NOT_OK(ParseField(kHour, fields[i++], &bits));
  cron.hours_ = ToBits<24>(bits);
  ARROW_ASSIGN_OR_RAISE(cron.day_of_month_star_, ParseField(kDayOfMonth, fields[i++], &bits));
  cron.days_of_month_ = ToBits<32>(bits);
  ARROW_RETURN_NOT_OK(ParseField(kMonth, fields[i++], &bits));
  cron.months_ = ToBits<13>(bits);
  ARROW_ASSIGN_OR_RAISE(cron.weekday_star_, ParseField(kWeekday, fields[i++], &bits));
  if (bits[7]) bits[0] = true;
  cron.weekdays_ = ToBits<7>(bits);
  // 2000 is a leap year, so Feb 29 schedules are found within the search window.
  if (!cron.Next(Timestamp{} +
                 std::chrono::sys_days{std::chrono::year{2000} / 1 / 1}.time_since_epoch())) {
    return arrow::Status::Invalid("cron expression '", text,
                                  "' never fires (no such day in any month)");
  }
  return cron;
}

bool CronExpression::FitsFiveFields() const {
  return !has_seconds_ || (seconds_.count() == 1 && seconds_[0]);
}

bool CronExpression::MatchesDay(int day_of_month, int month, int weekday) const {
  if (!months_[month]) return false;
  const bool dom = days_of_month_[day_of_month];
  const bool dow = weekdays_[weekday];
  if (!day_of_month_star_ && !weekday_star_) return dom || dow;
  return dom && dow;
}

std::optional<Timestamp> CronExpression::Next(Timestamp after) const {
  using SysSeconds = std::chrono::sys_seconds;
  SysSeconds t = std::chrono::floor<seconds>(after) + seconds{1};
  const auto limit = t + days{366 * 8};
  while (t < limit) {
    const auto day = std::chrono::floor<days>(t);
    const std::chrono::year_month_day ymd{day};
    const int month = static_cast<int>(static_cast<unsigned>(ymd.month()));
    if (!months_[month]) {
      auto next_month = std::chrono::year_month{ymd.year(), ymd.month()} + std::chrono::months{1};
      t = SysSeconds{std::chrono::sys_days{next_month / 1}};
      continue;
    }
    const int weekday = static_cast<int>(std::chrono::weekday{day}.c_encoding());
    if (!MatchesDay(static_cast<int>(static_cast<unsigned>(ymd.day())), month, weekday)) {
      t = SysSeconds{day + days{1}};
      continue;
    }
    const std::chrono::hh_mm_ss hms{t - day};
    if (!hours_[hms.hours().count()]) {
      t = std::chrono::floor<hours>(t) + hours{1};
      continue;
    }
    if (!minutes_[hms.minutes().count()]) {
      t = std::chrono::floor<minutes>(t) + minutes{1};
      continue;
    }
    if (!seconds_[hms.seconds().count()]) {
      t += seconds{1};
      continue;
    }
    return std::chrono::time_point_cast<Micros>(t);
  }
  return std::nullopt;
}

}  // namespace hashlake::schedule
