// Test and benchmark driver for the S3 backend (tests/integration/test_lake_s3*.py,
// bench/lake_s3_bench.py). Every <uri> is a table URI (path, file://, s3://...), resolved
// with ResolveTableUri exactly as `hashlake lake` does.
//
//   s3_lake_tool --append-rows <uri> --writer W --count N
//       N single-row appends (id = W*1000000+i, writer W) to a table created if absent
//   s3_lake_tool --read <uri> [--version V]        rows as JSON lines
//   s3_lake_tool --describe <uri> | --history <uri>
//   s3_lake_tool --write-big <uri> --rows N        one append of N rows with 100-byte random
//       payloads (large enough to take the multipart path)
//   s3_lake_tool --check-files <uri>
//       every live file of the latest snapshot exists with the size its add action says;
//       prints {"version","files","rows"}
//   s3_lake_tool --bench-append <uri> --count BATCHES --rows ROWS
//       prints {"rows","bytes","seconds","latencies_ms"}
#include <arrow/api.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <random>
#include <string>

#include "hashlake/lake/append_bench_internal.h"
#include "hashlake/lake/delta_table.h"
#include "hashlake/lake/json_lines.h"
#include "hashlake/lake/log_store.h"
#include "hashlake/lake/partition.h"
#include "hashlake/lake/scan.h"
#include "hashlake/lake/table_uri.h"
#include "hashlake/lake/time_travel.h"

