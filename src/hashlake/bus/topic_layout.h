#pragma once

// Internal: where an embedded-log topic keeps its files (see LOG_FORMAT.md).

#include <arrow/result.h>
#include <arrow/status.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hashlake/bus/bus.h"

namespace hashlake::bus::internal {

/// Paths inside one topic directory. Immutable; thread-safe.
class TopicLayout {
 public:
  explicit TopicLayout(std::string dir) : dir_(std::move(dir)) {}

  const std::string& dir() const { return dir_; }
  std::string MetaPath() const { return dir_ + "/meta"; }
  std::string ProducerLockPath() const { return dir_ + "/producer.lock"; }
  std::string PartitionDir(PartitionId p) const;
  std::string SegmentPath(PartitionId p, Offset base) const;
  std::string GroupsDir() const { return dir_ + "/groups"; }
  std::string GroupOffsetsPath(const std::string& group) const;
  std::string GroupLockPath(const std::string& group) const;

 private:
  std::string dir_;
};

/// Opens the topic at `layout.dir()`, creating it (directory, `meta`, partition and group
/// directories) when absent. `meta` is written once, atomically; when two processes create
/// the topic at once, one wins and the other reads its `meta`. Returns the partition
/// count; an error when `requested` differs from an existing topic's count.
arrow::Result<int32_t> OpenOrCreateTopic(const TopicLayout& layout,
                                         std::optional<int32_t> requested);

/// Base offsets of the segment files in `partition_dir`, ascending. Other files are ignored.
arrow::Result<std::vector<Offset>> ListSegments(const std::string& partition_dir);

}  // namespace hashlake::bus::internal
