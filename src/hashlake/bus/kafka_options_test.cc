#include "hashlake/bus/kafka_options.h"

#include <gtest/gtest.h>

#include <chrono>

#include "hashlake/bus/bus.h"
#include "hashlake/bus/bus_test_util.h"
#include "hashlake/bus/kafka_admin.h"
#include "hashlake/bus/kafka_producer.h"

namespace hashlake::bus {
namespace {

TEST(KafkaOptionsTest, ParsesHostsTopicAndDefaults) {
  ASSERT_OK_AND_ASSIGN(auto o, KafkaOptionsFromUrl("kafka://127.0.0.1:9092,broker2:19092/posts"));
  EXPECT_EQ(o.bootstrap, (std::vector<std::string>{"127.0.0.1:9092", "broker2:19092"}));
  EXPECT_EQ(o.BootstrapList(), "127.0.0.1:9092,broker2:19092");
  EXPECT_EQ(o.topic, "posts");
  EXPECT_EQ(o.compression, "lz4");
  EXPECT_EQ(o.assign, KafkaAssignMode::kGroup);
  EXPECT_EQ(o.auto_offset_reset, "earliest");
  EXPECT_FALSE(o.partitions.has_value());
  EXPECT_EQ(o.replication_factor, -1);
  EXPECT_EQ(o.delivery_timeout, std::chrono::milliseconds(300000));
}

TEST(KafkaOptionsTest, ParsesEveryQueryKey) {
  ASSERT_OK_AND_ASSIGN(
      auto o,
      KafkaOptionsFromUrl("kafka://[::1]:9092/a.b-c_d?compression=zstd&linger_ms=0&batch_bytes="
                          "65536&queue_max_messages=10&delivery_timeout_ms=1500&partitions=8&"
                          "replication_factor=3&assign=all&auto_offset_reset=latest&"
                          "session_timeout_ms=6000&timeout_ms=2000&client_id=me&"
                          "rdkafka.fetch.min.bytes=1024"));
  EXPECT_EQ(o.bootstrap, (std::vector<std::string>{"[::1]:9092"}));
  EXPECT_EQ(o.topic, "a.b-c_d");
  EXPECT_EQ(o.compression, "zstd");
  EXPECT_EQ(o.linger.count(), 0);
  EXPECT_EQ(o.batch_bytes, 65536);
  EXPECT_EQ(o.queue_max_messages, 10);
  EXPECT_EQ(o.delivery_timeout.count(), 1500);
  EXPECT_EQ(o.partitions, 8);
  EXPECT_EQ(o.replication_factor, 3);
  EXPECT_EQ(o.assign, KafkaAssignMode::kAll);
  EXPECT_EQ(o.auto_offset_reset, "latest");
  EXPECT_EQ(o.session_timeout.count(), 6000);
  EXPECT_EQ(o.request_timeout.count(), 2000);
  EXPECT_EQ(o.client_id, "me");
  ASSERT_EQ(o.rdkafka.size(), 1u);
  EXPECT_EQ(o.rdkafka[0], (std::pair<std::string, std::string>{"fetch.min.bytes", "1024"}));
}

TEST(KafkaOptionsTest, UnknownKeysAreOneErrorNamingThem) {
  auto r = KafkaOptionsFromUrl("kafka://h:1/t?acks=1&compression=lz4&lingerms=5");
  ASSERT_TRUE(r.status().IsInvalid());
  const std::string message = r.status().message();
  EXPECT_EQ(message.find('\n'), std::string::npos);
  EXPECT_NE(message.find("unknown kafka URL parameters 'acks', 'lingerms'"), std::string::npos)
      << message;
  EXPECT_NE(message.find("allowed: compression"), std::string::npos) << message;
}

TEST(KafkaOptionsTest, RejectsBadUrls) {
  for (const char* url : {
           "kafka://h:9092",                       // no topic
           "kafka://h:9092/",                      // empty topic
           "kafka:///topic",                       // no host
           "kafka://h/topic",                      // no port
           "kafka://h:0/topic",                    // port out of range
           "kafka://h:70000/topic",                // port out of range
           "kafka://h:x/topic",                    // port not a number
           "kafka://h:1,/topic",                   // empty second server
           "kafka://h:1/bad topic",                // space in topic
           "kafka://h:1/a/b",                      // slash in topic
           "kafka://h:1/..",                       // reserved name
           "kafka://h:1/t?compression=brotli",     // unknown codec
           "kafka://h:1/t?assign=some",            // unknown mode
           "kafka://h:1/t?auto_offset_reset=none", // unknown policy
           "kafka://h:1/t?partitions=0",           // too few
           "kafka://h:1/t?partitions=x",           // not a number
           "kafka://h:1/t?replication_factor=0",   // zero replicas
           "kafka://h:1/t?linger_ms=-1",           // negative
           "kafka://h:1/t?linger_ms=1&linger_ms=2" // repeated
       }) {
    EXPECT_TRUE(KafkaOptionsFromUrl(url).status().IsInvalid()) << url;
  }
  EXPECT_TRUE(KafkaOptionsFromUrl(std::string(250, 'a')).status().IsInvalid());
  EXPECT_TRUE(ValidateTopicName(std::string(249, 'a')).ok());
  EXPECT_TRUE(ValidateTopicName(std::string(250, 'a')).IsInvalid());
}

TEST(KafkaOptionsTest, LibrdkafkaRejectsUnknownPassThroughProperty) {
  auto producer = MakeProducer("kafka://127.0.0.1:1/t?rdkafka.no.such.property=1");
  ASSERT_TRUE(producer.status().IsInvalid()) << producer.status().ToString();
  EXPECT_NE(producer.status().message().find("no.such.property"), std::string::npos);
}

TEST(KafkaOptionsTest, UnreachableClusterIsAnErrorNotAHang) {
  // Port 1 on loopback refuses connections: Make must give up after timeout_ms.
  const auto start = std::chrono::steady_clock::now();
  auto producer = MakeProducer("kafka://127.0.0.1:1/posts?timeout_ms=1500");
  ASSERT_FALSE(producer.ok());
  EXPECT_TRUE(producer.status().IsIOError()) << producer.status().ToString();
  EXPECT_NE(producer.status().message().find("kafka 127.0.0.1:1"), std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));

  KafkaOptions options;
  options.bootstrap = {"127.0.0.1:1"};
  options.request_timeout = std::chrono::milliseconds(1000);
  ASSERT_OK_AND_ASSIGN(auto admin, KafkaAdmin::Make(options));
  EXPECT_TRUE(admin->ListTopics().status().IsIOError());
  EXPECT_TRUE(admin->CreateTopic("t", 0, 1).IsInvalid());
  EXPECT_TRUE(admin->CreateTopic("bad name", 1, 1).IsInvalid());
}

}  // namespace
}  // namespace hashlake::bus
