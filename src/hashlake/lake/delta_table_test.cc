#include "hashlake/lake/delta_table.h"

#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <functional>
#include <thread>

#include <arrow/api.h>
#include <arrow/io/interfaces.h>
#include <gtest/gtest.h>

#include "hashlake/lake/log_store.h"
#include "hashlake/lake/scan.h"

namespace hashlake::lake {
namespace {

namespace fs = std::filesystem;

#define ASSIGN_OR_FAIL(lhs, expr)                          \
  auto lhs##_result = (expr);                              \
  ASSERT_TRUE(lhs##_result.ok()) << lhs##_result.status(); \
  auto lhs = std::move(lhs##_result).ValueUnsafe()

std::shared_ptr<arrow::Schema> TestSchema() {
  return arrow::schema({arrow::field("id", arrow::int64(), false),
                        arrow::field("text", arrow::utf8()),
                        arrow::field("ts", arrow::timestamp(arrow::TimeUnit::MICRO, "UTC")),
                        arrow::field("date", arrow::date32()),
                        arrow::field("src", arrow::utf8())});
}

struct Row {
  int64_t id;
  std::optional<std::string> text;
  int64_t ts_us;
  int32_t date;
  std::optional<std::string> src;
};

std::shared_ptr<arrow::Table> MakeTable(const std::vector<Row>& rows) {
  arrow::Int64Builder id;
  arrow::StringBuilder text, src;
  arrow::TimestampBuilder ts(arrow::timestamp(arrow::TimeUnit::MICRO, "UTC"),
                             arrow::default_memory_pool());
  arrow::Date32Builder date;
  for (const auto& r : rows) {
    EXPECT_TRUE(id.Append(r.id).ok());
    EXPECT_TRUE((r.text ? text.Append(*r.text) : text.AppendNull()).ok());
    EXPECT_TRUE(ts.Append(r.ts_us).ok());
    EXPECT_TRUE(date.Append(r.date).ok());
    EXPECT_TRUE((r.src ? src.Append(*r.src) : src.AppendNull()).ok());
  }
  return arrow::Table::Make(TestSchema(),
                            {id.Finish().ValueOrDie(), text.Finish().ValueOrDie(),
                             ts.Finish().ValueOrDie(), date.Finish().ValueOrDie(),
                             src.Finish().ValueOrDie()});
}

std::vector<Row> SampleRows(int64_t first, int n) {
  const std::optional<std::string> sources[] = {"x", std::nullopt, "a/b=c d%:#ü", "bluesky"};
  std::vector<Row> rows;
  for (int64_t i = first; i < first + n; ++i) {
    rows.push_back(Row{i, i % 3 == 0 ? std::nullopt : std::optional<std::string>("t" + std::to_string(i)),
                       1714521600000000LL + i * 1000001, 19844 + static_cast<int32_t>(i % 2),
                       sources[i % 4]});
  }
  return rows;
}

/// Reads a table back as rows sorted by id.
std::vector<Row> ReadRows(const std::shared_ptr<arrow::Table>& table) {
  auto combined = table->CombineChunksToBatch().ValueOrDie();
  const auto& id = static_cast<const arrow::Int64Array&>(*combined->GetColumnByName("id"));
  const auto& text = static_cast<const arrow::StringArray&>(*combined->GetColumnByName("text"));
  const auto& ts = static_cast<const arrow::TimestampArray&>(*combined->GetColumnByName("ts"));
  const auto& date = static_cast<const arrow::Date32Array&>(*combined->GetColumnByName("date"));
  const auto& src = static_cast<const arrow::StringArray&>(*combined->GetColumnByName("src"));
  std::vector<Row> rows;
  for (int64_t i = 0; i < combined->num_rows(); ++i) {
    rows.push_back(Row{id.Value(i),
                       text.IsNull(i) ? std::nullopt : std::optional<std::string>(text.GetString(i)),
                       ts.Value(i), date.Value(i),
                       src.IsNull(i) ? std::nullopt : std::optional<std::string>(src.GetString(i))});
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.id < b.id; });
  return rows;
}

void ExpectSameRows(const std::vector<Row>& got, const std::vector<Row>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].id, want[i].id);
    EXPECT_EQ(got[i].text, want[i].text) << "id " << want[i].id;
    EXPECT_EQ(got[i].ts_us, want[i].ts_us) << "id " << want[i].id;
    EXPECT_EQ(got[i].date, want[i].date) << "id " << want[i].id;
    EXPECT_EQ(got[i].src, want[i].src) << "id " << want[i].id;
  }
}

