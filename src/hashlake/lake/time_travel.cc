#include "hashlake/lake/time_travel.h"

#include <cstdlib>

#include "hashlake/lake/log_store.h"

namespace hashlake::lake {

arrow::Result<std::vector<CommitEntry>> ReadCommitTimeline(LogStore& store,
                                                           const std::string& root) {
  ARROW_ASSIGN_OR_RAISE(auto history, ReadHistory(store, root));
  std::vector<CommitEntry> out;
  out.reserve(history.size());
  for (auto& h : history) {
    CommitEntry e;
    e.version = h.version;
    e.timestamp_ms = h.file_modification_time_ms;
    if (h.commit_info) {
      auto ict = h.commit_info->extra.find("inCommitTimestamp");
      if (ict != h.commit_info->extra.end()) {
        char* end = nullptr;
        long long v = std::strtoll(ict->second.c_str(), &end, 10);
        if (end != ict->second.c_str() && *end == '\0') e.timestamp_ms = v;
      }
    }
    // Strictly increasing across versions (Delta's monotonization of file times).
    if (!out.empty() && e.timestamp_ms <= out.back().timestamp_ms) {
      e.timestamp_ms = out.back().timestamp_ms + 1;
    }
    e.commit_info = std::move(h.commit_info);
    out.push_back(std::move(e));
  }
  return out;
}

arrow::Result<int64_t> VersionAtTimestamp(LogStore& store, const std::string& root,
                                          int64_t timestamp_ms) {
  ARROW_ASSIGN_OR_RAISE(auto timeline, ReadCommitTimeline(store, root));
  if (timeline.empty()) return arrow::Status::IOError("not a Delta table: no commits in ", root);
  // The earliest readable version: version 0, or the oldest checkpoint when the log was
  // cleaned up below it.
  int64_t earliest = timeline.front().version;
  if (earliest > 0) {
    ARROW_ASSIGN_OR_RAISE(auto checkpoints, ListCompleteCheckpoints(store, root));
    std::optional<int64_t> first;
    for (int64_t c : checkpoints) {
      if (c >= earliest) {
        first = c;
        break;
      }
    }
    if (!first) return arrow::Status::Invalid("the log of ", root, " has no readable version");
    earliest = *first;
  }
  std::optional<CommitEntry> found;
  for (const auto& e : timeline) {
    if (e.version < earliest) continue;
    if (e.timestamp_ms > timestamp_ms) break;
    found = e;
  }
  auto text = [](int64_t ms) { return FormatUtcTimestamp(ms * 1000, 3); };
  if (!found) {
    int64_t first_ts = timeline.front().timestamp_ms;
    for (const auto& e : timeline) {
      if (e.version == earliest) first_ts = e.timestamp_ms;
    }
    return arrow::Status::Invalid("timestamp ", text(timestamp_ms),
                                  " is before the earliest available version ", earliest, " (",
                                  text(first_ts), ") of ", root);
  }
  if (found->version == timeline.back().version && timestamp_ms > found->timestamp_ms) {
    // Spark refuses a timestamp after the last commit unless it is the exact commit time.
    return arrow::Status::Invalid("timestamp ", text(timestamp_ms),
                                  " is after the latest version ", found->version, " (",
                                  text(found->timestamp_ms), ") of ", root,
                                  "; use a timestamp at or before it");
  }
  return found->version;
}

}  // namespace hashlake::lake
