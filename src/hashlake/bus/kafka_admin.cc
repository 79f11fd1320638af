#include "hashlake/bus/kafka_admin.h"

#include <algorithm>

#include "hashlake/bus/kafka_client.h"

namespace hashlake::bus {
namespace internal {

struct KafkaAdminState {
  KafkaOptions options;
  RdKafkaPtr rk;
  int timeout_ms() const { return static_cast<int>(options.request_timeout.count()); }
};

namespace {

// Runs one admin request and returns its result event, or the request's own error.
template <typename Submit>
arrow::Result<EventPtr> RunAdmin(KafkaAdminState& s, rd_kafka_admin_op_t op,
                                 const std::string& what, Submit&& submit) {
  char err[512];
  AdminOptionsPtr options(rd_kafka_AdminOptions_new(s.rk.get(), op));
  rd_kafka_AdminOptions_set_request_timeout(options.get(), s.timeout_ms(), err, sizeof(err));
  if (op == RD_KAFKA_ADMIN_OP_DELETETOPICS) {
    rd_kafka_AdminOptions_set_operation_timeout(options.get(), s.timeout_ms(), err, sizeof(err));
  }
  QueuePtr queue(rd_kafka_queue_new(s.rk.get()));
  submit(options.get(), queue.get());
  EventPtr event(rd_kafka_queue_poll(queue.get(), s.timeout_ms() + 5000));
  if (!event) return arrow::Status::IOError(Where(s.options), what, ": timed out");
  if (rd_kafka_event_error(event.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return arrow::Status::IOError(Where(s.options), what, ": ",
                                  rd_kafka_event_error_string(event.get()));
  }
  return event;
}

}  // namespace
}  // namespace internal

KafkaAdmin::KafkaAdmin(std::unique_ptr<internal::KafkaAdminState> state)
    : state_(std::move(state)) {}
KafkaAdmin::~KafkaAdmin() = default;

arrow::Result<std::unique_ptr<KafkaAdmin>> KafkaAdmin::Make(const KafkaOptions& options) {
  ARROW_RETURN_NOT_OK(options.Validate());
  auto state = std::make_unique<internal::KafkaAdminState>();
  state->options = options;
  internal::ConfPtr conf = internal::NewConf(options);
  ARROW_RETURN_NOT_OK(internal::ApplyPassThrough(conf.get(), options));
  ARROW_ASSIGN_OR_RAISE(state->rk, internal::NewHandle(RD_KAFKA_PRODUCER, std::move(conf)));
  return std::unique_ptr<KafkaAdmin>(new KafkaAdmin(std::move(state)));
}

arrow::Status KafkaAdmin::CreateTopic(const std::string& topic, int32_t partitions,
                                      int16_t replication_factor,
                                      const std::map<std::string, std::string>& configs) {
  if (partitions < 1) {
    return arrow::Status::Invalid("kafka: partitions=", partitions, " must be at least 1");
  }
  if (replication_factor < -1 || replication_factor == 0) {
    return arrow::Status::Invalid("kafka: replication factor ", replication_factor,
                                  " must be -1 (broker default) or at least 1");
  }
  return internal::CreateTopic(state_->rk.get(), state_->options, topic, partitions,
                               replication_factor, configs);
}

arrow::Status KafkaAdmin::DeleteTopic(const std::string& topic) {
  ARROW_RETURN_NOT_OK(ValidateTopicName(topic));
  auto& s = *state_;
  rd_kafka_DeleteTopic_t* del = rd_kafka_DeleteTopic_new(topic.c_str());
  auto event = internal::RunAdmin(s, RD_KAFKA_ADMIN_OP_DELETETOPICS, "delete topic '" + topic + "'",
                                  [&](rd_kafka_AdminOptions_t* o, rd_kafka_queue_t* q) {
                                    rd_kafka_DeleteTopics(s.rk.get(), &del, 1, o, q);
                                  });
  rd_kafka_DeleteTopic_destroy(del);
  ARROW_RETURN_NOT_OK(event.status());
  size_t count = 0;
  const rd_kafka_topic_result_t** results = rd_kafka_DeleteTopics_result_topics(
      rd_kafka_event_DeleteTopics_result(event->get()), &count);
  for (size_t i = 0; i < count; ++i) {
    const auto e = rd_kafka_topic_result_error(results[i]);
    if (e == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) {
      return arrow::Status::KeyError(internal::Where(s.options), "topic '", topic,
                                     "' does not exist");
    }
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return internal::KafkaError(s.options, "delete topic '" + topic + "'", e);
    }
  }
  return arrow::Status::OK();
}

arrow::Result<std::vector<std::string>> KafkaAdmin::ListTopics() {
  auto& s = *state_;
  const rd_kafka_metadata_t* raw = nullptr;
  if (auto err = rd_kafka_metadata(s.rk.get(), 1, nullptr, &raw, s.timeout_ms())) {
    return internal::KafkaError(s.options, "list topics", err);
  }
  internal::MetadataPtr md(raw);
  std::vector<std::string> out;
  for (int i = 0; i < md->topic_cnt; ++i) {
    std::string name = md->topics[i].topic;
    if (name.rfind("__", 0) != 0) out.push_back(std::move(name));
  }
  std::sort(out.begin(), out.end());
  return out;
}

arrow::Result<KafkaTopicInfo> KafkaAdmin::DescribeTopic(const std::string& topic) {
  ARROW_RETURN_NOT_OK(ValidateTopicName(topic));
  auto& s = *state_;
  // Partition count first: it turns a missing topic into KeyError.
  ARROW_RETURN_NOT_OK(
      internal::FetchPartitionCount(s.rk.get(), s.options, topic, s.options.request_timeout));
  internal::TopicPtr rkt(rd_kafka_topic_new(s.rk.get(), topic.c_str(), nullptr));
  const rd_kafka_metadata_t* raw = nullptr;
  if (auto err = rd_kafka_metadata(s.rk.get(), 0, rkt.get(), &raw, s.timeout_ms())) {
    return internal::KafkaError(s.options, "describe topic '" + topic + "'", err);
  }
  internal::MetadataPtr md(raw);
  KafkaTopicInfo info;
  info.name = topic;
  if (md->topic_cnt != 1) {
    return arrow::Status::IOError(internal::Where(s.options), "no metadata for '", topic, "'");
  }
  const auto& t = md->topics[0];
  for (int i = 0; i < t.partition_cnt; ++i) {
    const auto& p = t.partitions[i];
    KafkaPartitionInfo part;
    part.partition = p.id;
    part.leader = p.leader;
    part.replicas.assign(p.replicas, p.replicas + p.replica_cnt);
    part.isr.assign(p.isrs, p.isrs + p.isr_cnt);
    info.partitions.push_back(std::move(part));
  }
  std::sort(info.partitions.begin(), info.partitions.end(),
            [](const auto& a, const auto& b) { return a.partition < b.partition; });

  rd_kafka_ConfigResource_t* resource =
      rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic.c_str());
  auto event = internal::RunAdmin(s, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS,
                                  "describe configs of '" + topic + "'",
                                  [&](rd_kafka_AdminOptions_t* o, rd_kafka_queue_t* q) {
                                    rd_kafka_DescribeConfigs(s.rk.get(), &resource, 1, o, q);
                                  });
  rd_kafka_ConfigResource_destroy(resource);
  ARROW_RETURN_NOT_OK(event.status());
  size_t count = 0;
  const rd_kafka_ConfigResource_t** resources = rd_kafka_DescribeConfigs_result_resources(
      rd_kafka_event_DescribeConfigs_result(event->get()), &count);
  for (size_t i = 0; i < count; ++i) {
    if (auto e = rd_kafka_ConfigResource_error(resources[i])) {
      return internal::KafkaError(s.options, "describe configs of '" + topic + "'", e);
    }
    size_t n = 0;
    const rd_kafka_ConfigEntry_t** entries = rd_kafka_ConfigResource_configs(resources[i], &n);
    for (size_t j = 0; j < n; ++j) {
      if (rd_kafka_ConfigEntry_source(entries[j]) != RD_KAFKA_CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG) {
        continue;
      }
      const char* value = rd_kafka_ConfigEntry_value(entries[j]);
      info.configs[rd_kafka_ConfigEntry_name(entries[j])] = value ? value : "";
    }
  }
  return info;
}

}  // namespace hashlake::bus
