// `hashlake topics create|list|describe|delete|consume`: Kafka topic management, like
// kafka-topics.sh, plus a console consumer for checks and scripts.
#include <atomic>
#include <csignal>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <fmt/core.h>

#include "hashlake/bus/kafka_admin.h"
#include "hashlake/bus/kafka_consumer.h"
#include "hashlake/bus/kafka_options.h"
#include "hashlake/cli/command.h"
#include "hashlake/core/bus_message.h"
#include "hashlake/core/logging.h"

namespace hashlake::cli {

void AddTopicsCommand(CLI::App& root, CommandContext& context);

namespace {

struct TopicsFlags {
  std::string bootstrap;
  std::string topic;
  int32_t partitions = 1;
  int16_t replication_factor = 1;
  std::vector<std::string> configs;
  double timeout_s = 30;
  // consume
  std::string group = "hashlake-console";
  int64_t limit = 0;
  double idle_s = 5;
  std::string format = "line";
};

arrow::Result<bus::KafkaOptions> Options(const TopicsFlags& flags, bool need_topic) {
  bus::KafkaOptions options;
  ARROW_ASSIGN_OR_RAISE(options.bootstrap, bus::ParseBootstrap(flags.bootstrap));
  if (need_topic) {
    if (flags.topic.empty()) return arrow::Status::Invalid("--topic is required");
    ARROW_RETURN_NOT_OK(bus::ValidateTopicName(flags.topic));
  }
  options.topic = flags.topic;
  options.request_timeout =
      std::chrono::milliseconds(static_cast<int64_t>(flags.timeout_s * 1000));
  return options;
}

arrow::Result<std::map<std::string, std::string>> ParseConfigs(
    const std::vector<std::string>& items) {
  std::map<std::string, std::string> out;
  for (const auto& item : items) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0) {
      return arrow::Status::Invalid("--config '", item, "' is not key=value");
    }
    out[item.substr(0, eq)] = item.substr(eq + 1);
  }
  return out;
}

std::string Join(const std::vector<int32_t>& ids) {
  std::string out;
  for (int32_t id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
  return out;
}

arrow::Status Create(const TopicsFlags& flags) {
  ARROW_ASSIGN_OR_RAISE(auto options, Options(flags, true));
  ARROW_ASSIGN_OR_RAISE(auto configs, ParseConfigs(flags.configs));
  ARROW_ASSIGN_OR_RAISE(auto admin, bus::KafkaAdmin::Make(options));
  ARROW_RETURN_NOT_OK(
      admin->CreateTopic(flags.topic, flags.partitions, flags.replication_factor, configs));
  fmt::print("created topic {} ({} partitions, replication factor {})\n", flags.topic,
             flags.partitions, flags.replication_factor);
  return arrow::Status::OK();
}

arrow::Status List(const TopicsFlags& flags) {
  ARROW_ASSIGN_OR_RAISE(auto options, Options(flags, false));
  ARROW_ASSIGN_OR_RAISE(auto admin, bus::KafkaAdmin::Make(options));
  ARROW_ASSIGN_OR_RAISE(auto topics, admin->ListTopics());
  for (const auto& topic : topics) fmt::print("{}\n", topic);
  return arrow::Status::OK();
}

arrow::Status Describe(const TopicsFlags& flags) {
  ARROW_ASSIGN_OR_RAISE(auto options, Options(flags, true));
  ARROW_ASSIGN_OR_RAISE(auto admin, bus::KafkaAdmin::Make(options));
  ARROW_ASSIGN_OR_RAISE(auto info, admin->DescribeTopic(flags.topic));
  std::string configs;
  for (const auto& [k, v] : info.configs) configs += (configs.empty() ? "" : ",") + k + "=" + v;
  const std::size_t rf = info.partitions.empty() ? 0 : info.partitions[0].replicas.size();
  fmt::print("Topic: {}\tPartitionCount: {}\tReplicationFactor: {}\tConfigs: {}\n", info.name,
             info.partitions.size(), rf, configs);
  for (const auto& p : info.partitions) {
    fmt::print("\tTopic: {}\tPartition: {}\tLeader: {}\tReplicas: {}\tIsr: {}\n", info.name,
               p.partition, p.leader, Join(p.replicas), Join(p.isr));
  }
  return arrow::Status::OK();
}

arrow::Status Delete(const TopicsFlags& flags) {
  ARROW_ASSIGN_OR_RAISE(auto options, Options(flags, true));
  ARROW_ASSIGN_OR_RAISE(auto admin, bus::KafkaAdmin::Make(options));
  ARROW_RETURN_NOT_OK(admin->DeleteTopic(flags.topic));
  fmt::print("deleted topic {}\n", flags.topic);
  return arrow::Status::OK();
}

// Reads as a group member, committing after each poll, until --limit messages, --idle
// seconds without any, or Ctrl-C. One line per message: "PARTITION OFFSET KEY ID" where ID
// is the post's id (or "rejected"); --format raw prints the value instead.
arrow::Status Consume(const TopicsFlags& flags) {
  ARROW_ASSIGN_OR_RAISE(auto options, Options(flags, true));
  ARROW_ASSIGN_OR_RAISE(auto consumer, bus::KafkaConsumer::Make(options, flags.group));
  InstallStopSignals();
  int64_t count = 0;
  int64_t bytes = 0;
  const auto started = std::chrono::steady_clock::now();
  auto last_message = started;
  const auto idle = std::chrono::duration<double>(flags.idle_s);
  while (!StopRequested() && (flags.limit == 0 || count < flags.limit)) {
    const std::size_t max = flags.limit == 0 ? 1000 : std::min<int64_t>(1000, flags.limit - count);
    ARROW_ASSIGN_OR_RAISE(auto batch, consumer->Poll(max, std::chrono::milliseconds(100)));
    if (batch.empty()) {
      if (std::chrono::steady_clock::now() - last_message > idle) break;
      continue;
    }
    last_message = std::chrono::steady_clock::now();
    bus::OffsetMap next;
    std::string out;
    for (const auto& m : batch) {
      next[m.partition] = bus::Offset{m.offset.value + 1};
      bytes += static_cast<int64_t>(m.key.size() + m.value.size());
      if (flags.format == "none") continue;
      if (flags.format == "raw") {
        out += m.value + "\n";
        continue;
      }
      std::string id = "undecodable";
      if (auto record = DecodeRecord(m.value); record.ok()) {
        id = std::holds_alternative<Post>(*record) ? std::get<Post>(*record).id : "rejected";
      }
      out += fmt::format("{} {} {} {}\n", m.partition.value, m.offset.value, m.key, id);
    }
    // Printed before the commit: a crash between the two repeats lines, never loses them.
    if (!out.empty()) {
      fmt::print("{}", out);
      std::fflush(stdout);
    }
    ARROW_RETURN_NOT_OK(consumer->Commit(next));
    count += static_cast<int64_t>(batch.size());
  }
  // Up to the last message: the idle wait at the end is not reading time.
  const double seconds = std::chrono::duration<double>(last_message - started).count();
  fmt::print(stderr, "consumed {} messages, {} bytes in {:.3f} s ({:.0f} msg/s, {:.2f} MB/s)\n",
             count, bytes, seconds, seconds > 0 ? count / seconds : 0.0,
             seconds > 0 ? bytes / seconds / 1e6 : 0.0);
  return arrow::Status::OK();
}

CLI::App* Sub(CLI::App* topics, const std::string& name, const std::string& help,
              TopicsFlags& flags, bool topic) {
  auto* sub = topics->add_subcommand(name, help);
  sub->add_option("--bootstrap", flags.bootstrap, "Kafka bootstrap servers HOST:PORT[,HOST:PORT]")
      ->envname("HASHLAKE_KAFKA_BOOTSTRAP")
      ->required();
  if (topic) sub->add_option("--topic", flags.topic, "Topic name")->required();
  sub->add_option("--timeout", flags.timeout_s, "Seconds to wait for the cluster (default 30)")
      ->check(CLI::PositiveNumber);
  return sub;
}

}  // namespace

