#pragma once

#include <arrow/result.h>
#include <arrow/status.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "hashlake/bus/bus.h"
#include "hashlake/bus/embedded_log_options.h"

namespace hashlake::bus {

namespace internal {
class PartitionReader;
class GroupOffsetStore;
}  // namespace internal

/// A consumer-group member reading an embedded-log topic. It is assigned every partition.
/// Any number of consumers (of any groups, in any processes) may read while the producer
/// appends; they see only whole, checksummed records. A new consumer starts each
/// partition at the group's committed offset, or at the earliest retained offset when the
/// group never committed. Creates the topic when it does not exist yet. Not thread-safe.
class EmbeddedLogConsumer final : public Consumer {
 public:
  static arrow::Result<std::unique_ptr<EmbeddedLogConsumer>> Make(
      const std::string& dir, const std::string& group, const EmbeddedLogOptions& options = {});
  ~EmbeddedLogConsumer() override;

  /// Takes messages from the partitions in turn (the first partition asked rotates between
  /// polls), so that no partition starves. Waits up to `timeout`, looking at the files
  /// every poll_interval, when nothing is available.
  arrow::Result<std::vector<ConsumedMessage>> Poll(std::size_t max_messages,
                                                   std::chrono::milliseconds timeout) override;
  /// Before the earliest retained offset: clamps to it; past the end: clamps to the end
  /// (both logged).
  arrow::Status Seek(PartitionId partition, Offset offset) override;
  arrow::Result<OffsetMap> Committed() override;
  arrow::Status Commit(const OffsetMap& next_offsets) override;
  arrow::Result<OffsetMap> EndOffsets() override;
  arrow::Result<OffsetMap> BeginningOffsets() override;
  std::vector<PartitionId> Assignment() const override;

  /// The offset the next Poll returns first for `partition` (its current position).
  arrow::Result<Offset> Position(PartitionId partition) const;

 private:
  EmbeddedLogConsumer() = default;
  arrow::Status CheckPartition(PartitionId partition) const;

  std::string dir_;
  EmbeddedLogOptions options_;
  std::unique_ptr<internal::GroupOffsetStore> offsets_;
  std::vector<std::unique_ptr<internal::PartitionReader>> readers_;
  // Followers of each partition's tail, for EndOffsets without rescanning.
  std::vector<std::unique_ptr<internal::PartitionReader>> tails_;
  std::size_t next_first_ = 0;
};

}  // namespace hashlake::bus
