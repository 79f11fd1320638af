#include "hashlake/bus/bus.h"

#include "hashlake/bus/bus_url.h"
#include "hashlake/bus/embedded_log_consumer.h"
#include "hashlake/bus/embedded_log_options.h"
#include "hashlake/bus/embedded_log_producer.h"
#include "hashlake/bus/kafka_consumer.h"
#include "hashlake/bus/kafka_options.h"
#include "hashlake/bus/kafka_producer.h"

namespace hashlake::bus {
namespace {

struct EmbeddedLogTarget {
  std::string dir;
  EmbeddedLogOptions options;
};

arrow::Status UnsupportedScheme(const BusUrl& parsed) {
  return arrow::Status::Invalid("unsupported bus URL scheme '", parsed.scheme,
                                "' (allowed: log://, kafka://)");
}

arrow::Result<EmbeddedLogTarget> ParseTarget(const BusUrl& parsed, const std::string& url) {
  if (parsed.path.empty()) {
    return arrow::Status::Invalid("bus URL '", url,
                                  "' names no directory (expected log:///path/to/topic)");
  }
  ARROW_ASSIGN_OR_RAISE(EmbeddedLogOptions options, EmbeddedLogOptions::FromQuery(parsed.query));
  return EmbeddedLogTarget{parsed.path, options};
}

}  // namespace

arrow::Result<std::unique_ptr<Producer>> MakeProducer(const std::string& url) {
  ARROW_ASSIGN_OR_RAISE(BusUrl parsed, ParseBusUrl(url));
  if (parsed.scheme == "kafka") {
    ARROW_ASSIGN_OR_RAISE(KafkaOptions options, KafkaOptionsFromUrl(parsed));
    ARROW_ASSIGN_OR_RAISE(auto producer, KafkaProducer::Make(options));
    return std::unique_ptr<Producer>(std::move(producer));
  }
  if (parsed.scheme != "log") return UnsupportedScheme(parsed);
  ARROW_ASSIGN_OR_RAISE(EmbeddedLogTarget target, ParseTarget(parsed, url));
  ARROW_ASSIGN_OR_RAISE(auto producer, EmbeddedLogProducer::Make(target.dir, target.options));
  return std::unique_ptr<Producer>(std::move(producer));
}

arrow::Result<std::unique_ptr<Consumer>> MakeConsumer(const std::string& url,
                                                      const std::string& group) {
  ARROW_ASSIGN_OR_RAISE(BusUrl parsed, ParseBusUrl(url));
  if (parsed.scheme == "kafka") {
    ARROW_ASSIGN_OR_RAISE(KafkaOptions options, KafkaOptionsFromUrl(parsed));
    ARROW_ASSIGN_OR_RAISE(auto consumer, KafkaConsumer::Make(options, group));
    return std::unique_ptr<Consumer>(std::move(consumer));
  }
  if (parsed.scheme != "log") return UnsupportedScheme(parsed);
  ARROW_ASSIGN_OR_RAISE(EmbeddedLogTarget target, ParseTarget(parsed, url));
  ARROW_ASSIGN_OR_RAISE(auto consumer,
                        EmbeddedLogConsumer::Make(target.dir, group, target.options));
  return std::unique_ptr<Consumer>(std::move(consumer));
}

}  // namespace hashlake::bus
