#pragma once

#include <arrow/result.h>
#include <arrow/status.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace hashlake::bus {

/// When the embedded log calls fdatasync.
enum class FsyncPolicy {
  kOnFlush,  ///< On Producer::Flush and when a segment is rolled (default).
  kAlways,   ///< After every record: slow, for the paranoid.
  kNever,    ///< Never; the OS writes back when it likes. Survives kill -9, not power loss.
};

/// Options of an embedded-log topic. Plain values; copy freely. Every field can also be
/// given as a URL query parameter (key in brackets), e.g.
/// `log:///data/posts?partitions=8&segment_bytes=16777216&retention_ms=86400000`.
struct EmbeddedLogOptions {
  static constexpr int32_t kDefaultPartitions = 4;
  static constexpr int32_t kMaxPartitions = 1024;

  /// [partitions] Partition count. nullopt: the existing topic's count, or
  /// kDefaultPartitions (4) when the topic is created. Fixed once the topic exists; asking
  /// for another count is an error.
  std::optional<int32_t> partitions;
  /// [segment_bytes] A segment file is rolled once the next record would take it past
  /// this size. Default 64 MiB; at least 64 bytes.
  int64_t segment_bytes = int64_t{64} << 20;
  /// [retention_bytes] Per partition: oldest whole segments are deleted while the
  /// partition is larger than this. nullopt (URL: -1): no size limit (default).
  std::optional<int64_t> retention_bytes;
  /// [retention_ms] Whole segments whose last write is older than this are deleted.
  /// nullopt (URL: -1): keep forever. Default 7 days, as Kafka.
  std::optional<std::chrono::milliseconds> retention = std::chrono::hours(24 * 7);
  /// [max_record_bytes] Largest record accepted by Send, on-disk bytes (key + value + 28
  /// bytes of framing). Default 32 MiB; at most 1 GiB.
  int64_t max_record_bytes = int64_t{32} << 20;
  /// [fsync] flush | always | never. Default flush.
  FsyncPolicy fsync = FsyncPolicy::kOnFlush;
  /// [poll_interval_ms] How often a waiting Poll looks at the files again. Default 10 ms.
  std::chrono::milliseconds poll_interval{10};

  /// An Invalid status naming the first field out of range.
  arrow::Status Validate() const;

  /// Applies URL query parameters over the defaults. An unknown key is an error naming it
  /// and listing the allowed ones; a repeated key or a malformed number is an error too.
  static arrow::Result<EmbeddedLogOptions> FromQuery(
      const std::vector<std::pair<std::string, std::string>>& query);
};

}  // namespace hashlake::bus
