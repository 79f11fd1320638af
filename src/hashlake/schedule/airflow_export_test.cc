#include "hashlake/schedule/airflow_export.h"

#include <gtest/gtest.h>

#include "hashlake/core/test_util.h"

namespace hashlake::schedule {
namespace {

Pipeline Parse(const std::string& text) {
  LoadOptions options;
  options.check_programs = false;
  return ParsePipeline(text, "pipeline.toml", options).ValueOrDie();
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(AirflowExportTest, OneDagPerFlowWithScheduleRetriesTimeoutsAndDependencies) {
  const Pipeline p = Parse(R"(
[pipeline]
name = "hl"
[services.collect]
command = ["hashlake", "collect"]
[jobs.optimize]
command = ["hashlake", "lake", "optimize", "{data_dir}/lake/posts"]
schedule = "15 * * * *"
retries = 3
retry_delay = "30s"
retry_backoff = 2.5
max_retry_delay = "10m"
timeout = "20m"
[jobs.vacuum]
command = ["hashlake", "lake", "vacuum", "posts"]
after = ["optimize"]
[jobs.sweep]
command = ["hashlake", "lda", "sweep", "--k", "{k}"]
interval = "6h"
catchup = "all"
grid = { k = [5, 10] }
)");
  AirflowExportOptions options;
  options.hashlake_binary = "/usr/local/bin/hashlake";
  options.workdir = "/srv/hl";
  ASSERT_OK_AND_ASSIGN(auto py, ExportAirflowDag(p, options));
  EXPECT_TRUE(Has(py, "from airflow.providers.standard.operators.bash import BashOperator"));
  EXPECT_TRUE(Has(py, "from airflow.operators.bash import BashOperator"));
  EXPECT_TRUE(Has(py, "HASHLAKE = os.environ.get(\"HASHLAKE_BIN\", \"/usr/local/bin/hashlake\")"));
  EXPECT_TRUE(Has(py, "WORKDIR = os.environ.get(\"HASHLAKE_WORKDIR\", \"/srv/hl\")"));
  EXPECT_TRUE(Has(py, "dag_id=\"hl__optimize\""));
  EXPECT_TRUE(Has(py, "schedule=\"15 * * * *\""));
  EXPECT_TRUE(Has(py, "dag_id=\"hl__sweep\""));
  EXPECT_TRUE(Has(py, "schedule=timedelta(seconds=21600)"));
  EXPECT_TRUE(Has(py, "catchup=True"));
  EXPECT_TRUE(Has(py, "max_active_runs=1"));
  EXPECT_TRUE(Has(py,
                  "retries=3,\n        retry_delay=timedelta(seconds=30),\n"
                  "        max_retry_delay=timedelta(seconds=600),\n"
                  "        **_backoff(2.5),\n"
                  "        execution_timeout=timedelta(seconds=1200)"));
  EXPECT_TRUE(Has(py, "[\"hashlake\", \"lake\", \"optimize\", \"./hashlake-data/lake/posts\"]"));
  EXPECT_TRUE(Has(py, "t_optimize >> t_vacuum"));
  EXPECT_TRUE(Has(py, "t_sweep__k_5 >> t_sweep__k_10"));  // grid points in order
  EXPECT_TRUE(Has(py, "\"HASHLAKE_PARAM_K\": \"10\""));
  EXPECT_TRUE(Has(py, "# Services (collect) are not tasks"));
}

TEST(AirflowExportTest, RejectsCronWithSeconds) {
  const Pipeline p = Parse("[jobs.a]\ncommand=[\"true\"]\nschedule=\"*/5 * * * * *\"\n");
  auto py = ExportAirflowDag(p, {});
  ASSERT_FALSE(py.ok());
  EXPECT_TRUE(Has(py.status().message(), "has a seconds field"));
  const Pipeline zero = Parse("[jobs.a]\ncommand=[\"true\"]\nschedule=\"0 0 3 * * *\"\n");
  ASSERT_OK_AND_ASSIGN(auto ok, ExportAirflowDag(zero, {}));
  EXPECT_TRUE(Has(ok, "schedule=\"0 3 * * *\""));
}

TEST(AirflowExportTest, QuotesStringsForPython) {
  const Pipeline p = Parse(R"(
[jobs.a]
shell = "echo \"hi\" \\ {{x}}"
interval = "1m"
)");
  ASSERT_OK_AND_ASSIGN(auto py, ExportAirflowDag(p, {}));
  EXPECT_TRUE(Has(py, "[\"/bin/sh\", \"-c\", \"echo \\\"hi\\\" \\\\ {x}\"]")) << py;
}

}  // namespace
}  // namespace hashlake::schedule
