#include "hashlake/stream/checkpoint.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "hashlake/core/test_util.h"

namespace hashlake::stream {
namespace {

namespace fs = std::filesystem;

fs::path TempDir(const std::string& name) {
  auto dir = fs::temp_directory_path() / ("hashlake-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

TEST(CheckpointDirTest, PlansStatesAndCommitsRoundTrip) {
  const auto dir = TempDir("checkpoint");
  ASSERT_OK_AND_ASSIGN(auto checkpoint, CheckpointDir::Open(dir));
  ASSERT_OK_AND_ASSIGN(auto none, checkpoint.LatestPlan());
  EXPECT_FALSE(none.has_value());

  BatchPlan plan{7, {{bus::PartitionId{0}, bus::Offset{10}}},
                 {{bus::PartitionId{0}, bus::Offset{15}}, {bus::PartitionId{3}, bus::Offset{2}}},
                 true,
                 {{bus::PartitionId{0}, 7}, {bus::PartitionId{3}, 2}}};
  ASSERT_OK(checkpoint.WritePlan(BatchPlan{6, {}, {}, false, {}}));
  ASSERT_OK(checkpoint.WritePlan(plan));
  ASSERT_OK(checkpoint.WriteState(7, "{\"s\":1}"));
  ASSERT_OK_AND_ASSIGN(auto latest, checkpoint.LatestPlan());
  ASSERT_TRUE(latest.has_value());
  EXPECT_EQ(latest->batch_id, 7);
  EXPECT_EQ(latest->from, plan.from);
  EXPECT_EQ(latest->to, plan.to);
  EXPECT_TRUE(latest->close_all);
  EXPECT_EQ(latest->members, plan.members);
  EXPECT_TRUE(checkpoint.HasPlan(6));
  ASSERT_OK(checkpoint.DropPlan(6));
  EXPECT_FALSE(checkpoint.HasPlan(6));
  EXPECT_FALSE(checkpoint.IsCommitted(7));
  ASSERT_OK(checkpoint.WriteCommit(7));
  EXPECT_TRUE(checkpoint.IsCommitted(7));
  ASSERT_OK_AND_ASSIGN(auto state, checkpoint.ReadState(7));
  EXPECT_EQ(state, std::optional<std::string>("{\"s\":1}"));

  // A temporary left by a crash mid-write is not mistaken for a plan.
  { std::ofstream(dir / "offsets" / "00000000000000000099.tmp.1") << "{"; }
  ASSERT_OK_AND_ASSIGN(latest, checkpoint.LatestPlan());
  EXPECT_EQ(latest->batch_id, 7);

  ASSERT_OK(checkpoint.Prune(7));
  EXPECT_FALSE(fs::exists(dir / "offsets" / "00000000000000000006"));
  EXPECT_TRUE(fs::exists(dir / "offsets" / "00000000000000000007"));
  fs::remove_all(dir);
}

TEST(CheckpointDirTest, OffsetsJson) {
  bus::OffsetMap offsets{{bus::PartitionId{1}, bus::Offset{5}}, {bus::PartitionId{2}, bus::Offset{0}}};
  ASSERT_OK_AND_ASSIGN(auto back, OffsetsFromJson(OffsetsToJson(offsets)));
  EXPECT_EQ(back, offsets);
  EXPECT_FALSE(OffsetsFromJson("{\"x\":1}").ok());
}

}  // namespace
}  // namespace hashlake::stream
