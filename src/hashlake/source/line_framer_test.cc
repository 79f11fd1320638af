#include "hashlake/source/line_framer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hashlake::source {
namespace {

struct Collected {
  std::vector<std::string> lines;
  std::vector<std::size_t> oversized_sizes;
};

Collected FeedInPieces(LineFramer* framer, const std::string& bytes, std::size_t piece) {
  Collected c;
  for (std::size_t i = 0; i < bytes.size(); i += piece) {
    framer->Feed(std::string_view(bytes).substr(i, piece), [&](const LineFramer::Line& line) {
      if (line.oversized) {
        c.oversized_sizes.push_back(line.size);
      } else {
        c.lines.emplace_back(line.bytes);
      }
    });
  }
  return c;
}

TEST(LineFramerTest, SplitsOnCrlfAndCountsKeepAlives) {
  const std::string stream = "{\"a\":1}\r\n\r\n\r\n{\"b\":2}\n\r\n{\"c\":3}\r\n";
  for (std::size_t piece : {1u, 2u, 3u, 7u, 1000u}) {
    LineFramer framer;
    Collected c = FeedInPieces(&framer, stream, piece);
    EXPECT_EQ(c.lines, (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}", "{\"c\":3}"}))
        << "piece " << piece;
    EXPECT_EQ(framer.keepalives(), 3u);
    EXPECT_EQ(framer.TakePartial(), "");
  }
}

TEST(LineFramerTest, KeepsTheCutTailAsPartial) {
  LineFramer framer;
  Collected c = FeedInPieces(&framer, "{\"a\":1}\r\n{\"data\":{\"id\":", 5);
  EXPECT_EQ(c.lines.size(), 1u);
  EXPECT_EQ(framer.TakePartial(), "{\"data\":{\"id\":");
  EXPECT_EQ(framer.TakePartial(), "");
}

TEST(LineFramerTest, OversizedLinesAreReportedOnceAndSkipped) {
  LineFramer framer(10);
  const std::string stream = std::string(25, 'x') + "\r\n{\"ok\":1}\r\n";
  Collected c = FeedInPieces(&framer, stream, 4);
  EXPECT_EQ(c.oversized_sizes, (std::vector<std::size_t>{25}));
  EXPECT_EQ(c.lines, (std::vector<std::string>{"{\"ok\":1}"}));
}

}  // namespace
}  // namespace hashlake::source
