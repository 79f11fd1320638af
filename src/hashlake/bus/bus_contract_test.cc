// The Producer/Consumer contract, run against every backend: the embedded log always,
// Kafka (group and assign=all modes) when HASHLAKE_KAFKA_BOOTSTRAP names a broker
// (tests/integration/test_kafka.py starts one and runs this binary with it set).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>

#include "hashlake/bus/bus.h"
#include "hashlake/bus/bus_test_util.h"
#include "hashlake/bus/partitioner.h"

namespace hashlake::bus {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

constexpr int32_t kPartitions = 4;

std::string Unique() {
  static std::mt19937_64 rng(std::random_device{}());
  return std::to_string(rng() % 1000000000);
}

struct Backend {
  std::string name;
  bool needs_kafka = false;
  std::string kafka_query;  // extra URL query for Kafka
};

class BusContractTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    const Backend& backend = GetParam();
    std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(test.begin(), test.end(), '/', '-');
    if (backend.needs_kafka) {
      const char* bootstrap = std::getenv("HASHLAKE_KAFKA_BOOTSTRAP");
      if (bootstrap == nullptr || *bootstrap == '\0') {
        GTEST_SKIP() << "HASHLAKE_KAFKA_BOOTSTRAP is not set: no Kafka broker to test against "
                        "(tests/integration/test_kafka.py starts one)";
      }
      url_ = std::string("kafka://") + bootstrap + "/contract-" + test + "-" + Unique() +
             "?partitions=" + std::to_string(kPartitions) + "&linger_ms=1" + backend.kafka_query;
    } else {
      dir_ = fs::temp_directory_path() / ("hashlake-contract-" + test + "-" + Unique());
      url_ = "log://" + dir_.string() + "?partitions=" + std::to_string(kPartitions);
    }
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  // Polls until `count` messages arrived or 30 s passed.
  static std::vector<ConsumedMessage> PollN(Consumer& consumer, std::size_t count) {
    std::vector<ConsumedMessage> out;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (out.size() < count && std::chrono::steady_clock::now() < deadline) {
      auto batch = consumer.Poll(count - out.size(), milliseconds(200));
      EXPECT_TRUE(batch.ok()) << batch.status().ToString();
      if (!batch.ok()) break;
      for (auto& m : *batch) out.push_back(std::move(m));
    }
    return out;
  }

  static void ProduceKeyed(Producer& producer, int count, int keys) {
    for (int i = 0; i < count; ++i) {
      const std::string key = "author-" + std::to_string(i % keys);
      ASSERT_OK(producer.Send({key, key + ":" + std::to_string(i),
                               FromMicros(int64_t{1700000000000} * 1000 + i * 1000)}));
    }
    ASSERT_OK(producer.Flush());
  }

  std::string url_;
  fs::path dir_;
};

TEST_P(BusContractTest, RoundTripKeepsKeyOrderAndKafkaPartitioning) {
  ASSERT_OK_AND_ASSIGN(auto producer, MakeProducer(url_));
  EXPECT_EQ(producer->PartitionCount(), kPartitions);
  ProduceKeyed(*producer, 300, 13);
  ASSERT_OK_AND_ASSIGN(auto consumer, MakeConsumer(url_, "g"));
  auto messages = PollN(*consumer, 300);
  ASSERT_EQ(messages.size(), 300u);
  std::map<std::string, int> last_index;
  std::set<std::string> values;
  for (const auto& m : messages) {
    EXPECT_TRUE(values.insert(m.value).second) << "duplicate " << m.value;
    // Same partition as Kafka's Java client and the embedded log would choose.
    EXPECT_EQ(m.partition, PartitionForKey(m.key, kPartitions)) << m.key;
    const int index = std::stoi(m.value.substr(m.value.find(':') + 1));
    EXPECT_EQ(m.value.substr(0, m.value.find(':')), m.key);
    EXPECT_EQ(m.timestamp, FromMicros(int64_t{1700000000000} * 1000 + index * 1000));
    auto [it, fresh] = last_index.emplace(m.key, index);
    if (!fresh) {
      EXPECT_GT(index, it->second) << "out of order for " << m.key;
      it->second = index;
    }
  }
  // Nothing more arrives.
  ASSERT_OK_AND_ASSIGN(auto more, consumer->Poll(10, milliseconds(300)));
  EXPECT_TRUE(more.empty());
}

TEST_P(BusContractTest, CommittedOffsetsResumeANewConsumer) {
  ASSERT_OK_AND_ASSIGN(auto producer, MakeProducer(url_));
  ProduceKeyed(*producer, 60, 7);
  OffsetMap commit;
  std::set<std::string> first_values;
  {
    ASSERT_OK_AND_ASSIGN(auto consumer, MakeConsumer(url_, "resume"));
    ASSERT_OK_AND_ASSIGN(auto committed, consumer->Committed());
    EXPECT_TRUE(committed.empty());
    auto messages = PollN(*consumer, 60);
    ASSERT_EQ(messages.size(), 60u);
    for (std::size_t i = 0; i < 25; ++i) {  // "process" the first 25 only
      commit[messages[i].partition] = Offset{messages[i].offset.value + 1};
    }
    // Per partition, commit covers a prefix: count what it covers.
    for (const auto& m : messages) {
      auto it = commit.find(m.partition);
      if (it != commit.end() && m.offset < it->second) first_values.insert(m.value);
    }
    ASSERT_OK(consumer->Commit(commit));
    ASSERT_OK_AND_ASSIGN(committed, consumer->Committed());
    EXPECT_EQ(committed, commit);
  }
  ASSERT_OK_AND_ASSIGN(auto consumer, MakeConsumer(url_, "resume"));
  auto rest = PollN(*consumer, 60 - first_values.size());
  ASSERT_EQ(rest.size(), 60 - first_values.size());
  for (const auto& m : rest) EXPECT_EQ(first_values.count(m.value), 0u) << m.value;
  // Another group starts from the beginning.
  ASSERT_OK_AND_ASSIGN(auto other, MakeConsumer(url_, "other"));
  EXPECT_EQ(PollN(*other, 60).size(), 60u);
}

