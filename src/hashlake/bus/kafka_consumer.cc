#include "hashlake/bus/kafka_consumer.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <set>

#include "hashlake/bus/bus_logger.h"
#include "hashlake/bus/kafka_client.h"

namespace hashlake::bus {
namespace internal {

// Owned by the consumer; callbacks run inside rd_kafka_consumer_poll / consumer_close on the
// owner's thread, so nothing here needs a lock.
struct KafkaConsumerState {
  KafkaOptions options;
  std::string group;
  RdKafkaPtr rk;
  int32_t partitions = 0;
  std::set<int32_t> assigned;
  // kAll: assign() has been called (lazily, at the first Poll, so that Seeks made before it
  // become the start offsets). kGroup: the first assignment arrived.
  bool active = false;
  std::map<int32_t, int64_t> pending_seeks;  // start offsets for the next assign
  std::map<int32_t, int64_t> positions;      // next offset Poll returns, where known
  std::map<int32_t, int64_t> start_offsets;  // offset (maybe logical) each was assigned at
  std::vector<ConsumedMessage>* collecting = nullptr;  // the Poll in progress
  std::vector<ConsumedMessage> stash;  // received while Make waited for the assignment
  std::string fatal;
  int timeout_ms() const { return static_cast<int>(options.request_timeout.count()); }
};

namespace {

// A fetched message as the bus hands it out; the partition's next position moves past it.
ConsumedMessage Consume(KafkaConsumerState& s, const rd_kafka_message_t& m) {
  rd_kafka_timestamp_type_t type;
  const int64_t ts = rd_kafka_message_timestamp(&m, &type);
  s.positions[m.partition] = m.offset + 1;
  const auto* key = static_cast<const char*>(m.key);
  const auto* payload = static_cast<const char*>(m.payload);
  return {PartitionId{m.partition}, Offset{m.offset},
          key == nullptr ? std::string() : std::string(key, m.key_len),
          payload == nullptr ? std::string() : std::string(payload, m.len),
          FromMicros(ts > 0 ? ts * 1000 : 0)};
}

int64_t ResetOffset(const KafkaConsumerState& s) {
  return s.options.auto_offset_reset == "latest" ? RD_KAFKA_OFFSET_END
                                                 : RD_KAFKA_OFFSET_BEGINNING;
}

// Gives every partition in `list` an explicit start offset: a pending Seek, else the
// group's committed offset, else auto_offset_reset. Explicit offsets keep a later Seek
// from racing librdkafka's own committed-offset lookup.
void ResolveStartOffsets(KafkaConsumerState& s, rd_kafka_topic_partition_list_t* list) {
  const rd_kafka_resp_err_t err = rd_kafka_committed(s.rk.get(), list, s.timeout_ms());
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    Logger()->warn("kafka consumer: reading committed offsets of group '{}' failed ({}); "
                   "librdkafka will look them up",
                   s.group, rd_kafka_err2str(err));
  }
  for (int i = 0; i < list->cnt; ++i) {
    auto& tp = list->elems[i];
    if (auto it = s.pending_seeks.find(tp.partition); it != s.pending_seeks.end()) {
      tp.offset = it->second;
      s.pending_seeks.erase(it);
    } else if (err == RD_KAFKA_RESP_ERR_NO_ERROR && tp.offset < 0) {
      tp.offset = ResetOffset(s);
    } else if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      tp.offset = RD_KAFKA_OFFSET_STORED;
    }
    if (tp.offset >= 0) {
      s.positions[tp.partition] = tp.offset;
    } else {
      s.positions.erase(tp.partition);
    }
  }
}

void RecordStarts(KafkaConsumerState& s, const rd_kafka_topic_partition_list_t* list) {
  for (int i = 0; i < list->cnt; ++i) {
    s.start_offsets[list->elems[i].partition] = list->elems[i].offset;
  }
}

void OnRebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* list,
                 void* opaque) {
  auto& s = *static_cast<KafkaConsumerState*>(opaque);
  const bool cooperative = std::strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE") == 0;
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    ResolveStartOffsets(s, list);
    RecordStarts(s, list);
    if (cooperative) {
      if (rd_kafka_error_t* e = rd_kafka_incremental_assign(rk, list)) {
        Logger()->error("kafka consumer: incremental assign failed: {}", rd_kafka_error_string(e));
        rd_kafka_error_destroy(e);
      }
    } else {
      rd_kafka_assign(rk, list);
      s.assigned.clear();
    }
    for (int i = 0; i < list->cnt; ++i) s.assigned.insert(list->elems[i].partition);
    s.active = true;
    Logger()->info("kafka consumer group '{}': assigned {} partition(s) of '{}'", s.group,
                   s.assigned.size(), s.options.topic);
    return;
  }
  // Revoked (or an error: give everything up). Messages of these partitions that this Poll
  // has not returned yet are dropped: the next owner reads them from the committed offset.
  std::set<int32_t> revoked;
  for (int i = 0; i < list->cnt; ++i) revoked.insert(list->elems[i].partition);
  if (err != RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS) revoked = s.assigned;
  for (auto* buffer : {s.collecting, &s.stash}) {
    if (buffer == nullptr) continue;
    std::erase_if(*buffer, [&](const ConsumedMessage& m) {
      return revoked.count(m.partition.value) > 0;
    });
  }
  for (int32_t p : revoked) {
    s.assigned.erase(p);
    s.positions.erase(p);
    s.start_offsets.erase(p);
  }
  if (cooperative && err == RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS) {
    if (rd_kafka_error_t* e = rd_kafka_incremental_unassign(rk, list)) rd_kafka_error_destroy(e);
  } else {
    rd_kafka_assign(rk, nullptr);
    s.assigned.clear();
  }
}

