#include "hashlake/schedule/run_history.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "hashlake/core/test_util.h"

namespace hashlake::schedule {
namespace {

RunRecord Sample(const std::string& id, const std::string& outcome) {
  RunRecord r;
  r.run_id = id;
  r.job = "sweep";
  r.task_id = "sweep__k_5";
  r.flow = "sweep";
  r.logical_time = ParseRfc3339("2024-05-01T03:00:00Z").ValueOrDie();
  r.grid_index = 1;
  r.attempt = 2;
  r.params = {{"k", "5"}, {"note", "a \"quoted\"\nline"}};
  r.argv = {"hashlake", "lda", "sweep"};
  r.start = r.logical_time;
  r.outcome = outcome;
  if (outcome != "running") {
    r.end = r.logical_time + std::chrono::seconds{90};
    r.exit_code = 0;
    r.log_tail = "done\n\xff";  // invalid UTF-8 is replaced, never breaks the line
    r.metrics = {"{\"k\":5,\"coherence\":[-1.2,-0.9]}"};
  }
  return r;
}

TEST(RunHistoryTest, RoundTripsEveryField) {
  const RunRecord r = Sample("sweep-1", "success");
  ASSERT_OK_AND_ASSIGN(auto back, ParseRunRecord(RunRecordToJson(r)));
  EXPECT_EQ(back.run_id, r.run_id);
  EXPECT_EQ(back.task_id, r.task_id);
  EXPECT_EQ(back.logical_time, r.logical_time);
  EXPECT_EQ(back.grid_index, 1);
  EXPECT_EQ(back.attempt, 2);
  EXPECT_EQ(back.params, r.params);
  EXPECT_EQ(back.argv, r.argv);
  EXPECT_EQ(back.end, r.end);
  EXPECT_EQ(back.exit_code, 0);
  EXPECT_EQ(back.log_tail, "done\n\xef\xbf\xbd");
  EXPECT_EQ(back.metrics, r.metrics);
}

TEST(RunHistoryTest, LastLineOfARunWinsAndTornLinesAreSkipped) {
  const auto path = std::filesystem::temp_directory_path() / "hashlake_history_test" / "h.jsonl";
  std::filesystem::remove_all(path.parent_path());
  {
    ASSERT_OK_AND_ASSIGN(auto history, RunHistory::Open(path));
    ASSERT_OK(history->Append(Sample("a", "running")));
    ASSERT_OK(history->Append(Sample("b", "running")));
    ASSERT_OK(history->Append(Sample("a", "success")));
  }
  {
    std::ofstream torn(path, std::ios::app);
    torn << "{\"run_id\":\"c\",\"jo";  // a crash mid-append
  }
  {
    ASSERT_OK_AND_ASSIGN(auto history, RunHistory::Open(path));  // ends the torn line
    ASSERT_OK(history->Append(Sample("d", "success")));
    ASSERT_OK_AND_ASSIGN(auto runs, history->Load());
    ASSERT_EQ(runs.size(), 3u);
    EXPECT_EQ(runs[0].run_id, "a");
    EXPECT_EQ(runs[0].outcome, "success");
    EXPECT_EQ(runs[1].outcome, "running");
    EXPECT_EQ(runs[2].run_id, "d");
  }
  std::filesystem::remove_all(path.parent_path());
}

TEST(RunHistoryTest, MissingFileIsEmpty) {
  ASSERT_OK_AND_ASSIGN(auto runs, ReadRunHistory("/nonexistent/hashlake/history.jsonl"));
  EXPECT_TRUE(runs.empty());
}

TEST(RunHistoryTest, RejectsLinesWithoutTheRequiredFields) {
  ASSERT_FALSE(ParseRunRecord("{\"job\":\"x\"}").ok());
  ASSERT_FALSE(ParseRunRecord("not json").ok());
}

}  // namespace
}  // namespace hashlake::schedule
