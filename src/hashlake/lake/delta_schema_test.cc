#include "hashlake/lake/delta_schema.h"

#include <arrow/api.h>
#include <gtest/gtest.h>

namespace hashlake::lake {
namespace {

TEST(DeltaSchemaTest, RoundTripsEveryType) {
  auto schema = arrow::schema({
      arrow::field("s", arrow::utf8()),
      arrow::field("l", arrow::int64(), false),
      arrow::field("i", arrow::int32()),
      arrow::field("sh", arrow::int16()),
      arrow::field("b", arrow::int8()),
      arrow::field("f", arrow::float32()),
      arrow::field("d", arrow::float64()),
      arrow::field("bo", arrow::boolean()),
      arrow::field("bin", arrow::binary()),
      arrow::field("dt", arrow::date32()),
      arrow::field("ts", arrow::timestamp(arrow::TimeUnit::MICRO, "UTC")),
      arrow::field("dec", arrow::decimal128(38, 6)),
      arrow::field("arr", arrow::list(arrow::field("element", arrow::utf8(), false))),
      arrow::field("m", arrow::map(arrow::utf8(), arrow::int64())),
      arrow::field("st", arrow::struct_({arrow::field("x", arrow::float64()),
                                         arrow::field("y", arrow::list(arrow::field(
                                                               "element", arrow::int32())))})),
  });
  auto text = ToDeltaSchemaString(*schema);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_NE(text->find(R"({"name":"l","type":"long","nullable":false,"metadata":{}})"),
            std::string::npos);
  EXPECT_NE(text->find(R"x("type":"decimal(38,6)")x"), std::string::npos);
  EXPECT_NE(text->find(R"({"type":"array","elementType":"string","containsNull":false})"),
            std::string::npos);
  auto back = FromDeltaSchemaString(*text);
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_EQ((*back)->num_fields(), schema->num_fields());
  for (int i = 0; i < schema->num_fields(); ++i) {
    EXPECT_TRUE((*back)->field(i)->Equals(*schema->field(i)))
        << (*back)->field(i)->ToString() << " vs " << schema->field(i)->ToString();
  }
  auto again = ToDeltaSchemaString(**back);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *text);
}

TEST(DeltaSchemaTest, ParsesSparkSchemaWithMetadata) {
  const char* spark =
      R"({"type":"struct","fields":[{"name":"id","type":"integer","nullable":true,)"
      R"("metadata":{"delta.identity.start":1,"comment":"the id"}},)"
      R"({"name":"ntz","type":"timestamp_ntz","nullable":true,"metadata":{}}]})";
  auto schema = FromDeltaSchemaString(spark);
  ASSERT_TRUE(schema.ok()) << schema.status();
  EXPECT_EQ((*schema)->field(0)->type()->id(), arrow::Type::INT32);
  ASSERT_NE((*schema)->field(0)->metadata(), nullptr);
  EXPECT_EQ((*schema)->field(0)->metadata()->Get("comment").ValueOrDie(), "the id");
  EXPECT_EQ((*schema)->field(0)->metadata()->Get("delta.identity.start").ValueOrDie(), "1");
  EXPECT_TRUE((*schema)->field(1)->type()->Equals(arrow::timestamp(arrow::TimeUnit::MICRO)));
}

TEST(DeltaSchemaTest, RejectsWhatDeltaCannotHold) {
  // A tz-naive timestamp is timestamp_ntz (the writer then enables the table feature).
  auto ntz = ToDeltaSchemaString(
      *arrow::schema({arrow::field("t", arrow::timestamp(arrow::TimeUnit::MICRO))}));
  ASSERT_TRUE(ntz.ok()) << ntz.status();
  EXPECT_NE(ntz->find("\"timestamp_ntz\""), std::string::npos) << *ntz;
  EXPECT_FALSE(ToDeltaSchemaString(*arrow::schema({arrow::field("u", arrow::uint32())})).ok());
  auto dup = ToDeltaSchemaString(
      *arrow::schema({arrow::field("Name", arrow::utf8()), arrow::field("name", arrow::utf8())}));
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.status().message().find("unique"), std::string::npos);
}

TEST(DeltaSchemaTest, BadSchemaStringsAreErrors) {
  EXPECT_FALSE(FromDeltaSchemaString("not json").ok());
  EXPECT_FALSE(FromDeltaSchemaString(R"({"type":"struct"})").ok());
  auto unknown = FromDeltaSchemaString(
      R"({"type":"struct","fields":[{"name":"v","type":"variant","nullable":true}]})");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("variant"), std::string::npos);
  EXPECT_FALSE(FromDeltaSchemaString(
                   R"x({"type":"struct","fields":[{"name":"d","type":"decimal(50,2)"}]})x")
                   .ok());
}

}  // namespace
}  // namespace hashlake::lake
