#include "hashlake/schedule/scheduler.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <simdjson.h>

#include <filesystem>
#include <fstream>

#include "hashlake/core/test_util.h"
#include "hashlake/schedule/fake_process.h"

namespace hashlake::schedule {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using testing::FakeBehavior;
using testing::FakeProcessRunner;
using testing::Runs;

Timestamp T(const char* text) { return ParseRfc3339(text).ValueOrDie(); }

std::string Job(const ProcessSpec& spec) {
  auto it = spec.env.find("HASHLAKE_JOB");
  return it == spec.env.end() ? spec.argv.back() : it->second;
}

class SchedulerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("hashlake_sched_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  Pipeline Parse(const std::string& body) {
    const std::string text =
        "[pipeline]\ndata_dir = \"" + dir_.string() + "\"\n" + "stop_grace = \"10s\"\n" + body;
    LoadOptions options;
    options.check_programs = false;
    auto pipeline = ParsePipeline(text, "test.toml", options);
    EXPECT_TRUE(pipeline.ok()) << pipeline.status().ToString();
    return pipeline.ok() ? *pipeline : Pipeline{};
  }

  std::unique_ptr<Scheduler> MakeScheduler(const std::string& body) {
    SchedulerOptions options;
    options.hashlake_binary = "/opt/hashlake";
    auto scheduler = Scheduler::Make(Parse(body), clock_, runner_, options);
    EXPECT_TRUE(scheduler.ok());
    return std::move(*scheduler);
  }

  // Moves the clock forward in steps, ticking after each.
  void Advance(Scheduler& s, Micros total, Micros step = seconds{1}) {
    for (Micros done{0}; done < total; done += step) {
      clock_.Advance(step);
      ASSERT_OK(s.Tick());
    }
  }

  std::vector<RunRecord> History() {
    auto runs = ReadRunHistory(HistoryPath(dir_));
    EXPECT_TRUE(runs.ok());
    return runs.ok() ? *runs : std::vector<RunRecord>{};
  }

  std::vector<std::string> StartsOf(const std::string& job) {
    std::vector<std::string> out;
    for (const auto& s : runner_.starts()) {
      if (Job(s->spec) == job) out.push_back(FormatRfc3339(s->at).substr(11, 8));
    }
    return out;
  }

  std::filesystem::path dir_;
  ManualClock clock_{T("2024-05-01T12:00:00Z")};
  std::function<FakeBehavior(const ProcessSpec&)> behave_ = [](const ProcessSpec&) {
    return Runs(seconds{1}, 0, "ok\n");
  };
  FakeProcessRunner runner_{clock_, [this](const ProcessSpec& s) { return behave_(s); }};
};

TEST_F(SchedulerTest, RunsAJobOnItsCronTickAndRecordsIt) {
  behave_ = [](const ProcessSpec&) {
    return Runs(seconds{3}, 0, "optimized 3 files\nHASHLAKE_METRICS {\"files\": 3}\n");
  };
  auto s = MakeScheduler(R"(
[jobs.optimize]
command = ["hashlake", "lake", "optimize", "{data_dir}/lake/posts"]
schedule = "*/5 * * * *"
)");
  ASSERT_OK(s->Start());
  Advance(*s, minutes{4} + seconds{59});
  EXPECT_TRUE(runner_.starts().empty());
  Advance(*s, seconds{1});
  ASSERT_EQ(runner_.starts().size(), 1u);
  const ProcessSpec& spec = runner_.starts()[0]->spec;
  EXPECT_EQ(spec.argv[0], "/opt/hashlake");  // "hashlake" means this binary
  EXPECT_EQ(spec.argv[3], dir_.string() + "/lake/posts");
  EXPECT_EQ(spec.env.at("HASHLAKE_LOGICAL_TIME"), "2024-05-01T12:05:00.000000Z");
  Advance(*s, seconds{3});
  auto runs = History();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].outcome, "success");
  EXPECT_EQ(runs[0].exit_code, 0);
  EXPECT_EQ(FormatRfc3339(*runs[0].start), "2024-05-01T12:05:00.000000Z");
  EXPECT_EQ(FormatRfc3339(*runs[0].end), "2024-05-01T12:05:03.000000Z");
  EXPECT_NE(runs[0].log_tail.find("optimized 3 files"), std::string::npos);
  ASSERT_EQ(runs[0].metrics.size(), 1u);
  EXPECT_EQ(runs[0].metrics[0], "{\"files\":3}");
  std::ifstream log(runs[0].log_path);
  std::string first_line;
  std::getline(log, first_line);
  EXPECT_EQ(first_line, "optimized 3 files");
}

