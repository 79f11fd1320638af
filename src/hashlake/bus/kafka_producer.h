#pragma once

#include <arrow/result.h>
#include <arrow/status.h>

#include <cstdint>
#include <memory>
#include <string>

#include "hashlake/bus/bus.h"
#include "hashlake/bus/kafka_options.h"

namespace hashlake::bus {

namespace internal {
struct KafkaProducerState;
}  // namespace internal

/// Writes to a Kafka topic through librdkafka: idempotent (enable.idempotence, acks=all,
/// so broker restarts and retries neither lose nor duplicate), compressed
/// (KafkaOptions::compression), keyed with Kafka's Java default partitioner
/// (murmur2_random: the same partition as PartitionForKey and the embedded log; an empty
/// key goes to a random partition). Every delivery report is checked: Flush fails when any
/// message sent since the previous Flush failed. Not thread-safe: one producer per thread.
class KafkaProducer final : public Producer {
 public:
  /// Connects, reads the topic's partition count (creating the topic when it is absent and
  /// options.partitions is set) and fails when the cluster does not answer within
  /// options.request_timeout.
  static arrow::Result<std::unique_ptr<KafkaProducer>> Make(const KafkaOptions& options);
  /// Flushes for up to request_timeout; messages still queued then are lost (logged).
  ~KafkaProducer() override;

  /// Copies the message into librdkafka's queue. When the queue is full (queue_max_messages)
  /// it serves delivery reports and retries: back-pressure, bounded by delivery_timeout.
  /// Fails at once after a fatal producer error (e.g. the idempotence sequence broke).
  arrow::Status Send(const Message& message) override;
  /// Waits until every queued message is acknowledged by all in-sync replicas, or
  /// delivery_timeout; an error names how many failed since the previous Flush and why.
  arrow::Status Flush() override;
  /// As read at Make; partitions added later are not seen by this producer.
  int32_t PartitionCount() const override;

  /// Messages acknowledged since Make.
  int64_t delivered() const;

 private:
  explicit KafkaProducer(std::unique_ptr<internal::KafkaProducerState> state);
  std::unique_ptr<internal::KafkaProducerState> state_;
};

}  // namespace hashlake::bus
