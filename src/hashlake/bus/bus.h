#pragma once

#include <arrow/result.h>
#include <arrow/status.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "hashlake/core/time.h"

namespace hashlake::bus {

/// Strong types so that a partition is never passed where an offset is expected.
struct PartitionId {
  int32_t value = 0;
  auto operator<=>(const PartitionId&) const = default;
};
struct Offset {
  int64_t value = 0;
  auto operator<=>(const Offset&) const = default;
};

/// Next offset to read, per partition (Kafka's convention: committed = next to consume).
using OffsetMap = std::map<PartitionId, Offset>;

struct Message {
  std::string key;  ///< Chooses the partition (hash of the key); may be empty.
  std::string value;
  Timestamp timestamp{};
};

struct ConsumedMessage {
  PartitionId partition;
  Offset offset;
  std::string key;
  std::string value;
  Timestamp timestamp{};
};

/// Writes messages to a topic. Not thread-safe: one producer per thread.
class Producer {
 public:
  virtual ~Producer() = default;
  /// Queues one message. May block when the backend applies back-pressure.
  virtual arrow::Status Send(const Message& message) = 0;
  /// Returns once every message sent so far is durable on the backend.
  virtual arrow::Status Flush() = 0;
  virtual int32_t PartitionCount() const = 0;
};

/// Reads a topic as a member of a consumer group. Not thread-safe.
class Consumer {
 public:
  virtual ~Consumer() = default;
  /// Up to `max_messages`, waiting at most `timeout` for the first; empty is fine.
  virtual arrow::Result<std::vector<ConsumedMessage>> Poll(std::size_t max_messages,
                                                           std::chrono::milliseconds timeout) = 0;
  /// The next Poll of `partition` starts at `offset`.
  virtual arrow::Status Seek(PartitionId partition, Offset offset) = 0;
  /// The group's committed offsets (next to consume); partitions never committed are absent.
  virtual arrow::Result<OffsetMap> Committed() = 0;
  /// Durably records the group's progress.
  virtual arrow::Status Commit(const OffsetMap& next_offsets) = 0;
  /// The offset the next produced message will get, per assigned partition (for lag).
  virtual arrow::Result<OffsetMap> EndOffsets() = 0;
  /// The same, cheaply, for checks made every batch: it may trail the true end by what the
  /// consumer has not fetched yet (Kafka: the high watermark cached from the latest fetch
  /// response, where asking the broker waits behind the fetch in flight).
  virtual arrow::Result<OffsetMap> EndOffsetsEstimate() { return EndOffsets(); }
  /// The earliest offset still available, per assigned partition: older messages were
  /// deleted by retention, and a Seek before it lands on it.
  virtual arrow::Result<OffsetMap> BeginningOffsets() = 0;
  virtual std::vector<PartitionId> Assignment() const = 0;
};

/// Backends are chosen by URL:
///   log:///abs/dir?partitions=4   the embedded log (topic = the directory; `log://rel/dir`
///                                 is relative to the working directory). Query keys are
///                                 the fields of EmbeddedLogOptions (embedded_log_options.h).
/// Any other scheme is an Invalid error listing the allowed ones.
arrow::Result<std::unique_ptr<Producer>> MakeProducer(const std::string& url);
arrow::Result<std::unique_ptr<Consumer>> MakeConsumer(const std::string& url,
                                                      const std::string& group);

}  // namespace hashlake::bus
