#include "hashlake/lake/stats.h"

#include <cmath>

#include <arrow/api.h>
#include <gtest/gtest.h>

namespace hashlake::lake {
namespace {

template <typename Builder, typename T>
std::shared_ptr<arrow::Array> Fill(Builder& b, const std::vector<std::optional<T>>& values) {
  for (const auto& v : values) {
    if (v) {
      EXPECT_TRUE(b.Append(*v).ok());
    } else {
      EXPECT_TRUE(b.AppendNull().ok());
    }
  }
  return b.Finish().ValueOrDie();
}

template <typename Builder, typename T>
std::shared_ptr<arrow::Array> Build(const std::vector<std::optional<T>>& values) {
  Builder b;
  return Fill<Builder, T>(b, values);
}

TEST(StatsTest, PrimitiveColumns) {
  auto ids = Build<arrow::Int64Builder, int64_t>({5, std::nullopt, -3, 12});
  auto names = Build<arrow::StringBuilder, std::string>(
      {"b", "a\"q", std::nullopt, std::nullopt});
  auto scores = Build<arrow::DoubleBuilder, double>({1.5, std::nan(""), -0.25, 3.0});
  auto flags = Build<arrow::BooleanBuilder, bool>({true, false, true, std::nullopt});
  arrow::TimestampBuilder tsb(arrow::timestamp(arrow::TimeUnit::MICRO, "UTC"),
                              arrow::default_memory_pool());
  auto ts = Fill<arrow::TimestampBuilder, int64_t>(
      tsb, {1640995200000000LL, 1640995200001500LL, std::nullopt, std::nullopt});
  auto dates = Build<arrow::Date32Builder, int32_t>({19844, 19845, 19000, std::nullopt});
  auto all_null = Build<arrow::Int32Builder, int32_t>({std::nullopt, std::nullopt,
                                                           std::nullopt, std::nullopt});
  auto table = arrow::Table::Make(
      arrow::schema({arrow::field("id", arrow::int64()), arrow::field("name", arrow::utf8()),
                     arrow::field("score", arrow::float64()),
                     arrow::field("flag", arrow::boolean()),
                     arrow::field("ts", arrow::timestamp(arrow::TimeUnit::MICRO, "UTC")),
                     arrow::field("day", arrow::date32()),
                     arrow::field("nothing", arrow::int32())}),
      std::vector<std::shared_ptr<arrow::Array>>{ids, names, scores, flags, ts, dates, all_null});
  auto stats = ComputeStatsJson(*table);
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(*stats,
            R"({"numRecords":4,)"
            R"("minValues":{"id":-3,"name":"a\"q","score":-0.25,)"
            R"("ts":"2022-01-01T00:00:00.000Z","day":"2022-01-08"},)"
            R"("maxValues":{"id":12,"name":"b","score":3.0,)"
            R"("ts":"2022-01-01T00:00:00.002Z","day":"2024-05-02"},)"
            R"("nullCount":{"id":1,"name":2,"score":0,"flag":1,"ts":2,"day":1,"nothing":4}})");
}

TEST(StatsTest, LongStringsAreTruncatedToBounds) {
  std::string long_a(40, 'a');
  std::string long_z(40, 'z');
  auto names = Build<arrow::StringBuilder, std::string>({long_a, long_z});
  auto table = arrow::Table::Make(arrow::schema({arrow::field("t", arrow::utf8())}),
                                  std::vector<std::shared_ptr<arrow::Array>>{names});
  auto stats = ComputeStatsJson(*table);
  ASSERT_TRUE(stats.ok());
  EXPECT_NE(stats->find("\"minValues\":{\"t\":\"" + std::string(32, 'a') + "\"}"),
            std::string::npos);
  EXPECT_NE(stats->find("\"maxValues\":{\"t\":\"" + std::string(32, 'z') + "\xF4\x8F\xBF\xBF\"}"),
            std::string::npos);
}

TEST(StatsTest, NestedStructsNestAndListsOnlyCountNulls) {
  auto x = Build<arrow::Int32Builder, int32_t>({1, 7, std::nullopt});
  auto s = arrow::StructArray::Make(arrow::ArrayVector{x}, arrow::FieldVector{arrow::field("x", arrow::int32())}).ValueOrDie();
  arrow::ListBuilder lb(arrow::default_memory_pool(), std::make_shared<arrow::Int32Builder>());
  ASSERT_TRUE(lb.Append().ok());
  ASSERT_TRUE(lb.AppendNull().ok());
  ASSERT_TRUE(lb.Append().ok());
  auto l = lb.Finish().ValueOrDie();
  auto table = arrow::Table::Make(
      arrow::schema({arrow::field("s", s->type()), arrow::field("l", l->type())}), std::vector<std::shared_ptr<arrow::Array>>{s, l});
  auto stats = ComputeStatsJson(*table);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(*stats, R"({"numRecords":3,"minValues":{"s":{"x":1}},"maxValues":{"s":{"x":7}},)"
                    R"("nullCount":{"s":{"x":1},"l":1}})");
}

}  // namespace
}  // namespace hashlake::lake
