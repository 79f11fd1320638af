#pragma once

#include <arrow/result.h>

#include <bitset>
#include <optional>
#include <string>
#include <string_view>

#include "hashlake/core/time.h"

namespace hashlake::schedule {

/// A cron expression evaluated in UTC (no daylight saving, so every instant is unambiguous).
///
/// Five fields `minute hour day-of-month month day-of-week`, or six with a leading
/// `second` field. Each field takes `*`, `N`, `A-B`, lists `A,B-C`, steps `*/S`, `A-B/S` and
/// `A/S` (A up to the field's end); months and weekdays also take names (`jan`, `mon`), and
/// weekday 7 is Sunday like 0. Macros: `@yearly`, `@annually`, `@monthly`, `@weekly`,
/// `@daily`, `@midnight`, `@hourly`.
///
/// Day matching follows Vixie cron: when both day-of-month and day-of-week are restricted
/// (neither starts with `*`), a day matches if EITHER does; otherwise both must.
/// Immutable and thread-safe once made.
class CronExpression {
 public:
  /// Fails with a message naming the field and what it allows; also fails for an expression
  /// that never fires (e.g. `0 0 30 2 *`).
  static arrow::Result<CronExpression> Parse(std::string_view text);

  /// The first instant strictly after `after` that matches, or nullopt when there is none
  /// within eight years (only possible for expressions Parse rejects).
  std::optional<Timestamp> Next(Timestamp after) const;

  /// True for six-field expressions (second precision).
  bool has_seconds() const { return has_seconds_; }
  /// True when the seconds field is absent or exactly `0`: the expression fits a 5-field cron.
  bool FitsFiveFields() const;
  /// The five-field form (minute…weekday), the macro expanded: what Airflow takes.
  std::string FiveFieldText() const { return five_field_text_; }
  const std::string& text() const { return text_; }

 private:
  bool MatchesDay(int day_of_month, int month, int weekday) const;

  std::string text_;
  std::string five_field_text_;
  bool has_seconds_ = false;
  std::bitset<60> seconds_;
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_of_month_;  // bit 0 unused
  std::bitset<13> months_;         // bit 0 unused
  std::bitset<7> weekdays_;        // 0 = Sunday
  bool day_of_month_star_ = false;
  bool weekday_star_ = false;
};

}  // namespace hashlake::schedule
