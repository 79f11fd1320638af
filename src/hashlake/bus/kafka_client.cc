#include "hashlake/bus/kafka_client.h"

#include <spdlog/spdlog.h>

#include <thread>

#include "hashlake/bus/bus_logger.h"

namespace hashlake::bus::internal {
namespace {

// librdkafka logs from its own threads with syslog levels; spdlog loggers are thread-safe.
void LogCallback(const rd_kafka_t* rk, int level, const char* facility, const char* message) {
  const auto spd = level <= 3 ? spdlog::level::warn
                   : level <= 5 ? spdlog::level::info
                                : spdlog::level::debug;
  Logger()->log(spd, "librdkafka {} {}: {}", rd_kafka_name(rk), facility, message);
}

}  // namespace

ConfPtr NewConf(const KafkaOptions& options) {
  ConfPtr conf(rd_kafka_conf_new());
  char err[256];
  // Both names exist in every librdkafka; failures here would be programming errors.
  rd_kafka_conf_set(conf.get(), "bootstrap.servers", options.BootstrapList().c_str(), err,
                    sizeof(err));
  rd_kafka_conf_set(conf.get(), "client.id", options.client_id.c_str(), err, sizeof(err));
  rd_kafka_conf_set_log_cb(conf.get(), LogCallback);
  return conf;
}

arrow::Status SetConf(rd_kafka_conf_t* conf, const std::string& name, const std::string& value) {
  char err[512];
  if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), err, sizeof(err)) !=
      RD_KAFKA_CONF_OK) {
    return arrow::Status::Invalid("kafka setting ", name, "=", value, ": ", err);
  }
  return arrow::Status::OK();
}

arrow::Status ApplyPassThrough(rd_kafka_conf_t* conf, const KafkaOptions& options) {
  for (const auto& [name, value] : options.rdkafka) ARROW_RETURN_NOT_OK(SetConf(conf, name, value));
  return arrow::Status::OK();
}

arrow::Result<RdKafkaPtr> NewHandle(rd_kafka_type_t type, ConfPtr conf) {
  char err[512];
  rd_kafka_t* rk = rd_kafka_new(type, conf.get(), err, sizeof(err));
  if (rk == nullptr) return arrow::Status::Invalid("kafka client: ", err);  // conf still ours
  conf.release();  // rd_kafka_new took it
  return RdKafkaPtr(rk);
}

std::string Where(const KafkaOptions& options) {
  return "kafka " + options.BootstrapList() + ": ";
}

arrow::Status KafkaError(const KafkaOptions& options, const std::string& what,
                         rd_kafka_resp_err_t err) {
  return arrow::Status::IOError(Where(options), what, ": ", rd_kafka_err2str(err));
}

