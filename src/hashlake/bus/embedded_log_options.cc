#include "hashlake/bus/embedded_log_options.h"

#include <charconv>
#include <set>
#include <string_view>

#include "hashlake/bus/log_format.h"

namespace hashlake::bus {
namespace {

constexpr std::string_view kAllowedKeys =
    "partitions, segment_bytes, retention_bytes, retention_ms, max_record_bytes, fsync, "
    "poll_interval_ms";

arrow::Result<int64_t> ParseInt(const std::string& key, const std::string& text) {
  int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) {
    return arrow::Status::Invalid("bus URL parameter ", key, "='", text, "' is not an integer");
  }
  return value;
}

}  // namespace

arrow::Status EmbeddedLogOptions::Validate() const {
  if (partitions && (*partitions < 1 || *partitions > kMaxPartitions)) {
    return arrow::Status::Invalid("embedded log: partitions=", *partitions, " must be in [1, ",
                                  kMaxPartitions, "]");
  }
  if (segment_bytes < 64) {
    return arrow::Status::Invalid("embedded log: segment_bytes=", segment_bytes,
                                  " must be at least 64");
  }
  if (retention_bytes && *retention_bytes < 0) {
    return arrow::Status::Invalid("embedded log: retention_bytes=", *retention_bytes,
                                  " must be >= 0 (or unset for no limit)");
  }
  if (retention && retention->count() < 0) {
    return arrow::Status::Invalid("embedded log: retention_ms=", retention->count(),
                                  " must be >= 0 (or unset to keep forever)");
  }
  if (max_record_bytes < static_cast<int64_t>(log_format::kMinRecordSize) ||
      max_record_bytes > log_format::kHardMaxRecordBytes) {
    return arrow::Status::Invalid("embedded log: max_record_bytes=", max_record_bytes,
                                  " must be in [", log_format::kMinRecordSize, ", ",
                                  log_format::kHardMaxRecordBytes, "]");
  }
  if (poll_interval.count() < 1) {
    return arrow::Status::Invalid("embedded log: poll_interval_ms=", poll_interval.count(),
                                  " must be at least 1");
  }
  return arrow::Status::OK();
}

arrow::Result<EmbeddedLogOptions> EmbeddedLogOptions::FromQuery(
    const std::vector<std::pair<std::string, std::string>>& query) {
  EmbeddedLogOptions options;
  std::set<std::string> seen;
  for (const auto& [key, value] : query) {
    if (!seen.insert(key).second) {
      return arrow::Status::Invalid("bus URL parameter '", key, "' is given more than once");
    }
    if (key == "partitions") {
      ARROW_ASSIGN_OR_RAISE(int64_t v, ParseInt(key, value));
      if (v < 1 || v > kMaxPartitions) {
        return arrow::Status::Invalid("embedded log: partitions=", v, " must be in [1, ",
                                      kMaxPartitions, "]");
      }
      options.partitions = static_cast<int32_t>(v);
    } else if (key == "segment_bytes") {
      ARROW_ASSIGN_OR_RAISE(options.segment_bytes, ParseInt(key, value));
    } else if (key == "retention_bytes") {
      ARROW_ASSIGN_OR_RAISE(int64_t v, ParseInt(key, value));
      options.retention_bytes = v == -1 ? std::nullopt : std::optional<int64_t>(v);
    } else if (key == "retention_ms") {
      ARROW_ASSIGN_OR_RAISE(int64_t v, ParseInt(key, value));
      options.retention =
          v == -1 ? std::nullopt
                  : std::optional<std::chrono::milliseconds>(std::chrono::milliseconds(v));
    } else if (key == "max_record_bytes") {
      ARROW_ASSIGN_OR_RAISE(options.max_record_bytes, ParseInt(key, value));
    } else if (key == "fsync") {
      if (value == "flush") {
        options.fsync = FsyncPolicy::kOnFlush;
      } else if (value == "always") {
        options.fsync = FsyncPolicy::kAlways;
      } else if (value == "never") {
        options.fsync = FsyncPolicy::kNever;
      } else {
        return arrow::Status::Invalid("bus URL parameter fsync='", value,
                                      "' must be one of: flush, always, never");
      }
    } else if (key == "poll_interval_ms") {
      ARROW_ASSIGN_OR_RAISE(int64_t v, ParseInt(key, value));
      options.poll_interval = std::chrono::milliseconds(v);
    } else {
      return arrow::Status::Invalid("unknown bus URL parameter '", key,
                                    "' (allowed: ", kAllowedKeys, ")");
    }
  }
  ARROW_RETURN_NOT_OK(options.Validate());
  return options;
}

}  // namespace hashlake::bus
