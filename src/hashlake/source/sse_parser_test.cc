#include "hashlake/source/sse_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hashlake::source {
namespace {

std::vector<SseEvent> FeedInPieces(SseParser* parser, const std::string& bytes, std::size_t piece) {
  std::vector<SseEvent> out;
  for (std::size_t i = 0; i < bytes.size(); i += piece) {
    parser->Feed(std::string_view(bytes).substr(i, piece),
                 [&](const SseEvent& ev) { out.push_back(ev); });
  }
  return out;
}

TEST(SseParserTest, ParsesMastodonEventsWithAnyLineEnding) {
  const std::string body =
      ":)\n"
      "event: update\ndata: {\"id\":\"1\"}\n\n"
      ":thump\r\n"
      "event: delete\r\ndata: 109\r\n\r\n"
      "id: 42\rdata:line1\rdata: line2\r\r"
      "event: filters_changed\n\n";  // no data: not dispatched
  for (std::size_t piece : {1u, 2u, 5u, 1000u}) {
    SseParser parser;
    auto events = FeedInPieces(&parser, body, piece);
    ASSERT_EQ(events.size(), 3u) << "piece " << piece;
    EXPECT_EQ(events[0].event, "update");
    EXPECT_EQ(events[0].data, "{\"id\":\"1\"}");
    EXPECT_EQ(events[1].event, "delete");
    EXPECT_EQ(events[1].data, "109");
    EXPECT_EQ(events[2].event, "message");
    EXPECT_EQ(events[2].data, "line1\nline2");
    EXPECT_EQ(events[2].id, "42");
    EXPECT_EQ(parser.last_event_id(), "42");
    EXPECT_EQ(parser.comments(), 2u);
    EXPECT_FALSE(parser.TakePartial().has_value());
  }
}

TEST(SseParserTest, RetryAndUnknownFields) {
  SseParser parser;
  auto events = FeedInPieces(&parser, "retry: 3000\nfoo: bar\nretry: x\ndata: d\n\n", 3);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(parser.retry_ms(), 3000);
}

TEST(SseParserTest, CutEventIsReturnedAsPartial) {
  SseParser parser;
  auto events = FeedInPieces(
      &parser, "id: 6\ndata: x\n\nid: 7\nevent: update\ndata: {\"id\":\"7\",\"cont", 4);
  ASSERT_EQ(events.size(), 1u);
  // Reconnecting must ask for event 7 again: its id does not count until dispatched.
  EXPECT_EQ(parser.last_event_id(), "6");
  auto partial = parser.TakePartial();
  ASSERT_TRUE(partial.has_value());
  EXPECT_EQ(partial->event, "update");
  EXPECT_EQ(partial->data, "{\"id\":\"7\",\"cont");
  EXPECT_FALSE(parser.TakePartial().has_value());
}

TEST(SseParserTest, OversizedEventsAreCountedNotDispatched) {
  SseParser parser(8);
  auto events = FeedInPieces(&parser, "data: 0123456789abc\n\ndata: ok\n\n", 3);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "ok");
  EXPECT_EQ(parser.oversized(), 1u);
}

}  // namespace
}  // namespace hashlake::source
