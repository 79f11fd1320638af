#include "hashlake/bus/kafka_options.h"

#include <charconv>
#include <set>

namespace hashlake::bus {
namespace {

constexpr std::string_view kAllowedKeys =
    "compression, linger_ms, batch_bytes, queue_max_messages, delivery_timeout_ms, partitions, "
    "replication_factor, assign, auto_offset_reset, session_timeout_ms, timeout_ms, client_id, "
    "rdkafka.<librdkafka property>";

arrow::Result<int64_t> ParseInt(const std::string& key, const std::string& text, int64_t min,
                                int64_t max) {
  int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) {
    return arrow::Status::Invalid("kafka URL parameter ", key, "='", text,
                                  "' is not an integer");
  }
  if (value < min || value > max) {
    return arrow::Status::Invalid("kafka URL parameter ", key, "=", value, " must be in [", min,
                                  ", ", max, "]");
  }
  return value;
}

arrow::Status OneOf(const std::string& key, const std::string& value,
                    std::initializer_list<std::string_view> allowed) {
  std::string list;
  for (auto a : allowed) {
    if (value == a) return arrow::Status::OK();
    if (!list.empty()) list += " | ";
    list += a;
  }
  return arrow::Status::Invalid("kafka URL parameter ", key, "='", value, "' must be ", list);
}

}  // namespace

std::string KafkaOptions::BootstrapList() const {
  std::string out;
  for (const auto& server : bootstrap) {
    if (!out.empty()) out += ',';
    out += server;
  }
  return out;
}

arrow::Status ValidateTopicName(std::string_view topic) {
  if (topic.empty() || topic.size() > 249 || topic == "." || topic == "..") {
    return arrow::Status::Invalid("kafka topic '", topic,
                                  "' is not a legal name (1-249 characters of [a-zA-Z0-9._-])");
  }
  for (char c : topic) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) {
      return arrow::Status::Invalid("kafka topic '", topic, "' has an illegal character '",
                                    std::string(1, c), "' (allowed: [a-zA-Z0-9._-])");
    }
  }
  return arrow::Status::OK();
}

arrow::Result<std::vector<std::string>> ParseBootstrap(std::string_view list) {
  std::vector<std::string> out;
  while (true) {
    const std::size_t comma = list.find(',');
    std::string_view server = list.substr(0, comma);
    std::size_t colon = server.rfind(':');
    std::string_view host = colon == std::string_view::npos ? server : server.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
      host = host.substr(1, host.size() - 2);
    } else if (host.find(':') != std::string_view::npos) {
      colon = std::string_view::npos;  // a bare IPv6 address: no port separable
    }
    if (colon == std::string_view::npos || host.empty()) {
      return arrow::Status::Invalid("kafka bootstrap server '", server,
                                    "' is not host:port (e.g. 127.0.0.1:9092)");
    }
    const std::string_view port_text = server.substr(colon + 1);
    int port = 0;
    auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (port_text.empty() || ec != std::errc() || ptr != port_text.data() + port_text.size() ||
        port < 1 || port > 65535) {
      return arrow::Status::Invalid("kafka bootstrap server '", server, "' has a bad port '",
                                    port_text, "' (1-65535)");
    }
    out.emplace_back(server);
    if (comma == std::string_view::npos) break;
    list = list.substr(comma + 1);
  }
  return out;
}

arrow::Status KafkaOptions::Validate() const {
  if (bootstrap.empty()) return arrow::Status::Invalid("kafka: no bootstrap server");
  if (!topic.empty()) ARROW_RETURN_NOT_OK(ValidateTopicName(topic));
  ARROW_RETURN_NOT_OK(OneOf("compression", compression, {"none", "gzip", "snappy", "lz4", "zstd"}));
  ARROW_RETURN_NOT_OK(OneOf("auto_offset_reset", auto_offset_reset, {"earliest", "latest"}));
  if (partitions && *partitions < 1) {
    return arrow::Status::Invalid("kafka: partitions=", *partitions, " must be at least 1");
  }
  if (replication_factor < -1 || replication_factor == 0) {
    return arrow::Status::Invalid("kafka: replication_factor=", replication_factor,
                                  " must be -1 (broker default) or at least 1");
  }
  if (request_timeout.count() < 1 || delivery_timeout.count() < 1 ||
      session_timeout.count() < 1 || linger.count() < 0) {
    return arrow::Status::Invalid("kafka: timeouts must be positive (linger_ms >= 0)");
  }
  return arrow::Status::OK();
}