TEST_F(SchedulerTest, RetriesWithExponentialBackoffThenFails) {
  behave_ = [](const ProcessSpec&) { return Runs(seconds{0}, 3, "boom\n"); };
  auto s = MakeScheduler(R"(
[jobs.flaky]
command = ["hashlake", "lake", "vacuum", "posts"]
interval = "1h"
retries = 3
retry_delay = "10s"
retry_backoff = 2
max_retry_delay = "30s"
)");
  ASSERT_OK(s->Start());
  Advance(*s, hours{1} + minutes{2});
  // Each failure is seen at the next 1s tick; then retry 1 waits 10s, retry 2 20s, and
  // retry 3 40s capped at 30s.
  EXPECT_EQ(StartsOf("flaky"),
            (std::vector<std::string>{"13:00:00", "13:00:11", "13:00:32", "13:01:03"}));
  auto runs = History();
  ASSERT_EQ(runs.size(), 4u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(runs[i].attempt, i + 1);
    EXPECT_EQ(runs[i].outcome, "failed");
    EXPECT_EQ(runs[i].exit_code, 3);
  }
}

TEST_F(SchedulerTest, RetrySucceedsAndStops) {
  int calls = 0;
  behave_ = [&](const ProcessSpec&) { return Runs(seconds{0}, ++calls < 2 ? 1 : 0); };
  auto s = MakeScheduler(R"(
[jobs.j]
command = ["hashlake", "x"]
interval = "1h"
retries = 5
retry_delay = "5s"
)");
  ASSERT_OK(s->Start());
  Advance(*s, hours{1} + minutes{1});
  auto runs = History();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].outcome, "failed");
  EXPECT_EQ(runs[1].outcome, "success");
  EXPECT_EQ(runs[1].attempt, 2);
}

TEST_F(SchedulerTest, TimeoutSendsSigtermThenSigkill) {
  behave_ = [](const ProcessSpec&) {
    FakeBehavior b = Runs(hours{1}, 0);
    b.ignores_sigterm = true;
    return b;
  };
  auto s = MakeScheduler(R"(
[jobs.slow]
command = ["hashlake", "lda", "train"]
interval = "1h"
timeout = "30s"
kill_grace = "5s"
)");
  ASSERT_OK(s->Start());
  Advance(*s, hours{1});  // starts at 13:00:00
  ASSERT_EQ(runner_.starts().size(), 1u);
  Advance(*s, seconds{29});
  EXPECT_TRUE(runner_.starts()[0]->signals.empty());
  Advance(*s, seconds{1});
  EXPECT_EQ(runner_.starts()[0]->signals, std::vector<int>{SIGTERM});
  Advance(*s, seconds{5});
  EXPECT_EQ(runner_.starts()[0]->signals, (std::vector<int>{SIGTERM, SIGKILL}));
  Advance(*s, seconds{1});
  auto runs = History();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].outcome, "timeout");
  EXPECT_EQ(runs[0].exit_code, 128 + SIGKILL);
  EXPECT_EQ(runs[0].signal, SIGKILL);
}

TEST_F(SchedulerTest, NoOverlapAndBusyTicksAreSkippedWithoutCatchup) {
  behave_ = [](const ProcessSpec&) { return Runs(seconds{25}, 0); };
  auto s = MakeScheduler(R"(
[jobs.j]
command = ["hashlake", "x"]
interval = "10s"
)");
  ASSERT_OK(s->Start());
  Advance(*s, seconds{45});
  // 12:00:10 runs until :35; the :20 and :30 ticks fall while it runs and are dropped.
  EXPECT_EQ(StartsOf("j"), (std::vector<std::string>{"12:00:10", "12:00:40"}));
  EXPECT_LE(runner_.running(), 1);
}

TEST_F(SchedulerTest, BusyTicksWithLatestCatchupRunOnceWhenFree) {
  behave_ = [](const ProcessSpec&) { return Runs(seconds{25}, 0); };
  auto s = MakeScheduler(R"(
[jobs.j]
command = ["hashlake", "x"]
interval = "10s"
catchup = "latest"
)");
  ASSERT_OK(s->Start());
  Advance(*s, seconds{36});
  EXPECT_EQ(StartsOf("j"), (std::vector<std::string>{"12:00:10", "12:00:35"}));
  EXPECT_EQ(runner_.starts()[1]->spec.env.at("HASHLAKE_LOGICAL_TIME"),
            "2024-05-01T12:00:30.000000Z");
}

class CatchupTest : public SchedulerTest,
                    public ::testing::WithParamInterface<std::tuple<std::string, int>> {};

