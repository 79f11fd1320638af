#pragma once

#include <arrow/result.h>
#include <arrow/status.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hashlake/bus/bus_url.h"

namespace hashlake::bus {

/// How a Kafka consumer gets its partitions.
enum class KafkaAssignMode {
  /// [assign=group] Subscribe as a consumer-group member: the group coordinator splits the
  /// partitions between the members and moves them on rebalances (default).
  kGroup,
  /// [assign=all] Take every partition of the topic, with no group membership (commits
  /// still go to the group). For a single reader that keeps its own checkpoint and seeks,
  /// such as the stream job: its assignment never changes under it.
  kAll,
};

/// Options of a Kafka producer, consumer or admin client. Plain values; copy freely. Parsed
/// from `kafka://HOST:PORT[,HOST2:PORT]/TOPIC?key=value&…`; query keys in brackets.
struct KafkaOptions {
  /// Bootstrap servers, each "host:port" (IPv6 as "[::1]:9092"). At least one.
  std::vector<std::string> bootstrap;
  /// Topic name: 1-249 characters of [a-zA-Z0-9._-]. Empty only for an admin client.
  std::string topic;

  /// [compression] none | gzip | snappy | lz4 | zstd. Default lz4.
  std::string compression = "lz4";
  /// [linger_ms] How long the producer waits to fill a batch. Default 5 ms.
  std::chrono::milliseconds linger{5};
  /// [batch_bytes] Largest producer batch per partition. Default 1 MiB.
  int64_t batch_bytes = int64_t{1} << 20;
  /// [queue_max_messages] Messages the producer holds in memory before Send blocks
  /// (back-pressure). Default 100,000.
  int32_t queue_max_messages = 100000;
  /// [delivery_timeout_ms] How long the producer keeps retrying a message (across broker
  /// restarts) before it fails it. Default 300,000 ms (5 min, as the Java client).
  std::chrono::milliseconds delivery_timeout{300000};
  /// [partitions] When set and the topic does not exist, the producer or consumer creates
  /// it with this many partitions. Default: unset (a missing topic is an error).
  std::optional<int32_t> partitions;
  /// [replication_factor] Replication factor of a topic created through `partitions`.
  /// Default -1: the broker's default.replication.factor.
  int16_t replication_factor = -1;

  /// [assign] group | all. Default group.
  KafkaAssignMode assign = KafkaAssignMode::kGroup;
  /// [auto_offset_reset] earliest | latest: where a partition the group never committed
  /// starts. Default earliest (as the embedded log).
  std::string auto_offset_reset = "earliest";
  /// [session_timeout_ms] Group session timeout. Default 10,000 ms.
  std::chrono::milliseconds session_timeout{10000};

  /// [timeout_ms] Limit of each blocking request (metadata, commit, offsets, admin, the
  /// first group join). Default 30,000 ms.
  std::chrono::milliseconds request_timeout{30000};
  /// [client_id] Default "hashlake".
  std::string client_id = "hashlake";
  /// [rdkafka.NAME] Any librdkafka property, passed through after ours (so it wins), e.g.
  /// `rdkafka.fetch.min.bytes=65536`. librdkafka rejects unknown names.
  std::vector<std::pair<std::string, std::string>> rdkafka;

  /// "host:port,host2:port".
  std::string BootstrapList() const;
  /// An Invalid status naming the first field out of range.
  arrow::Status Validate() const;
};

/// Parses a `kafka://` URL (already split by ParseBusUrl). An unknown query key is an
/// Invalid error naming it and listing the allowed ones; so are a repeated key, a bad
/// number, an empty host list, a bad port and an illegal topic name.
arrow::Result<KafkaOptions> KafkaOptionsFromUrl(const BusUrl& url);
arrow::Result<KafkaOptions> KafkaOptionsFromUrl(std::string_view url);

/// Parses "host:port[,host:port]" into KafkaOptions::bootstrap, checking each entry.
arrow::Result<std::vector<std::string>> ParseBootstrap(std::string_view list);

/// Kafka's topic-name rule: 1-249 characters of [a-zA-Z0-9._-], not "." or "..".
arrow::Status ValidateTopicName(std::string_view topic);

}  // namespace hashlake::bus
