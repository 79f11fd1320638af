#include "hashlake/bus/log_format.h"

#include <gtest/gtest.h>

#include <string>

namespace hashlake::bus::log_format {
namespace {

TEST(LogFormatTest, RoundTrip) {
  std::string buf;
  AppendRecord(&buf, Offset{42}, 1700000000123456, "key", "value");
  AppendRecord(&buf, Offset{43}, -5, "", std::string("\0bin\xff", 5));
  ASSERT_EQ(static_cast<int64_t>(buf.size()), EncodedSize(3, 5) + EncodedSize(0, 5));

  Decoded a = DecodeRecord(buf);
  ASSERT_EQ(a.status, DecodeStatus::kOk);
  EXPECT_EQ(a.size, EncodedSize(3, 5));
  EXPECT_EQ(a.record.offset, Offset{42});
  EXPECT_EQ(a.record.timestamp_us, 1700000000123456);
  EXPECT_EQ(a.record.key, "key");
  EXPECT_EQ(a.record.value, "value");

  Decoded b = DecodeRecord(std::string_view(buf).substr(static_cast<std::size_t>(a.size)));
  ASSERT_EQ(b.status, DecodeStatus::kOk);
  EXPECT_EQ(b.record.offset, Offset{43});
  EXPECT_EQ(b.record.timestamp_us, -5);
  EXPECT_EQ(b.record.key, "");
  EXPECT_EQ(b.record.value, std::string("\0bin\xff", 5));
}

TEST(LogFormatTest, EveryPrefixIsIncomplete) {
  std::string buf;
  AppendRecord(&buf, Offset{0}, 1, "k", "some value");
  for (std::size_t n = 0; n < buf.size(); ++n) {
    Decoded d = DecodeRecord(std::string_view(buf).substr(0, n));
    EXPECT_EQ(d.status, DecodeStatus::kIncomplete) << n;
    EXPECT_GT(d.size, static_cast<int64_t>(n));
  }
}

TEST(LogFormatTest, EveryFlippedBitIsDetected) {
  std::string good;
  AppendRecord(&good, Offset{7}, 99, "author", "a post about #things");
  for (std::size_t i = 0; i < good.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string bad = good;
      bad[i] = static_cast<char>(bad[i] ^ (1 << bit));
      Decoded d = DecodeRecord(bad);
      EXPECT_NE(d.status, DecodeStatus::kOk) << "byte " << i << " bit " << bit;
    }
  }
}

TEST(LogFormatTest, BadLengths) {
  std::string zeros(64, '\0');
  EXPECT_EQ(DecodeRecord(zeros).status, DecodeStatus::kBadLength);
  std::string huge = "\xff\xff\xff\x7f" + std::string(60, 'x');
  EXPECT_EQ(DecodeRecord(huge).status, DecodeStatus::kBadLength);
}

TEST(LogFormatTest, SegmentNames) {
  EXPECT_EQ(SegmentFileName(Offset{0}), "00000000000000000000.seg");
  EXPECT_EQ(SegmentFileName(Offset{1234}), "00000000000000001234.seg");
  EXPECT_EQ(ParseSegmentFileName("00000000000000001234.seg"), Offset{1234});
  EXPECT_FALSE(ParseSegmentFileName("0000000000000000123.seg").has_value());
  EXPECT_FALSE(ParseSegmentFileName("0000000000000000123x.seg").has_value());
  EXPECT_FALSE(ParseSegmentFileName("00000000000000001234.seg.tmp").has_value());
  EXPECT_FALSE(ParseSegmentFileName("meta").has_value());
}

}  // namespace
}  // namespace hashlake::bus::log_format
