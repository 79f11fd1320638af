#include "hashlake/source/line_reader.h"

#include <zlib.h>

#include <gtest/gtest.h>

#include "hashlake/source/test_util_internal.h"

namespace hashlake::source {
namespace {

using testing::WriteTempFile;

TEST(LineReaderTest, SplitsLinesAndFlagsMissingNewline) {
  const std::string path = WriteTempFile("lines.txt", "a\nbb\r\n\nccc");
  auto reader = LineReader::Open(path, 100).ValueOrDie();
  LineReader::Line line;
  std::vector<std::string> got;
  while (reader->Next(&line).ValueOrDie()) {
    got.emplace_back(line.bytes);
    EXPECT_FALSE(line.oversized);
    EXPECT_EQ(line.missing_newline, got.back() == "ccc");
  }
  EXPECT_EQ(got, (std::vector<std::string>{"a", "bb\r", "", "ccc"}));
}

TEST(LineReaderTest, OversizedLinesKeepAPrefixAndTheirSize) {
  const std::string big(3'000'000, 'x');
  const std::string path = WriteTempFile("big.txt", "ok\n" + big + "\nafter\n" + big);
  auto reader = LineReader::Open(path, 1000).ValueOrDie();
  LineReader::Line line;
  ASSERT_TRUE(reader->Next(&line).ValueOrDie());
  EXPECT_EQ(line.bytes, "ok");
  ASSERT_TRUE(reader->Next(&line).ValueOrDie());
  EXPECT_TRUE(line.oversized);
  EXPECT_EQ(line.size, big.size());
  EXPECT_EQ(line.bytes.size(), LineReader::kOversizedPrefixBytes);
  ASSERT_TRUE(reader->Next(&line).ValueOrDie());
  EXPECT_EQ(line.bytes, "after");
  ASSERT_TRUE(reader->Next(&line).ValueOrDie());
  EXPECT_TRUE(line.oversized);
  EXPECT_TRUE(line.missing_newline);
  EXPECT_EQ(line.size, big.size());
  EXPECT_FALSE(reader->Next(&line).ValueOrDie());
}

TEST(LineReaderTest, ReadsGzip) {
  const std::string path = ::testing::TempDir() + "/hashlake_source_lines.gz";
  gzFile gz = gzopen(path.c_str(), "wb");
  ASSERT_NE(gz, nullptr);
  const std::string body = "one\ntwo\n";
  gzwrite(gz, body.data(), static_cast<unsigned>(body.size()));
  gzclose(gz);
  auto reader = LineReader::Open(path, 100).ValueOrDie();
  LineReader::Line line;
  ASSERT_TRUE(reader->Next(&line).ValueOrDie());
  EXPECT_EQ(line.bytes, "one");
  ASSERT_TRUE(reader->Next(&line).ValueOrDie());
  EXPECT_EQ(line.bytes, "two");
  EXPECT_FALSE(reader->Next(&line).ValueOrDie());
  EXPECT_EQ(reader->bytes_read(), body.size());
}

TEST(LineReaderTest, MissingFileIsAnError) {
  EXPECT_TRUE(LineReader::Open("/nonexistent/hashlake", 10).status().IsIOError());
}

}  // namespace
}  // namespace hashlake::source