void OnError(rd_kafka_t* rk, int err, const char* reason, void* opaque) {
  auto& s = *static_cast<KafkaConsumerState*>(opaque);
  if (err == RD_KAFKA_RESP_ERR__FATAL) {
    char buf[512];
    rd_kafka_fatal_error(rk, buf, sizeof(buf));
    s.fatal = buf;
  }
  Logger()->warn("kafka consumer: {}", reason);
}

PartitionListPtr ListOf(const std::string& topic, const std::set<int32_t>& partitions) {
  PartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(partitions.size())));
  for (int32_t p : partitions) rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), p);
  return list;
}

}  // namespace
}  // namespace internal

using internal::KafkaConsumerState;

KafkaConsumer::KafkaConsumer(std::unique_ptr<KafkaConsumerState> state)
    : state_(std::move(state)) {}

arrow::Result<std::unique_ptr<KafkaConsumer>> KafkaConsumer::Make(const KafkaOptions& options,
                                                                  const std::string& group) {
  ARROW_RETURN_NOT_OK(options.Validate());
  if (options.topic.empty()) return arrow::Status::Invalid("kafka consumer: no topic");
  if (group.empty()) return arrow::Status::Invalid("kafka consumer: empty group id");
  auto state = std::make_unique<KafkaConsumerState>();
  state->options = options;
  state->group = group;
  internal::ConfPtr conf = internal::NewConf(options);
  using internal::SetConf;
  ARROW_RETURN_NOT_OK(SetConf(conf.get(), "group.id", group));
  ARROW_RETURN_NOT_OK(SetConf(conf.get(), "enable.auto.commit", "false"));
  ARROW_RETURN_NOT_OK(SetConf(conf.get(), "enable.auto.offset.store", "false"));
  ARROW_RETURN_NOT_OK(SetConf(conf.get(), "enable.partition.eof", "false"));
  ARROW_RETURN_NOT_OK(SetConf(conf.get(), "auto.offset.reset", options.auto_offset_reset));
  ARROW_RETURN_NOT_OK(SetConf(conf.get(), "session.timeout.ms",
                              std::to_string(options.session_timeout.count())));
  ARROW_RETURN_NOT_OK(internal::ApplyPassThrough(conf.get(), options));
  rd_kafka_conf_set_opaque(conf.get(), state.get());
  rd_kafka_conf_set_error_cb(conf.get(), internal::OnError);
  if (options.assign == KafkaAssignMode::kGroup) {
    rd_kafka_conf_set_rebalance_cb(conf.get(), internal::OnRebalance);
  }
  ARROW_ASSIGN_OR_RAISE(state->rk, internal::NewHandle(RD_KAFKA_CONSUMER, std::move(conf)));
  rd_kafka_poll_set_consumer(state->rk.get());
  ARROW_ASSIGN_OR_RAISE(state->partitions, internal::EnsureTopic(state->rk.get(), options));

  if (options.assign == KafkaAssignMode::kAll) {
    for (int32_t p = 0; p < state->partitions; ++p) state->assigned.insert(p);
    return std::unique_ptr<KafkaConsumer>(new KafkaConsumer(std::move(state)));
  }
  std::unique_ptr<KafkaConsumer> consumer(new KafkaConsumer(std::move(state)));
  auto& s = *consumer->state_;
  internal::PartitionListPtr topics(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(topics.get(), options.topic.c_str(), RD_KAFKA_PARTITION_UA);
  if (auto err = rd_kafka_subscribe(s.rk.get(), topics.get())) {
    return internal::KafkaError(options, "subscribe to '" + options.topic + "'", err);
  }
  // Join the group now so that Assignment and Seek are meaningful before the first Poll.
  const auto deadline = std::chrono::steady_clock::now() + options.request_timeout;
  s.collecting = &s.stash;
  while (!s.active && std::chrono::steady_clock::now() < deadline && s.fatal.empty()) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(s.rk.get(), 100);
    if (m == nullptr) continue;
    if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) s.stash.push_back(internal::Consume(s, *m));
    rd_kafka_message_destroy(m);
  }
  s.collecting = nullptr;
  if (!s.active) {
    return arrow::Status::IOError(internal::Where(options), "no partition assignment for group '",
                                  group, "' within ", options.request_timeout.count(), " ms",
                                  s.fatal.empty() ? "" : ": ", s.fatal);
  }
  return consumer;
}

