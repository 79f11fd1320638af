#pragma once

#include <string>
#include <vector>

#include <arrow/result.h>

#include "hashlake/lake/actions.h"

namespace hashlake::lake {

class LogStore;

/// Reads the actions of a classic (V1) Parquet checkpoint part: one row per action, in
/// nullable top-level struct columns `add`, `remove`, `metaData`, `protocol`, `txn`.
/// Missing columns read as absent; `stats_parsed` is ignored (stats stay empty when a
/// checkpoint only has the struct form).
arrow::Result<std::vector<Action>> ReadCheckpointPart(LogStore& store, const std::string& path);

}  // namespace hashlake::lake
