#pragma once

#include <arrow/result.h>
#include <arrow/status.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "hashlake/bus/kafka_options.h"

namespace hashlake::bus {

namespace internal {
struct KafkaAdminState;
}  // namespace internal

struct KafkaPartitionInfo {
  int32_t partition = 0;
  int32_t leader = -1;  ///< Broker id; -1 when the partition has no leader.
  std::vector<int32_t> replicas;
  std::vector<int32_t> isr;  ///< In-sync replicas.
};

struct KafkaTopicInfo {
  std::string name;
  std::vector<KafkaPartitionInfo> partitions;
  /// Topic configs set on the topic itself (not broker or built-in defaults).
  std::map<std::string, std::string> configs;
};

/// Topic management on a Kafka cluster, like kafka-topics.sh. Every call blocks for at most
/// options.request_timeout. Not thread-safe.
class KafkaAdmin {
 public:
  /// Only options.bootstrap, client_id, request_timeout and rdkafka are used. Connects
  /// lazily: an unreachable cluster shows up as an IOError of the first call.
  static arrow::Result<std::unique_ptr<KafkaAdmin>> Make(const KafkaOptions& options);
  ~KafkaAdmin();

  /// AlreadyExists when the topic exists; Invalid for a bad name, count or config.
  arrow::Status CreateTopic(const std::string& topic, int32_t partitions,
                            int16_t replication_factor,
                            const std::map<std::string, std::string>& configs = {});
  /// KeyError when the topic does not exist.
  arrow::Status DeleteTopic(const std::string& topic);
  /// Sorted names, internal topics (leading "__") left out.
  arrow::Result<std::vector<std::string>> ListTopics();
  /// KeyError when the topic does not exist.
  arrow::Result<KafkaTopicInfo> DescribeTopic(const std::string& topic);

 private:
  explicit KafkaAdmin(std::unique_ptr<internal::KafkaAdminState> state);
  std::unique_ptr<internal::KafkaAdminState> state_;
};

}  // namespace hashlake::bus
