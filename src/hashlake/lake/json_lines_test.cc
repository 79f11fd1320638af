#include "hashlake/lake/json_lines.h"

#include <cmath>
#include <sstream>

#include <arrow/api.h>
#include <gtest/gtest.h>

namespace hashlake::lake {
namespace {

TEST(JsonLinesTest, WritesEveryKindOfValue) {
  arrow::StringBuilder s;
  ASSERT_TRUE(s.Append("he said \"hi\"\n").ok());
  ASSERT_TRUE(s.AppendNull().ok());
  arrow::TimestampBuilder ts(arrow::timestamp(arrow::TimeUnit::MICRO, "UTC"),
                             arrow::default_memory_pool());
  ASSERT_TRUE(ts.Append(1714521600123456LL).ok());
  ASSERT_TRUE(ts.AppendNull().ok());
  auto values = std::make_shared<arrow::StringBuilder>();
  arrow::ListBuilder l(arrow::default_memory_pool(), values);
  ASSERT_TRUE(l.Append().ok());
  ASSERT_TRUE(values->Append("a").ok());
  ASSERT_TRUE(values->Append("b").ok());
  ASSERT_TRUE(l.Append().ok());
  arrow::DoubleBuilder d;
  ASSERT_TRUE(d.Append(2.5).ok());
  ASSERT_TRUE(d.Append(std::nan("")).ok());
  arrow::BinaryBuilder b;
  ASSERT_TRUE(b.Append("hi!").ok());
  ASSERT_TRUE(b.AppendNull().ok());
  auto table = arrow::Table::Make(
      arrow::schema({arrow::field("s", arrow::utf8()),
                     arrow::field("ts", arrow::timestamp(arrow::TimeUnit::MICRO, "UTC")),
                     arrow::field("l", arrow::list(arrow::utf8())),
                     arrow::field("d", arrow::float64()), arrow::field("b", arrow::binary())}),
      {s.Finish().ValueOrDie(), ts.Finish().ValueOrDie(), l.Finish().ValueOrDie(),
       d.Finish().ValueOrDie(), b.Finish().ValueOrDie()});
  std::ostringstream out;
  ASSERT_TRUE(WriteRowsAsJsonLines(*table, out).ok());
  EXPECT_EQ(out.str(),
            "{\"s\":\"he said \\\"hi\\\"\\n\",\"ts\":\"2024-05-01T00:00:00.123456Z\","
            "\"l\":[\"a\",\"b\"],\"d\":2.5,\"b\":\"aGkh\"}\n"
            "{\"s\":null,\"ts\":null,\"l\":[],\"d\":null,\"b\":null}\n");
}

}  // namespace
}  // namespace hashlake::lake