/// A LogStore that forwards to the local store, with hooks to inject faults and races.
class HookedStore : public LogStore {
 public:
  explicit HookedStore(std::shared_ptr<LogStore> base) : base_(std::move(base)) {}

  /// Runs before a PutIfAbsent; returning non-OK fails the put with that status.
  std::function<arrow::Status(const std::string& path, std::string_view content)> before_put;
  /// Data-file writes fail after this many bytes (-1: never).
  int64_t fail_write_after_bytes = -1;

  arrow::Result<std::string> ReadFile(const std::string& p) override { return base_->ReadFile(p); }
  arrow::Result<std::shared_ptr<arrow::io::RandomAccessFile>> OpenForRead(
      const std::string& p) override {
    return base_->OpenForRead(p);
  }
  arrow::Result<std::vector<FileEntry>> List(const std::string& d) override {
    return base_->List(d);
  }
  arrow::Result<FileEntry> Stat(const std::string& p) override { return base_->Stat(p); }
  arrow::Status CreateDirs(const std::string& d) override { return base_->CreateDirs(d); }
  arrow::Result<std::shared_ptr<arrow::io::OutputStream>> OpenForWrite(
      const std::string& p) override {
    ARROW_ASSIGN_OR_RAISE(auto out, base_->OpenForWrite(p));
    if (fail_write_after_bytes < 0) return out;
    return std::make_shared<FailingStream>(out, fail_write_after_bytes);
  }
  arrow::Status PutIfAbsent(const std::string& p, std::string_view content) override {
    if (before_put) ARROW_RETURN_NOT_OK(before_put(p, content));
    return base_->PutIfAbsent(p, content);
  }
  arrow::Status Put(const std::string& p, std::string_view content) override {
    return base_->Put(p, content);
  }
  arrow::Status Delete(const std::string& p) override { return base_->Delete(p); }

 private:
  class FailingStream : public arrow::io::OutputStream {
   public:
    FailingStream(std::shared_ptr<arrow::io::OutputStream> base, int64_t limit)
        : base_(std::move(base)), limit_(limit) {}
    arrow::Status Write(const void* data, int64_t n) override {
      if (written_ + n > limit_) {
        // Write what "reached the disk" before the crash, then fail.
        ARROW_RETURN_NOT_OK(base_->Write(data, limit_ - written_));
        written_ = limit_;
        return arrow::Status::IOError("injected fault: disk full");
      }
      written_ += n;
      return base_->Write(data, n);
    }
    arrow::Status Close() override { return base_->Close(); }
    arrow::Result<int64_t> Tell() const override { return written_; }
    bool closed() const override { return base_->closed(); }

   private:
    std::shared_ptr<arrow::io::OutputStream> base_;
    int64_t limit_;
    int64_t written_ = 0;
  };

  std::shared_ptr<LogStore> base_;
};

class DeltaTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/lake_test_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/table";
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string dir_;
  std::string path_;
};

TEST_F(DeltaTableTest, WritesAndReadsBackWithPartitionsNullsAndSpecialCharacters) {
  ASSIGN_OR_FAIL(table, DeltaTable::Create(path_, *TestSchema(), {"date", "src"}));
  auto rows = SampleRows(0, 16);
  ASSIGN_OR_FAIL(result, table->Append(*MakeTable(rows)));
  EXPECT_EQ(result.version, 1);
  EXPECT_FALSE(result.skipped_already_committed);

  ASSIGN_OR_FAIL(reopened, DeltaTable::Open(path_));
  ASSIGN_OR_FAIL(snapshot, reopened->LoadSnapshot());
  EXPECT_EQ(snapshot.version, 1);
  EXPECT_EQ(snapshot.files.size(), 4u);  // id % 4 picks both the date and the source
  ASSIGN_OR_FAIL(data, Scan(reopened->store(), snapshot));
  EXPECT_TRUE(data->schema()->Equals(*TestSchema()));
  ExpectSameRows(ReadRows(data), rows);

  // Hive-style directories, escaped as Spark does, and ZSTD file names.
  EXPECT_TRUE(fs::is_directory(path_ + "/date=2024-05-02/src=__HIVE_DEFAULT_PARTITION__"));
  EXPECT_TRUE(fs::is_directory(path_ + "/date=2024-05-01/src=a%2Fb%3Dc d%25%3A%23ü"));
  for (const auto& f : snapshot.files) {
    EXPECT_TRUE(f.path.ends_with(".zstd.parquet")) << f.path;
    EXPECT_NE(f.path.find("/part-00000-"), std::string::npos);
    EXPECT_TRUE(f.data_change);
    EXPECT_EQ(f.partition_values.size(), 2u);
  }
  // The log holds the protocol and our engineInfo.
  ASSIGN_OR_FAIL(v0, reopened->store().ReadFile(CommitPath(snapshot.table_root, 0)));
  EXPECT_NE(v0.find(R"({"protocol":{"minReaderVersion":1,"minWriterVersion":2}})"),
            std::string::npos);
  ASSERT_TRUE(snapshot.commit_infos.count(1));
  EXPECT_EQ(snapshot.commit_infos.at(1).engine_info.rfind("hashlake/", 0), 0u);
  EXPECT_EQ(snapshot.commit_infos.at(1).is_blind_append, true);
}