TEST_P(BusContractTest, SeekBeforeTheFirstPollAndAfterIt) {
  ASSERT_OK_AND_ASSIGN(auto producer, MakeProducer(url_));
  ProduceKeyed(*producer, 40, 1);  // one key: one partition, offsets 0..39
  const PartitionId p = PartitionForKey("author-0", kPartitions);
  ASSERT_OK_AND_ASSIGN(auto consumer, MakeConsumer(url_, "seeker"));
  ASSERT_EQ(consumer->Assignment().size(), static_cast<std::size_t>(kPartitions));
  ASSERT_OK(consumer->Seek(p, Offset{10}));
  auto messages = PollN(*consumer, 30);
  ASSERT_EQ(messages.size(), 30u);
  EXPECT_EQ(messages.front().offset, Offset{10});
  EXPECT_EQ(messages.front().value, "author-0:10");
  EXPECT_EQ(messages.back().offset, Offset{39});
  ASSERT_OK(consumer->Seek(p, Offset{5}));  // backwards, after polling
  messages = PollN(*consumer, 3);
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_EQ(messages[0].offset, Offset{5});
  EXPECT_EQ(messages[2].value, "author-0:7");
  // Past the end clamps to the end: the next message produced is the next one read.
  ASSERT_OK(consumer->Seek(p, Offset{1000}));
  ASSERT_OK(producer->Send({"author-0", "late", {}}));
  ASSERT_OK(producer->Flush());
  messages = PollN(*consumer, 1);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].offset, Offset{40});
  EXPECT_EQ(messages[0].value, "late");
  EXPECT_FALSE(consumer->Seek(PartitionId{kPartitions}, Offset{0}).ok());
}

TEST_P(BusContractTest, EndAndBeginningOffsetsCountMessages) {
  ASSERT_OK_AND_ASSIGN(auto producer, MakeProducer(url_));
  ASSERT_OK_AND_ASSIGN(auto consumer, MakeConsumer(url_, "lag"));
  ASSERT_OK_AND_ASSIGN(auto ends, consumer->EndOffsets());
  ASSERT_EQ(ends.size(), static_cast<std::size_t>(kPartitions));
  for (const auto& [p, o] : ends) EXPECT_EQ(o, Offset{0});
  ProduceKeyed(*producer, 100, 9);
  std::map<PartitionId, int64_t> expected;
  for (int i = 0; i < 100; ++i) {
    ++expected[PartitionForKey("author-" + std::to_string(i % 9), kPartitions)];
  }
  ASSERT_OK_AND_ASSIGN(ends, consumer->EndOffsets());
  ASSERT_OK_AND_ASSIGN(auto begins, consumer->BeginningOffsets());
  for (int32_t p = 0; p < kPartitions; ++p) {
    EXPECT_EQ(ends[PartitionId{p}].value, expected[PartitionId{p}]) << p;
    EXPECT_EQ(begins[PartitionId{p}], Offset{0}) << p;
  }
  // Once everything is read, the cheap estimate has caught up with the end too.
  ASSERT_EQ(PollN(*consumer, 100).size(), 100u);
  ASSERT_OK_AND_ASSIGN(auto estimate, consumer->EndOffsetsEstimate());
  for (int32_t p = 0; p < kPartitions; ++p) {
    EXPECT_EQ(estimate[PartitionId{p}].value, expected[PartitionId{p}]) << p;
  }
}

TEST_P(BusContractTest, EmptyKeysAreSpreadAndAllDelivered) {
  ASSERT_OK_AND_ASSIGN(auto producer, MakeProducer(url_));
  for (int i = 0; i < 200; ++i) ASSERT_OK(producer->Send({"", std::to_string(i), {}}));
  ASSERT_OK(producer->Flush());
  ASSERT_OK_AND_ASSIGN(auto consumer, MakeConsumer(url_, "g"));
  auto messages = PollN(*consumer, 200);
  ASSERT_EQ(messages.size(), 200u);
  std::set<std::string> values;
  for (const auto& m : messages) {
    EXPECT_TRUE(m.key.empty());
    values.insert(m.value);
  }
  EXPECT_EQ(values.size(), 200u);
}

INSTANTIATE_TEST_SUITE_P(Backends, BusContractTest,
                         ::testing::Values(Backend{"EmbeddedLog", false, ""},
                                           Backend{"KafkaGroup", true, "&assign=group"},
                                           Backend{"KafkaAssignAll", true, "&assign=all"}),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace hashlake::bus
