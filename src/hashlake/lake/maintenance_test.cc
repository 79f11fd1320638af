// Checkpoints, time travel, optimize, vacuum, log cleanup, conflicts, file skipping, types.
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <functional>

#include <arrow/api.h>
#include <gtest/gtest.h>

#include "hashlake/lake/checkpoint_writer.h"
#include "hashlake/lake/delta_table.h"
#include "hashlake/lake/log_store.h"
#include "hashlake/lake/optimize.h"
#include "hashlake/lake/scan.h"
#include "hashlake/lake/table_properties.h"
#include "hashlake/lake/table_uri.h"
#include "hashlake/lake/time_travel.h"
#include "hashlake/lake/vacuum.h"

namespace hashlake::lake {
namespace {

namespace fs = std::filesystem;
using std::chrono::hours;

#define ASSIGN_OR_FAIL(lhs, expr)                          \
  auto lhs##_result = (expr);                              \
  ASSERT_TRUE(lhs##_result.ok()) << lhs##_result.status(); \
  auto lhs = std::move(lhs##_result).ValueUnsafe()

std::shared_ptr<arrow::Schema> EventSchema() {
  return arrow::schema({arrow::field("id", arrow::int64(), false),
                        arrow::field("ts", arrow::timestamp(arrow::TimeUnit::MICRO, "UTC")),
                        arrow::field("day", arrow::utf8())});
}

constexpr int64_t kBaseUs = 1714521600000000LL;  // 2024-05-01T00:00:00Z

/// Rows id in [first, first+n), ts = base + id hours, day = "d<id % days>".
std::shared_ptr<arrow::Table> Events(int64_t first, int n, int days = 2) {
  arrow::Int64Builder id;
  arrow::TimestampBuilder ts(arrow::timestamp(arrow::TimeUnit::MICRO, "UTC"),
                             arrow::default_memory_pool());
  arrow::StringBuilder day;
  for (int64_t i = first; i < first + n; ++i) {
    EXPECT_TRUE(id.Append(i).ok());
    EXPECT_TRUE(ts.Append(kBaseUs + i * 3600LL * 1000000).ok());
    EXPECT_TRUE(day.Append("d" + std::to_string(i % days)).ok());
  }
  return arrow::Table::Make(EventSchema(), {id.Finish().ValueOrDie(), ts.Finish().ValueOrDie(),
                                            day.Finish().ValueOrDie()});
}

std::vector<int64_t> Ids(const arrow::Table& t) {
  std::vector<int64_t> out;
  auto col = t.GetColumnByName("id");
  for (const auto& chunk : col->chunks()) {
    const auto& a = static_cast<const arrow::Int64Array&>(*chunk);
    for (int64_t i = 0; i < a.length(); ++i) out.push_back(a.Value(i));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<int64_t> Range(int64_t from, int64_t to) {
  std::vector<int64_t> v;
  for (int64_t i = from; i < to; ++i) v.push_back(i);
  return v;
}

void SetMtime(const std::string& path, std::chrono::system_clock::time_point when) {
  auto ft = fs::file_time_type::clock::now() +
            std::chrono::duration_cast<fs::file_time_type::duration>(
                when - std::chrono::system_clock::now());
  fs::last_write_time(path, ft);
}

/// Forwards to the local store; `before_put` runs before each commit put (to lose races).
class RacingStore : public LogStore {
 public:
  explicit RacingStore(std::shared_ptr<LogStore> base) : base_(std::move(base)) {}
  std::function<void(const std::string&)> before_put;

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
    return base_->OpenForWrite(p);
  }
  arrow::Status PutIfAbsent(const std::string& p, std::string_view c) override {
    if (before_put) {
      auto hook = std::move(before_put);
      before_put = nullptr;  // once
      hook(p);
    }
    return base_->PutIfAbsent(p, c);
  }
  arrow::Status Put(const std::string& p, std::string_view c) override { return base_->Put(p, c); }
  arrow::Status Delete(const std::string& p) override { return base_->Delete(p); }

 private:
  std::shared_ptr<LogStore> base_;
};

class MaintenanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/lake_maint_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/table";
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string dir_;
  std::string path_;
};

TEST_F(MaintenanceTest, AutoCheckpointAtIntervalReadsBackIdentically) {
  ASSIGN_OR_FAIL(table, DeltaTable::Create(path_, *EventSchema(), {"day"},
                                           {{"delta.checkpointInterval", "3"}}));
  std::optional<int64_t> checkpointed;
  for (int b = 0; b < 4; ++b) {
    ASSIGN_OR_FAIL(r, table->Append(*Events(b * 10, 4)));
    EXPECT_TRUE(r.maintenance_status.ok()) << r.maintenance_status;
    if (r.checkpoint_version) checkpointed = r.checkpoint_version;
    EXPECT_EQ(r.checkpoint_version.has_value(), r.version == 3) << r.version;
  }
  ASSERT_EQ(checkpointed, 3);
  EXPECT_TRUE(fs::exists(path_ + "/_delta_log/00000000000000000003.checkpoint.parquet"));
  ASSIGN_OR_FAIL(last, table->store().ReadFile(path_ + "/_delta_log/_last_checkpoint"));
  EXPECT_NE(last.find("\"version\":3"), std::string::npos) << last;
  EXPECT_NE(last.find("\"numOfAddFiles\":6"), std::string::npos) << last;
  EXPECT_NE(last.find("\"size\":8"), std::string::npos) << last;  // protocol+meta+6 adds

  // A fresh reader starts from the checkpoint and sees the same table as full replay.
  auto store = MakeLocalLogStore();
  ASSIGN_OR_FAIL(from_cp, LoadSnapshot(*store, path_));
  EXPECT_EQ(from_cp.checkpoint_version, 3);
  EXPECT_EQ(from_cp.version, 4);
  fs::remove(path_ + "/_delta_log/00000000000000000003.checkpoint.parquet");
  fs::remove(path_ + "/_delta_log/_last_checkpoint");
  ASSIGN_OR_FAIL(replayed, LoadSnapshot(*store, path_));
  EXPECT_FALSE(replayed.checkpoint_version.has_value());
  ASSERT_EQ(from_cp.files.size(), replayed.files.size());
  for (size_t i = 0; i < replayed.files.size(); ++i) {
    EXPECT_EQ(from_cp.files[i].path, replayed.files[i].path);
    EXPECT_EQ(from_cp.files[i].stats, replayed.files[i].stats);
    EXPECT_EQ(from_cp.files[i].size, replayed.files[i].size);
    EXPECT_EQ(from_cp.files[i].partition_values, replayed.files[i].partition_values);
  }
  EXPECT_EQ(from_cp.metadata.schema_string, replayed.metadata.schema_string);
  EXPECT_EQ(from_cp.metadata.configuration, replayed.metadata.configuration);
  EXPECT_EQ(from_cp.metadata.partition_columns, replayed.metadata.partition_columns);
  ASSIGN_OR_FAIL(data, Scan(*store, from_cp));
  EXPECT_EQ(Ids(*data).size(), 16u);
}

TEST_F(MaintenanceTest, CheckpointKeepsTxnAndUnexpiredTombstones) {
  ASSIGN_OR_FAIL(table, DeltaTable::Create(path_, *EventSchema(), {"day"}));
  for (int b = 0; b < 3; ++b) {
    CommitOptions o;
    o.txns = {CommitOptions::TxnMarker{"job", b}};
    ASSERT_TRUE(table->Append(*Events(b * 10, 4), o).ok());
  }
  OptimizeOptions opt;
  opt.target_size_bytes = 1 << 20;
  ASSIGN_OR_FAIL(optimized, Optimize(*table, opt));
  ASSERT_TRUE(optimized.version.has_value());
  ASSIGN_OR_FAIL(cp, table->Checkpoint());
  EXPECT_EQ(cp.version, *optimized.version);
  ASSIGN_OR_FAIL(snap, LoadSnapshot(table->store(), path_));
  EXPECT_EQ(snap.checkpoint_version, cp.version);
  EXPECT_EQ(snap.TxnVersion("job"), 2);
  EXPECT_EQ(snap.tombstones.size(), 6u);
  for (const auto& t : snap.tombstones) {
    EXPECT_FALSE(t.data_change);
    ASSERT_TRUE(t.partition_values.has_value());
  }
  // Written a week later, the same checkpoint drops the expired tombstones.
  ASSIGN_OR_FAIL(later, WriteCheckpoint(table->store(), snap,
                                        std::chrono::system_clock::now() + hours(24 * 8)));
  ASSIGN_OR_FAIL(snap2, LoadSnapshot(table->store(), path_));
  EXPECT_TRUE(snap2.tombstones.empty());
  EXPECT_EQ(later.size, 2 + 1 + 2);  // protocol, metadata, txn, 2 adds
}

TEST_F(MaintenanceTest, TimeTravelByTimestampUsesFileTimesMadeMonotonic) {
  ASSIGN_OR_FAIL(table, DeltaTable::Create(path_, *EventSchema(), {}));
  for (int b = 0; b < 3; ++b) ASSERT_TRUE(table->Append(*Events(b * 10, 2)).ok());
  auto t0 = std::chrono::system_clock::time_point(std::chrono::milliseconds(1700000000000));
  // Version 2's file time is before version 1's: it must still count as later.
  SetMtime(CommitPath(path_, 0), t0);
  SetMtime(CommitPath(path_, 1), t0 + hours(2));
  SetMtime(CommitPath(path_, 2), t0 + hours(1));
  SetMtime(CommitPath(path_, 3), t0 + hours(3));
  ASSIGN_OR_FAIL(timeline, ReadCommitTimeline(table->store(), path_));
  ASSERT_EQ(timeline.size(), 4u);
  EXPECT_EQ(timeline[2].timestamp_ms, timeline[1].timestamp_ms + 1);
  int64_t ms0 = 1700000000000;
  EXPECT_EQ(*VersionAtTimestamp(table->store(), path_, ms0), 0);
  EXPECT_EQ(*VersionAtTimestamp(table->store(), path_, ms0 + 3600000), 0);
  EXPECT_EQ(*VersionAtTimestamp(table->store(), path_, ms0 + 7200000), 1);
  EXPECT_EQ(*VersionAtTimestamp(table->store(), path_, ms0 + 7200001), 2);
  EXPECT_EQ(*VersionAtTimestamp(table->store(), path_, ms0 + 3 * 3600000), 3);
  EXPECT_TRUE(VersionAtTimestamp(table->store(), path_, ms0 - 1).status().IsInvalid());
  EXPECT_TRUE(VersionAtTimestamp(table->store(), path_, ms0 + 4 * 3600000).status().IsInvalid());
}

TEST_F(MaintenanceTest, InCommitTimestampsAreWrittenMonotonicAndUsed) {
  ASSIGN_OR_FAIL(table, DeltaTable::Create(path_, *EventSchema(), {},
                                           {{"delta.enableInCommitTimestamps", "true"}}));
  ASSIGN_OR_FAIL(snap0, table->LoadSnapshot());
  EXPECT_EQ(snap0.protocol.min_writer_version, 7);
  EXPECT_EQ(snap0.protocol.writer_features, std::vector<std::string>{"inCommitTimestamp"});
  for (int b = 0; b < 3; ++b) ASSERT_TRUE(table->Append(*Events(b * 10, 2)).ok());
  // File times no longer matter.
  for (int v = 0; v < 4; ++v) {
    SetMtime(CommitPath(path_, v), std::chrono::system_clock::time_point(std::chrono::hours(1)));
  }
  ASSIGN_OR_FAIL(timeline, ReadCommitTimeline(table->store(), path_));
  ASSERT_EQ(timeline.size(), 4u);
  for (size_t i = 0; i < timeline.size(); ++i) {
    ASSERT_TRUE(timeline[i].commit_info.has_value());
    auto ict = timeline[i].commit_info->extra.at("inCommitTimestamp");
    EXPECT_EQ(std::to_string(timeline[i].timestamp_ms), ict);
    if (i > 0) {
      EXPECT_GT(timeline[i].timestamp_ms, timeline[i - 1].timestamp_ms);
    }
  }
  EXPECT_EQ(*VersionAtTimestamp(table->store(), path_, timeline[2].timestamp_ms), 2);
}

TEST_F(MaintenanceTest, OptimizeBinPacksPerPartitionWithoutDataChange) {
  ASSIGN_OR_FAIL(table, DeltaTable::Create(path_, *EventSchema(), {"day"}));
  for (int b = 0; b < 5; ++b) ASSERT_TRUE(table->Append(*Events(b * 10, 6)).ok());
  ASSIGN_OR_FAIL(before, table->LoadSnapshot());
  ASSERT_EQ(before.files.size(), 10u);

  OptimizeOptions dry;
  dry.target_size_bytes = 1 << 20;
  dry.dry_run = true;
  ASSIGN_OR_FAIL(plan, Optimize(*table, dry));
  EXPECT_FALSE(plan.version.has_value());
  EXPECT_EQ(plan.bins.size(), 2u);
  EXPECT_EQ(plan.files_removed, 10);
  ASSIGN_OR_FAIL(still, table->LoadSnapshot());
  EXPECT_EQ(still.version, before.version);

  // A target of ~2.5 files makes bins of two files: 5 files per partition -> 2 bins + 1 left.
  OptimizeOptions small;
  small.target_size_bytes = before.files[0].size * 5 / 2;
  ASSIGN_OR_FAIL(packed, Optimize(*table, small));
  ASSERT_TRUE(packed.version.has_value());
  EXPECT_EQ(packed.bins.size(), 4u);
  EXPECT_EQ(packed.files_removed, 8);
  EXPECT_EQ(packed.files_added, 4);
  ASSIGN_OR_FAIL(after, table->LoadSnapshot());
  EXPECT_EQ(after.files.size(), 6u);
  ASSIGN_OR_FAIL(rows, Scan(table->store(), after));
  ASSIGN_OR_FAIL(rows_before, Scan(table->store(), before));
  EXPECT_EQ(Ids(*rows), Ids(*rows_before));
  EXPECT_EQ(after.commit_infos.at(after.version).operation, "OPTIMIZE");
  EXPECT_EQ(after.commit_infos.at(after.version).is_blind_append, false);
  EXPECT_EQ(after.commit_infos.at(after.version).read_version, before.version);
  ASSIGN_OR_FAIL(text, table->store().ReadFile(CommitPath(path_, after.version)));
  EXPECT_EQ(text.find("\"dataChange\":true"), std::string::npos) << text;
  for (const auto& f : after.files) {
    if (f.data_change) continue;  // the new, compacted files
    EXPECT_NE(f.partition_values.at("day"), std::nullopt);
  }
  // Nothing left to pack: a second run commits nothing.
  OptimizeOptions huge;
  huge.target_size_bytes = 1;
  ASSIGN_OR_FAIL(none, Optimize(*table, huge));
  EXPECT_FALSE(none.version.has_value());
}

TEST_F(MaintenanceTest, OptimizeThatLostARaceWithAnAppendRetries) {
  auto racing = std::make_shared<RacingStore>(MakeLocalLogStore());
  ASSIGN_OR_FAIL(table, DeltaTable::Create(path_, *EventSchema(), {}, {}, racing));
  for (int b = 0; b < 3; ++b) ASSERT_TRUE(table->Append(*Events(b * 10, 3)).ok());
  racing->before_put = [&](const std::string&) {
    auto other = DeltaTable::Open(path_);
    ASSERT_TRUE(other.ok());
    ASSERT_TRUE((*other)->Append(*Events(100, 3)).ok());
  };
  OptimizeOptions o;
  o.target_size_bytes = 1 << 20;
  ASSIGN_OR_FAIL(result, Optimize(*table, o));
  ASSERT_TRUE(result.version.has_value());
  EXPECT_EQ(*result.version, 5);  // 4 was taken by the append
  ASSIGN_OR_FAIL(snap, table->LoadSnapshot());
  EXPECT_EQ(snap.files.size(), 2u);  // the compacted file + the concurrent append
  ASSIGN_OR_FAIL(rows, Scan(table->store(), snap));
  auto want = Range(0, 3);
  for (auto r : {Range(10, 13), Range(20, 23), Range(100, 103)}) want.insert(want.end(), r.begin(), r.end());
  EXPECT_EQ(Ids(*rows), want);
}

TEST_F(MaintenanceTest, OptimizeThatLostARaceWithAnotherOptimizeConflicts) {
  auto racing = std::make_shared<RacingStore>(MakeLocalLogStore());
  ASSIGN_OR_FAIL(table, DeltaTable::Create(path_, *EventSchema(), {}, {}, racing));
  for (int b = 0; b < 3; ++b) ASSERT_TRUE(table->Append(*Events(b * 10, 3)).ok());
  racing->before_put = [&](const std::string&) {
    auto other = DeltaTable::Open(path_);
    ASSERT_TRUE(other.ok());
    OptimizeOptions o;
    o.target_size_bytes = 1 << 20;
    ASSERT_TRUE(Optimize(**other, o).ok());
  };
  OptimizeOptions o;
  o.target_size_bytes = 1 << 20;
  auto result = Optimize(*table, o);
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(IsCommitConflict(result.status())) << result.status();
  EXPECT_NE(result.status().message().find("already removed"), std::string::npos);
  ASSIGN_OR_FAIL(snap, table->LoadSnapshot());
  EXPECT_EQ(snap.version, 4);  // only the winner committed
  ASSIGN_OR_FAIL(rows, Scan(table->store(), snap));
  EXPECT_EQ(Ids(*rows).size(), 9u);
}

TEST_F(MaintenanceTest, CommitRefusesRemovingAFileThatIsNoLongerLive) {
  ASSIGN_OR_FAIL(table, DeltaTable::Create(path_, *EventSchema(), {}));
  ASSERT_TRUE(table->Append(*Events(0, 3)).ok());
  ASSERT_TRUE(table->Append(*Events(10, 3)).ok());
  ASSIGN_OR_FAIL(snap, table->LoadSnapshot());
  OptimizeOptions o;
  o.target_size_bytes = 1 << 20;
  ASSERT_TRUE(Optimize(*table, o).ok());
  RemoveFile r;
  r.path = snap.files[0].path;
  r.data_change = false;
  CommitOptions c;
  c.operation = "OPTIMIZE";
  auto stale = table->Commit(snap.version, {}, {r}, c);
  EXPECT_TRUE(IsCommitConflict(stale.status())) << stale.status();
}

TEST_F(MaintenanceTest, VacuumHonoursRetentionAndDryRun) {
  ASSIGN_OR_FAIL(table, DeltaTable::Create(path_, *EventSchema(), {"day"}));
  for (int b = 0; b < 3; ++b) ASSERT_TRUE(table->Append(*Events(b * 10, 4)).ok());
  OptimizeOptions o;
  o.target_size_bytes = 1 << 20;
  ASSIGN_OR_FAIL(opt, Optimize(*table, o));
  ASSERT_EQ(opt.files_removed, 6);
  // An orphan (e.g. from a crashed writer) that is old, and a fresh one.
  fs::create_directories(path_ + "/day=d0");
  std::string old_orphan = path_ + "/day=d0/part-orphan-old.parquet";
  std::string new_orphan = path_ + "/day=d0/part-orphan-new.parquet";
  for (const auto& p : {old_orphan, new_orphan}) {
    FILE* f = fopen(p.c_str(), "w");
    fputs("x", f);
    fclose(f);
  }
  auto now = std::chrono::system_clock::now();
  SetMtime(old_orphan, now - hours(24 * 10));
  ASSIGN_OR_FAIL(snap, table->LoadSnapshot());

  VacuumOptions refuse;
  refuse.retain = hours(1);
  auto refused = Vacuum(table->store(), snap, refuse);
  EXPECT_TRUE(refused.status().IsInvalid());
  EXPECT_NE(refused.status().message().find("--force"), std::string::npos);

  VacuumOptions dry;
  dry.dry_run = true;
  ASSIGN_OR_FAIL(listed, Vacuum(table->store(), snap, dry));
  EXPECT_EQ(listed.files, std::vector<std::string>{"day=d0/part-orphan-old.parquet"});
  EXPECT_TRUE(fs::exists(old_orphan));

  ASSIGN_OR_FAIL(done, Vacuum(table->store(), snap));
  EXPECT_EQ(done.files.size(), 1u);
  EXPECT_FALSE(fs::exists(old_orphan));
  EXPECT_TRUE(fs::exists(new_orphan));
  // Time travel to before the optimize still works: its files are tombstones in retention.
  ASSIGN_OR_FAIL(v3, table->LoadSnapshot(3));
  ASSIGN_OR_FAIL(old_rows, Scan(table->store(), v3));
  EXPECT_EQ(Ids(*old_rows).size(), 12u);

  // With --force and zero retention, the removed files go too; the latest stays readable.
  VacuumOptions force;
  force.retain = hours(0);
  force.force = true;
  force.now = now + hours(1);
  ASSIGN_OR_FAIL(forced, Vacuum(table->store(), snap, force));
  EXPECT_EQ(forced.files.size(), 7u);  // 6 compacted-away files + the new orphan
  ASSIGN_OR_FAIL(latest, Scan(table->store(), snap));
  EXPECT_EQ(Ids(*latest).size(), 12u);
  for (const auto& f : snap.files) EXPECT_TRUE(fs::exists(path_ + "/" + f.path)) << f.path;
}

TEST_F(MaintenanceTest, LogCleanupDeletesOnlyExpiredCommitsCoveredByACheckpoint) {
  ASSIGN_OR_FAIL(table, DeltaTable::Create(path_, *EventSchema(), {},
                                           {{"delta.checkpointInterval", "2"},
                                            {"delta.enableExpiredLogCleanup", "false"}}));
  for (int b = 0; b < 5; ++b) ASSERT_TRUE(table->Append(*Events(b * 10, 2)).ok());
  // Checkpoints at 2 and 4; commits 0..3 are 40 days old, 4..5 fresh.
  auto old = std::chrono::system_clock::now() - hours(24 * 40);
  for (int v = 0; v <= 3; ++v) SetMtime(CommitPath(path_, v), old);
  ASSIGN_OR_FAIL(snap, table->LoadSnapshot());
  ASSIGN_OR_FAIL(deleted, CleanupExpiredLogs(table->store(), snap));
  // Boundary = checkpoint 2 (commit 4 is not expired): commits 0, 1 go.
  EXPECT_EQ(deleted, 2);
  EXPECT_FALSE(fs::exists(CommitPath(path_, 0)));
  EXPECT_FALSE(fs::exists(CommitPath(path_, 1)));
  EXPECT_TRUE(fs::exists(CommitPath(path_, 2)));
  ASSIGN_OR_FAIL(reread, LoadSnapshot(table->store(), path_));
  EXPECT_EQ(reread.version, 5);
  ASSIGN_OR_FAIL(rows, Scan(table->store(), reread));
  EXPECT_EQ(Ids(*rows).size(), 10u);
  ASSIGN_OR_FAIL(at2, LoadSnapshot(table->store(), path_, 2));
  EXPECT_EQ(at2.version, 2);
  EXPECT_FALSE(LoadSnapshot(table->store(), path_, 1).ok());
}

TEST_F(MaintenanceTest, RangeFilterSkipsFilesByStatsAndPartitions) {
  ASSIGN_OR_FAIL(table, DeltaTable::Create(path_, *EventSchema(), {"day"}));
  // Four appends, each one day (24 ids = 24 hours) of events, in two partitions.
  for (int b = 0; b < 4; ++b) ASSERT_TRUE(table->Append(*Events(b * 24, 24)).ok());
  ASSIGN_OR_FAIL(snap, table->LoadSnapshot());
  ASSERT_EQ(snap.files.size(), 8u);
  // 2024-05-02 00:00 .. 2024-05-02 23:00 = ids 24..47: only the second append's files.
  std::vector<ColumnRange> day2 = {{"ts", "2024-05-02 00:00:00", "2024-05-02T23:00:00Z"}};
  ASSIGN_OR_FAIL(kept, PruneFiles(snap, day2));
  EXPECT_EQ(kept.size(), 2u);
  ScanOptions options;
  options.ranges = day2;
  ASSIGN_OR_FAIL(rows, Scan(table->store(), snap, options));
  EXPECT_EQ(Ids(*rows), Range(24, 48));
  // Mid-file bounds filter rows, not just files.
  options.ranges = {{"ts", "2024-05-02 05:00:00", "2024-05-02 06:30:00"}};
  ASSIGN_OR_FAIL(narrow, Scan(table->store(), snap, options));
  EXPECT_EQ(Ids(*narrow), Range(29, 31));
  // Partition pruning plus a stats range on another column.
  std::vector<ColumnRange> both = {{"day", "d1", "d1"}, {"id", std::nullopt, "30"}};
  ASSIGN_OR_FAIL(kept2, PruneFiles(snap, both));
  EXPECT_EQ(kept2.size(), 2u);
  options.ranges = both;
  options.columns = {"id"};
  ASSIGN_OR_FAIL(odd, Scan(table->store(), snap, options));
  EXPECT_EQ(odd->num_columns(), 1);
  std::vector<int64_t> want;
  for (int64_t i = 1; i <= 30; i += 2) want.push_back(i);
  EXPECT_EQ(Ids(*odd), want);
  // Bad filters are errors, not crashes.
  EXPECT_TRUE(PruneFiles(snap, {{"nope", "1", {}}}).status().IsKeyError());
  EXPECT_TRUE(PruneFiles(snap, {{"ts", "yesterday", {}}}).status().IsInvalid());
}

TEST_F(MaintenanceTest, NullPartitionIsNeverInARange) {
  auto schema = arrow::schema({arrow::field("v", arrow::int32()), arrow::field("p", arrow::int64())});
  ASSIGN_OR_FAIL(table, DeltaTable::Create(path_, *schema, {"p"}));
  arrow::Int32Builder v;
  arrow::Int64Builder p;
  ASSERT_TRUE(v.AppendValues({1, 2, 3}).ok());
  ASSERT_TRUE(p.Append(5).ok());
  ASSERT_TRUE(p.AppendNull().ok());
  ASSERT_TRUE(p.Append(7).ok());
  auto data = arrow::Table::Make(schema, {v.Finish().ValueOrDie(), p.Finish().ValueOrDie()});
  ASSERT_TRUE(table->Append(*data).ok());
  ASSIGN_OR_FAIL(snap, table->LoadSnapshot());
  ASSIGN_OR_FAIL(kept, PruneFiles(snap, {{"p", "0", "6"}}));
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].partition_values.at("p"), "5");
}

TEST(TableUriTest, ParsesPathsFileAndS3) {
  ASSIGN_OR_FAIL(plain, ParseTableUri("/tmp/a/../b/"));
  EXPECT_EQ(plain.scheme, "file");
  EXPECT_EQ(plain.root, "/tmp/b");
  ASSIGN_OR_FAIL(file, ParseTableUri("file:///tmp/x%20y"));
  EXPECT_EQ(file.root, "/tmp/x y");
  ASSIGN_OR_FAIL(s3, ParseTableUri("s3://bucket/lake/posts/?endpoint=http%3A%2F%2F127.0.0.1%3A9000&region=us-east-1"));
  EXPECT_EQ(s3.scheme, "s3");
  EXPECT_EQ(s3.root, "bucket/lake/posts");
  EXPECT_EQ(s3.options.at("endpoint"), "http://127.0.0.1:9000");
  EXPECT_EQ(s3.options.at("region"), "us-east-1");
  EXPECT_TRUE(ParseTableUri("").status().IsInvalid());
  EXPECT_TRUE(ParseTableUri("file://host/x").status().IsInvalid());
  EXPECT_TRUE(ParseTableUri("s3:///x").status().IsInvalid());
  EXPECT_TRUE(ParseTableUri("gs://b/x").status().IsInvalid());
  // A bad option fails the same way whatever credentials the machine has.
  EXPECT_TRUE(ResolveTableUri("s3://b/x?bogus=1").status().IsInvalid());
}

TEST(TablePropertiesTest, ParsesIntervalsAndDefaults) {
  Metadata m;
  ASSIGN_OR_FAIL(d, TableProperties::FromMetadata(m));
  EXPECT_EQ(d.checkpoint_interval, 10);
  EXPECT_EQ(d.deleted_file_retention, hours(168));
  EXPECT_EQ(d.log_retention, hours(24 * 30));
  EXPECT_EQ(*ParseDeltaInterval("interval 1 week"), hours(168));
  EXPECT_EQ(*ParseDeltaInterval("INTERVAL 2 HOURS"), hours(2));
  EXPECT_EQ(*ParseDeltaInterval("30 days"), hours(720));
  EXPECT_TRUE(ParseDeltaInterval("interval x days").status().IsInvalid());
  EXPECT_TRUE(ParseDeltaInterval("interval 3 fortnights").status().IsInvalid());
  m.configuration = {{"delta.checkpointInterval", "0"}};
  EXPECT_TRUE(TableProperties::FromMetadata(m).status().IsInvalid());
  m.configuration = {{"delta.appendOnly", "maybe"}};
  EXPECT_TRUE(TableProperties::FromMetadata(m).status().IsInvalid());
}

}  // namespace
}  // namespace hashlake::lake