arrow::Result<int32_t> FetchPartitionCount(rd_kafka_t* rk, const KafkaOptions& options,
                                           const std::string& topic,
                                           std::chrono::milliseconds timeout) {
  TopicPtr rkt(rd_kafka_topic_new(rk, topic.c_str(), nullptr));
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    const rd_kafka_metadata_t* raw = nullptr;
    rd_kafka_resp_err_t err = rd_kafka_metadata(
        rk, 0, rkt.get(), &raw, static_cast<int>(std::max<int64_t>(left.count(), 1)));
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return KafkaError(options, "metadata request for topic '" + topic + "' failed", err);
    }
    MetadataPtr md(raw);
    if (md->topic_cnt == 1) {
      const auto& t = md->topics[0];
      if (t.err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) {
        return arrow::Status::KeyError(Where(options), "topic '", topic, "' does not exist");
      }
      // Right after creation a topic may be listed before its partitions have leaders.
      const bool settling = t.err == RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE ||
                            t.err == RD_KAFKA_RESP_ERR_NO_ERROR;
      bool leaders = true;  // every partition led: produce and list-offsets will work
      for (int i = 0; i < t.partition_cnt; ++i) {
        leaders = leaders && t.partitions[i].leader >= 0 &&
                  t.partitions[i].err != RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE;
      }
      if (t.err == RD_KAFKA_RESP_ERR_NO_ERROR && t.partition_cnt > 0 && leaders) {
        return t.partition_cnt;
      }
      if (!settling) return KafkaError(options, "topic '" + topic + "'", t.err);
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return arrow::Status::IOError(Where(options), "topic '", topic,
                                    "' has no partition leaders yet");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

arrow::Status QueryWatermarks(rd_kafka_t* rk, const KafkaOptions& options, int32_t partition,
                              int64_t* low, int64_t* high) {
  const auto deadline = std::chrono::steady_clock::now() + options.request_timeout;
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    const rd_kafka_resp_err_t err = rd_kafka_query_watermark_offsets(
        rk, options.topic.c_str(), partition, low, high,
        static_cast<int>(std::max<int64_t>(left.count(), 1)));
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return arrow::Status::OK();
    // Leadership moves (a new topic, a broker restart) are retried until the deadline.
    const bool retriable = err == RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION ||
                           err == RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE ||
                           err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART ||
                           err == RD_KAFKA_RESP_ERR__TRANSPORT ||
                           err == RD_KAFKA_RESP_ERR_NOT_COORDINATOR;
    if (!retriable || std::chrono::steady_clock::now() >= deadline) {
      return KafkaError(options, "watermarks of partition " + std::to_string(partition), err);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

arrow::Status CreateTopic(rd_kafka_t* rk, const KafkaOptions& options, const std::string& topic,
                          int32_t partitions, int16_t replication_factor,
                          const std::map<std::string, std::string>& configs) {
  ARROW_RETURN_NOT_OK(ValidateTopicName(topic));
  char err[512];
  rd_kafka_NewTopic_t* new_topic =
      rd_kafka_NewTopic_new(topic.c_str(), partitions, replication_factor, err, sizeof(err));
  if (new_topic == nullptr) return arrow::Status::Invalid(Where(options), err);
  for (const auto& [name, value] : configs) {
    rd_kafka_NewTopic_set_config(new_topic, name.c_str(), value.c_str());
  }
  const int timeout_ms = static_cast<int>(options.request_timeout.count());
  AdminOptionsPtr admin_options(rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS));
  rd_kafka_AdminOptions_set_request_timeout(admin_options.get(), timeout_ms, err, sizeof(err));
  rd_kafka_AdminOptions_set_operation_timeout(admin_options.get(), timeout_ms, err, sizeof(err));
  QueuePtr queue(rd_kafka_queue_new(rk));
  rd_kafka_CreateTopics(rk, &new_topic, 1, admin_options.get(), queue.get());
  rd_kafka_NewTopic_destroy(new_topic);
  EventPtr event(rd_kafka_queue_poll(queue.get(), timeout_ms + 5000));
  if (!event) return arrow::Status::IOError(Where(options), "create topic '", topic, "' timed out");
  if (rd_kafka_event_error(event.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return arrow::Status::IOError(Where(options), "create topic '", topic,
                                  "': ", rd_kafka_event_error_string(event.get()));
  }
  const auto* result = rd_kafka_event_CreateTopics_result(event.get());
  size_t count = 0;
  const rd_kafka_topic_result_t** results = rd_kafka_CreateTopics_result_topics(result, &count);
  for (size_t i = 0; i < count; ++i) {
    const rd_kafka_resp_err_t e = rd_kafka_topic_result_error(results[i]);
    if (e == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
      return arrow::Status::AlreadyExists(Where(options), "topic '", topic, "' already exists");
    }
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
      const char* msg = rd_kafka_topic_result_error_string(results[i]);
      return arrow::Status::IOError(Where(options), "create topic '", topic,
                                    "': ", msg ? msg : rd_kafka_err2str(e));
    }
  }
  return arrow::Status::OK();
}

arrow::Result<int32_t> EnsureTopic(rd_kafka_t* rk, const KafkaOptions& options) {
  auto count = FetchPartitionCount(rk, options, options.topic, options.request_timeout);
  if (count.ok() || !count.status().IsKeyError()) return count;
  if (!options.partitions) {
    return arrow::Status::KeyError(
        count.status().message(),
        " (create it with `hashlake topics create` or add ?partitions=N to the URL)");
  }
  arrow::Status created = CreateTopic(rk, options, options.topic, *options.partitions,
                                      options.replication_factor, {});
  if (!created.ok() && !created.IsAlreadyExists()) return created;  // lost a race: fine
  if (created.ok()) {
    Logger()->info("created kafka topic '{}' with {} partitions", options.topic,
                   *options.partitions);
  }
  // The new topic reaches every broker's metadata cache shortly after the controller.
  const auto deadline = std::chrono::steady_clock::now() + options.request_timeout;
  while (true) {
    count = FetchPartitionCount(rk, options, options.topic, options.request_timeout);
    if (count.ok() || !count.status().IsKeyError() ||
        std::chrono::steady_clock::now() >= deadline) {
      return count;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace hashlake::bus::internal
