#include "hashlake/bus/partitioner.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace hashlake::bus {
namespace {

TEST(PartitionerTest, Murmur2MatchesKafka) {
  // org.apache.kafka.common.utils.UtilsTest.testMurmur2
  EXPECT_EQ(Murmur2("21"), -973932308);
  EXPECT_EQ(Murmur2("foobar"), -790332482);
  EXPECT_EQ(Murmur2("a-little-bit-long-string"), -985981536);
  EXPECT_EQ(Murmur2("a-little-bit-longer-string"), -1486304829);
  EXPECT_EQ(Murmur2("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8"), -58897971);
  EXPECT_EQ(Murmur2("abc"), 479470107);
}

TEST(PartitionerTest, StableAndInRange) {
  std::set<int32_t> used;
  for (int i = 0; i < 1000; ++i) {
    const std::string key = "author-" + std::to_string(i);
    const PartitionId p = PartitionForKey(key, 7);
    ASSERT_GE(p.value, 0);
    ASSERT_LT(p.value, 7);
    EXPECT_EQ(PartitionForKey(key, 7), p);
    used.insert(p.value);
  }
  EXPECT_EQ(used.size(), 7u);  // 1000 keys reach every partition
  // Kafka: toPositive(murmur2("21")) % 4 == (−973932308 & 0x7fffffff) % 4.
  EXPECT_EQ(PartitionForKey("21", 4).value, static_cast<int32_t>((-973932308 & 0x7fffffff) % 4));
}

}  // namespace
}  // namespace hashlake::bus
