// Every Delta type hashlake writes, round-tripped, plus null partition values per type.
#include <stdlib.h>

#include <filesystem>

#include <arrow/api.h>
#include <arrow/io/memory.h>
#include <gtest/gtest.h>

#include "hashlake/lake/checkpoint_writer.h"
#include "hashlake/lake/delta_table.h"
#include "hashlake/lake/log_store.h"
#include "hashlake/lake/scan.h"

namespace hashlake::lake {
namespace {

namespace fs = std::filesystem;

#define ASSIGN_OR_FAIL(lhs, expr)                          \
  auto lhs##_result = (expr);                              \
  ASSERT_TRUE(lhs##_result.ok()) << lhs##_result.status(); \
  auto lhs = std::move(lhs##_result).ValueUnsafe()

std::shared_ptr<arrow::Schema> AllTypes() {
  return arrow::schema({
      arrow::field("s", arrow::utf8()), arrow::field("l", arrow::int64()),
      arrow::field("i", arrow::int32()), arrow::field("sh", arrow::int16()),
      arrow::field("b", arrow::int8()), arrow::field("d", arrow::float64()),
      arrow::field("f", arrow::float32()), arrow::field("ok", arrow::boolean()),
      arrow::field("bin", arrow::binary()), arrow::field("day", arrow::date32()),
      arrow::field("ts", arrow::timestamp(arrow::TimeUnit::MICRO, "UTC")),
      arrow::field("ntz", arrow::timestamp(arrow::TimeUnit::MICRO)),
      arrow::field("dec", arrow::decimal128(12, 3)),
      arrow::field("arr", arrow::list(arrow::field("element", arrow::int32()))),
      arrow::field("m", arrow::map(arrow::utf8(), arrow::int64())),
      arrow::field("st", arrow::struct_({arrow::field("x", arrow::utf8()),
                                         arrow::field("y", arrow::float64())})),
      arrow::field("p_int", arrow::int32()), arrow::field("p_ts", arrow::timestamp(arrow::TimeUnit::MICRO, "UTC")),
  });
}


arrow::Result<std::shared_ptr<arrow::Table>> MakeRows() {
  auto schema = AllTypes();
  // Build column by column from the JSON-ish rows above using Arrow's scalar parsing.
  arrow::ArrayVector columns;
  std::vector<std::unique_ptr<arrow::ArrayBuilder>> builders;
  for (const auto& f : schema->fields()) {
    std::unique_ptr<arrow::ArrayBuilder> b;
    ARROW_RETURN_NOT_OK(arrow::MakeBuilder(arrow::default_memory_pool(), f->type(), &b));
    builders.push_back(std::move(b));
  }
  auto& B = builders;
  auto str = [](arrow::ArrayBuilder* b) { return static_cast<arrow::StringBuilder*>(b); };
  // Row 0
  ARROW_RETURN_NOT_OK(str(B[0].get())->Append("a"));
  ARROW_RETURN_NOT_OK(static_cast<arrow::Int64Builder*>(B[1].get())->Append(1));
  ARROW_RETURN_NOT_OK(static_cast<arrow::Int32Builder*>(B[2].get())->Append(2));
  ARROW_RETURN_NOT_OK(static_cast<arrow::Int16Builder*>(B[3].get())->Append(3));
  ARROW_RETURN_NOT_OK(static_cast<arrow::Int8Builder*>(B[4].get())->Append(4));
  ARROW_RETURN_NOT_OK(static_cast<arrow::DoubleBuilder*>(B[5].get())->Append(1.5));
  ARROW_RETURN_NOT_OK(static_cast<arrow::FloatBuilder*>(B[6].get())->Append(2.5f));
  ARROW_RETURN_NOT_OK(static_cast<arrow::BooleanBuilder*>(B[7].get())->Append(true));
  ARROW_RETURN_NOT_OK(static_cast<arrow::BinaryBuilder*>(B[8].get())->Append(std::string("\0\1", 2)));
  ARROW_RETURN_NOT_OK(static_cast<arrow::Date32Builder*>(B[9].get())->Append(19844));
  ARROW_RETURN_NOT_OK(static_cast<arrow::TimestampBuilder*>(B[10].get())->Append(1714521600123456));
  ARROW_RETURN_NOT_OK(static_cast<arrow::TimestampBuilder*>(B[11].get())->Append(1714521600000001));
  ARROW_RETURN_NOT_OK(static_cast<arrow::Decimal128Builder*>(B[12].get())->Append(arrow::Decimal128(1250)));
  {
    auto* l = static_cast<arrow::ListBuilder*>(B[13].get());
    ARROW_RETURN_NOT_OK(l->Append());
    ARROW_RETURN_NOT_OK(static_cast<arrow::Int32Builder*>(l->value_builder())->AppendValues({1, 2}));
    auto* m = static_cast<arrow::MapBuilder*>(B[14].get());
    ARROW_RETURN_NOT_OK(m->Append());
    ARROW_RETURN_NOT_OK(str(m->key_builder())->Append("k"));
    ARROW_RETURN_NOT_OK(static_cast<arrow::Int64Builder*>(m->item_builder())->Append(7));
    auto* s = static_cast<arrow::StructBuilder*>(B[15].get());
    ARROW_RETURN_NOT_OK(s->Append());
    ARROW_RETURN_NOT_OK(str(s->field_builder(0))->Append("in"));
    ARROW_RETURN_NOT_OK(static_cast<arrow::DoubleBuilder*>(s->field_builder(1))->Append(0.5));
  }
  ARROW_RETURN_NOT_OK(static_cast<arrow::Int32Builder*>(B[16].get())->Append(10));
  ARROW_RETURN_NOT_OK(static_cast<arrow::TimestampBuilder*>(B[17].get())->Append(1714521600000000));
  // Row 1: all null
  for (auto& b : B) ARROW_RETURN_NOT_OK(b->AppendNull());
  // Row 2: extremes
  ARROW_RETURN_NOT_OK(str(B[0].get())->Append("ü \"q\""));
  ARROW_RETURN_NOT_OK(static_cast<arrow::Int64Builder*>(B[1].get())->Append(-9223372036854775807LL));
  ARROW_RETURN_NOT_OK(static_cast<arrow::Int32Builder*>(B[2].get())->Append(-2147483647 - 1));
  ARROW_RETURN_NOT_OK(static_cast<arrow::Int16Builder*>(B[3].get())->Append(-32768));
  ARROW_RETURN_NOT_OK(static_cast<arrow::Int8Builder*>(B[4].get())->Append(-128));
  ARROW_RETURN_NOT_OK(static_cast<arrow::DoubleBuilder*>(B[5].get())->Append(-0.0));
  ARROW_RETURN_NOT_OK(static_cast<arrow::FloatBuilder*>(B[6].get())->Append(3.4e38f));
  ARROW_RETURN_NOT_OK(static_cast<arrow::BooleanBuilder*>(B[7].get())->Append(false));
  ARROW_RETURN_NOT_OK(static_cast<arrow::BinaryBuilder*>(B[8].get())->Append(""));
  ARROW_RETURN_NOT_OK(static_cast<arrow::Date32Builder*>(B[9].get())->Append(-1));
  ARROW_RETURN_NOT_OK(static_cast<arrow::TimestampBuilder*>(B[10].get())->Append(-1000000));
  ARROW_RETURN_NOT_OK(static_cast<arrow::TimestampBuilder*>(B[11].get())->Append(253402300799000000LL));
  ARROW_RETURN_NOT_OK(static_cast<arrow::Decimal128Builder*>(B[12].get())->Append(arrow::Decimal128("-999999999999")));
  ARROW_RETURN_NOT_OK(static_cast<arrow::ListBuilder*>(B[13].get())->Append());
  ARROW_RETURN_NOT_OK(static_cast<arrow::MapBuilder*>(B[14].get())->Append());
  {
    auto* s = static_cast<arrow::StructBuilder*>(B[15].get());
    ARROW_RETURN_NOT_OK(s->Append());
    ARROW_RETURN_NOT_OK(s->field_builder(0)->AppendNull());
    ARROW_RETURN_NOT_OK(s->field_builder(1)->AppendNull());
  }
  ARROW_RETURN_NOT_OK(B[16]->AppendNull());
  ARROW_RETURN_NOT_OK(static_cast<arrow::TimestampBuilder*>(B[17].get())->Append(1714521600000000));
  for (auto& b : B) {
    std::shared_ptr<arrow::Array> a;
    ARROW_RETURN_NOT_OK(b->Finish(&a));
    columns.push_back(std::move(a));
  }
  return arrow::Table::Make(schema, columns);
}

TEST(TypesTest, EveryTypeRoundTripsWithNullPartitionsAndNtzFeature) {
  char tmpl[] = "/tmp/lake_types_XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string path = std::string(tmpl) + "/t";
  ASSIGN_OR_FAIL(input, MakeRows());
  ASSERT_TRUE(input->ValidateFull().ok());
  ASSIGN_OR_FAIL(table, DeltaTable::Create(path, *AllTypes(), {"p_int", "p_ts"}));
  ASSERT_TRUE(table->Append(*input).ok());
  ASSIGN_OR_FAIL(snap, table->LoadSnapshot());
  // timestamp_ntz needs the table feature (reader 3 / writer 7).
  EXPECT_EQ(snap.protocol.min_reader_version, 3);
  EXPECT_EQ(snap.protocol.min_writer_version, 7);
  EXPECT_EQ(snap.protocol.reader_features, std::vector<std::string>{"timestampNtz"});
  EXPECT_NE(snap.metadata.schema_string.find("\"timestamp_ntz\""), std::string::npos);
  EXPECT_EQ(snap.files.size(), 3u);  // (10, t), (null, null), (null, t)
  bool saw_null = false;
  for (const auto& f : snap.files) saw_null |= f.partition_values.at("p_int") == std::nullopt;
  EXPECT_TRUE(saw_null);

  auto check = [&](const Snapshot& s) {
    ASSIGN_OR_FAIL(out, Scan(table->store(), s));
    ASSERT_TRUE(out->schema()->Equals(*AllTypes())) << out->schema()->ToString();
    // Files come back in path order; sort both by the "l" column to compare row by row.
    ASSERT_EQ(out->num_rows(), 3);
    auto row_of = [](const arrow::Table& t, int64_t l_or_null) -> int64_t {
      auto col = t.GetColumnByName("l")->chunks();
      int64_t base = 0;
      for (const auto& c : col) {
        const auto& a = static_cast<const arrow::Int64Array&>(*c);
        for (int64_t i = 0; i < a.length(); ++i) {
          if ((l_or_null == 0 && a.IsNull(i)) || (!a.IsNull(i) && a.Value(i) == l_or_null)) {
            return base + i;
          }
        }
        base += a.length();
      }
      return -1;
    };
    for (int64_t key : {int64_t{1}, int64_t{0}, int64_t{-9223372036854775807LL}}) {
      int64_t want = row_of(*input, key), got = row_of(*out, key);
      ASSERT_GE(got, 0);
      for (int c = 0; c < input->num_columns(); ++c) {
        auto a = input->column(c)->GetScalar(want).ValueOrDie();
        auto b = out->column(c)->GetScalar(got).ValueOrDie();
        EXPECT_TRUE(a->Equals(*b)) << input->schema()->field(c)->name() << ": " << a->ToString()
                                   << " vs " << b->ToString();
      }
    }
  };
  check(snap);
  // The same through a checkpoint of a reader-3/writer-7 table.
  ASSIGN_OR_FAIL(cp, table->Checkpoint());
  ASSIGN_OR_FAIL(from_cp, LoadSnapshot(table->store(), table->path()));
  EXPECT_EQ(from_cp.checkpoint_version, cp.version);
  EXPECT_EQ(from_cp.protocol.reader_features, snap.protocol.reader_features);
  EXPECT_EQ(from_cp.protocol.writer_features, snap.protocol.writer_features);
  check(from_cp);
  fs::remove_all(tmpl);
}

TEST(TypesTest, UnsupportedWriterFeaturesAreRefusedByName) {
  char tmpl[] = "/tmp/lake_types_XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string path = std::string(tmpl) + "/t";
  auto schema = arrow::schema({arrow::field("v", arrow::int32())});
  ASSIGN_OR_FAIL(table, DeltaTable::Create(path, *schema, {}));
  // Another engine upgrades the protocol to a feature hashlake does not write.
  std::string upgrade =
      R"({"commitInfo":{"operation":"UPGRADE"}})" "\n"
      R"({"protocol":{"minReaderVersion":1,"minWriterVersion":7,"writerFeatures":["rowTracking","appendOnly"]}})" "\n";
  ASSERT_TRUE(table->store().PutIfAbsent(CommitPath(table->path(), 1), upgrade).ok());
  arrow::Int32Builder b;
  ASSERT_TRUE(b.Append(1).ok());
  auto data = arrow::Table::Make(schema, {b.Finish().ValueOrDie()});
  auto appended = table->Append(*data);
  ASSERT_TRUE(appended.status().IsNotImplemented()) << appended.status();
  EXPECT_NE(appended.status().message().find("rowTracking"), std::string::npos);
  EXPECT_EQ(appended.status().message().find("appendOnly"), std::string::npos);
  // Still readable.
  ASSIGN_OR_FAIL(snap, table->LoadSnapshot());
  EXPECT_EQ(snap.version, 1);
  fs::remove_all(tmpl);
}

}  // namespace
}  // namespace hashlake::lake
