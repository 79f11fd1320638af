// Reads the real Spark / Databricks / delta-rs tables in /work/shared/data/delta/tables
// (see INDEX.md there for their provenance and the expected row counts).
#include <filesystem>
#include <set>

#include <arrow/api.h>
#include <gtest/gtest.h>

#include "hashlake/lake/delta_table.h"
#include "hashlake/lake/scan.h"

namespace hashlake::lake {
namespace {

namespace fs = std::filesystem;

std::string TablesDir() { return std::string(HASHLAKE_SHARED_DATA) + "/delta/tables"; }

#define SKIP_WITHOUT_DATA()                                                         \
  if (!fs::is_directory(TablesDir())) {                                             \
    GTEST_SKIP() << "shared test data not found at " << TablesDir()                 \
                 << " (the Delta tables from INDEX.md); skipping";                  \
  }

struct GoldenCase {
  const char* name;      // directory under tables/ (the table root may be <name>/delta)
  int64_t rows;          // live rows per INDEX.md
  int64_t min_version;   // latest version per INDEX.md
};

std::string RootOf(const std::string& name) {
  std::string root = TablesDir() + "/" + name;
  if (fs::is_directory(root + "/delta/_delta_log")) root += "/delta";
  return root;
}

class GoldenTableTest : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenTableTest, ReadsTheRowCountFromIndex) {
  SKIP_WITHOUT_DATA();
  const auto& c = GetParam();
  auto table = DeltaTable::Open(RootOf(c.name));
  ASSERT_TRUE(table.ok()) << table.status();
  auto snapshot = (*table)->LoadSnapshot();
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  EXPECT_EQ(snapshot->version, c.min_version);
  auto data = Scan((*table)->store(), *snapshot);
  ASSERT_TRUE(data.ok()) << data.status();
  EXPECT_EQ((*data)->num_rows(), c.rows);
  EXPECT_TRUE((*data)->schema()->Equals(*snapshot->schema));
  EXPECT_TRUE((*data)->ValidateFull().ok());
  auto info = Describe((*table)->store(), *snapshot);
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->num_rows, c.rows);
  EXPECT_EQ(info->num_files, static_cast<int64_t>(snapshot->files.size()));
  auto limited = Scan((*table)->store(), *snapshot, ScanOptions{1, {}, {}});
  ASSERT_TRUE(limited.ok()) << limited.status();
  EXPECT_EQ((*limited)->num_rows(), std::min<int64_t>(1, c.rows));
}

INSTANTIATE_TEST_SUITE_P(
    SharedTables, GoldenTableTest,
    ::testing::Values(GoldenCase{"simple_table", 3, 4}, GoldenCase{"delta-0.8.0", 4, 1},
                      GoldenCase{"delta-0.8.0-partitioned", 7, 0},
                      GoldenCase{"delta-2.2.0-partitioned-types", 3, 0},
                      GoldenCase{"basic_partitioned", 6, 1}, GoldenCase{"delta-0.2.0", 6, 3},
                      GoldenCase{"app-txn-checkpoint", 22, 1},
                      GoldenCase{"simple_table_with_checkpoint", 11, 10},
                      GoldenCase{"multi-part-checkpoint", 31, 1},
                      GoldenCase{"python-0.25.5-checkpoint", 6, 1},
                      GoldenCase{"data-reader-primitives", 11, 0},
                      GoldenCase{"time-travel-schema-changes-b", 20, 1},
                      GoldenCase{"kernel-timestamp-int96", 5, 0},
                      GoldenCase{"decimal-various-scale-precision", 3, 0},
                      GoldenCase{"table_with_edge_timestamps", 2, 0},
                      GoldenCase{"delta-1.2.1-only-struct-stats", 12, 12}),
    [](const ::testing::TestParamInfo<GoldenCase>& info) {
      std::string n = info.param.name;
      for (char& ch : n) {
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      }
      return n;
    });

TEST(GoldenTablesTest, SimpleTableLiveIds) {
  SKIP_WITHOUT_DATA();
  auto table = DeltaTable::Open(RootOf("simple_table"));
  ASSERT_TRUE(table.ok()) << table.status();
  auto snapshot = (*table)->LoadSnapshot();
  ASSERT_TRUE(snapshot.ok());
  auto data = Scan((*table)->store(), *snapshot);
  ASSERT_TRUE(data.ok());
  std::set<int64_t> ids;
  for (const auto& chunk : (*data)->GetColumnByName("id")->chunks()) {
    const auto& a = static_cast<const arrow::Int64Array&>(*chunk);
    for (int64_t i = 0; i < a.length(); ++i) ids.insert(a.Value(i));
  }
  EXPECT_EQ(ids, (std::set<int64_t>{5, 7, 9}));
}

