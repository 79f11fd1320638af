#pragma once

#include <cstdint>
#include <string_view>

#include "hashlake/bus/bus.h"

namespace hashlake::bus {

/// Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2), bit for bit, so that a
/// key lands on the same partition number in the embedded log as on a Kafka topic with
/// the same partition count.
int32_t Murmur2(std::string_view key);

/// Kafka's default partitioner for keyed records: (murmur2(key) & 0x7fffffff) % count.
/// Stable across processes, runs and versions. Requires `partition_count > 0` and a
/// non-empty key (empty keys are spread round-robin by the producer instead).
PartitionId PartitionForKey(std::string_view key, int32_t partition_count);

}  // namespace hashlake::bus
