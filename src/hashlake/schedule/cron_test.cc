#include "hashlake/schedule/cron.h"

#include <gtest/gtest.h>

namespace hashlake::schedule {
namespace {

Timestamp T(const char* text) { return ParseRfc3339(text).ValueOrDie(); }
std::string Next(const char* cron, const char* after) {
  auto expr = CronExpression::Parse(cron);
  EXPECT_TRUE(expr.ok()) << expr.status().ToString();
  if (!expr.ok()) return "";
  auto next = expr->Next(T(after));
  return next ? FormatRfc3339(*next) : "never";
}

TEST(CronTest, EveryMinuteIsStrictlyAfter) {
  EXPECT_EQ(Next("* * * * *", "2024-05-01T12:00:00Z"), "2024-05-01T12:01:00.000000Z");
  EXPECT_EQ(Next("* * * * *", "2024-05-01T12:00:59.999Z"), "2024-05-01T12:01:00.000000Z");
}

TEST(CronTest, HourlyAndDailyMacros) {
  EXPECT_EQ(Next("@hourly", "2024-05-01T12:30:00Z"), "2024-05-01T13:00:00.000000Z");
  EXPECT_EQ(Next("@daily", "2024-05-01T12:30:00Z"), "2024-05-02T00:00:00.000000Z");
  EXPECT_EQ(Next("@weekly", "2024-05-01T12:30:00Z"), "2024-05-05T00:00:00.000000Z");  // Sunday
  EXPECT_EQ(Next("@yearly", "2024-05-01T12:30:00Z"), "2025-01-01T00:00:00.000000Z");
}

TEST(CronTest, MonthEndRollsOverToNextMonthAndYear) {
  EXPECT_EQ(Next("0 0 * * *", "2024-01-31T23:59:00Z"), "2024-02-01T00:00:00.000000Z");
  EXPECT_EQ(Next("30 23 * * *", "2024-12-31T23:30:00Z"), "2025-01-01T23:30:00.000000Z");
  EXPECT_EQ(Next("0 0 1 * *", "2024-12-15T00:00:00Z"), "2025-01-01T00:00:00.000000Z");
}

TEST(CronTest, Day31SkipsShortMonths) {
  EXPECT_EQ(Next("0 12 31 * *", "2024-04-01T00:00:00Z"), "2024-05-31T12:00:00.000000Z");
  EXPECT_EQ(Next("0 12 31 * *", "2024-05-31T12:00:00Z"), "2024-07-31T12:00:00.000000Z");
}

TEST(CronTest, LeapDay) {
  EXPECT_EQ(Next("0 0 29 2 *", "2024-03-01T00:00:00Z"), "2028-02-29T00:00:00.000000Z");
  EXPECT_EQ(Next("0 0 29 2 *", "2023-06-01T00:00:00Z"), "2024-02-29T00:00:00.000000Z");
  // 2100 is not a leap year: the next Feb 29 after 2096 is 2104.
  EXPECT_EQ(Next("0 0 29 2 *", "2096-03-01T00:00:00Z"), "2104-02-29T00:00:00.000000Z");
  EXPECT_EQ(Next("0 0 28 2 *", "2024-02-28T00:00:00Z"), "2025-02-28T00:00:00.000000Z");
}

TEST(CronTest, StepsRangesAndLists) {
  EXPECT_EQ(Next("*/15 * * * *", "2024-05-01T12:16:00Z"), "2024-05-01T12:30:00.000000Z");
  EXPECT_EQ(Next("*/15 * * * *", "2024-05-01T12:45:00Z"), "2024-05-01T13:00:00.000000Z");
  EXPECT_EQ(Next("0 9-17/4 * * *", "2024-05-01T10:00:00Z"), "2024-05-01T13:00:00.000000Z");
  EXPECT_EQ(Next("0 9-17/4 * * *", "2024-05-01T17:00:00Z"), "2024-05-02T09:00:00.000000Z");
  EXPECT_EQ(Next("5,10,50 * * * *", "2024-05-01T12:10:00Z"), "2024-05-01T12:50:00.000000Z");
  EXPECT_EQ(Next("10/20 * * * *", "2024-05-01T12:31:00Z"), "2024-05-01T12:50:00.000000Z");
  EXPECT_EQ(Next("0 0 * jan,jul *", "2024-02-01T00:00:00Z"), "2024-07-01T00:00:00.000000Z");
  EXPECT_EQ(Next("0 0 * * mon-fri", "2024-05-03T00:00:00Z"), "2024-05-06T00:00:00.000000Z");
}

TEST(CronTest, SundayIsZeroAndSeven) {
  EXPECT_EQ(Next("0 0 * * 7", "2024-05-01T00:00:00Z"), "2024-05-05T00:00:00.000000Z");
  EXPECT_EQ(Next("0 0 * * 0", "2024-05-01T00:00:00Z"), "2024-05-05T00:00:00.000000Z");
}

TEST(CronTest, DayOfMonthOrDayOfWeekWhenBothRestricted) {
  // Vixie cron: the 13th OR any Friday. May 2024: Fri 3rd comes before the 13th.
  EXPECT_EQ(Next("0 0 13 * 5", "2024-05-01T00:00:00Z"), "2024-05-03T00:00:00.000000Z");
  EXPECT_EQ(Next("0 0 13 * 5", "2024-05-10T00:00:00Z"), "2024-05-13T00:00:00.000000Z");
  // With day-of-week '*', only the day of month counts (AND with "every day").
  EXPECT_EQ(Next("0 0 13 * *", "2024-05-01T00:00:00Z"), "2024-05-13T00:00:00.000000Z");
  // A stepped '*/1' still counts as starting with '*': AND semantics.
  EXPECT_EQ(Next("0 0 13 * */1", "2024-05-01T00:00:00Z"), "2024-05-13T00:00:00.000000Z");
}

TEST(CronTest, SixFieldsWithSeconds) {
  auto expr = CronExpression::Parse("*/5 * * * * *");
  ASSERT_TRUE(expr.ok());
  EXPECT_TRUE(expr->has_seconds());
  EXPECT_FALSE(expr->FitsFiveFields());
  EXPECT_EQ(FormatRfc3339(*expr->Next(T("2024-05-01T12:00:03Z"))), "2024-05-01T12:00:05.000000Z");
  auto zero = CronExpression::Parse("0 30 2 * * *");
  ASSERT_TRUE(zero.ok());
  EXPECT_TRUE(zero->FitsFiveFields());
  EXPECT_EQ(zero->FiveFieldText(), "30 2 * * *");
}

TEST(CronTest, UtcHasNoDaylightSavingGap) {
  // 02:30 on the US and EU spring-forward days exists in UTC.
  EXPECT_EQ(Next("30 2 * * *", "2024-03-10T00:00:00Z"), "2024-03-10T02:30:00.000000Z");
  EXPECT_EQ(Next("30 2 * * *", "2024-03-31T00:00:00Z"), "2024-03-31T02:30:00.000000Z");
}

TEST(CronTest, RejectsBadExpressionsWithTheField) {
  struct Case {
    const char* text;
    const char* expect;
  };
  for (const Case& c : {Case{"* * * *", "has 4 fields"}, Case{"60 * * * *", "minute field"},
                        Case{"* 24 * * *", "hour field"}, Case{"* * 0 * *", "day-of-month"},
                        Case{"* * * 13 *", "month field"}, Case{"* * * * 8", "day-of-week"},
                        Case{"*/0 * * * *", "bad step"}, Case{"5-1 * * * *", "backwards"},
                        Case{"* * * foo *", "unknown name"}, Case{"@often", "unknown cron macro"},
                        Case{"0 0 30 2 *", "never fires"}, Case{"1,,2 * * * *", "empty list"},
                        Case{"a * * * *", "not a number"}}) {
    auto expr = CronExpression::Parse(c.text);
    ASSERT_FALSE(expr.ok()) << c.text;
    EXPECT_NE(expr.status().message().find(c.expect), std::string::npos)
        << c.text << ": " << expr.status().message();
  }
}

}  // namespace
}  // namespace hashlake::schedule