void AddTopicsCommand(CLI::App& root, CommandContext& context) {
  auto* topics = root.add_subcommand(
      "topics", "Manage Kafka topics (create, list, describe, delete) and read one (consume).");
  topics->require_subcommand(1);
  auto flags = std::make_shared<TopicsFlags>();
  using Action = arrow::Status (*)(const TopicsFlags&);
  auto run = [&context, flags](Action action) {
    return [&context, flags, action] {
      arrow::Status status = action(*flags);
      if (!status.ok()) {
        PrintError(status.message());
        context.exit_code = status.IsInvalid() ? kExitUsage : kExitFailure;
      }
    };
  };
  auto* create = Sub(topics, "create", "Create a topic", *flags, true);
  create->add_option("--partitions", flags->partitions, "Partition count (default 1)")
      ->check(CLI::Range(1, 100000));
  create->add_option("--replication-factor", flags->replication_factor,
                     "Replicas per partition (default 1)")
      ->check(CLI::Range(1, 32767));
  create->add_option("--config", flags->configs, "Topic config key=value; repeatable")
      ->allow_extra_args(false);
  create->callback(run(Create));
  Sub(topics, "list", "List topics (internal ones left out)", *flags, false)->callback(run(List));
  Sub(topics, "describe", "Partitions, leaders, replicas, ISR and topic configs", *flags, true)
      ->callback(run(Describe));
  Sub(topics, "delete", "Delete a topic", *flags, true)->callback(run(Delete));
  auto* consume = Sub(topics, "consume",
                      "Read a topic as a consumer-group member, committing as it goes; prints "
                      "'PARTITION OFFSET KEY POST_ID' per message",
                      *flags, true);
  consume->add_option("--group", flags->group, "Consumer group (default hashlake-console)");
  consume->add_option("--limit", flags->limit, "Stop after N messages (default 0: no limit)")
      ->check(CLI::NonNegativeNumber);
  consume->add_option("--idle", flags->idle_s, "Stop after this many seconds without a message")
      ->check(CLI::PositiveNumber);
  consume->add_option("--format", flags->format,
                      "line | raw (the message value) | none (only the closing summary)")
      ->check(CLI::IsMember({"line", "raw", "none"}));
  consume->callback(run(Consume));
}

}  // namespace hashlake::cli
