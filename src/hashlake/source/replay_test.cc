#include "hashlake/source/replay.h"

#include <zlib.h>

#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "hashlake/source/test_util_internal.h"

namespace hashlake::source {
namespace {

using testing::Drain;
using testing::Posts;
using testing::Rejects;
using testing::WriteTempFile;

// A hashlake Post JSON line with created_at = base + offset_ms.
std::string PostLine(int n, int offset_ms) {
  Post p;
  p.id = fmt::format("p{}", n);
  p.source = SourceKind::kReplay;
  p.created_at = FromMicros(1'700'000'000'000'000 + int64_t{offset_ms} * 1000);
  p.text = "x";
  return ToJson(p) + "\n";
}

std::unique_ptr<ReplaySource> Make(std::vector<std::string> files, double speed = 0,
                                   std::size_t max_record_bytes = 1 << 20) {
  ReplayOptions options;
  options.files = std::move(files);
  options.speed = speed;
  options.max_record_bytes = max_record_bytes;
  auto source = ReplaySource::Make(options);
  EXPECT_TRUE(source.ok()) << source.status().ToString();
  return source.ok() ? std::move(*source) : nullptr;
}

TEST(ReplayTest, BadLinesAreRejectedWithReasonsAndCounted) {
  const std::string path = WriteTempFile(
      "bad.ndjson", PostLine(1, 0) + "{not json}\n" + "\xFF\xFE{}\n" + "\n" +
                        "[1,2]\n" + PostLine(2, 1) + "{\"truncated\": ");
  auto source = Make({path});
  ASSERT_NE(source, nullptr);
  const auto records = Drain(source.get());
  EXPECT_EQ(Posts(records).size(), 2u);
  const auto rejects = Rejects(records);
  ASSERT_EQ(rejects.size(), 5u);
  EXPECT_TRUE(rejects[0].reason.starts_with("invalid JSON: ")) << rejects[0].reason;
  EXPECT_EQ(rejects[0].payload, "{not json}");
  EXPECT_EQ(rejects[1].reason, "invalid UTF-8 at byte 0");
  EXPECT_EQ(rejects[2].reason, "unrecognized array item: (a number)");
  EXPECT_EQ(rejects[3].reason, "unrecognized array item: (a number)");
  EXPECT_TRUE(rejects[4].reason.starts_with("truncated last line")) << rejects[4].reason;
  EXPECT_TRUE(source->Finished());
  const SourceStats stats = source->Stats();
  EXPECT_EQ(stats.posts, 2u);
  EXPECT_EQ(stats.rejected, 5u);
  EXPECT_EQ(source->blank_lines(), 1u);
}

TEST(ReplayTest, TenMegabyteLineIsRejectedAndReadingGoesOn) {
  const std::string huge = "{\"text\":\"" + std::string(10 << 20, 'a') + "\"}\n";
  const std::string path = WriteTempFile("huge.ndjson", PostLine(1, 0) + huge + PostLine(2, 0));
  auto source = Make({path});
  ASSERT_NE(source, nullptr);
  const auto records = Drain(source.get());
  EXPECT_EQ(Posts(records).size(), 2u);
  const auto rejects = Rejects(records);
  ASSERT_EQ(rejects.size(), 1u);
  EXPECT_EQ(rejects[0].reason,
            fmt::format("oversized record: {} bytes > limit 1048576", huge.size() - 1));
  EXPECT_LE(rejects[0].payload.size(), LineReader::kOversizedPrefixBytes);
}

TEST(ReplayTest, SmallLimitAppliesToEveryLine) {
  const std::string path = WriteTempFile("limit.ndjson", PostLine(1, 0));
  auto source = Make({path}, 0, 10);
  ASSERT_NE(source, nullptr);
  const auto rejects = Rejects(Drain(source.get()));
  ASSERT_EQ(rejects.size(), 1u);
  EXPECT_TRUE(rejects[0].reason.starts_with("oversized record: ")) << rejects[0].reason;
}

TEST(ReplayTest, EmptyFileFinishesWithNothing) {
  auto source = Make({WriteTempFile("empty.ndjson", "")});
  ASSERT_NE(source, nullptr);
  EXPECT_TRUE(Drain(source.get()).empty());
  EXPECT_TRUE(source->Finished());
  EXPECT_EQ(source->Stats().posts + source->Stats().rejected, 0u);
}

TEST(ReplayTest, ReadsGzipAndSeveralFilesInOrder) {
  const std::string gz_path = ::testing::TempDir() + "/hashlake_source_posts.ndjson.gz";
  gzFile gz = gzopen(gz_path.c_str(), "wb");
  ASSERT_NE(gz, nullptr);
  const std::string body = PostLine(1, 0) + PostLine(2, 0) + "garbage\n";
  gzwrite(gz, body.data(), static_cast<unsigned>(body.size()));
  gzclose(gz);
  auto source = Make({gz_path, WriteTempFile("second.ndjson", PostLine(3, 0))});
  ASSERT_NE(source, nullptr);
  const auto records = Drain(source.get(), 1);  // one record per poll
  const auto posts = Posts(records);
  ASSERT_EQ(posts.size(), 3u);
  EXPECT_EQ(posts[0].id, "p1");
  EXPECT_EQ(posts[2].id, "p3");
  EXPECT_EQ(Rejects(records).size(), 1u);
  EXPECT_EQ(source->Stats().bytes, body.size() + PostLine(3, 0).size());
}

TEST(ReplayTest, CorruptGzipIsDeadLettered) {
  // A gzip header followed by garbage.
  const std::string path =
      WriteTempFile("corrupt.gz", std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10) +
                                      std::string(100, '\x42'));
  auto source = Make({path, WriteTempFile("after_corrupt.ndjson", PostLine(1, 0))});
  ASSERT_NE(source, nullptr);
  const auto records = Drain(source.get());
  EXPECT_EQ(Posts(records).size(), 1u);
  ASSERT_EQ(Rejects(records).size(), 1u);
  EXPECT_NE(Rejects(records)[0].reason.find("corrupt.gz"), std::string::npos);
}

TEST(ReplayTest, WholeFileJsonDocument) {
  const std::string pretty = "[\n  {\n    \"id\": \"1\", \"created_at\": \"2020-04-16T16:45:08Z\",\n"
                             "    \"account\": {\"id\": \"2\", \"acct\": \"a\"},\n"
                             "    \"content\": \"<p>#Hi</p>\", \"tags\": [{\"name\": \"hi\"}]\n"
                             "  }\n]\n";
  auto source = Make({WriteTempFile("pretty.json", pretty)});
  ASSERT_NE(source, nullptr);
  const auto posts = Posts(Drain(source.get()));
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].hashtags, std::vector<std::string>{"hi"});
}

