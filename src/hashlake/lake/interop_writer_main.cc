// Test helper for tests/integration/test_lake_interop.py.
//
//   lake_interop_writer --write <table_dir>   writes a table with several types, a date and
//                                             a string partition (null included), three
//                                             appends, the last two carrying txn markers
//   lake_interop_writer --read <table_dir> [--limit N] [--version V]
//                                             prints the rows as JSON lines
//   lake_interop_writer --describe <table_dir>
//   lake_interop_writer --checkpoint|--history <table_dir>
//   lake_interop_writer --optimize <table_dir> --target BYTES
//   lake_interop_writer --vacuum <table_dir> [--retain HOURS] [--force 1] [--dry-run 1]
//   lake_interop_writer --append-rows <table_dir> --writer W --count N
//                                             N single-row appends (id = W*1000000+i) to a
//                                             table (id long, writer int), created if absent
//   lake_interop_writer --bench-append <table_dir> --count BATCHES --rows ROWS
//                                             prints {"rows","bytes","seconds","latencies_ms"}
//   lake_interop_writer --bench-load <table_dir> --commits N
//                                             writes an N-commit log (1 add each), then times
//                                             LoadSnapshot without and with a checkpoint
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>

#include <arrow/api.h>

#include "hashlake/lake/append_bench_internal.h"
#include "hashlake/lake/delta_table.h"
#include "hashlake/lake/json_lines.h"
#include "hashlake/lake/log_store.h"
#include "hashlake/lake/optimize.h"
#include "hashlake/lake/scan.h"
#include "hashlake/lake/time_travel.h"
#include "hashlake/lake/vacuum.h"

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
    if (b > 0) options.txns = {CommitOptions::TxnMarker{"interop-job", b}};
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

arrow::Status Checkpoint(const std::string& dir) {
  ARROW_ASSIGN_OR_RAISE(auto table, DeltaTable::Open(dir));
  ARROW_ASSIGN_OR_RAISE(auto info, table->Checkpoint());
  std::cout << hashlake::lake::LastCheckpointJson(info) << "\n";
  return arrow::Status::OK();
}

arrow::Status History(const std::string& dir) {
  ARROW_ASSIGN_OR_RAISE(auto table, DeltaTable::Open(dir));
  ARROW_ASSIGN_OR_RAISE(auto timeline,
                        hashlake::lake::ReadCommitTimeline(table->store(), table->path()));
  return hashlake::lake::WriteHistoryJsonLines(timeline, std::cout);
}

arrow::Status Optimize(const std::string& dir, int64_t target) {
  ARROW_ASSIGN_OR_RAISE(auto table, DeltaTable::Open(dir));
  hashlake::lake::OptimizeOptions options;
  options.target_size_bytes = target;
  ARROW_ASSIGN_OR_RAISE(auto r, hashlake::lake::Optimize(*table, options));
  std::cout << "{\"version\":" << (r.version ? std::to_string(*r.version) : "null")
            << ",\"filesRemoved\":" << r.files_removed << ",\"filesAdded\":" << r.files_added
            << "}\n";
  return arrow::Status::OK();
}

arrow::Status Vacuum(const std::string& dir, std::optional<int64_t> retain, bool force,
                     bool dry_run) {
  ARROW_ASSIGN_OR_RAISE(auto table, DeltaTable::Open(dir));
  ARROW_ASSIGN_OR_RAISE(auto snapshot, table->LoadSnapshot());
  hashlake::lake::VacuumOptions options;
  if (retain) options.retain = std::chrono::hours(*retain);
  options.force = force;
  options.dry_run = dry_run;
  ARROW_ASSIGN_OR_RAISE(auto r, hashlake::lake::Vacuum(table->store(), snapshot, options));
  for (const auto& f : r.files) std::cout << f << "\n";
  return arrow::Status::OK();
}

arrow::Status AppendRows(const std::string& dir, int64_t writer, int64_t count) {
  auto schema = arrow::schema({arrow::field("id", arrow::int64()),
                               arrow::field("writer", arrow::int32())});
  ARROW_ASSIGN_OR_RAISE(auto table, DeltaTable::OpenOrCreate(dir, *schema, {}));
  for (int64_t i = 0; i < count; ++i) {
    arrow::Int64Builder id;
    arrow::Int32Builder w;
    ARROW_RETURN_NOT_OK(id.Append(writer * 1000000 + i));
    ARROW_RETURN_NOT_OK(w.Append(static_cast<int32_t>(writer)));
    ARROW_ASSIGN_OR_RAISE(auto a, id.Finish());
    ARROW_ASSIGN_OR_RAISE(auto b, w.Finish());
    CommitOptions options;
    options.max_commit_attempts = 1000;  // many racing single-row commits
    ARROW_ASSIGN_OR_RAISE(auto result, table->Append(*arrow::Table::Make(schema, {a, b}), options));
    if (!result.maintenance_status.ok()) return result.maintenance_status;
  }
  return arrow::Status::OK();
}