TEST_F(DeltaTableTest, StatsDescribeEachFile) {
  ASSIGN_OR_FAIL(table, DeltaTable::Create(path_, *TestSchema(), {"date"}));
  ASSERT_TRUE(table->Append(*MakeTable({{3, "b", 1000, 19844, "x"},
                                        {1, std::nullopt, 5000, 19844, std::nullopt},
                                        {2, "a", 2500, 19845, "y"}}))
                  .ok());
  ASSIGN_OR_FAIL(snapshot, table->LoadSnapshot());
  ASSERT_EQ(snapshot.files.size(), 2u);
  const AddFile& first = snapshot.files[0];  // date=2024-05-01 sorts first
  EXPECT_EQ(first.partition_values.at("date"), "2024-05-01");
  EXPECT_EQ(first.stats,
            R"({"numRecords":2,"minValues":{"id":1,"text":"b","ts":"1970-01-01T00:00:00.001Z",)"
            R"("src":"x"},"maxValues":{"id":3,"text":"b","ts":"1970-01-01T00:00:00.005Z",)"
            R"("src":"x"},"nullCount":{"id":0,"text":1,"ts":0,"src":1}})");
  ASSIGN_OR_FAIL(info, Describe(table->store(), snapshot));
  EXPECT_EQ(info.num_rows, 3);
  EXPECT_EQ(info.num_files, 2);
  EXPECT_EQ(info.total_bytes, snapshot.files[0].size + snapshot.files[1].size);
  EXPECT_EQ(info.total_bytes, static_cast<int64_t>(
                                  fs::file_size(path_ + "/" + snapshot.files[0].path) +
                                  fs::file_size(path_ + "/" + snapshot.files[1].path)));
}

TEST_F(DeltaTableTest, TimeTravelAndLimit) {
  ASSIGN_OR_FAIL(table, DeltaTable::Create(path_, *TestSchema(), {}));
  ASSERT_TRUE(table->Append(*MakeTable(SampleRows(0, 5))).ok());
  ASSERT_TRUE(table->Append(*MakeTable(SampleRows(5, 7))).ok());
  ASSIGN_OR_FAIL(v1, table->LoadSnapshot(1));
  ASSIGN_OR_FAIL(old_rows, Scan(table->store(), v1));
  ExpectSameRows(ReadRows(old_rows), SampleRows(0, 5));
  ASSIGN_OR_FAIL(v0, table->LoadSnapshot(0));
  ASSIGN_OR_FAIL(empty, Scan(table->store(), v0));
  EXPECT_EQ(empty->num_rows(), 0);
  ASSIGN_OR_FAIL(latest, table->LoadSnapshot());
  ASSIGN_OR_FAIL(limited, Scan(table->store(), latest, ScanOptions{3, {"text", "id"}, {}}));
  EXPECT_EQ(limited->num_rows(), 3);
  EXPECT_EQ(limited->schema()->field(0)->name(), "text");
  EXPECT_FALSE(table->LoadSnapshot(9).ok());
}

