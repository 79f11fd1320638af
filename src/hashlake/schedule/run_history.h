#pragma once

#include <arrow/result.h>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hashlake/core/time.h"

namespace hashlake::schedule {

/// One attempt of one job run (format: run_history_format.md).
struct RunRecord {
  std::string run_id;  ///< Unique: "<job>-<logical time>-g<grid>-a<attempt>"
  std::string job;
  std::string task_id;  ///< job, or job__key_value for a grid point
  std::string flow;
  Timestamp logical_time{};  ///< The tick this run belongs to.
  int grid_index = 0;
  int attempt = 1;  ///< 1 for the first try.
  std::map<std::string, std::string> params;
  std::vector<std::string> argv;
  std::optional<Timestamp> start;
  std::optional<Timestamp> end;
  /// running | success | failed | timeout | interrupted | upstream_failed | abandoned
  std::string outcome;
  std::optional<int> exit_code;
  int signal = 0;
  std::string log_tail;              ///< The last few KiB of stdout+stderr.
  std::string log_path;              ///< The whole log.
  std::vector<std::string> metrics;  ///< Raw JSON objects from `HASHLAKE_METRICS {...}` lines.

  bool finished() const { return outcome != "running"; }
};

std::string RunRecordToJson(const RunRecord& record);
arrow::Result<RunRecord> ParseRunRecord(std::string_view json_line);

/// The run history: an append-only JSON-lines file, one line per state change of a run (a
/// "running" line at start, the final line at the end); the last line of a run_id wins.
/// A torn last line (crash mid-write) is skipped when read. Thread-compatible; one writer.
class RunHistory {
 public:
  /// Creates the directory when missing. Fails when the file cannot be opened for append.
  static arrow::Result<std::unique_ptr<RunHistory>> Open(const std::filesystem::path& path);
  ~RunHistory();

  /// Appends one line and fsyncs it.
  arrow::Status Append(const RunRecord& record);
  /// Every run, merged by run_id, in the order runs first appeared.
  arrow::Result<std::vector<RunRecord>> Load() const;

  const std::filesystem::path& path() const { return path_; }

 private:
  RunHistory(std::filesystem::path path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::filesystem::path path_;
  int fd_;
};

/// Reads a history file without opening it for writing (for `runs list` and the dashboard).
/// A missing file is an empty history.
arrow::Result<std::vector<RunRecord>> ReadRunHistory(const std::filesystem::path& path);

/// DATA_DIR/runs/history.jsonl
std::filesystem::path HistoryPath(const std::filesystem::path& data_dir);

}  // namespace hashlake::schedule
