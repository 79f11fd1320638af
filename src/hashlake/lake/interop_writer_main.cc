// Test helper for tests/integration/test_lake_interop.py.
//
//   lake_interop_writer --write <table_dir>   writes a table with several types, a date and
//                                             a string partition (null included), three
//                                             appends, the last two carrying txn markers
//   lake_interop_writer --read <table_dir> [--limit N] [--version V]
//                                             prints the rows as JSON lines
//   lake_interop_writer --describe <table_dir>
#include <cstdlib>
#include <iostream>
#include <string>

#include <arrow/api.h>

#include "hashlake/lake/delta_table.h"
#include "hashlake/lake/json_lines.h"
#include "hashlake/lake/log_store.h"
#include "hashlake/lake/scan.h"

namespace {

using hashlake::lake::CommitOptions;
using hashlake::lake::DeltaTable;

std::shared_ptr<arrow::Schema> InteropSchema() {
  return arrow::schema({
      arrow::field("id", arrow::int64(), false),
      arrow::field("text", arrow::utf8()),
      arrow::field("score", arrow::float64()),
      arrow::field("small", arrow::int32()),
      arrow::field("flag", arrow::boolean()),
      arrow::field("created_at", arrow::timestamp(arrow::TimeUnit::MICRO, "UTC")),
      arrow::field("tags", arrow::list(arrow::field("element", arrow::utf8()))),
      arrow::field("amount", arrow::decimal128(10, 2)),
      arrow::field("date", arrow::date32()),
      arrow::field("source", arrow::utf8()),
  });
}

// Batch `b` holds rows id = b*10 .. b*10+n-1 with deterministic values the test recomputes.
arrow::Result<std::shared_ptr<arrow::Table>> MakeBatch(int b, int n) {
  arrow::Int64Builder id;
  arrow::StringBuilder text, source;
  arrow::DoubleBuilder score;
  arrow::Int32Builder small;
  arrow::BooleanBuilder flag;
  arrow::TimestampBuilder created(arrow::timestamp(arrow::TimeUnit::MICRO, "UTC"),
                                  arrow::default_memory_pool());
  auto tag_values = std::make_shared<arrow::StringBuilder>();
  arrow::ListBuilder tags(arrow::default_memory_pool(), tag_values,
                          arrow::list(arrow::field("element", arrow::utf8())));
  arrow::Decimal128Builder amount(arrow::decimal128(10, 2));
  arrow::Date32Builder date;
  const char* sources[] = {"x", "bluesky", "a/b=c d%", nullptr};
  for (int k = 0; k < n; ++k) {
    int64_t i = b * 10 + k;
    ARROW_RETURN_NOT_OK(id.Append(i));
    if (i % 5 == 4) {
      ARROW_RETURN_NOT_OK(text.AppendNull());
    } else {
      ARROW_RETURN_NOT_OK(text.Append("post \"" + std::to_string(i) + "\" ü #tag"));
    }
    ARROW_RETURN_NOT_OK(score.Append(i * 1.5));
    ARROW_RETURN_NOT_OK(small.Append(static_cast<int32_t>(-i)));
    ARROW_RETURN_NOT_OK(flag.Append(i % 2 == 0));
    // 2024-05-01T00:00:00Z + i hours + 123456 us
    ARROW_RETURN_NOT_OK(created.Append(1714521600LL * 1000000 + i * 3600LL * 1000000 + 123456));
    ARROW_RETURN_NOT_OK(tags.Append());
    for (int t = 0; t < static_cast<int>(i % 3); ++t) {
      ARROW_RETURN_NOT_OK(tag_values->Append("t" + std::to_string(t)));
    }
    ARROW_RETURN_NOT_OK(amount.Append(arrow::Decimal128(i * 100 + 25)));
    ARROW_RETURN_NOT_OK(date.Append(19844 + static_cast<int32_t>(i % 2)));  // 2024-05-01/02
    const char* s = sources[i % 4];
    if (s == nullptr) {
      ARROW_RETURN_NOT_OK(source.AppendNull());
    } else {
      ARROW_RETURN_NOT_OK(source.Append(s));
    }
  }
  std::vector<std::shared_ptr<arrow::Array>> arrays(10);
  ARROW_RETURN_NOT_OK(id.Finish(&arrays[0]));
  ARROW_RETURN_NOT_OK(text.Finish(&arrays[1]));
  ARROW_RETURN_NOT_OK(score.Finish(&arrays[2]));
  ARROW_RETURN_NOT_OK(small.Finish(&arrays[3]));
  ARROW_RETURN_NOT_OK(flag.Finish(&arrays[4]));
  ARROW_RETURN_NOT_OK(created.Finish(&arrays[5]));
  ARROW_RETURN_NOT_OK(tags.Finish(&arrays[6]));
  ARROW_RETURN_NOT_OK(amount.Finish(&arrays[7]));
  ARROW_RETURN_NOT_OK(date.Finish(&arrays[8]));
  ARROW_RETURN_NOT_OK(source.Finish(&arrays[9]));
  return arrow::Table::Make(InteropSchema(), arrays);
}

arrow::Status Write(const std::string& dir) {
  ARROW_ASSIGN_OR_RAISE(auto table,
                        DeltaTable::Create(dir, *InteropSchema(), {"date", "source"}));
  for (int b = 0; b < 3; ++b) {
    ARROW_ASSIGN_OR_RAISE(auto batch, MakeBatch(b, 8));
    CommitOptions options;
    if (b > 0) options.txn = CommitOptions::TxnMarker{"interop-job", b};
    options.commit_info_extra["hashlake"] = "{\"batch\":" + std::to_string(b) + "}";
    ARROW_ASSIGN_OR_RAISE(auto result, table->Append(*batch, options));
    std::cerr << "committed version " << result.version << "\n";
  }
  return arrow::Status::OK();
}

arrow::Status Read(const std::string& dir, std::optional<int64_t> limit,
                   std::optional<int64_t> version) {
  ARROW_ASSIGN_OR_RAISE(auto table, DeltaTable::Open(dir));
  ARROW_ASSIGN_OR_RAISE(auto snapshot, table->LoadSnapshot(version));
  hashlake::lake::ScanOptions options;
  options.limit = limit;
  ARROW_ASSIGN_OR_RAISE(auto data, hashlake::lake::Scan(table->store(), snapshot, options));
  return hashlake::lake::WriteRowsAsJsonLines(*data, std::cout);
}

arrow::Status Describe(const std::string& dir) {
  ARROW_ASSIGN_OR_RAISE(auto table, DeltaTable::Open(dir));
  ARROW_ASSIGN_OR_RAISE(auto snapshot, table->LoadSnapshot());
  ARROW_ASSIGN_OR_RAISE(auto info, hashlake::lake::Describe(table->store(), snapshot));
  return hashlake::lake::WriteDescribeJson(info, std::cout);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: " << argv[0]
              << " --write|--read|--describe <table_dir> [--limit N] [--version V]\n";
    return 2;
  }
  std::string mode = argv[1], dir = argv[2];
  std::optional<int64_t> limit, version;
  for (int i = 3; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    int64_t value = std::strtoll(argv[i + 1], nullptr, 10);
    if (flag == "--limit") limit = value;
    else if (flag == "--version") version = value;
  }
  arrow::Status st;
  if (mode == "--write") {
    st = Write(dir);
  } else if (mode == "--read") {
    st = Read(dir, limit, version);
  } else if (mode == "--describe") {
    st = Describe(dir);
  } else {
    std::cerr << "unknown mode " << mode << "\n";
    return 2;
  }
  if (!st.ok()) {
    std::cerr << "error: " << st.ToString() << "\n";
    return 1;
  }
  return 0;
}