KafkaConsumer::~KafkaConsumer() {
  if (state_ && state_->rk) rd_kafka_consumer_close(state_->rk.get());
}

arrow::Result<std::vector<ConsumedMessage>> KafkaConsumer::Poll(
    std::size_t max_messages, std::chrono::milliseconds timeout) {
  auto& s = *state_;
  if (!s.fatal.empty()) {
    return arrow::Status::IOError(internal::Where(s.options), "consumer failed: ", s.fatal);
  }
  if (!s.active) {  // kAll: the first Poll assigns, with the offsets Seek asked for
    auto list = internal::ListOf(s.options.topic, s.assigned);
    internal::ResolveStartOffsets(s, list.get());
    internal::RecordStarts(s, list.get());
    if (auto err = rd_kafka_assign(s.rk.get(), list.get())) {
      return internal::KafkaError(s.options, "assign", err);
    }
    s.active = true;
  }
  std::vector<ConsumedMessage> out = std::move(s.stash);
  s.stash.clear();
  if (out.size() > max_messages) {  // keep the rest for the next Poll
    s.stash.assign(std::make_move_iterator(out.begin() + max_messages),
                   std::make_move_iterator(out.end()));
    out.resize(max_messages);
  }
  s.collecting = &out;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  arrow::Status status;
  while (out.size() < max_messages) {
    int wait_ms = 0;
    if (out.empty()) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      wait_ms = static_cast<int>(std::max<int64_t>(left.count(), 0));
    }
    rd_kafka_message_t* m = rd_kafka_consumer_poll(s.rk.get(), wait_ms);
    if (m == nullptr) {
      if (!out.empty() || wait_ms == 0) break;
      continue;
    }
    if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      const rd_kafka_resp_err_t err = m->err;
      const std::string text = rd_kafka_message_errstr(m);
      rd_kafka_message_destroy(m);
      if (err == RD_KAFKA_RESP_ERR__PARTITION_EOF) continue;
      if (err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART ||
          err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED ||
          err == RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED || err == RD_KAFKA_RESP_ERR__FATAL) {
        status = arrow::Status::IOError(internal::Where(s.options), "consume '", s.options.topic,
                                        "': ", text);
        break;
      }
      internal::Logger()->warn("kafka consumer: {} (retrying)", text);  // e.g. broker restart
      continue;
    }
    if (s.assigned.count(m->partition) == 0) {  // stale: fetched before a revoke
      rd_kafka_message_destroy(m);
      continue;
    }
    out.push_back(internal::Consume(s, *m));
    rd_kafka_message_destroy(m);
  }
  s.collecting = nullptr;
  ARROW_RETURN_NOT_OK(status);
  return out;
}

arrow::Status KafkaConsumer::Seek(PartitionId partition, Offset offset) {
  auto& s = *state_;
  if (s.assigned.count(partition.value) == 0) {
    return arrow::Status::Invalid(internal::Where(s.options), "seek: partition ", partition.value,
                                  " of '", s.options.topic, "' is not assigned to this consumer");
  }
  if (auto it = s.positions.find(partition.value);
      it != s.positions.end() && it->second == offset.value) {
    return arrow::Status::OK();
  }
  int64_t low = 0, high = 0;
  ARROW_RETURN_NOT_OK(
      internal::QueryWatermarks(s.rk.get(), s.options, partition.value, &low, &high));
  int64_t target = std::clamp(offset.value, low, high);
  if (target != offset.value) {
    internal::Logger()->warn("kafka seek {}[{}] to {} clamped to {} (available [{}, {}))",
                             s.options.topic, partition.value, offset.value, target, low, high);
  }
  std::erase_if(s.stash, [&](const ConsumedMessage& m) { return m.partition == partition; });
  s.positions[partition.value] = target;
  if (!s.active) {
    s.pending_seeks[partition.value] = target;
    return arrow::Status::OK();
  }
  // Re-assign every partition at its position (this one at the target) rather than
  // rd_kafka_seek_partitions: librdkafka 2.0 can drop a seek that overlaps a fetch in
  // flight. Partitions not read yet keep the start offset they were assigned with.
  auto list = internal::ListOf(s.options.topic, s.assigned);
  for (int i = 0; i < list->cnt; ++i) {
    auto& tp = list->elems[i];
    if (auto it = s.positions.find(tp.partition); it != s.positions.end()) {
      tp.offset = it->second;
    } else if (auto st = s.start_offsets.find(tp.partition); st != s.start_offsets.end()) {
      tp.offset = st->second;
    } else {
      tp.offset = RD_KAFKA_OFFSET_STORED;
    }
  }
  internal::RecordStarts(s, list.get());
  if (auto err = rd_kafka_assign(s.rk.get(), list.get())) {
    s.positions.erase(partition.value);
    return internal::KafkaError(s.options, "seek (re-assign)", err);
  }
  return arrow::Status::OK();
}

