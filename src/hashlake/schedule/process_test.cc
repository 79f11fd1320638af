#include "hashlake/schedule/process.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <thread>

#include "hashlake/core/test_util.h"
#include "hashlake/schedule/scheduler.h"

namespace hashlake::schedule {
namespace {

ExitStatus WaitFor(Process& p, std::string* output, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    *output += p.ReadOutput();
    if (auto status = p.Poll()) {
      *output += p.ReadOutput();
      return *status;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ADD_FAILURE() << "process did not exit";
  return ExitStatus{-1, 0};
}

TEST(PosixProcessTest, CapturesOutputExitCodeAndEnvironment) {
  PosixProcessRunner runner;
  ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", "echo out; echo err >&2; echo $HL_X; exit 7"};
  spec.env = {{"HL_X", "value"}};
  spec.cwd = "/";
  ASSERT_OK_AND_ASSIGN(auto p, runner.Start(spec));
  std::string output;
  const ExitStatus status = WaitFor(*p, &output, std::chrono::seconds{10});
  EXPECT_EQ(status.exit_code, 7);
  EXPECT_EQ(status.signal, 0);
  EXPECT_EQ(output, "out\nerr\nvalue\n");
}

TEST(PosixProcessTest, MissingProgramExits127WithAMessage) {
  PosixProcessRunner runner;
  ASSERT_OK_AND_ASSIGN(auto p, runner.Start(ProcessSpec{{"/no/such/program"}, {}, {}}));
  std::string output;
  EXPECT_EQ(WaitFor(*p, &output, std::chrono::seconds{10}).exit_code, 127);
  EXPECT_NE(output.find("cannot execute"), std::string::npos);
}

TEST(PosixProcessTest, SignalReachesTheWholeProcessGroup) {
  PosixProcessRunner runner;
  // The shell waits on a child sleep: SIGTERM to the group ends both at once.
  ASSERT_OK_AND_ASSIGN(auto p,
                       runner.Start(ProcessSpec{{"/bin/sh", "-c", "sleep 30; true"}, {}, {}}));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(p->Poll().has_value());
  const auto start = std::chrono::steady_clock::now();
  p->Signal(SIGTERM);
  std::string output;
  const ExitStatus status = WaitFor(*p, &output, std::chrono::seconds{10});
  EXPECT_EQ(status.signal, SIGTERM);
  EXPECT_EQ(status.exit_code, 128 + SIGTERM);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds{5});
}

// The scheduler with a real child: the timeout kills it, on the real clock.
TEST(PosixProcessTest, SchedulerTimeoutKillsARealChild) {
  const auto dir = std::filesystem::temp_directory_path() / "hashlake_real_timeout";
  std::filesystem::remove_all(dir);
  LoadOptions load;
  auto pipeline = ParsePipeline(R"(
[pipeline]
data_dir = ")" + dir.string() + R"("
[jobs.sleepy]
shell = "echo started; exec sleep 60"
interval = "1s"
timeout = "1s"
kill_grace = "1s"
)",
                                "t.toml", load);
  ASSERT_OK(pipeline.status());
  PosixProcessRunner runner;
  ASSERT_OK_AND_ASSIGN(auto scheduler, Scheduler::Make(*pipeline, SystemClock::Instance(), runner));
  ASSERT_OK(scheduler->Start());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{15};
  std::vector<RunRecord> runs;
  while (std::chrono::steady_clock::now() < deadline) {
    ASSERT_OK(scheduler->Tick());
    ASSERT_OK_AND_ASSIGN(runs, ReadRunHistory(HistoryPath(dir)));
    if (!runs.empty() && runs[0].finished()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_FALSE(runs.empty());
  EXPECT_EQ(runs[0].outcome, "timeout");
  EXPECT_EQ(runs[0].signal, SIGTERM);
  EXPECT_EQ(runs[0].log_tail, "started\n");
  const auto took = *runs[0].end - *runs[0].start;
  EXPECT_GE(took, std::chrono::seconds{1});
  EXPECT_LT(took, std::chrono::seconds{5});
  scheduler->RequestStop();
  while (!scheduler->Stopped()) {
    ASSERT_OK(scheduler->Tick());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace hashlake::schedule
