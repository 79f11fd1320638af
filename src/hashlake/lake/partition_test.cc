#include "hashlake/lake/partition.h"

#include <arrow/api.h>
#include <gtest/gtest.h>

namespace hashlake::lake {
namespace {

TEST(PartitionTest, HiveEscapesLikeSpark) {
  EXPECT_EQ(HiveEscape("2020-01-01 08:09:10.001"), "2020-01-01 08%3A09%3A10.001");
  EXPECT_EQ(HiveEscape("a/b=c%d"), "a%2Fb%3Dc%25d");
  EXPECT_EQ(HiveEscape("ü #x"), "ü %23x");
  EXPECT_EQ(PartitionDirName("letter", std::nullopt), "letter=__HIVE_DEFAULT_PARTITION__");
  EXPECT_EQ(PartitionDirName("d", "2024-05-01"), "d=2024-05-01");
}

TEST(PartitionTest, UriEncodingMatchesSparkLogPaths) {
  // tables/kernel-timestamp-int96: Hive escape, then URI encode.
  std::string dir = PartitionDirName("part", "2020-01-01 08:09:10.001");
  EXPECT_EQ(UriEncodePath(dir + "/f.parquet"), "part=2020-01-01%2008%253A09%253A10.001/f.parquet");
  EXPECT_EQ(UriDecodePath("part=2020-01-01%2008%253A09%253A10.001/f.parquet"),
            dir + "/f.parquet");
  EXPECT_EQ(UriDecodePath("bad%zzescape%"), "bad%zzescape%");
  EXPECT_EQ(UriDecodePath(UriEncodePath("ü/a b+c")), "ü/a b+c");
}

TEST(PartitionTest, SerializesValuesPerProtocol) {
  arrow::TimestampBuilder ts(arrow::timestamp(arrow::TimeUnit::MICRO, "UTC"),
                             arrow::default_memory_pool());
  ASSERT_TRUE(ts.Append(1577866150001000LL).ok());
  ASSERT_TRUE(ts.AppendNull().ok());
  auto tsa = ts.Finish().ValueOrDie();
  EXPECT_EQ(*SerializePartitionValue(*tsa, 0), "2020-01-01 08:09:10.001000");
  EXPECT_EQ(*SerializePartitionValue(*tsa, 1), std::nullopt);

  arrow::Date32Builder d;
  ASSERT_TRUE(d.Append(19844).ok());
  EXPECT_EQ(*SerializePartitionValue(*d.Finish().ValueOrDie(), 0), "2024-05-01");
  arrow::BooleanBuilder b;
  ASSERT_TRUE(b.Append(false).ok());
  EXPECT_EQ(*SerializePartitionValue(*b.Finish().ValueOrDie(), 0), "false");
  arrow::StringBuilder s;
  ASSERT_TRUE(s.Append("").ok());
  EXPECT_EQ(*SerializePartitionValue(*s.Finish().ValueOrDie(), 0), std::nullopt);
  arrow::ListBuilder l(arrow::default_memory_pool(), std::make_shared<arrow::Int32Builder>());
  ASSERT_TRUE(l.Append().ok());
  EXPECT_FALSE(SerializePartitionValue(*l.Finish().ValueOrDie(), 0).ok());
}

TEST(PartitionTest, BuildsTypedColumnsFromStrings) {
  auto ints = MakePartitionColumn(arrow::int32(), std::string("4"), 3);
  ASSERT_TRUE(ints.ok()) << ints.status();
  ASSERT_EQ((*ints)->length(), 3);
  EXPECT_EQ(static_cast<const arrow::Int32Array&>(**ints).Value(2), 4);

  auto ts = MakePartitionColumn(arrow::timestamp(arrow::TimeUnit::MICRO, "UTC"),
                                std::string("2020-01-01 08:09:10.001"), 1);
  ASSERT_TRUE(ts.ok()) << ts.status();
  EXPECT_EQ(static_cast<const arrow::TimestampArray&>(**ts).Value(0), 1577866150001000LL);

  auto dec = MakePartitionColumn(arrow::decimal128(5, 2), std::string("12.5"), 1);
  ASSERT_TRUE(dec.ok()) << dec.status();
  EXPECT_EQ(static_cast<const arrow::Decimal128Array&>(**dec).FormatValue(0), "12.50");

  auto nulls = MakePartitionColumn(arrow::date32(), std::nullopt, 2);
  ASSERT_TRUE(nulls.ok());
  EXPECT_EQ((*nulls)->null_count(), 2);
  auto empty = MakePartitionColumn(arrow::int64(), std::string(""), 1);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ((*empty)->null_count(), 1);

  EXPECT_FALSE(MakePartitionColumn(arrow::int32(), std::string("4x"), 1).ok());
  EXPECT_FALSE(MakePartitionColumn(arrow::boolean(), std::string("yes"), 1).ok());
  EXPECT_FALSE(MakePartitionColumn(arrow::date32(), std::string("2024-02-30"), 1).ok());
}

}  // namespace
}  // namespace hashlake::lake