TEST(GoldenTablesTest, BasicPartitionedRebuildsNullPartition) {
  SKIP_WITHOUT_DATA();
  auto table = DeltaTable::Open(RootOf("basic_partitioned"));
  ASSERT_TRUE(table.ok()) << table.status();
  auto snapshot = (*table)->LoadSnapshot();
  ASSERT_TRUE(snapshot.ok());
  auto data = Scan((*table)->store(), *snapshot);
  ASSERT_TRUE(data.ok());
  auto combined = (*data)->CombineChunksToBatch().ValueOrDie();
  const auto& letter = static_cast<const arrow::StringArray&>(*combined->GetColumnByName("letter"));
  const auto& number = static_cast<const arrow::Int64Array&>(*combined->GetColumnByName("number"));
  std::map<int64_t, std::optional<std::string>> by_number;
  for (int64_t i = 0; i < combined->num_rows(); ++i) {
    by_number[number.Value(i)] =
        letter.IsNull(i) ? std::nullopt : std::optional<std::string>(letter.GetString(i));
  }
  std::map<int64_t, std::optional<std::string>> expected = {
      {1, "a"}, {2, "b"}, {3, "c"}, {4, "a"}, {5, "e"}, {6, std::nullopt}};
  EXPECT_EQ(by_number, expected);
}

TEST(GoldenTablesTest, AppTxnVersionsComeFromTheCheckpoint) {
  SKIP_WITHOUT_DATA();
  auto table = DeltaTable::Open(RootOf("app-txn-checkpoint"));
  ASSERT_TRUE(table.ok()) << table.status();
  auto snapshot = (*table)->LoadSnapshot();
  ASSERT_TRUE(snapshot.ok());
  EXPECT_EQ(snapshot->checkpoint_version, 1);
  EXPECT_EQ(LatestTxnVersion(*snapshot, "my-app"), 3);
  EXPECT_EQ(LatestTxnVersion(*snapshot, "my-app2"), 2);
}

TEST(GoldenTablesTest, StreamingTxnAndCheckpointOfOldSpark) {
  SKIP_WITHOUT_DATA();
  auto table = DeltaTable::Open(RootOf("delta-0.2.0"));
  ASSERT_TRUE(table.ok()) << table.status();
  auto snapshot = (*table)->LoadSnapshot();
  ASSERT_TRUE(snapshot.ok());
  EXPECT_EQ(snapshot->checkpoint_version, 3);
  EXPECT_EQ(snapshot->txns.size(), 1u);
  // Time travel before the checkpoint replays JSON only.
  auto v1 = (*table)->LoadSnapshot(1);
  ASSERT_TRUE(v1.ok()) << v1.status();
  EXPECT_EQ(v1->checkpoint_version, std::nullopt);
  EXPECT_TRUE(v1->commit_infos.count(1));
}

TEST(GoldenTablesTest, SchemaChangeMidLogIsFollowed) {
  SKIP_WITHOUT_DATA();
  auto table = DeltaTable::Open(RootOf("time-travel-schema-changes-b"));
  ASSERT_TRUE(table.ok()) << table.status();
  auto v0 = (*table)->LoadSnapshot(0);
  ASSERT_TRUE(v0.ok());
  EXPECT_EQ(v0->schema->num_fields(), 1);
  auto latest = (*table)->LoadSnapshot();
  ASSERT_TRUE(latest.ok());
  ASSERT_EQ(latest->schema->num_fields(), 2);
  auto data = Scan((*table)->store(), *latest);
  ASSERT_TRUE(data.ok()) << data.status();
  // Rows written before `part` existed read it as null.
  EXPECT_GT((*data)->GetColumnByName("part")->null_count(), 0);
}

TEST(GoldenTablesTest, TimestampPartitionsDecodeFromEscapedPaths) {
  SKIP_WITHOUT_DATA();
  auto table = DeltaTable::Open(RootOf("kernel-timestamp-int96"));
  ASSERT_TRUE(table.ok()) << table.status();
  auto snapshot = (*table)->LoadSnapshot();
  ASSERT_TRUE(snapshot.ok());
  auto data = Scan((*table)->store(), *snapshot);
  ASSERT_TRUE(data.ok()) << data.status();
  auto part = (*data)->GetColumnByName("part");
  EXPECT_TRUE(part->type()->Equals(arrow::timestamp(arrow::TimeUnit::MICRO, "UTC")));
  EXPECT_EQ(part->null_count(), 1);
}

void ExpectRefused(const std::string& name, const std::string& feature) {
  auto table = DeltaTable::Open(RootOf(name));
  ASSERT_FALSE(table.ok()) << name << " should be refused";
  EXPECT_TRUE(table.status().IsNotImplemented()) << table.status();
  EXPECT_NE(table.status().message().find(feature), std::string::npos) << table.status();
}

TEST(GoldenTablesTest, RefusesReaderFeaturesItLacks) {
  SKIP_WITHOUT_DATA();
  ExpectRefused("table-with-dv-small", "deletionVectors");
  ExpectRefused("table_with_column_mapping", "columnMapping");
  ExpectRefused("checkpoint-v2-table", "v2Checkpoint");
  ExpectRefused("compacted-log-files-table", "deletionVectors");
}

}  // namespace
}  // namespace hashlake::lake