arrow::Result<KafkaOptions> KafkaOptionsFromUrl(const BusUrl& url) {
  if (url.scheme != "kafka") {
    return arrow::Status::Invalid("not a kafka:// URL (scheme '", url.scheme, "')");
  }
  KafkaOptions options;
  const std::size_t slash = url.path.find('/');
  if (slash == std::string::npos || slash + 1 == url.path.size()) {
    return arrow::Status::Invalid("kafka URL 'kafka://", url.path,
                                  "' names no topic (expected kafka://HOST:PORT/TOPIC)");
  }
  ARROW_ASSIGN_OR_RAISE(options.bootstrap, ParseBootstrap(url.path.substr(0, slash)));
  options.topic = url.path.substr(slash + 1);
  ARROW_RETURN_NOT_OK(ValidateTopicName(options.topic));

  std::set<std::string> seen;
  std::vector<std::string> unknown;
  for (const auto& [key, value] : url.query) {
    if (!seen.insert(key).second) {
      return arrow::Status::Invalid("kafka URL parameter '", key, "' is given more than once");
    }
    if (key == "compression") {
      options.compression = value;
    } else if (key == "linger_ms") {
      ARROW_ASSIGN_OR_RAISE(auto v, ParseInt(key, value, 0, 900000));
      options.linger = std::chrono::milliseconds(v);
    } else if (key == "batch_bytes") {
      ARROW_ASSIGN_OR_RAISE(options.batch_bytes, ParseInt(key, value, 1, 2147483647));
    } else if (key == "queue_max_messages") {
      ARROW_ASSIGN_OR_RAISE(auto v, ParseInt(key, value, 1, 10000000));
      options.queue_max_messages = static_cast<int32_t>(v);
    } else if (key == "delivery_timeout_ms") {
      ARROW_ASSIGN_OR_RAISE(auto v, ParseInt(key, value, 1, 2147483647));
      options.delivery_timeout = std::chrono::milliseconds(v);
    } else if (key == "partitions") {
      ARROW_ASSIGN_OR_RAISE(auto v, ParseInt(key, value, 1, 100000));
      options.partitions = static_cast<int32_t>(v);
    } else if (key == "replication_factor") {
      ARROW_ASSIGN_OR_RAISE(auto v, ParseInt(key, value, -1, 32767));
      options.replication_factor = static_cast<int16_t>(v);
    } else if (key == "assign") {
      ARROW_RETURN_NOT_OK(OneOf(key, value, {"group", "all"}));
      options.assign = value == "all" ? KafkaAssignMode::kAll : KafkaAssignMode::kGroup;
    } else if (key == "auto_offset_reset") {
      options.auto_offset_reset = value;
    } else if (key == "session_timeout_ms") {
      ARROW_ASSIGN_OR_RAISE(auto v, ParseInt(key, value, 1, 3600000));
      options.session_timeout = std::chrono::milliseconds(v);
    } else if (key == "timeout_ms") {
      ARROW_ASSIGN_OR_RAISE(auto v, ParseInt(key, value, 1, 3600000));
      options.request_timeout = std::chrono::milliseconds(v);
    } else if (key == "client_id") {
      options.client_id = value;
    } else if (key.rfind("rdkafka.", 0) == 0 && key.size() > 8) {
      options.rdkafka.emplace_back(key.substr(8), value);
    } else {
      unknown.push_back(key);
    }
  }
  if (!unknown.empty()) {
    std::string names;
    for (const auto& k : unknown) names += (names.empty() ? "'" : ", '") + k + "'";
    return arrow::Status::Invalid("unknown kafka URL parameter", unknown.size() > 1 ? "s " : " ",
                                  names, " (allowed: ", kAllowedKeys, ")");
  }
  ARROW_RETURN_NOT_OK(options.Validate());
  return options;
}

arrow::Result<KafkaOptions> KafkaOptionsFromUrl(std::string_view url) {
  ARROW_ASSIGN_OR_RAISE(BusUrl parsed, ParseBusUrl(url));
  return KafkaOptionsFromUrl(parsed);
}

}  // namespace hashlake::bus
