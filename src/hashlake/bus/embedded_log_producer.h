#pragma once

#include <arrow/result.h>
#include <arrow/status.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "hashlake/bus/bus.h"
#include "hashlake/bus/embedded_log_options.h"

namespace hashlake::bus {

namespace internal {
class PartitionWriter;
}  // namespace internal

/// Where one appended message went.
struct AppendedAt {
  PartitionId partition;
  Offset offset;
};

/// The producer of an embedded-log topic (a directory; layout in LOG_FORMAT.md).
///
/// One producer per topic at a time, across all processes: Make takes an exclusive flock
/// on `<dir>/producer.lock` and fails with a clear error while another producer holds it;
/// the lock is released on destruction (or when the process dies). Make recovers each
/// partition's last segment, truncating a torn tail. Not thread-safe.
class EmbeddedLogProducer final : public Producer {
 public:
  static arrow::Result<std::unique_ptr<EmbeddedLogProducer>> Make(
      const std::string& dir, const EmbeddedLogOptions& options = {});
  ~EmbeddedLogProducer() override;

  /// Appends the message to the partition of its key (Kafka's murmur2; empty keys go
  /// round-robin). A zero timestamp is replaced by the current time. Records larger than
  /// max_record_bytes are rejected (Invalid). Visible to consumers at once; durable
  /// after Flush.
  arrow::Status Send(const Message& message) override;
  /// Send, returning where the message went.
  arrow::Result<AppendedAt> Append(const Message& message);
  /// Appends to a chosen partition instead of the key's.
  arrow::Result<Offset> AppendTo(PartitionId partition, const Message& message);
  /// fdatasync of every partition with unsynced appends (unless fsync=never); after it
  /// returns, a kill -9 or power loss loses nothing sent before. Also applies retention.
  arrow::Status Flush() override;
  int32_t PartitionCount() const override;

  /// The offset the next message appended to `partition` gets. These three accessors
  /// require 0 <= partition < PartitionCount().
  Offset EndOffset(PartitionId partition) const;
  /// The oldest offset still on disk in `partition`.
  Offset EarliestOffset(PartitionId partition) const;
  /// Bytes of torn tail that Make cut off `partition`'s last segment.
  int64_t RecoveredBytesDropped(PartitionId partition) const;

 private:
  EmbeddedLogProducer() = default;
  arrow::Status CheckPartition(PartitionId partition) const;

  std::string dir_;
  EmbeddedLogOptions options_;
  int lock_fd_ = -1;
  std::vector<std::unique_ptr<internal::PartitionWriter>> partitions_;
  uint32_t round_robin_ = 0;
};

}  // namespace hashlake::bus
