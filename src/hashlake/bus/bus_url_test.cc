#include "hashlake/bus/bus_url.h"

#include <gtest/gtest.h>

#include "hashlake/bus/bus.h"
#include "hashlake/bus/bus_test_util.h"
#include "hashlake/bus/embedded_log_options.h"

namespace hashlake::bus {
namespace {

TEST(BusUrlTest, SplitsAbsoluteAndRelativePaths) {
  ASSERT_OK_AND_ASSIGN(BusUrl a, ParseBusUrl("log:///data/posts?partitions=8&fsync=never"));
  EXPECT_EQ(a.scheme, "log");
  EXPECT_EQ(a.path, "/data/posts");
  ASSERT_EQ(a.query.size(), 2u);
  EXPECT_EQ(a.query[0].first, "partitions");
  EXPECT_EQ(a.query[0].second, "8");
  ASSERT_OK_AND_ASSIGN(BusUrl r, ParseBusUrl("log://rel/dir%20x"));
  EXPECT_EQ(r.path, "rel/dir x");
  EXPECT_TRUE(r.query.empty());
}

TEST(BusUrlTest, RejectsMalformed) {
  EXPECT_TRUE(ParseBusUrl("/just/a/path").status().IsInvalid());
  EXPECT_TRUE(ParseBusUrl("log:///a?novalue").status().IsInvalid());
  EXPECT_TRUE(ParseBusUrl("log:///a%zz").status().IsInvalid());
  EXPECT_TRUE(ParseBusUrl("log:///a%2").status().IsInvalid());
}

TEST(BusUrlTest, OptionsFromQuery) {
  ASSERT_OK_AND_ASSIGN(EmbeddedLogOptions o,
                       EmbeddedLogOptions::FromQuery({{"partitions", "3"},
                                                      {"segment_bytes", "4096"},
                                                      {"retention_bytes", "100000"},
                                                      {"retention_ms", "-1"},
                                                      {"max_record_bytes", "1000"},
                                                      {"fsync", "always"}}));
  EXPECT_EQ(o.partitions, 3);
  EXPECT_EQ(o.segment_bytes, 4096);
  EXPECT_EQ(o.retention_bytes, 100000);
  EXPECT_FALSE(o.retention.has_value());
  EXPECT_EQ(o.max_record_bytes, 1000);
  EXPECT_EQ(o.fsync, FsyncPolicy::kAlways);

  ASSERT_OK_AND_ASSIGN(EmbeddedLogOptions d, EmbeddedLogOptions::FromQuery({}));
  EXPECT_FALSE(d.partitions.has_value());
  EXPECT_EQ(d.segment_bytes, 64 << 20);
  EXPECT_EQ(d.retention, std::chrono::milliseconds(7 * 24 * 3600 * 1000LL));
}

TEST(BusUrlTest, OptionErrorsNameTheProblem) {
  auto unknown = EmbeddedLogOptions::FromQuery({{"partitons", "3"}});
  ASSERT_TRUE(unknown.status().IsInvalid());
  EXPECT_NE(unknown.status().message().find("'partitons'"), std::string::npos);
  EXPECT_NE(unknown.status().message().find("allowed: partitions, segment_bytes"),
            std::string::npos);
  EXPECT_TRUE(EmbeddedLogOptions::FromQuery({{"partitions", "0"}}).status().IsInvalid());
  EXPECT_TRUE(EmbeddedLogOptions::FromQuery({{"partitions", "4x"}}).status().IsInvalid());
  EXPECT_TRUE(EmbeddedLogOptions::FromQuery({{"segment_bytes", "10"}}).status().IsInvalid());
  EXPECT_TRUE(EmbeddedLogOptions::FromQuery({{"fsync", "sometimes"}}).status().IsInvalid());
  EXPECT_TRUE(
      EmbeddedLogOptions::FromQuery({{"max_record_bytes", "99999999999"}}).status().IsInvalid());
  EXPECT_TRUE(EmbeddedLogOptions::FromQuery({{"fsync", "never"}, {"fsync", "always"}})
                  .status()
                  .IsInvalid());
}

TEST(BusUrlTest, MakeProducerRejectsOtherSchemes) {
  auto producer = MakeProducer("kinesis://stream");
  ASSERT_TRUE(producer.status().IsInvalid());
  EXPECT_EQ(producer.status().message(),
            "unsupported bus URL scheme 'kinesis' (allowed: log://, kafka://)");
  auto consumer = MakeConsumer("kinesis://stream", "g");
  EXPECT_EQ(consumer.status().message(),
            "unsupported bus URL scheme 'kinesis' (allowed: log://, kafka://)");
  EXPECT_TRUE(MakeProducer("kafka://localhost:9092/posts?bogus=1").status().IsInvalid());
  EXPECT_TRUE(MakeProducer("log://").status().IsInvalid());
  EXPECT_TRUE(MakeProducer("log:///tmp/x?bogus=1").status().IsInvalid());
}

}  // namespace
}  // namespace hashlake::bus