TEST_P(CatchupTest, AfterDowntime) {
  const auto& [policy, expected_runs] = GetParam();
  const std::string body = R"(
[jobs.j]
command = ["hashlake", "x"]
interval = "10m"
catchup = ")" + policy + "\"\ncatchup_max = 3\n";
  {
    auto s = MakeScheduler(body);
    ASSERT_OK(s->Start());
    Advance(*s, minutes{10} + seconds{2});  // runs the 12:10 tick
    ASSERT_EQ(History().size(), 1u);
  }
  // Down from 12:10 until 13:05: ticks 12:20 … 13:00 (5) were missed.
  clock_.Set(T("2024-05-01T13:05:00Z"));
  auto s = MakeScheduler(body);
  ASSERT_OK(s->Start());
  Advance(*s, minutes{1});
  auto runs = History();
  ASSERT_EQ(runs.size(), 1u + expected_runs);
  std::vector<std::string> logical;
  for (size_t i = 1; i < runs.size(); ++i) {
    logical.push_back(FormatRfc3339(runs[i].logical_time).substr(11, 5));
  }
  if (policy == "latest") {
    EXPECT_EQ(logical, std::vector<std::string>{"13:00"});
  }
  if (policy == "all") {
    EXPECT_EQ(logical, (std::vector<std::string>{"12:40", "12:50", "13:00"}));
  }
  // And the schedule goes on: 13:10 runs.
  Advance(*s, minutes{5});
  EXPECT_EQ(History().size(), 2u + expected_runs);
}

INSTANTIATE_TEST_SUITE_P(Policies, CatchupTest,
                         ::testing::Values(std::make_tuple("none", 0), std::make_tuple("latest", 1),
                                           std::make_tuple("all", 3)));

TEST_F(SchedulerTest, DependenciesRunInOrderAndFailuresPropagate) {
  behave_ = [](const ProcessSpec& spec) { return Runs(seconds{2}, Job(spec) == "c" ? 1 : 0); };
  auto s = MakeScheduler(R"(
[jobs.a]
command = ["hashlake", "a"]
schedule = "0 * * * *"
[jobs.b]
command = ["hashlake", "b"]
after = ["a"]
[jobs.c]
command = ["hashlake", "c"]
after = ["a"]
[jobs.d]
command = ["hashlake", "d"]
after = ["b", "c"]
[jobs.e]
command = ["hashlake", "e"]
after = ["b"]
)");
  ASSERT_OK(s->Start());
  Advance(*s, hours{1} + seconds{10});
  EXPECT_EQ(StartsOf("a"), std::vector<std::string>{"13:00:00"});
  EXPECT_EQ(StartsOf("b"), std::vector<std::string>{"13:00:02"});
  EXPECT_EQ(StartsOf("c"), std::vector<std::string>{"13:00:02"});
  EXPECT_EQ(StartsOf("e"), std::vector<std::string>{"13:00:04"});
  EXPECT_TRUE(StartsOf("d").empty());
  std::map<std::string, std::string> outcome;
  for (const auto& r : History()) outcome[r.job] = r.outcome;
  EXPECT_EQ(outcome["a"], "success");
  EXPECT_EQ(outcome["c"], "failed");
  EXPECT_EQ(outcome["d"], "upstream_failed");
  EXPECT_EQ(outcome["e"], "success");
}

TEST_F(SchedulerTest, GridRunsEachPointInOrderWithItsParameters) {
  behave_ = [](const ProcessSpec& spec) {
    return Runs(
        seconds{1}, 0,
        "HASHLAKE_METRICS {\"k\": " + spec.env.at("HASHLAKE_PARAM_K") + ", \"coherence\": -1.5}\n");
  };
  auto s = MakeScheduler(R"(
[jobs.sweep]
command = ["hashlake", "lda", "sweep", "--k", "{k}", "--iterations", "{iterations}"]
interval = "1h"
[jobs.sweep.params]
iterations = 50
[jobs.sweep.grid]
k = [5, 10, 20]
)");
  ASSERT_OK(s->Start());
  Advance(*s, hours{1} + seconds{10});
  ASSERT_EQ(runner_.starts().size(), 3u);
  EXPECT_EQ(runner_.starts()[1]->spec.argv,
            (std::vector<std::string>{"/opt/hashlake", "lda", "sweep", "--k", "10", "--iterations",
                                      "50"}));
  auto runs = History();
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[2].task_id, "sweep__k_20");
  EXPECT_EQ(runs[2].params.at("k"), "20");
  EXPECT_EQ(runs[2].metrics, std::vector<std::string>{"{\"k\":20,\"coherence\":-1.5}"});
}