arrow::Status BenchAppend(const std::string& dir, int64_t batches, int64_t rows) {
  ARROW_ASSIGN_OR_RAISE(auto table,
                        DeltaTable::Create(dir, *InteropSchema(), {"date", "source"}));
  std::vector<std::shared_ptr<arrow::Table>> data;
  for (int64_t b = 0; b < batches; ++b) {
    std::vector<std::shared_ptr<arrow::Table>> parts;
    for (int64_t r = 0; r < rows; r += 10) {
      ARROW_ASSIGN_OR_RAISE(auto part, MakeBatch(static_cast<int>(b * rows / 10 + r / 10),
                                                 static_cast<int>(std::min<int64_t>(10, rows - r))));
      parts.push_back(part);
    }
    ARROW_ASSIGN_OR_RAISE(auto t, arrow::ConcatenateTables(parts));
    data.push_back(t);
  }
  return hashlake::lake::internal::TimeAppends(*table, data);
}

arrow::Status BenchLoad(const std::string& dir, int64_t commits) {
  // Log replay cost only: each commit adds one (never read) file, as a streaming writer does.
  ARROW_ASSIGN_OR_RAISE(auto table,
                        DeltaTable::Create(dir, *InteropSchema(), {"date", "source"},
                                           {{"delta.checkpointInterval", "1000000000"}}));
  for (int64_t v = 1; v <= commits; ++v) {
    std::string text =
        R"({"commitInfo":{"timestamp":1714521600000,"operation":"WRITE","operationParameters":{"mode":"Append"},"isBlindAppend":true}})"
        "\n"
        R"({"add":{"path":"date=2024-05-01/source=x/part-00000-)" + std::to_string(v) +
        R"(.zstd.parquet","partitionValues":{"date":"2024-05-01","source":"x"},"size":2048,"modificationTime":1714521600000,"dataChange":true,"stats":"{\"numRecords\":10,\"minValues\":{\"id\":0},\"maxValues\":{\"id\":9},\"nullCount\":{\"id\":0}}"}})"
        "\n";
    ARROW_RETURN_NOT_OK(
        table->store().PutIfAbsent(hashlake::lake::CommitPath(table->path(), v), text));
  }
  auto time_load = [&]() -> arrow::Result<double> {
    auto t0 = std::chrono::steady_clock::now();
    ARROW_ASSIGN_OR_RAISE(auto s, hashlake::lake::LoadSnapshot(table->store(), table->path()));
    double secs = hashlake::lake::internal::Seconds(std::chrono::steady_clock::now() - t0);
    if (s.version != commits || static_cast<int64_t>(s.files.size()) != commits) {
      return arrow::Status::Invalid("bench-load read version ", s.version);
    }
    return secs;
  };
  ARROW_ASSIGN_OR_RAISE(double without, time_load());
  // A checkpoint every 10 commits leaves at most 9 commits to replay after the newest one.
  int64_t cp_version = commits - commits % 10;
  ARROW_ASSIGN_OR_RAISE(auto cp_snapshot,
                        hashlake::lake::LoadSnapshot(table->store(), table->path(), cp_version));
  ARROW_RETURN_NOT_OK(hashlake::lake::WriteCheckpoint(table->store(), cp_snapshot).status());
  ARROW_ASSIGN_OR_RAISE(double with, time_load());
  std::cout << "{\"commits\":" << commits << ",\"load_without_checkpoint_s\":" << without
            << ",\"load_with_checkpoint_s\":" << with << ",\"checkpoint_version\":" << cp_version
            << "}\n";
  return arrow::Status::OK();
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
  std::map<std::string, int64_t> flags;
  for (int i = 3; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    int64_t value = std::strtoll(argv[i + 1], nullptr, 10);
    if (flag == "--limit") limit = value;
    else if (flag == "--version") version = value;
    else flags[flag] = value;
  }
  auto flag = [&](const char* name, int64_t fallback) {
    auto it = flags.find(name);
    return it == flags.end() ? fallback : it->second;
  };
  arrow::Status st;
  if (mode == "--write") {
    st = Write(dir);
  } else if (mode == "--read") {
    st = Read(dir, limit, version);
  } else if (mode == "--describe") {
    st = Describe(dir);
  } else if (mode == "--checkpoint") {
    st = Checkpoint(dir);
  } else if (mode == "--history") {
    st = History(dir);
  } else if (mode == "--optimize") {
    st = Optimize(dir, flag("--target", 128LL << 20));
  } else if (mode == "--vacuum") {
    std::optional<int64_t> retain;
    if (flags.count("--retain")) retain = flags["--retain"];
    st = Vacuum(dir, retain, flag("--force", 0) != 0, flag("--dry-run", 0) != 0);
  } else if (mode == "--append-rows") {
    st = AppendRows(dir, flag("--writer", 0), flag("--count", 1));
  } else if (mode == "--bench-append") {
    st = BenchAppend(dir, flag("--count", 10), flag("--rows", 10000));
  } else if (mode == "--bench-load") {
    st = BenchLoad(dir, flag("--commits", 10000));
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
