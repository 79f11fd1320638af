#pragma once

// Internal: a consumer group's committed offsets, one small file per group.

#include <arrow/result.h>
#include <arrow/status.h>

#include <cstdint>
#include <string>

#include "hashlake/bus/bus.h"
#include "hashlake/bus/topic_layout.h"

namespace hashlake::bus::internal {

/// Checks that a group name is usable as a file name: 1 to 200 characters from
/// [A-Za-z0-9._-], not starting with '.'.
arrow::Status ValidateGroupName(const std::string& group);

/// Reads and writes `groups/<group>.offsets`. Commits are atomic (temp file, fsync,
/// rename, fsync dir) and serialized between processes by flock on `groups/<group>.lock`.
/// Thread-compatible: one instance per consumer.
class GroupOffsetStore {
 public:
  GroupOffsetStore(const TopicLayout& layout, std::string group, int32_t partition_count)
      : layout_(layout), group_(std::move(group)), partition_count_(partition_count) {}

  /// The committed offsets; empty when the group never committed.
  arrow::Result<OffsetMap> Load() const;
  /// Merges `offsets` into the committed ones (partitions not named keep theirs).
  arrow::Status Commit(const OffsetMap& offsets) const;

 private:
  TopicLayout layout_;
  std::string group_;
  int32_t partition_count_;
};

}  // namespace hashlake::bus::internal