TEST_F(DeltaTableTest, TxnIsRecordedAndMakesAppendsIdempotent) {
  ASSIGN_OR_FAIL(table, DeltaTable::Create(path_, *TestSchema(), {"date"}));
  CommitOptions options;
  options.txns = {CommitOptions::TxnMarker{"stream-job", 5}};
  options.commit_info_extra["hashlake"] = R"({"offsets":{"posts/0":[100,200]}})";
  ASSIGN_OR_FAIL(first, table->Append(*MakeTable(SampleRows(0, 4)), options));
  EXPECT_EQ(first.version, 1);

  ASSIGN_OR_FAIL(other, DeltaTable::Open(path_));
  ASSIGN_OR_FAIL(snapshot, other->LoadSnapshot());
  EXPECT_EQ(LatestTxnVersion(snapshot, "stream-job"), 5);
  EXPECT_EQ(LatestTxnVersion(snapshot, "nobody"), std::nullopt);
  EXPECT_EQ(snapshot.commit_infos.at(1).extra.at("hashlake"),
            R"({"offsets":{"posts/0":[100,200]}})");

  // Replaying batch 5 (e.g. after a crash before the bus offsets were committed) is a no-op.
  ASSIGN_OR_FAIL(again, other->Append(*MakeTable(SampleRows(0, 4)), options));
  EXPECT_TRUE(again.skipped_already_committed);
  EXPECT_EQ(again.version, 1);
  options.txns[0].version = 6;
  ASSIGN_OR_FAIL(next, other->Append(*MakeTable(SampleRows(4, 2)), options));
  EXPECT_EQ(next.version, 2);
  // An empty batch still records its txn.
  options.txns[0].version = 7;
  ASSIGN_OR_FAIL(empty, other->Append(*MakeTable({}), options));
  EXPECT_EQ(empty.version, 3);
  ASSIGN_OR_FAIL(latest, DeltaTable::Open(path_));
  ASSIGN_OR_FAIL(s, latest->LoadSnapshot());
  EXPECT_EQ(s.TxnVersion("stream-job"), 7);
  ASSIGN_OR_FAIL(rows, Scan(latest->store(), s));
  EXPECT_EQ(rows->num_rows(), 6);
}

TEST_F(DeltaTableTest, OneCommitCanCarryATxnPerPartitionAllOrNothing) {
  ASSIGN_OR_FAIL(table, DeltaTable::Create(path_, *TestSchema(), {"date"}));
  CommitOptions options;
  options.txns = {{"job/0", 3}, {"job/1", 8}};
  ASSIGN_OR_FAIL(first, table->Append(*MakeTable(SampleRows(0, 4)), options));
  ASSIGN_OR_FAIL(snapshot, table->LoadSnapshot());
  EXPECT_EQ(snapshot.TxnVersion("job/0"), 3);
  EXPECT_EQ(snapshot.TxnVersion("job/1"), 8);
  // The same pair again: already committed.
  ASSIGN_OR_FAIL(again, table->Append(*MakeTable(SampleRows(0, 4)), options));
  EXPECT_TRUE(again.skipped_already_committed);
  // One done, one new: refused, since skipping would lose job/2's rows.
  options.txns = {{"job/0", 3}, {"job/2", 1}};
  EXPECT_FALSE(table->Append(*MakeTable(SampleRows(4, 1)), options).ok());
  // A second writer of the same partitions finds the first one's markers.
  ASSIGN_OR_FAIL(rival, DeltaTable::Open(path_));
  options.txns = {{"job/0", 4}, {"job/1", 9}};
  ASSIGN_OR_FAIL(won, table->Append(*MakeTable(SampleRows(4, 2)), options));
  EXPECT_EQ(won.version, 2);
  options.txns = {{"job/0", 4}};
  ASSIGN_OR_FAIL(late, rival->Append(*MakeTable(SampleRows(4, 2)), options));
  EXPECT_TRUE(late.skipped_already_committed);
}

TEST_F(DeltaTableTest, RacingWritersBothCommitOnDistinctVersions) {
  ASSERT_TRUE(DeltaTable::Create(path_, *TestSchema(), {}).ok());
  auto store = std::make_shared<HookedStore>(MakeLocalLogStore());
  ASSIGN_OR_FAIL(loser, DeltaTable::Open(path_, store));
  int puts = 0;
  store->before_put = [&](const std::string& p, std::string_view) -> arrow::Status {
    if (puts++ == 0) {
      // Another writer wins version 1 between our read and our put.
      EXPECT_TRUE(p.ends_with("00000000000000000001.json"));
      ARROW_ASSIGN_OR_RAISE(auto winner, DeltaTable::Open(path_));
      ARROW_ASSIGN_OR_RAISE(auto r, winner->Append(*MakeTable(SampleRows(100, 2))));
      EXPECT_EQ(r.version, 1);
    }
    return arrow::Status::OK();
  };
  ASSIGN_OR_FAIL(result, loser->Append(*MakeTable(SampleRows(0, 3))));
  EXPECT_EQ(result.version, 2);
  EXPECT_EQ(puts, 2);
  ASSIGN_OR_FAIL(snapshot, loser->LoadSnapshot());
  ASSIGN_OR_FAIL(data, Scan(*store, snapshot));
  EXPECT_EQ(data->num_rows(), 5);
  EXPECT_EQ(snapshot.commit_infos.at(2).read_version, 1);
}