TEST(ReplayTest, SpeedPacesByEventTime) {
  // Five posts 100 ms apart in event time.
  std::string body;
  for (int i = 0; i < 5; ++i) body += PostLine(i, i * 100);
  const std::string path = WriteTempFile("paced.ndjson", body);
  auto time_drain = [&](double speed) {
    auto source = Make({path}, speed);
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(Posts(Drain(source.get())).size(), 5u);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  EXPECT_LT(time_drain(0), 0.2);
  const double real_time = time_drain(1.0);
  EXPECT_GE(real_time, 0.38);
  EXPECT_LT(real_time, 2.0);
  EXPECT_LT(time_drain(10.0), 0.3);
}

TEST(ReplayTest, PollRespectsTimeoutAndStop) {
  const std::string path = WriteTempFile("slow.ndjson", PostLine(1, 0) + PostLine(2, 60'000));
  auto source = Make({path}, 1.0);
  std::vector<Record> out;
  ASSERT_TRUE(source->Poll(&out, 10, std::chrono::milliseconds(50)).ok());
  EXPECT_EQ(out.size(), 1u);  // the second post is a minute away
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(source->Poll(&out, 10, std::chrono::milliseconds(100)).ok());
  EXPECT_EQ(out.size(), 1u);
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    source->Stop();
  });
  ASSERT_TRUE(source->Poll(&out, 10, std::chrono::seconds(30)).ok());
  stopper.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(out.size(), 1u);
}

TEST(ReplayTest, MakeRejectsBadOptions) {
  ReplayOptions options;
  EXPECT_TRUE(ReplaySource::Make(options).status().IsInvalid());
  options.files = {"/nonexistent/file.ndjson"};
  EXPECT_TRUE(ReplaySource::Make(options).status().IsIOError());
  options.files = {WriteTempFile("ok.ndjson", "")};
  options.speed = -1;
  EXPECT_TRUE(ReplaySource::Make(options).status().IsInvalid());
}

}  // namespace
}  // namespace hashlake::source
