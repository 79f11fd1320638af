#include "hashlake/core/bus_message.h"

#include <gtest/gtest.h>

#include "hashlake/core/test_util.h"

namespace hashlake {
namespace {

TEST(BusMessageTest, PostRoundTrips) {
  Post p;
  p.id = "9";
  p.author_id = "u1";
  p.created_at = FromMicros(1000);
  p.text = "type rejected? \"type\":\"rejected\"";  // text that mimics the marker
  ASSERT_OK_AND_ASSIGN(auto record, DecodeRecord(EncodeRecord(Record{p})));
  ASSERT_TRUE(std::holds_alternative<Post>(record));
  EXPECT_EQ(std::get<Post>(record), p);
  EXPECT_EQ(RecordKey(Record{p}), "u1");
}

TEST(BusMessageTest, RejectedKeepsBinaryPayload) {
  Rejected r;
  r.source = SourceKind::kReplay;
  r.reason = "invalid UTF-8 at byte 2";
  r.payload = std::string("ab\xff\x00z", 5);
  r.at = FromMicros(77);
  ASSERT_OK_AND_ASSIGN(auto record, DecodeRecord(EncodeRecord(Record{r})));
  ASSERT_TRUE(std::holds_alternative<Rejected>(record));
  EXPECT_EQ(std::get<Rejected>(record), r);
}

TEST(BusMessageTest, GarbageIsAnError) {
  EXPECT_FALSE(DecodeRecord("not json").ok());
  EXPECT_FALSE(DecodeRecord(R"({"schema_version":1,"type":"rejected"})").ok());
}

}  // namespace
}  // namespace hashlake
