#pragma once

// Internals shared by the Kafka producer, consumer and admin client: librdkafka handles
// with RAII, configuration from KafkaOptions, topic metadata and topic creation.

#include <librdkafka/rdkafka.h>

#include <arrow/result.h>
#include <arrow/status.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "hashlake/bus/kafka_options.h"

namespace hashlake::bus::internal {

struct RdKafkaDeleter {
  void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
  void operator()(rd_kafka_conf_t* conf) const { rd_kafka_conf_destroy(conf); }
  void operator()(rd_kafka_topic_partition_list_t* list) const {
    rd_kafka_topic_partition_list_destroy(list);
  }
  void operator()(rd_kafka_queue_t* queue) const { rd_kafka_queue_destroy(queue); }
  void operator()(rd_kafka_event_t* event) const { rd_kafka_event_destroy(event); }
  void operator()(rd_kafka_AdminOptions_t* options) const {
    rd_kafka_AdminOptions_destroy(options);
  }
  void operator()(const rd_kafka_metadata_t* md) const { rd_kafka_metadata_destroy(md); }
  void operator()(rd_kafka_topic_t* rkt) const { rd_kafka_topic_destroy(rkt); }
};
using RdKafkaPtr = std::unique_ptr<rd_kafka_t, RdKafkaDeleter>;
using ConfPtr = std::unique_ptr<rd_kafka_conf_t, RdKafkaDeleter>;
using PartitionListPtr = std::unique_ptr<rd_kafka_topic_partition_list_t, RdKafkaDeleter>;
using QueuePtr = std::unique_ptr<rd_kafka_queue_t, RdKafkaDeleter>;
using EventPtr = std::unique_ptr<rd_kafka_event_t, RdKafkaDeleter>;
using AdminOptionsPtr = std::unique_ptr<rd_kafka_AdminOptions_t, RdKafkaDeleter>;
using MetadataPtr = std::unique_ptr<const rd_kafka_metadata_t, RdKafkaDeleter>;
using TopicPtr = std::unique_ptr<rd_kafka_topic_t, RdKafkaDeleter>;

/// A configuration with bootstrap.servers, client.id and logging into the bus logger.
ConfPtr NewConf(const KafkaOptions& options);
/// Sets one property; Invalid (naming it) when librdkafka rejects it.
arrow::Status SetConf(rd_kafka_conf_t* conf, const std::string& name, const std::string& value);
/// Applies KafkaOptions::rdkafka over what is set.
arrow::Status ApplyPassThrough(rd_kafka_conf_t* conf, const KafkaOptions& options);
/// Creates the handle; takes ownership of `conf` on success and on failure.
arrow::Result<RdKafkaPtr> NewHandle(rd_kafka_type_t type, ConfPtr conf);

/// "kafka 127.0.0.1:9092: " — the prefix of every error message.
std::string Where(const KafkaOptions& options);
/// An IOError for a librdkafka error code.
arrow::Status KafkaError(const KafkaOptions& options, const std::string& what,
                         rd_kafka_resp_err_t err);

/// Partition count of `topic`; KeyError when the topic does not exist, IOError when the
/// cluster cannot be reached within `timeout`.
arrow::Result<int32_t> FetchPartitionCount(rd_kafka_t* rk, const KafkaOptions& options,
                                           const std::string& topic,
                                           std::chrono::milliseconds timeout);

/// Low and high watermark of one partition of options.topic, retrying leadership changes
/// for up to options.request_timeout.
arrow::Status QueryWatermarks(rd_kafka_t* rk, const KafkaOptions& options, int32_t partition,
                              int64_t* low, int64_t* high);

/// CreateTopics for one topic; waits for the controller to finish (operation timeout).
arrow::Status CreateTopic(rd_kafka_t* rk, const KafkaOptions& options, const std::string& topic,
                          int32_t partitions, int16_t replication_factor,
                          const std::map<std::string, std::string>& configs);

/// The topic's partition count, creating it when absent and `options.partitions` is set.
arrow::Result<int32_t> EnsureTopic(rd_kafka_t* rk, const KafkaOptions& options);

}  // namespace hashlake::bus::internal