TEST_F(SchedulerTest, CrashingServiceIsRestartedWithBackoff) {
  behave_ = [](const ProcessSpec&) { return Runs(seconds{1}, 1, "crash\n"); };
  auto s = MakeScheduler(R"(
[services.collect]
command = ["hashlake", "collect"]
restart_delay = "2s"
max_restart_delay = "8s"
)");
  ASSERT_OK(s->Start());
  Advance(*s, seconds{30});
  // Up 1s each time; delays 2, 4, 8, 8 …
  EXPECT_EQ(StartsOf("collect"),
            (std::vector<std::string>{"12:00:00", "12:00:03", "12:00:08", "12:00:17", "12:00:26"}));
  simdjson::dom::parser parser;
  simdjson::dom::element status;
  ASSERT_EQ(parser.parse(s->StatusJson()).get(status), simdjson::SUCCESS);
  EXPECT_EQ(int64_t(status["services"].at(0)["restarts"]), 4);
  EXPECT_EQ(int64_t(status["services"].at(0)["last_exit_code"]), 1);
}

TEST_F(SchedulerTest, ServiceThatExitsCleanlyIsNotRestartedOnFailurePolicy) {
  behave_ = [](const ProcessSpec&) { return Runs(seconds{1}, 0); };
  auto s = MakeScheduler(R"(
[services.once]
command = ["hashlake", "x"]
)");
  ASSERT_OK(s->Start());
  Advance(*s, seconds{10});
  EXPECT_EQ(runner_.starts().size(), 1u);
  EXPECT_NE(s->StatusJson().find("\"state\":\"exited\""), std::string::npos);
}

TEST_F(SchedulerTest, StopForwardsSigtermThenKillsAfterGrace) {
  behave_ = [](const ProcessSpec& spec) {
    FakeBehavior b = Runs(hours{10}, 0);
    b.ignores_sigterm = Job(spec) == "stubborn";
    return b;
  };
  auto s = MakeScheduler(R"(
[services.serve]
command = ["hashlake", "serve"]
[services.stubborn]
command = ["hashlake", "stubborn"]
[jobs.long]
command = ["hashlake", "long"]
interval = "10s"
)");
  ASSERT_OK(s->Start());
  Advance(*s, seconds{10});
  ASSERT_EQ(runner_.starts().size(), 3u);
  s->RequestStop();
  ASSERT_OK(s->Tick());
  for (const auto& start : runner_.starts()) {
    EXPECT_EQ(start->signals.front(), SIGTERM) << Job(start->spec);
  }
  EXPECT_FALSE(s->Stopped());  // "stubborn" ignores SIGTERM
  Advance(*s, seconds{9});
  EXPECT_FALSE(s->Stopped());
  Advance(*s, seconds{1});
  EXPECT_TRUE(s->Stopped());
  EXPECT_EQ(runner_.running(), 0);
  EXPECT_EQ(StartsOf("long").size(), 1u);  // nothing new started while stopping
  auto runs = History();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].outcome, "interrupted");
}

TEST_F(SchedulerTest, HistorySurvivesARestartAndOrphanedRunsAreAbandoned) {
  behave_ = [](const ProcessSpec&) { return Runs(hours{1}, 0); };
  const std::string body = R"(
[jobs.j]
command = ["hashlake", "x"]
interval = "10s"
)";
  {
    auto s = MakeScheduler(body);
    ASSERT_OK(s->Start());
    Advance(*s, seconds{10});
    ASSERT_EQ(History().size(), 1u);
    EXPECT_EQ(History()[0].outcome, "running");
  }  // destroyed without a stop: as if killed
  auto s = MakeScheduler(body);
  ASSERT_OK(s->Start());
  auto runs = History();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].outcome, "abandoned");
  ASSERT_OK_AND_ASSIGN(auto status, ReadPipelineStatus(dir_));
  EXPECT_NE(status.find("\"outcome\":\"abandoned\""), std::string::npos);
  EXPECT_NE(status.find("\"state\":\"running\""), std::string::npos);
}

TEST_F(SchedulerTest, AProgramThatCannotStartIsAFailedAttempt) {
  behave_ = [](const ProcessSpec&) {
    FakeBehavior b;
    b.fail_to_start = true;
    return b;
  };
  auto s = MakeScheduler(R"(
[jobs.j]
command = ["hashlake", "x"]
interval = "10s"
retries = 1
retry_delay = "1s"
)");
  ASSERT_OK(s->Start());
  Advance(*s, seconds{12});
  auto runs = History();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].exit_code, 127);
  EXPECT_NE(runs[0].log_tail.find("cannot execute"), std::string::npos);
}

TEST(PipelineStatusTest, NoSchedulerYet) {
  auto dir = std::filesystem::temp_directory_path() / "hashlake_status_none";
  std::filesystem::remove_all(dir);
  ASSERT_OK_AND_ASSIGN(auto status, ReadPipelineStatus(dir));
  EXPECT_EQ(status, "{\"state\":\"not running\",\"services\":[],\"flows\":[],\"recent_runs\":[]}");
}

}  // namespace
}  // namespace hashlake::schedule
