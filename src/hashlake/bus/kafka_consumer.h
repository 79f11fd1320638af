#pragma once

#include <arrow/result.h>
#include <arrow/status.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "hashlake/bus/bus.h"
#include "hashlake/bus/kafka_options.h"

namespace hashlake::bus {

namespace internal {
struct KafkaConsumerState;
}  // namespace internal

/// Reads a Kafka topic through librdkafka with manual offset commits
/// (enable.auto.commit=false: progress moves only on Commit).
///
/// Partitions (KafkaOptions::assign):
///  - `group` (default): a consumer-group member. Make waits (up to request_timeout) for
///    the first assignment, so Assignment, Committed and Seek work before the first Poll.
///    Rebalances happen inside Poll; messages of a partition revoked during a Poll are
///    dropped from that Poll's result, so a caller that commits what each Poll returned
///    before polling again never sees a message twice across a rebalance.
///  - `all`: every partition, no membership, nothing moves. For a reader that keeps its own
///    checkpoint and seeks (the stream job).
/// A partition starts at its Seek offset, else the group's committed offset, else
/// auto_offset_reset. Seek clamps to [beginning, end] like the embedded log. Not
/// thread-safe.
class KafkaConsumer final : public Consumer {
 public:
  static arrow::Result<std::unique_ptr<KafkaConsumer>> Make(const KafkaOptions& options,
                                                            const std::string& group);
  /// Leaves the group (without committing).
  ~KafkaConsumer() override;

  arrow::Result<std::vector<ConsumedMessage>> Poll(std::size_t max_messages,
                                                   std::chrono::milliseconds timeout) override;
  /// An assigned partition only; a no-op when `offset` is already the position.
  arrow::Status Seek(PartitionId partition, Offset offset) override;
  /// Committed offsets of all the topic's partitions (not only the assigned ones).
  arrow::Result<OffsetMap> Committed() override;
  /// Synchronous; fails (e.g. after a rebalance took a partition) without partial effect
  /// being hidden: the error names the first partition that failed.
  arrow::Status Commit(const OffsetMap& next_offsets) override;
  /// High watermarks of the assigned partitions.
  arrow::Result<OffsetMap> EndOffsets() override;
  arrow::Result<OffsetMap> EndOffsetsEstimate() override;
  /// Low watermarks of the assigned partitions.
  arrow::Result<OffsetMap> BeginningOffsets() override;
  std::vector<PartitionId> Assignment() const override;

  /// Partitions of the topic at Make.
  int32_t PartitionCount() const;

 private:
  explicit KafkaConsumer(std::unique_ptr<internal::KafkaConsumerState> state);
  std::unique_ptr<internal::KafkaConsumerState> state_;
};

}  // namespace hashlake::bus
