#pragma once

#include <arrow/result.h>

#include <string>

#include "hashlake/schedule/pipeline.h"

namespace hashlake::schedule {

struct AirflowExportOptions {
  /// The hashlake binary the tasks run; the DAG file lets HASHLAKE_BIN override it.
  std::string hashlake_binary = "hashlake";
  /// Working directory of the tasks (relative paths in the pipeline resolve there); the DAG
  /// file lets HASHLAKE_WORKDIR override it. Must be absolute.
  std::string workdir;
  /// The DAGs' start_date, "YYYY-MM-DD": pipeline.start_date when set, else this.
  std::string start_date = "2024-01-01";
};

/// A Python file defining one Airflow DAG per flow of `pipeline` (dag_id "<name>__<flow>"):
/// one BashOperator per job (per grid point, chained in grid order), the flow's schedule,
/// retries / retry_delay / exponential backoff / max_retry_delay, execution_timeout,
/// `after` as task dependencies, max_active_runs=1, catchup=True only for catchup = "all".
/// Imports work on Airflow 2.x and 3.x. Services are not exported (see deploy/airflow).
/// Fails for a 6-field cron with a seconds field other than 0 (Airflow has no seconds).
arrow::Result<std::string> ExportAirflowDag(const Pipeline& pipeline,
                                            const AirflowExportOptions& options);

}  // namespace hashlake::schedule
