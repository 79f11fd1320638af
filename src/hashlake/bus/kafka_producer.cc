#include "hashlake/bus/kafka_producer.h"

#include <spdlog/spdlog.h>

#include "hashlake/bus/bus_logger.h"
#include "hashlake/bus/kafka_client.h"

namespace hashlake::bus {
namespace internal {

// Callbacks run on the thread that calls rd_kafka_poll/flush, i.e. the producer's owner,
// so the counters need no lock.
struct KafkaProducerState {
  KafkaOptions options;
  RdKafkaPtr rk;
  TopicPtr topic;
  int32_t partitions = 0;
  int64_t sent_since_poll = 0;
  int64_t delivered = 0;
  int64_t failed = 0;  // since the last Flush
  std::string first_failure;
  std::string fatal;
};

namespace {

void OnDelivery(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque) {
  auto* state = static_cast<KafkaProducerState*>(opaque);
  if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    ++state->delivered;
    return;
  }
  if (state->failed++ == 0) state->first_failure = rd_kafka_err2str(message->err);
}

void OnError(rd_kafka_t* rk, int err, const char* reason, void* opaque) {
  auto* state = static_cast<KafkaProducerState*>(opaque);
  if (err == RD_KAFKA_RESP_ERR__FATAL) {
    char buf[512];
    rd_kafka_fatal_error(rk, buf, sizeof(buf));
    state->fatal = buf;
    Logger()->error("kafka producer fatal error: {}", buf);
    return;
  }
  // Transport errors during a broker restart are retried by librdkafka.
  Logger()->warn("kafka producer: {}", reason);
}

}  // namespace
}  // namespace internal

KafkaProducer::KafkaProducer(std::unique_ptr<internal::KafkaProducerState> state)
    : state_(std::move(state)) {}

arrow::Result<std::unique_ptr<KafkaProducer>> KafkaProducer::Make(const KafkaOptions& options) {
  ARROW_RETURN_NOT_OK(options.Validate());
  if (options.topic.empty()) return arrow::Status::Invalid("kafka producer: no topic");
  auto state = std::make_unique<internal::KafkaProducerState>();
  state->options = options;
  internal::ConfPtr conf = internal::NewConf(options);
  using internal::SetConf;
  ARROW_RETURN_NOT_OK(SetConf(conf.get(), "enable.idempotence", "true"));
  ARROW_RETURN_NOT_OK(SetConf(conf.get(), "acks", "all"));
  ARROW_RETURN_NOT_OK(SetConf(conf.get(), "compression.codec", options.compression));
  ARROW_RETURN_NOT_OK(SetConf(conf.get(), "partitioner", "murmur2_random"));
  ARROW_RETURN_NOT_OK(SetConf(conf.get(), "linger.ms", std::to_string(options.linger.count())));
  ARROW_RETURN_NOT_OK(SetConf(conf.get(), "batch.size", std::to_string(options.batch_bytes)));
  ARROW_RETURN_NOT_OK(SetConf(conf.get(), "queue.buffering.max.messages",
                              std::to_string(options.queue_max_messages)));
  ARROW_RETURN_NOT_OK(SetConf(conf.get(), "message.timeout.ms",
                              std::to_string(options.delivery_timeout.count())));
  ARROW_RETURN_NOT_OK(internal::ApplyPassThrough(conf.get(), options));
  rd_kafka_conf_set_opaque(conf.get(), state.get());
  rd_kafka_conf_set_dr_msg_cb(conf.get(), internal::OnDelivery);
  rd_kafka_conf_set_error_cb(conf.get(), internal::OnError);
  ARROW_ASSIGN_OR_RAISE(state->rk, internal::NewHandle(RD_KAFKA_PRODUCER, std::move(conf)));
  state->topic.reset(rd_kafka_topic_new(state->rk.get(), options.topic.c_str(), nullptr));
  ARROW_ASSIGN_OR_RAISE(state->partitions, internal::EnsureTopic(state->rk.get(), options));
  return std::unique_ptr<KafkaProducer>(new KafkaProducer(std::move(state)));
}

KafkaProducer::~KafkaProducer() {
  if (!state_ || !state_->rk) return;
  rd_kafka_flush(state_->rk.get(), static_cast<int>(state_->options.request_timeout.count()));
  if (const int left = rd_kafka_outq_len(state_->rk.get()); left > 0) {
    internal::Logger()->warn("kafka producer closed with {} messages undelivered", left);
  }
}

arrow::Status KafkaProducer::Send(const Message& message) {
  auto& s = *state_;
  if (!s.fatal.empty()) {
    return arrow::Status::IOError(internal::Where(s.options), "producer failed: ", s.fatal);
  }
  const int64_t timestamp_ms = ToMicros(message.timestamp) / 1000;
  while (true) {
    const rd_kafka_resp_err_t err = rd_kafka_producev(
        s.rk.get(), RD_KAFKA_V_RKT(s.topic.get()), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_KEY(message.key.empty() ? nullptr : const_cast<char*>(message.key.data()),
                       message.key.size()),
        RD_KAFKA_V_VALUE(const_cast<char*>(message.value.data()), message.value.size()),
        RD_KAFKA_V_TIMESTAMP(timestamp_ms > 0 ? timestamp_ms : 0), RD_KAFKA_V_END);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) break;
    if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      return internal::KafkaError(s.options, "produce to '" + s.options.topic + "'", err);
    }
    // Back-pressure: serve delivery reports (which frees queue space) and retry.
    rd_kafka_poll(s.rk.get(), 10);
    if (!s.fatal.empty()) {
      return arrow::Status::IOError(internal::Where(s.options), "producer failed: ", s.fatal);
    }
  }
  if (++s.sent_since_poll >= 1000) {
    rd_kafka_poll(s.rk.get(), 0);
    s.sent_since_poll = 0;
  }
  return arrow::Status::OK();
}

arrow::Status KafkaProducer::Flush() {
  auto& s = *state_;
  const auto limit = s.options.delivery_timeout + s.options.request_timeout;
  const rd_kafka_resp_err_t err = rd_kafka_flush(s.rk.get(), static_cast<int>(limit.count()));
  s.sent_since_poll = 0;
  if (!s.fatal.empty()) {
    return arrow::Status::IOError(internal::Where(s.options), "producer failed: ", s.fatal);
  }
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return arrow::Status::IOError(internal::Where(s.options), "flush: ",
                                  rd_kafka_outq_len(s.rk.get()),
                                  " messages still unacknowledged: ", rd_kafka_err2str(err));
  }
  if (s.failed > 0) {
    const int64_t failed = s.failed;
    s.failed = 0;
    return arrow::Status::IOError(internal::Where(s.options), failed,
                                  " message(s) to topic '", s.options.topic,
                                  "' were not delivered; first error: ", s.first_failure);
  }
  return arrow::Status::OK();
}

int32_t KafkaProducer::PartitionCount() const { return state_->partitions; }

int64_t KafkaProducer::delivered() const { return state_->delivered; }

}  // namespace hashlake::bus