TEST_F(DeltaTableTest, ConcurrentThreadsNeverOverwriteAVersion) {
  ASSERT_TRUE(DeltaTable::Create(path_, *TestSchema(), {"src"}).ok());
  constexpr int kWriters = 4, kAppends = 5;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      auto table = DeltaTable::Open(path_);
      if (!table.ok()) {
        ++failures;
        return;
      }
      for (int a = 0; a < kAppends; ++a) {
        CommitOptions options;
        options.max_commit_attempts = 100;
        if (!(*table)->Append(*MakeTable(SampleRows((w * kAppends + a) * 10, 3)), options).ok()) {
          ++failures;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  ASSIGN_OR_FAIL(table, DeltaTable::Open(path_));
  ASSIGN_OR_FAIL(snapshot, table->LoadSnapshot());
  EXPECT_EQ(snapshot.version, kWriters * kAppends);
  ASSIGN_OR_FAIL(data, Scan(table->store(), snapshot));
  EXPECT_EQ(data->num_rows(), kWriters * kAppends * 3);
}

TEST_F(DeltaTableTest, ExhaustedRetriesReturnACommitConflict) {
  ASSERT_TRUE(DeltaTable::Create(path_, *TestSchema(), {}).ok());
  auto store = std::make_shared<HookedStore>(MakeLocalLogStore());
  store->before_put = [](const std::string& p, std::string_view) {
    return arrow::Status::AlreadyExists("'", p, "' already exists");
  };
  ASSIGN_OR_FAIL(table, DeltaTable::Open(path_, store));
  CommitOptions options;
  options.max_commit_attempts = 3;
  auto result = table->Append(*MakeTable(SampleRows(0, 1)), options);
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(IsCommitConflict(result.status())) << result.status();
  EXPECT_FALSE(IsCommitConflict(arrow::Status::Invalid("other")));
}

TEST_F(DeltaTableTest, ConcurrentSameTxnIsRecognisedAsAlreadyCommitted) {
  ASSERT_TRUE(DeltaTable::Create(path_, *TestSchema(), {}).ok());
  auto store = std::make_shared<HookedStore>(MakeLocalLogStore());
  ASSIGN_OR_FAIL(loser, DeltaTable::Open(path_, store));
  CommitOptions options;
  options.txns = {CommitOptions::TxnMarker{"job", 1}};
  bool raced = false;
  store->before_put = [&](const std::string&, std::string_view) -> arrow::Status {
    if (!raced) {
      raced = true;
      ARROW_ASSIGN_OR_RAISE(auto winner, DeltaTable::Open(path_));
      ARROW_RETURN_NOT_OK(winner->Append(*MakeTable(SampleRows(0, 2)), options).status());
    }
    return arrow::Status::OK();
  };
  ASSIGN_OR_FAIL(result, loser->Append(*MakeTable(SampleRows(0, 2)), options));
  EXPECT_TRUE(result.skipped_already_committed);
  ASSIGN_OR_FAIL(snapshot, loser->LoadSnapshot());
  EXPECT_EQ(snapshot.version, 1);
  ASSIGN_OR_FAIL(data, Scan(*store, snapshot));
  EXPECT_EQ(data->num_rows(), 2);
}

TEST_F(DeltaTableTest, FailedDataWriteLeavesPreviousVersionReadable) {
  ASSIGN_OR_FAIL(healthy, DeltaTable::Create(path_, *TestSchema(), {"date"}));
  ASSERT_TRUE(healthy->Append(*MakeTable(SampleRows(0, 4))).ok());
  auto store = std::make_shared<HookedStore>(MakeLocalLogStore());
  store->fail_write_after_bytes = 100;
  ASSIGN_OR_FAIL(faulty, DeltaTable::Open(path_, store));
  auto failed = faulty->Append(*MakeTable(SampleRows(4, 8)));
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.status().message().find("injected fault"), std::string::npos);

  ASSIGN_OR_FAIL(reader, DeltaTable::Open(path_));
  ASSIGN_OR_FAIL(snapshot, reader->LoadSnapshot());
  EXPECT_EQ(snapshot.version, 1);
  ASSIGN_OR_FAIL(data, Scan(reader->store(), snapshot));
  ExpectSameRows(ReadRows(data), SampleRows(0, 4));
}

TEST_F(DeltaTableTest, CrashDuringCommitLeavesPreviousVersionReadable) {
  ASSIGN_OR_FAIL(healthy, DeltaTable::Create(path_, *TestSchema(), {}));
  ASSERT_TRUE(healthy->Append(*MakeTable(SampleRows(0, 3))).ok());
  auto store = std::make_shared<HookedStore>(MakeLocalLogStore());
  store->before_put = [&](const std::string& p, std::string_view content) -> arrow::Status {
    // Simulate dying after writing half of the temp file, before the link.
    auto tmp = fs::path(p).parent_path() / ".00000000000000000002.json.crashed.tmp";
    std::FILE* f = std::fopen(tmp.c_str(), "w");
    std::fwrite(content.data(), 1, content.size() / 2, f);
    std::fclose(f);
    return arrow::Status::IOError("injected crash");
  };
  ASSIGN_OR_FAIL(faulty, DeltaTable::Open(path_, store));
  EXPECT_FALSE(faulty->Append(*MakeTable(SampleRows(3, 3))).ok());

  ASSIGN_OR_FAIL(reader, DeltaTable::Open(path_));
  ASSIGN_OR_FAIL(snapshot, reader->LoadSnapshot());
  EXPECT_EQ(snapshot.version, 1);
  ASSIGN_OR_FAIL(data, Scan(reader->store(), snapshot));
  EXPECT_EQ(data->num_rows(), 3);
  // A healthy writer continues at the next version.
  ASSIGN_OR_FAIL(next, reader->Append(*MakeTable(SampleRows(3, 3))));
  EXPECT_EQ(next.version, 2);
}

TEST_F(DeltaTableTest, CreateOpenOrCreateAndSchemaChecks) {
  ASSIGN_OR_FAIL(created, DeltaTable::OpenOrCreate(path_, *TestSchema(), {"date"}));
  auto again = DeltaTable::Create(path_, *TestSchema(), {"date"});
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(again.status().IsAlreadyExists());
  ASSIGN_OR_FAIL(opened, DeltaTable::OpenOrCreate(path_, *TestSchema(), {"date"}));
  EXPECT_FALSE(DeltaTable::OpenOrCreate(path_, *TestSchema(), {"src"}).ok());
  EXPECT_FALSE(DeltaTable::Open(dir_ + "/nothing").ok());
  EXPECT_FALSE(DeltaTable::Create(dir_ + "/bad", *TestSchema(), {"missing"}).ok());

  // Extra columns and nulls in non-nullable columns are errors, not crashes.
  auto extra = MakeTable(SampleRows(0, 1))
                   ->AddColumn(5, arrow::field("extra", arrow::int32()),
                               std::make_shared<arrow::ChunkedArray>(
                                   arrow::MakeArrayOfNull(arrow::int32(), 1).ValueOrDie()))
                   .ValueOrDie();
  EXPECT_FALSE(opened->Append(*extra).ok());
  auto null_ids = MakeTable(SampleRows(0, 1))
                      ->SetColumn(0, arrow::field("id", arrow::int64()),
                                  std::make_shared<arrow::ChunkedArray>(
                                      arrow::MakeArrayOfNull(arrow::int64(), 1).ValueOrDie()))
                      .ValueOrDie();
  EXPECT_FALSE(opened->Append(*null_ids).ok());
  // Missing nullable columns become null; castable types are cast.
  auto partial = MakeTable(SampleRows(0, 2))->RemoveColumn(1).ValueOrDie();
  ASSIGN_OR_FAIL(appended, opened->Append(*partial));
  EXPECT_EQ(appended.version, 1);
  ASSIGN_OR_FAIL(snapshot, opened->LoadSnapshot());
  ASSIGN_OR_FAIL(data, Scan(opened->store(), snapshot));
  EXPECT_EQ(data->GetColumnByName("text")->null_count(), 2);
}

}  // namespace
}  // namespace hashlake::lake