arrow::Result<OffsetMap> KafkaConsumer::Committed() {
  auto& s = *state_;
  std::set<int32_t> all;
  for (int32_t p = 0; p < s.partitions; ++p) all.insert(p);
  auto list = internal::ListOf(s.options.topic, all);
  if (auto err = rd_kafka_committed(s.rk.get(), list.get(), s.timeout_ms())) {
    return internal::KafkaError(s.options, "committed offsets of group '" + s.group + "'", err);
  }
  OffsetMap out;
  for (int i = 0; i < list->cnt; ++i) {
    const auto& tp = list->elems[i];
    if (tp.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return internal::KafkaError(s.options, "committed offset of partition " +
                                                 std::to_string(tp.partition), tp.err);
    }
    if (tp.offset >= 0) out[PartitionId{tp.partition}] = Offset{tp.offset};
  }
  return out;
}

arrow::Status KafkaConsumer::Commit(const OffsetMap& next_offsets) {
  auto& s = *state_;
  if (next_offsets.empty()) return arrow::Status::OK();
  internal::PartitionListPtr list(
      rd_kafka_topic_partition_list_new(static_cast<int>(next_offsets.size())));
  for (const auto& [partition, offset] : next_offsets) {
    if (partition.value < 0 || partition.value >= s.partitions || offset.value < 0) {
      return arrow::Status::Invalid(internal::Where(s.options), "commit: bad partition ",
                                    partition.value, " / offset ", offset.value);
    }
    rd_kafka_topic_partition_list_add(list.get(), s.options.topic.c_str(), partition.value)
        ->offset = offset.value;
  }
  if (auto err = rd_kafka_commit(s.rk.get(), list.get(), 0)) {
    return internal::KafkaError(s.options, "commit for group '" + s.group + "'", err);
  }
  for (int i = 0; i < list->cnt; ++i) {
    if (list->elems[i].err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return internal::KafkaError(
          s.options, "commit of partition " + std::to_string(list->elems[i].partition),
          list->elems[i].err);
    }
  }
  return arrow::Status::OK();
}

namespace {

arrow::Result<OffsetMap> Watermarks(KafkaConsumerState& s, bool high_side) {
  OffsetMap out;
  for (int32_t p : s.assigned) {
    int64_t low = 0, high = 0;
    ARROW_RETURN_NOT_OK(internal::QueryWatermarks(s.rk.get(), s.options, p, &low, &high));
    out[PartitionId{p}] = Offset{high_side ? high : low};
  }
  return out;
}

}  // namespace

arrow::Result<OffsetMap> KafkaConsumer::EndOffsets() { return Watermarks(*state_, true); }

arrow::Result<OffsetMap> KafkaConsumer::EndOffsetsEstimate() {
  // A partition not fetched yet has no cached value and is asked for.
  OffsetMap out;
  for (int32_t p : state_->assigned) {
    int64_t low = -1, high = -1;
    const auto err = rd_kafka_get_watermark_offsets(state_->rk.get(), state_->options.topic.c_str(),
                                                    p, &low, &high);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR || high < 0) {
      ARROW_RETURN_NOT_OK(
          internal::QueryWatermarks(state_->rk.get(), state_->options, p, &low, &high));
    }
    out[PartitionId{p}] = Offset{high};
  }
  return out;
}

arrow::Result<OffsetMap> KafkaConsumer::BeginningOffsets() { return Watermarks(*state_, false); }

std::vector<PartitionId> KafkaConsumer::Assignment() const {
  std::vector<PartitionId> out;
  for (int32_t p : state_->assigned) out.push_back(PartitionId{p});
  return out;
}

int32_t KafkaConsumer::PartitionCount() const { return state_->partitions; }

}  // namespace hashlake::bus