namespace {

using hashlake::lake::CommitOptions;
using hashlake::lake::DeltaTable;
using hashlake::lake::ResolveTableUri;

arrow::Result<std::unique_ptr<DeltaTable>> Open(const std::string& uri) {
  ARROW_ASSIGN_OR_RAISE(auto resolved, ResolveTableUri(uri));
  return DeltaTable::Open(resolved.root, resolved.store);
}

arrow::Status AppendRows(const std::string& uri, int64_t writer, int64_t count) {
  ARROW_ASSIGN_OR_RAISE(auto resolved, ResolveTableUri(uri));
  auto schema =
      arrow::schema({arrow::field("id", arrow::int64()), arrow::field("writer", arrow::int32())});
  ARROW_ASSIGN_OR_RAISE(auto table,
                        DeltaTable::OpenOrCreate(resolved.root, *schema, {}, {}, resolved.store));
  for (int64_t i = 0; i < count; ++i) {
    arrow::Int64Builder id;
    arrow::Int32Builder w;
    ARROW_RETURN_NOT_OK(id.Append(writer * 1000000 + i));
    ARROW_RETURN_NOT_OK(w.Append(static_cast<int32_t>(writer)));
    ARROW_ASSIGN_OR_RAISE(auto a, id.Finish());
    ARROW_ASSIGN_OR_RAISE(auto b, w.Finish());
    CommitOptions options;
    options.max_commit_attempts = 1000;  // many racing single-row commits
    ARROW_ASSIGN_OR_RAISE(auto r, table->Append(*arrow::Table::Make(schema, {a, b}), options));
    if (!r.maintenance_status.ok()) return r.maintenance_status;
  }
  return arrow::Status::OK();
}

arrow::Status Read(const std::string& uri, std::optional<int64_t> version) {
  ARROW_ASSIGN_OR_RAISE(auto table, Open(uri));
  ARROW_ASSIGN_OR_RAISE(auto snapshot, table->LoadSnapshot(version));
  ARROW_ASSIGN_OR_RAISE(auto data, hashlake::lake::Scan(table->store(), snapshot));
  return hashlake::lake::WriteRowsAsJsonLines(*data, std::cout);
}

arrow::Status Describe(const std::string& uri) {
  ARROW_ASSIGN_OR_RAISE(auto table, Open(uri));
  ARROW_ASSIGN_OR_RAISE(auto snapshot, table->LoadSnapshot());
  ARROW_ASSIGN_OR_RAISE(auto info, hashlake::lake::Describe(table->store(), snapshot));
  return hashlake::lake::WriteDescribeJson(info, std::cout);
}

arrow::Status History(const std::string& uri) {
  ARROW_ASSIGN_OR_RAISE(auto table, Open(uri));
  ARROW_ASSIGN_OR_RAISE(auto timeline,
                        hashlake::lake::ReadCommitTimeline(table->store(), table->path()));
  return hashlake::lake::WriteHistoryJsonLines(timeline, std::cout);
}

arrow::Result<std::shared_ptr<arrow::Table>> BigBatch(int64_t rows, uint64_t seed) {
  std::mt19937_64 rng(seed);
  arrow::Int64Builder id;
  arrow::StringBuilder payload;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s(100, ' ');
  for (int64_t i = 0; i < rows; ++i) {
    ARROW_RETURN_NOT_OK(id.Append(i));
    for (char& c : s) c = kHex[rng() & 15];
    ARROW_RETURN_NOT_OK(payload.Append(s));
  }
  ARROW_ASSIGN_OR_RAISE(auto a, id.Finish());
  ARROW_ASSIGN_OR_RAISE(auto b, payload.Finish());
  return arrow::Table::Make(
      arrow::schema({arrow::field("id", arrow::int64()), arrow::field("payload", arrow::utf8())}),
      {a, b});
}

arrow::Status WriteBig(const std::string& uri, int64_t rows) {
  ARROW_ASSIGN_OR_RAISE(auto resolved, ResolveTableUri(uri));
  ARROW_ASSIGN_OR_RAISE(auto data, BigBatch(rows, 42));
  ARROW_ASSIGN_OR_RAISE(
      auto table, DeltaTable::OpenOrCreate(resolved.root, *data->schema(), {}, {}, resolved.store));
  ARROW_ASSIGN_OR_RAISE(auto r, table->Append(*data));
  std::cout << "{\"version\":" << r.version << "}\n";
  return arrow::Status::OK();
}

arrow::Status CheckFiles(const std::string& uri) {
  ARROW_ASSIGN_OR_RAISE(auto table, Open(uri));
  ARROW_ASSIGN_OR_RAISE(auto snapshot, table->LoadSnapshot());
  for (const auto& f : snapshot.files) {
    std::string path = snapshot.table_root + "/" + hashlake::lake::UriDecodePath(f.path);
    ARROW_ASSIGN_OR_RAISE(auto entry, table->store().Stat(path));
    if (entry.size != f.size) {
      return arrow::Status::Invalid("file ", path, " has ", entry.size, " bytes, its add says ",
                                    f.size);
    }
  }
  // Reading every file proves each is a complete Parquet file.
  ARROW_ASSIGN_OR_RAISE(auto data, hashlake::lake::Scan(table->store(), snapshot));
  std::cout << "{\"version\":" << snapshot.version << ",\"files\":" << snapshot.files.size()
            << ",\"rows\":" << data->num_rows() << "}\n";
  return arrow::Status::OK();
}

// Rows shaped like posts: partitioned by date and source, with text and numbers.
arrow::Result<std::shared_ptr<arrow::Table>> BenchBatch(int64_t batch, int64_t rows) {
  arrow::Int64Builder id;
  arrow::StringBuilder text, source;
  arrow::DoubleBuilder score;
  arrow::TimestampBuilder created(arrow::timestamp(arrow::TimeUnit::MICRO, "UTC"),
                                  arrow::default_memory_pool());
  arrow::Date32Builder date;
  const char* sources[] = {"x", "bluesky", "mastodon"};
  for (int64_t k = 0; k < rows; ++k) {
    int64_t i = batch * rows + k;
    ARROW_RETURN_NOT_OK(id.Append(i));
    ARROW_RETURN_NOT_OK(text.Append("post " + std::to_string(i) + " about #tag" +
                                    std::to_string(i % 97) + " and #delta"));
    ARROW_RETURN_NOT_OK(score.Append(static_cast<double>(i % 1000) / 7.0));
    ARROW_RETURN_NOT_OK(created.Append(1714521600000000LL + i * 1000));
    ARROW_RETURN_NOT_OK(date.Append(static_cast<int32_t>(19844 + i % 2)));
    ARROW_RETURN_NOT_OK(source.Append(sources[i % 3]));
  }
  std::vector<std::shared_ptr<arrow::Array>> arrays(6);
  ARROW_RETURN_NOT_OK(id.Finish(&arrays[0]));
  ARROW_RETURN_NOT_OK(text.Finish(&arrays[1]));
  ARROW_RETURN_NOT_OK(score.Finish(&arrays[2]));
  ARROW_RETURN_NOT_OK(created.Finish(&arrays[3]));
  ARROW_RETURN_NOT_OK(date.Finish(&arrays[4]));
  ARROW_RETURN_NOT_OK(source.Finish(&arrays[5]));
  return arrow::Table::Make(
      arrow::schema({arrow::field("id", arrow::int64(), false), arrow::field("text", arrow::utf8()),
                     arrow::field("score", arrow::float64()),
                     arrow::field("created_at", arrow::timestamp(arrow::TimeUnit::MICRO, "UTC")),
                     arrow::field("date", arrow::date32()), arrow::field("source", arrow::utf8())}),
      arrays);
}

arrow::Status BenchAppend(const std::string& uri, int64_t batches, int64_t rows) {
  ARROW_ASSIGN_OR_RAISE(auto resolved, ResolveTableUri(uri));
  std::vector<std::shared_ptr<arrow::Table>> data;
  for (int64_t b = 0; b < batches; ++b) {
    ARROW_ASSIGN_OR_RAISE(auto t, BenchBatch(b, rows));
    data.push_back(t);
  }
  ARROW_ASSIGN_OR_RAISE(auto table, DeltaTable::Create(resolved.root, *data[0]->schema(),
                                                       {"date", "source"}, {}, resolved.store));
  return hashlake::lake::internal::TimeAppends(*table, data);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: " << argv[0]
              << " --append-rows|--read|--describe|--history|--write-big|--check-files|"
                 "--bench-append <table-uri> [--flag N]...\n";
    return 2;
  }
  std::string mode = argv[1], uri = argv[2];
  std::map<std::string, int64_t> flags;
  for (int i = 3; i + 1 < argc; i += 2) flags[argv[i]] = std::strtoll(argv[i + 1], nullptr, 10);
  auto flag = [&](const char* name, int64_t fallback) {
    auto it = flags.find(name);
    return it == flags.end() ? fallback : it->second;
  };
  arrow::Status st;
  if (mode == "--append-rows") {
    st = AppendRows(uri, flag("--writer", 0), flag("--count", 1));
  } else if (mode == "--read") {
    std::optional<int64_t> version;
    if (flags.count("--version")) version = flags["--version"];
    st = Read(uri, version);
  } else if (mode == "--describe") {
    st = Describe(uri);
  } else if (mode == "--history") {
    st = History(uri);
  } else if (mode == "--write-big") {
    st = WriteBig(uri, flag("--rows", 100000));
  } else if (mode == "--check-files") {
    st = CheckFiles(uri);
  } else if (mode == "--bench-append") {
    st = BenchAppend(uri, flag("--count", 10), flag("--rows", 10000));
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
