#include "hashlake/lake/actions.h"

#include <gtest/gtest.h>

namespace hashlake::lake {
namespace {

TEST(ActionsTest, CommitRoundTripsThroughJson) {
  AddFile add;
  add.path = "date=2024-05-01/part-00000-x.zstd.parquet";
  add.partition_values = {{"date", "2024-05-01"}, {"src", std::nullopt}};
  add.size = 1234;
  add.modification_time_ms = 1714521600000;
  add.stats = R"({"numRecords":3})";
  CommitInfo info;
  info.timestamp_ms = 17;
  info.operation = "WRITE";
  info.operation_parameters = {{"mode", "\"Append\""}};
  info.engine_info = "hashlake/0.1.0";
  info.read_version = 4;
  info.extra = {{"hashlake", R"({"offsets":{"0":[1,2]}})"}};
  std::vector<Action> actions = {info, Protocol{1, 2, {}, {}}, Txn{"job", 7, 99}, add,
                                 RemoveFile{"old.parquet", 5, true, true, {}, 10, {}}};
  std::string text;
  for (const auto& a : actions) {
    auto line = ActionToJson(a);
    ASSERT_TRUE(line.ok()) << line.status();
    text += *line + "\n";
  }
  text += R"({"cdc":{"path":"_change_data/x.parquet","size":1}})" "\n";
  auto parsed = ParseCommitFile(text, "test");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->size(), 5u);  // the unknown cdc action is skipped
  const auto& ci = std::get<CommitInfo>((*parsed)[0]);
  EXPECT_EQ(ci.timestamp_ms, 17);
  EXPECT_EQ(ci.operation_parameters.at("mode"), "\"Append\"");
  EXPECT_EQ(ci.extra.at("hashlake"), R"({"offsets":{"0":[1,2]}})");
  EXPECT_EQ(ci.read_version, 4);
  const auto& t = std::get<Txn>((*parsed)[2]);
  EXPECT_EQ(t.app_id, "job");
  EXPECT_EQ(t.version, 7);
  EXPECT_EQ(t.last_updated_ms, 99);
  const auto& a = std::get<AddFile>((*parsed)[3]);
  EXPECT_EQ(a.path, add.path);
  EXPECT_EQ(a.partition_values, add.partition_values);
  EXPECT_EQ(a.stats, add.stats);
  EXPECT_EQ(a.size, 1234);
  const auto& r = std::get<RemoveFile>((*parsed)[4]);
  EXPECT_EQ(r.deletion_timestamp_ms, 5);
  EXPECT_EQ(r.size, 10);
}

TEST(ActionsTest, InvalidExtraJsonIsRejected) {
  CommitInfo info;
  info.extra = {{"hashlake", "{not json"}};
  EXPECT_FALSE(ActionToJson(info).ok());
}

TEST(ActionsTest, MalformedLinesNameTheFileAndLine) {
  auto bad = ParseCommitFile("{\"add\":{\"path\":\"a\"}}\n{oops\n", "00.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("00.json line 2"), std::string::npos);
  auto wrong_type = ParseCommitFile(R"({"add":{"path":"a","size":"big"}})", "f");
  EXPECT_FALSE(wrong_type.ok());
}

TEST(ActionsTest, TimestampsFormatAndParse) {
  EXPECT_EQ(FormatUtcTimestamp(0, 3), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatUtcTimestamp(-1, 6), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(FormatUtcTimestamp(253402214400000000LL, 3), "9999-12-31T00:00:00.000Z");
  EXPECT_EQ(*ParseUtcTimestamp("2020-01-01 08:09:10.001"), 1577866150001000LL);
  EXPECT_EQ(*ParseUtcTimestamp("2020-01-01T08:09:10.001Z"), 1577866150001000LL);
  EXPECT_EQ(*ParseUtcTimestamp("2020-01-01T10:09:10.001+02:00"), 1577866150001000LL);
  EXPECT_EQ(*ParseUtcTimestamp("2020-01-01"), 1577836800000000LL);
  EXPECT_FALSE(ParseUtcTimestamp("2020-13-01").ok());
  EXPECT_FALSE(ParseUtcTimestamp("2020-01-01 8:00").ok());
  EXPECT_EQ(FormatDate(19844), "2024-05-01");
  EXPECT_EQ(*ParseDate("2024-05-01"), 19844);
}

}  // namespace
}  // namespace hashlake::lake
