#pragma once

#include <string>
#include <vector>

#include <arrow/result.h>

#include "hashlake/stream/delta_sink.h"
#include "hashlake/stream/stream_job.h"

namespace hashlake::stream {

/// The stream job's tables as Delta tables at `<lake>/<table>`, created when absent.
struct LakeSinks {
  StreamJobSinks sinks;
  std::vector<const DeltaSink*> tables;  ///< Views of the sinks above, for status.
};

/// `lake` is a local directory, file://… or s3://bucket/prefix?…; `app_id` is the `txn`
/// appId of every commit.
arrow::Result<LakeSinks> OpenLakeSinks(const std::string& lake, const std::string& app_id);

}  // namespace hashlake::stream
