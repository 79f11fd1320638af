#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

#include <arrow/result.h>

#include "hashlake/lake/actions.h"

namespace hashlake::lake {

/// Typed readers of the Delta table properties (`metaData.configuration`) that hashlake
/// honours, each with the default Delta uses when the property is absent. A malformed value
/// is an Invalid error naming the property, never a silent default.
struct TableProperties {
  /// `delta.checkpointInterval`: a checkpoint is written after commit v when
  /// v % interval == 0. Default 10.
  int64_t checkpoint_interval = 10;
  /// `delta.deletedFileRetentionDuration`: how long removed files stay for time travel
  /// before vacuum may delete them. Default 7 days.
  std::chrono::milliseconds deleted_file_retention = std::chrono::hours(24 * 7);
  /// `delta.logRetentionDuration`: how long commits stay in the log. Default 30 days.
  std::chrono::milliseconds log_retention = std::chrono::hours(24 * 30);
  /// `delta.enableExpiredLogCleanup`: clean the log after each checkpoint. Default true.
  bool enable_expired_log_cleanup = true;
  /// `delta.enableInCommitTimestamps`: commit times come from commitInfo.inCommitTimestamp
  /// rather than file modification times. Default false.
  bool in_commit_timestamps = false;
  /// `delta.appendOnly`: data may not be removed (dataChange removes). Default false.
  bool append_only = false;

  static arrow::Result<TableProperties> FromMetadata(const Metadata& metadata);
};

/// Parses a Delta interval ("interval 7 days", "interval 1 week", "168 hours"; units from
/// nanosecond to week, singular or plural) into milliseconds.
arrow::Result<std::chrono::milliseconds> ParseDeltaInterval(std::string_view text);

}  // namespace hashlake::lake
