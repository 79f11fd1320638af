#include "hashlake/schedule/pipeline.h"

#include <gtest/gtest.h>

#include "hashlake/core/test_util.h"

namespace hashlake::schedule {
namespace {

arrow::Result<Pipeline> Parse(const std::string& text, bool check_programs = false) {
  LoadOptions options;
  options.check_programs = check_programs;
  return ParsePipeline(text, "p.toml", options);
}

TEST(PipelineTest, ParsesServicesJobsAndDefaults) {
  ASSERT_OK_AND_ASSIGN(auto p, Parse(R"(
[pipeline]
name = "demo"
data_dir = "/tmp/d"
[params]
lake = "{data_dir}/lake"
table = "posts"
[services.collect]
command = ["hashlake", "collect", "--to", "log:///tmp/d/log"]
restart = "always"
[jobs.optimize]
command = ["hashlake", "lake", "optimize", "/x/{table}"]
schedule = "0 * * * *"
retries = 2
timeout = "10m"
catchup = "latest"
[jobs.vacuum]
shell = "hashlake lake vacuum {table} && echo done"
after = ["optimize"]
)"));
  EXPECT_EQ(p.name, "demo");
  ASSERT_EQ(p.services.size(), 1u);
  EXPECT_EQ(p.services[0].restart, RestartPolicy::kAlways);
  ASSERT_EQ(p.jobs.size(), 2u);
  EXPECT_EQ(p.jobs[0].name, "optimize");
  EXPECT_EQ(p.jobs[0].retry.retries, 2);
  EXPECT_EQ(p.jobs[0].retry.delay, std::chrono::seconds{30});
  EXPECT_EQ(*p.jobs[0].timeout, std::chrono::minutes{10});
  EXPECT_EQ(p.jobs[0].catchup, Catchup::kLatest);
  auto runs = ExpandRuns(p.jobs[1]);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].argv,
            (std::vector<std::string>{"/bin/sh", "-c", "hashlake lake vacuum posts && echo done"}));
  ASSERT_EQ(p.flows.size(), 1u);
  EXPECT_EQ(p.flows[0].name, "optimize");
  EXPECT_EQ(p.flows[0].jobs, (std::vector<std::string>{"optimize", "vacuum"}));
}

TEST(PipelineTest, KeepsFileOrderAndOrdersFlowsTopologically) {
  ASSERT_OK_AND_ASSIGN(auto p, Parse(R"(
[jobs.zeta]
command = ["true"]
after = ["alpha"]
[jobs.alpha]
command = ["true"]
interval = "1m"
[jobs.mid]
command = ["true"]
interval = "5m"
)"));
  EXPECT_EQ(p.jobs[0].name, "zeta");
  ASSERT_EQ(p.flows.size(), 2u);
  EXPECT_EQ(p.flows[0].jobs, (std::vector<std::string>{"alpha", "zeta"}));
  EXPECT_EQ(p.flows[1].name, "mid");
}

TEST(PipelineTest, GridExpandsToTheCartesianProductLastAxisFastest) {
  ASSERT_OK_AND_ASSIGN(auto p, Parse(R"(
[jobs.sweep]
command = ["hashlake", "lda", "sweep", "--k", "{k}", "--alpha", "{alpha}", "--seed", "{seed}"]
schedule = "@daily"
params = { seed = 7 }
grid = { k = [5, 10], alpha = [0.1, 0.5] }
)"));
  auto runs = ExpandRuns(p.jobs[0]);
  ASSERT_EQ(runs.size(), 4u);
  EXPECT_EQ(runs[0].task_id, "sweep__k_5__alpha_0_1");
  EXPECT_EQ(runs[1].task_id, "sweep__k_5__alpha_0_5");
  EXPECT_EQ(runs[3].argv, (std::vector<std::string>{"hashlake", "lda", "sweep", "--k", "10",
                                                    "--alpha", "0.5", "--seed", "7"}));
  EXPECT_EQ(runs[3].env.at("HASHLAKE_PARAM_ALPHA"), "0.5");
  EXPECT_EQ(runs[3].grid_index, 3);
}

TEST(PipelineTest, ParametersMayReferToEachOther) {
  ASSERT_OK_AND_ASSIGN(auto p, Parse(R"(
[pipeline]
data_dir = "/d"
[params]
table = "{lake}/posts"
lake = "{data_dir}/lake"
braces = "{{literal}}"
[jobs.a]
command = ["x", "{table}", "{out}", "{braces}"]
interval = "1m"
params = { out = "{table}.out" }
)"));
  EXPECT_EQ(ExpandRuns(p.jobs[0])[0].argv,
            (std::vector<std::string>{"x", "/d/lake/posts", "/d/lake/posts.out", "{literal}"}));
  auto cycle = Parse(
      "[params]\na = \"{b}\"\nb = \"{a}\"\n[jobs.j]\ncommand=[\"x\"]\n"
      "interval=\"1m\"\n");
  ASSERT_FALSE(cycle.ok());
  EXPECT_NE(cycle.status().message().find("params.a: parameter {a} refers to itself"),
            std::string::npos)
      << cycle.status().message();
}

TEST(PipelineTest, DataDirOverrideReachesTheParameters) {
  LoadOptions options;
  options.check_programs = false;
  options.data_dir = "/elsewhere";
  ASSERT_OK_AND_ASSIGN(auto p, ParsePipeline("[pipeline]\ndata_dir = \"/d\"\n[services.s]\n"
                                             "command = [\"x\", \"{data_dir}/log\"]\n",
                                             "p.toml", options));
  EXPECT_EQ(p.data_dir, "/elsewhere");
  EXPECT_EQ(p.services[0].command[1], "/elsewhere/log");
}

TEST(PipelineTest, RetryDelaysGrowAndAreCapped) {
  RetryPolicy r{5, std::chrono::seconds{10}, 3.0, std::chrono::seconds{60}};
  EXPECT_EQ(r.DelayBefore(1), std::chrono::seconds{10});
  EXPECT_EQ(r.DelayBefore(2), std::chrono::seconds{30});
  EXPECT_EQ(r.DelayBefore(3), std::chrono::seconds{60});
  EXPECT_EQ(r.DelayBefore(400), std::chrono::seconds{60});
}

// Every bad file gets one line per error, naming the key and what is allowed.
struct BadCase {
  const char* name;
  const char* toml;
  const char* expect;
};

class BadPipelineTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadPipelineTest, FailsWithOneClearLine) {
  auto p = Parse(GetParam().toml, /*check_programs=*/true);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find(GetParam().expect), std::string::npos)
      << p.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadPipelineTest,
    ::testing::Values(
        BadCase{"UnknownTopKey", "[jobz.a]\ncommand=[\"true\"]\ninterval=\"1m\"\n",
                "jobz: unknown key (allowed: pipeline, params, services, jobs)"},
        BadCase{"UnknownJobKey", "[jobs.a]\ncommand=[\"true\"]\ninterval=\"1m\"\nretry=3\n",
                "jobs.a.retry: unknown key (allowed: command, shell"},
        BadCase{"BadCron", "[jobs.a]\ncommand=[\"true\"]\nschedule=\"61 * * * *\"\n",
                "jobs.a.schedule: cron minute field '61': 61 is out of range"},
        BadCase{"Cycle",
                "[jobs.a]\ncommand=[\"true\"]\nafter=[\"b\"]\n[jobs.b]\ncommand=[\"true\"]\n"
                "after=[\"a\"]\n",
                "dependency cycle a -> b -> a"},
        BadCase{"UnknownDependency", "[jobs.a]\ncommand=[\"true\"]\nafter=[\"nope\"]\n",
                "jobs.a.after: unknown job 'nope'"},
        BadCase{"MissingBinary", "[jobs.a]\ncommand=[\"no-such-program-hl\"]\ninterval=\"1m\"\n",
                "jobs.a.command: program 'no-such-program-hl' not found on PATH"},
        BadCase{"MissingPath", "[services.s]\ncommand=[\"/nope/bin/x\"]\n",
                "services.s.command: program '/nope/bin/x' not found"},
        BadCase{"NoTrigger", "[jobs.a]\ncommand=[\"true\"]\n",
                "jobs.a: needs schedule (a cron expression), interval"},
        BadCase{"BothCommands", "[jobs.a]\ncommand=[\"true\"]\nshell=\"true\"\ninterval=\"1m\"\n",
                "jobs.a: give exactly one of command"},
        BadCase{"BadCatchup", "[jobs.a]\ncommand=[\"true\"]\ninterval=\"1m\"\ncatchup=\"some\"\n",
                "jobs.a.catchup: 'some' (allowed: none, latest, all)"},
        BadCase{"BadRestart", "[services.s]\ncommand=[\"true\"]\nrestart=\"sometimes\"\n",
                "services.s.restart: 'sometimes' (allowed: always, on-failure, never)"},
        BadCase{"BadDuration", "[jobs.a]\ncommand=[\"true\"]\ninterval=\"1m\"\ntimeout=\"soon\"\n",
                "jobs.a.timeout: invalid duration 'soon'"},
        BadCase{"UnknownParam", "[jobs.a]\ncommand=[\"echo\", \"{k}\"]\ninterval=\"1m\"\n",
                "jobs.a.command: unknown parameter {k} (known: data_dir)"},
        BadCase{"ScheduleOnDependent",
                "[jobs.a]\ncommand=[\"true\"]\ninterval=\"1m\"\n[jobs.b]\ncommand=[\"true\"]\n"
                "after=[\"a\"]\ninterval=\"1m\"\n",
                "jobs.b.interval: not allowed on a job with `after`"},
        BadCase{"RootsDisagree",
                "[jobs.a]\ncommand=[\"true\"]\ninterval=\"1m\"\n[jobs.b]\ncommand=[\"true\"]\n"
                "interval=\"2m\"\n[jobs.c]\ncommand=[\"true\"]\nafter=[\"a\",\"b\"]\n",
                "jobs.b.schedule: '2m' differs from '1m' of job a"},
        BadCase{"BadRetries", "[jobs.a]\ncommand=[\"true\"]\ninterval=\"1m\"\nretries=-1\n",
                "jobs.a.retries: must be an integer from 0 to 100"},
        BadCase{"Empty", "", "pipeline has no [services.NAME] and no [jobs.NAME]"},
        BadCase{"TomlSyntax", "[jobs.a\n", "p.toml:1:"},
        BadCase{"TinyInterval", "[jobs.a]\ncommand=[\"true\"]\ninterval=\"10ms\"\n",
                "shorter than the allowed minimum of 1s"}),
    [](const auto& info) { return info.param.name; });

TEST(PipelineTest, ListsEveryErrorNotJustTheFirst) {
  auto p = Parse(R"(
[jobs.a]
command = ["true"]
schedule = "bad"
[jobs.b]
command = ["true"]
interval = "1m"
catchup = "x"
bogus = 1
)");
  ASSERT_FALSE(p.ok());
  const std::string& m = p.status().message();
  EXPECT_EQ(std::count(m.begin(), m.end(), '\n'), 2) << m;  // three lines
}

}  // namespace
}  // namespace hashlake::schedule
