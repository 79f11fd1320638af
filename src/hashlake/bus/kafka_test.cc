// Kafka-only behaviour against a real broker; skipped unless HASHLAKE_KAFKA_BOOTSTRAP is set.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <random>
#include <set>
#include <string>
#include <thread>

#include "hashlake/bus/bus_test_util.h"
#include "hashlake/bus/kafka_admin.h"
#include "hashlake/bus/kafka_consumer.h"
#include "hashlake/bus/kafka_producer.h"

namespace hashlake::bus {
namespace {

using std::chrono::milliseconds;

class KafkaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* bootstrap = std::getenv("HASHLAKE_KAFKA_BOOTSTRAP");
    if (bootstrap == nullptr || *bootstrap == '\0') {
      GTEST_SKIP() << "HASHLAKE_KAFKA_BOOTSTRAP is not set: no Kafka broker to test against";
    }
    bootstrap_ = bootstrap;
    std::mt19937_64 rng(std::random_device{}());
    topic_ = std::string("kt-") +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + "-" +
             std::to_string(rng() % 1000000000);
  }
  KafkaOptions Options(int32_t partitions) const {
    KafkaOptions options;
    options.bootstrap = {bootstrap_};
    options.topic = topic_;
    options.partitions = partitions;
    options.linger = milliseconds(1);
    options.request_timeout = milliseconds(20000);
    return options;
  }
  std::string bootstrap_;
  std::string topic_;
};

TEST_F(KafkaTest, TwoConsumersInOneGroupSplitPartitionsAndReadEachMessageOnce) {
  constexpr int kMessages = 400;
  const KafkaOptions options = Options(4);
  ASSERT_OK_AND_ASSIGN(auto producer, KafkaProducer::Make(options));
  std::atomic<int> received{0};
  std::atomic<bool> stop{false};
  // One slot per member thread: no container is shared between the threads.
  std::vector<std::string> values[2];
  std::set<int32_t> assigned[2];
  std::string errors[2];
  std::atomic<int> ready{0};
  auto member = [&](int id) {
    auto consumer = KafkaConsumer::Make(options, "two-members");
    if (!consumer.ok()) {
      errors[id] = consumer.status().ToString();
      ++ready;
      return;
    }
    ++ready;
    while (!stop.load()) {
      auto batch = (*consumer)->Poll(50, milliseconds(100));
      if (!batch.ok()) {
        errors[id] = batch.status().ToString();
        return;
      }
      OffsetMap next;
      for (const auto& m : *batch) {
        values[id].push_back(m.value);
        next[m.partition] = Offset{m.offset.value + 1};
      }
      // Commit before the next Poll (where a rebalance may happen): no message twice.
      if (auto st = (*consumer)->Commit(next); !st.ok()) {
        errors[id] = st.ToString();
        return;
      }
      received += static_cast<int>(batch->size());
      for (auto p : (*consumer)->Assignment()) assigned[id].insert(p.value);
    }
  };
  std::thread a(member, 0);
  std::thread b(member, 1);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (ready.load() < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(50));
  }
  std::this_thread::sleep_for(milliseconds(500));  // let the second join settle
  for (int i = 0; i < kMessages; ++i) {
    ASSERT_OK(producer->Send({"k" + std::to_string(i % 37), std::to_string(i), {}}));
  }
  ASSERT_OK(producer->Flush());
  while (received.load() < kMessages && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(50));
  }
  std::this_thread::sleep_for(milliseconds(500));  // any duplicate would show up by now
  stop = true;
  a.join();
  b.join();
  EXPECT_EQ(errors[0], "");
  EXPECT_EQ(errors[1], "");
  std::multiset<std::string> all;
  for (const auto& vs : values) all.insert(vs.begin(), vs.end());
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kMessages));
  for (int i = 0; i < kMessages; ++i) EXPECT_EQ(all.count(std::to_string(i)), 1u) << i;
  EXPECT_FALSE(values[0].empty());
  EXPECT_FALSE(values[1].empty());
  // Each member ended with its own share of the partitions.
  std::set<int32_t> both;
  for (auto p : assigned[0]) both.insert(p);
  for (auto p : assigned[1]) both.insert(p);
  EXPECT_EQ(both.size(), 4u);
}

TEST_F(KafkaTest, FlushReportsMessagesTheBrokerRejected) {
  KafkaOptions options = Options(1);
  // The client accepts 4 MB; the broker's default message.max.bytes (1 MiB) does not.
  options.rdkafka = {{"message.max.bytes", "8000000"}};
  options.compression = "none";
  options.delivery_timeout = milliseconds(10000);
  ASSERT_OK_AND_ASSIGN(auto producer, KafkaProducer::Make(options));
  ASSERT_OK(producer->Send({"k", "small", {}}));
  std::string big(4 << 20, '\0');
  std::mt19937 rng(1);
  for (auto& c : big) c = static_cast<char>(rng());
  ASSERT_OK(producer->Send({"k", big, {}}));
  const arrow::Status flushed = producer->Flush();
  ASSERT_TRUE(flushed.IsIOError()) << flushed.ToString();
  EXPECT_NE(flushed.message().find("1 message(s)"), std::string::npos) << flushed.ToString();
  EXPECT_EQ(producer->delivered(), 1);
  // The failure was reported once; later traffic is fine.
  ASSERT_OK(producer->Send({"k", "after", {}}));
  EXPECT_OK(producer->Flush());
}

TEST_F(KafkaTest, AdminCreatesDescribesListsAndDeletes) {
  KafkaOptions options;
  options.bootstrap = {bootstrap_};
  ASSERT_OK_AND_ASSIGN(auto admin, KafkaAdmin::Make(options));
  ASSERT_OK(admin->CreateTopic(topic_, 3, 1, {{"retention.ms", "3600000"}}));
  EXPECT_TRUE(admin->CreateTopic(topic_, 3, 1).IsAlreadyExists());
  ASSERT_OK_AND_ASSIGN(auto topics, admin->ListTopics());
  EXPECT_NE(std::find(topics.begin(), topics.end(), topic_), topics.end());
  for (const auto& t : topics) EXPECT_NE(t.rfind("__", 0), 0u) << t;
  ASSERT_OK_AND_ASSIGN(auto info, admin->DescribeTopic(topic_));
  ASSERT_EQ(info.partitions.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(info.partitions[i].partition, i);
    EXPECT_EQ(info.partitions[i].replicas.size(), 1u);
    EXPECT_GE(info.partitions[i].leader, 0);
  }
  EXPECT_EQ(info.configs["retention.ms"], "3600000");
  ASSERT_OK(admin->DeleteTopic(topic_));
  EXPECT_TRUE(admin->DescribeTopic("no-such-topic-" + topic_).status().IsKeyError());
  EXPECT_TRUE(admin->DeleteTopic("no-such-topic-" + topic_).IsKeyError());
  // A producer for a missing topic without ?partitions is an error that says what to do.
  KafkaOptions missing = Options(1);
  missing.topic = "no-such-topic-" + topic_;
  missing.partitions.reset();
  auto producer = KafkaProducer::Make(missing);
  ASSERT_TRUE(producer.status().IsKeyError()) << producer.status().ToString();
  EXPECT_NE(producer.status().message().find("hashlake topics create"), std::string::npos);
}

}  // namespace
}  // namespace hashlake::bus
