#include "hashlake/bus/crc32c.h"

#include <gtest/gtest.h>

#include <string>

namespace hashlake::bus::crc32c {
namespace {

TEST(Crc32cTest, StandardVectors) {
  // RFC 3720 B.4 and the classic check value.
  EXPECT_EQ(Value("123456789"), 0xe3069283u);
  EXPECT_EQ(Value(std::string(32, '\0')), 0x8a9136aau);
  EXPECT_EQ(Value(std::string(32, '\xff')), 0x62a8ab43u);
  std::string ascending;
  for (int i = 0; i < 32; ++i) ascending.push_back(static_cast<char>(i));
  EXPECT_EQ(Value(ascending), 0x46dd794eu);
}

TEST(Crc32cTest, ExtendEqualsWhole) {
  std::string data = "hello world, this is more than eight bytes long";
  for (std::size_t cut = 0; cut <= data.size(); ++cut) {
    EXPECT_EQ(Extend(Value(data.data(), cut), data.data() + cut, data.size() - cut), Value(data));
  }
}

TEST(Crc32cTest, PortableMatchesDispatched) {
  std::string data;
  for (int i = 0; i < 1000; ++i) data.push_back(static_cast<char>(i * 7 + 3));
  for (std::size_t n : {0u, 1u, 7u, 8u, 9u, 63u, 1000u}) {
    EXPECT_EQ(internal::ExtendPortableForTest(0, data.data(), n), Value(data.data(), n)) << n;
  }
}

TEST(Crc32cTest, MaskRoundTripsAndChangesValue) {
  const uint32_t crc = Value("foo");
  EXPECT_NE(Mask(crc), crc);
  EXPECT_NE(Mask(Mask(crc)), crc);
  EXPECT_EQ(Unmask(Mask(crc)), crc);
  EXPECT_EQ(Unmask(Unmask(Mask(Mask(crc)))), crc);
}

}  // namespace
}  // namespace hashlake::bus::crc32c
