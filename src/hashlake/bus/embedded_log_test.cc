#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "hashlake/bus/bus.h"
#include "hashlake/bus/bus_test_util.h"
#include "hashlake/bus/embedded_log_consumer.h"
#include "hashlake/bus/embedded_log_producer.h"
#include "hashlake/bus/log_format.h"
#include "hashlake/bus/partitioner.h"

namespace hashlake::bus {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

class EmbeddedLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "hashlake-bus-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    root_ = tmpl;
    dir_ = root_ + "/topic";
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  static EmbeddedLogOptions Options(int32_t partitions = 4) {
    EmbeddedLogOptions o;
    o.partitions = partitions;
    o.poll_interval = milliseconds(1);
    return o;
  }

  std::string SegmentPath(int32_t partition, int64_t base) const {
    return dir_ + "/p-" + std::to_string(partition) + "/" +
           log_format::SegmentFileName(Offset{base});
  }

  std::vector<std::string> SegmentNames(int32_t partition) const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_ + "/p-" + std::to_string(partition))) {
      names.push_back(e.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  /// Polls until `n` messages arrived or `deadline` passed.
  static std::vector<ConsumedMessage> PollN(Consumer* c, std::size_t n,
                                            milliseconds deadline = milliseconds(5000)) {
    std::vector<ConsumedMessage> all;
    const auto end = std::chrono::steady_clock::now() + deadline;
    while (all.size() < n && std::chrono::steady_clock::now() < end) {
      auto batch = c->Poll(n - all.size(), milliseconds(50));
      EXPECT_TRUE(batch.ok()) << batch.status().ToString();
      if (!batch.ok()) break;
      for (auto& m : *batch) all.push_back(std::move(m));
    }
    return all;
  }

  static void AppendBytes(const std::string& path, const std::string& bytes) {
    std::ofstream f(path, std::ios::binary | std::ios::app);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }

  std::string root_;
  std::string dir_;
};

Message Msg(std::string key, std::string value) {
  return Message{std::move(key), std::move(value), FromMicros(1700000000000000)};
}

TEST_F(EmbeddedLogTest, RoundTripAcrossPartitions) {
  ASSERT_OK_AND_ASSIGN(auto producer, EmbeddedLogProducer::Make(dir_, Options()));
  EXPECT_EQ(producer->PartitionCount(), 4);
  std::set<std::string> sent;
  for (int i = 0; i < 200; ++i) {
    std::string key = i % 10 == 0 ? "" : "author-" + std::to_string(i % 17);
    std::string value = "post-" + std::to_string(i);
    ASSERT_OK(producer->Send(Message{key, value, FromMicros(1000 + i)}));
    sent.insert(value);
  }
  ASSERT_OK(producer->Flush());

  ASSERT_OK_AND_ASSIGN(auto consumer, EmbeddedLogConsumer::Make(dir_, "g", Options()));
  auto got = PollN(consumer.get(), 200);
  ASSERT_EQ(got.size(), 200u);
  std::set<std::string> received;
  std::set<int32_t> partitions;
  for (const auto& m : got) {
    received.insert(m.value);
    partitions.insert(m.partition.value);
    if (!m.key.empty()) {
      EXPECT_EQ(m.partition, PartitionForKey(m.key, 4));
    }
    const int i = std::stoi(m.value.substr(5));
    EXPECT_EQ(ToMicros(m.timestamp), 1000 + i);
  }
  EXPECT_EQ(received, sent);
  EXPECT_EQ(partitions.size(), 4u);
  // Nothing more.
  ASSERT_OK_AND_ASSIGN(auto more, consumer->Poll(10, milliseconds(20)));
  EXPECT_TRUE(more.empty());
}

TEST_F(EmbeddedLogTest, OrderingPerPartitionAndPerKey) {
  ASSERT_OK_AND_ASSIGN(auto producer, EmbeddedLogProducer::Make(dir_, Options(3)));
  for (int i = 0; i < 300; ++i) {
    ASSERT_OK(producer->Send(Msg("k" + std::to_string(i % 5), std::to_string(i))));
  }
  ASSERT_OK_AND_ASSIGN(auto consumer, EmbeddedLogConsumer::Make(dir_, "g", Options(3)));
  auto got = PollN(consumer.get(), 300);
  ASSERT_EQ(got.size(), 300u);
  std::map<int32_t, int64_t> next_offset;
  std::map<std::string, int> last_value;
  for (const auto& m : got) {
    EXPECT_EQ(m.offset.value, next_offset[m.partition.value]++)
        << "partition " << m.partition.value;
    const int v = std::stoi(m.value);
    auto it = last_value.find(m.key);
    if (it != last_value.end()) {
      EXPECT_GT(v, it->second) << m.key;
    }
    last_value[m.key] = v;
  }
}

TEST_F(EmbeddedLogTest, KeyToPartitionIsStableAcrossReopen) {
  std::map<std::string, int32_t> first;
  {
    ASSERT_OK_AND_ASSIGN(auto producer, EmbeddedLogProducer::Make(dir_, Options(8)));
    for (int i = 0; i < 50; ++i) {
      const std::string key = "user" + std::to_string(i);
      ASSERT_OK_AND_ASSIGN(AppendedAt at, producer->Append(Msg(key, "x")));
      EXPECT_EQ(at.partition, PartitionForKey(key, 8));
      first[key] = at.partition.value;
    }
  }
  ASSERT_OK_AND_ASSIGN(auto producer, EmbeddedLogProducer::Make(dir_, {}));
  EXPECT_EQ(producer->PartitionCount(), 8);  // from meta
  for (const auto& [key, partition] : first) {
    ASSERT_OK_AND_ASSIGN(AppendedAt at, producer->Append(Msg(key, "y")));
    EXPECT_EQ(at.partition.value, partition);
  }
}

TEST_F(EmbeddedLogTest, EmptyKeysGoRoundRobin) {
  ASSERT_OK_AND_ASSIGN(auto producer, EmbeddedLogProducer::Make(dir_, Options(4)));
  for (int i = 0; i < 8; ++i) ASSERT_OK(producer->Send(Msg("", "v")));
  for (int32_t p = 0; p < 4; ++p) EXPECT_EQ(producer->EndOffset(PartitionId{p}), Offset{2});
}

TEST_F(EmbeddedLogTest, ReopenKeepsDataAndOffsets) {
  {
    ASSERT_OK_AND_ASSIGN(auto producer, EmbeddedLogProducer::Make(dir_, Options(2)));
    for (int i = 0; i < 20; ++i) {
      ASSERT_OK(producer->AppendTo(PartitionId{i % 2}, Msg("", std::to_string(i))).status());
    }
    ASSERT_OK(producer->Flush());
  }
  {
    ASSERT_OK_AND_ASSIGN(auto consumer, EmbeddedLogConsumer::Make(dir_, "g", Options(2)));
    auto got = PollN(consumer.get(), 20);
    ASSERT_EQ(got.size(), 20u);
    ASSERT_OK(consumer->Commit({{PartitionId{0}, Offset{6}}, {PartitionId{1}, Offset{10}}}));
  }
  ASSERT_OK_AND_ASSIGN(auto producer, EmbeddedLogProducer::Make(dir_, Options(2)));
  EXPECT_EQ(producer->EndOffset(PartitionId{0}), Offset{10});
  EXPECT_EQ(producer->RecoveredBytesDropped(PartitionId{0}), 0);
  ASSERT_OK_AND_ASSIGN(Offset next, producer->AppendTo(PartitionId{0}, Msg("", "20")));
  EXPECT_EQ(next, Offset{10});

  ASSERT_OK_AND_ASSIGN(auto consumer, EmbeddedLogConsumer::Make(dir_, "g", Options(2)));
  ASSERT_OK_AND_ASSIGN(OffsetMap committed, consumer->Committed());
  EXPECT_EQ(committed[PartitionId{0}], Offset{6});
  auto got = PollN(consumer.get(), 5);
  ASSERT_EQ(got.size(), 5u);  // offsets 6..10 of partition 0; partition 1 is done
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].partition, PartitionId{0});
    EXPECT_EQ(got[i].offset, Offset{static_cast<int64_t>(6 + i)});
  }
  EXPECT_EQ(got.back().value, "20");
}

enum class TailKind { kGarbage, kPartialRecord, kBadChecksumRecord, kZeros };

class TornTailTest : public EmbeddedLogTest, public ::testing::WithParamInterface<TailKind> {};

TEST_P(TornTailTest, TruncatedOnOpenAndAppendsContinue) {
  {
    ASSERT_OK_AND_ASSIGN(auto producer, EmbeddedLogProducer::Make(dir_, Options(1)));
    for (int i = 0; i < 10; ++i) ASSERT_OK(producer->Send(Msg("k", std::to_string(i))));
  }
  std::string tail;
  log_format::AppendRecord(&tail, Offset{10}, 5, "k", "a record that was being written");
  switch (GetParam()) {
    case TailKind::kGarbage:
      tail = "garbage!";
      break;
    case TailKind::kPartialRecord:
      tail.resize(tail.size() / 2);
      break;
    case TailKind::kBadChecksumRecord:
      tail[tail.size() - 1] ^= 0x40;
      break;
    case TailKind::kZeros:
      tail = std::string(4096, '\0');
      break;
  }
  AppendBytes(SegmentPath(0, 0), tail);

  // A consumer arriving before recovery reads the whole records and waits at the tail.
  {
    ASSERT_OK_AND_ASSIGN(auto consumer, EmbeddedLogConsumer::Make(dir_, "early", Options(1)));
    auto got = PollN(consumer.get(), 10);
    EXPECT_EQ(got.size(), 10u);
    ASSERT_OK_AND_ASSIGN(auto more, consumer->Poll(10, milliseconds(20)));
    EXPECT_TRUE(more.empty());
  }

  ASSERT_OK_AND_ASSIGN(auto producer, EmbeddedLogProducer::Make(dir_, Options(1)));
  EXPECT_EQ(producer->RecoveredBytesDropped(PartitionId{0}), static_cast<int64_t>(tail.size()));
  EXPECT_EQ(producer->EndOffset(PartitionId{0}), Offset{10});
  ASSERT_OK_AND_ASSIGN(AppendedAt at, producer->Append(Msg("k", "10")));
  EXPECT_EQ(at.offset, Offset{10});
  ASSERT_OK(producer->Flush());

  ASSERT_OK_AND_ASSIGN(auto consumer, EmbeddedLogConsumer::Make(dir_, "g", Options(1)));
  auto got = PollN(consumer.get(), 11);
  ASSERT_EQ(got.size(), 11u);
  for (int i = 0; i < 11; ++i) {
    EXPECT_EQ(got[static_cast<std::size_t>(i)].offset, Offset{i});
    EXPECT_EQ(got[static_cast<std::size_t>(i)].value, std::to_string(i));
  }
}

INSTANTIATE_TEST_SUITE_P(Tails, TornTailTest,
                         ::testing::Values(TailKind::kGarbage, TailKind::kPartialRecord,
                                           TailKind::kBadChecksumRecord, TailKind::kZeros));

TEST_F(EmbeddedLogTest, CrcMismatchMidSegmentIsReportedNotSkipped) {
  {
    ASSERT_OK_AND_ASSIGN(auto producer, EmbeddedLogProducer::Make(dir_, Options(1)));
    for (int i = 0; i < 10; ++i) ASSERT_OK(producer->Send(Msg("k", "value-" + std::to_string(i))));
  }
  // Flip one byte inside record 3's value.
  const int64_t record_size = log_format::EncodedSize(1, 7);
  {
    std::fstream f(SegmentPath(0, 0), std::ios::binary | std::ios::in | std::ios::out);
    f.seekp(3 * record_size + record_size - 2);
    f.put('#');
  }
  auto producer = EmbeddedLogProducer::Make(dir_, Options(1));
  ASSERT_FALSE(producer.ok());
  EXPECT_TRUE(producer.status().IsIOError());
  EXPECT_NE(producer.status().message().find("CRC mismatch"), std::string::npos)
      << producer.status().ToString();
  EXPECT_NE(producer.status().message().find("offset 3"), std::string::npos);

  ASSERT_OK_AND_ASSIGN(auto consumer, EmbeddedLogConsumer::Make(dir_, "g", Options(1)));
  ASSERT_OK_AND_ASSIGN(auto first, consumer->Poll(3, milliseconds(100)));
  EXPECT_EQ(first.size(), 3u);
  auto bad = consumer->Poll(10, milliseconds(100));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("CRC mismatch"), std::string::npos);
}

TEST_F(EmbeddedLogTest, GroupOffsetsCommitAndReload) {
  ASSERT_OK_AND_ASSIGN(auto producer, EmbeddedLogProducer::Make(dir_, Options(3)));
  for (int i = 0; i < 30; ++i) {
    ASSERT_OK(producer->AppendTo(PartitionId{i % 3}, Msg("", std::to_string(i))).status());
  }
  {
    ASSERT_OK_AND_ASSIGN(auto consumer, EmbeddedLogConsumer::Make(dir_, "etl", Options(3)));
    ASSERT_OK_AND_ASSIGN(OffsetMap none, consumer->Committed());
    EXPECT_TRUE(none.empty());
    ASSERT_OK(consumer->Commit({{PartitionId{0}, Offset{5}}, {PartitionId{1}, Offset{7}}}));
    ASSERT_OK(consumer->Commit({{PartitionId{2}, Offset{9}}}));  // merges
    ASSERT_OK_AND_ASSIGN(OffsetMap c, consumer->Committed());
    EXPECT_EQ(c, (OffsetMap{{PartitionId{0}, Offset{5}},
                            {PartitionId{1}, Offset{7}},
                            {PartitionId{2}, Offset{9}}}));
    EXPECT_TRUE(consumer->Commit({{PartitionId{3}, Offset{1}}}).IsInvalid());
    EXPECT_TRUE(consumer->Commit({{PartitionId{0}, Offset{-1}}}).IsInvalid());
  }
  EXPECT_TRUE(fs::exists(dir_ + "/groups/etl.offsets"));
  ASSERT_OK_AND_ASSIGN(auto consumer, EmbeddedLogConsumer::Make(dir_, "etl", Options(3)));
  ASSERT_OK_AND_ASSIGN(Offset p0, consumer->Position(PartitionId{0}));
  ASSERT_OK_AND_ASSIGN(Offset p2, consumer->Position(PartitionId{2}));
  EXPECT_EQ(p0, Offset{5});
  EXPECT_EQ(p2, Offset{9});
  auto got = PollN(consumer.get(), 5 + 3 + 1);
  EXPECT_EQ(got.size(), 9u);

  EXPECT_TRUE(EmbeddedLogConsumer::Make(dir_, "../evil", Options(3)).status().IsInvalid());
  EXPECT_TRUE(EmbeddedLogConsumer::Make(dir_, "", Options(3)).status().IsInvalid());
}

TEST_F(EmbeddedLogTest, CorruptOffsetsFileIsAnError) {
  ASSERT_OK_AND_ASSIGN(auto consumer, EmbeddedLogConsumer::Make(dir_, "g", Options(2)));
  ASSERT_OK(consumer->Commit({{PartitionId{0}, Offset{1}}}));
  std::ofstream(dir_ + "/groups/g.offsets", std::ios::trunc) << "hashlake-group-offsets 1\n0 x\n";
  EXPECT_TRUE(consumer->Committed().status().IsIOError());
  EXPECT_FALSE(EmbeddedLogConsumer::Make(dir_, "g", Options(2)).ok());
}

TEST_F(EmbeddedLogTest, TwoGroupsAreIndependent) {
  ASSERT_OK_AND_ASSIGN(auto producer, EmbeddedLogProducer::Make(dir_, Options(1)));
  for (int i = 0; i < 10; ++i) ASSERT_OK(producer->Send(Msg("k", std::to_string(i))));
  ASSERT_OK_AND_ASSIGN(auto a, EmbeddedLogConsumer::Make(dir_, "a", Options(1)));
  ASSERT_OK_AND_ASSIGN(auto b, EmbeddedLogConsumer::Make(dir_, "b", Options(1)));
  EXPECT_EQ(PollN(a.get(), 10).size(), 10u);
  ASSERT_OK(a->Commit({{PartitionId{0}, Offset{10}}}));
  auto from_b = PollN(b.get(), 4);
  ASSERT_EQ(from_b.size(), 4u);
  EXPECT_EQ(from_b.front().offset, Offset{0});
  ASSERT_OK(b->Commit({{PartitionId{0}, Offset{4}}}));
  ASSERT_OK_AND_ASSIGN(OffsetMap ca, a->Committed());
  ASSERT_OK_AND_ASSIGN(OffsetMap cb, b->Committed());
  EXPECT_EQ(ca[PartitionId{0}], Offset{10});
  EXPECT_EQ(cb[PartitionId{0}], Offset{4});
  ASSERT_OK_AND_ASSIGN(auto b2, EmbeddedLogConsumer::Make(dir_, "b", Options(1)));
  auto rest = PollN(b2.get(), 6);
  ASSERT_EQ(rest.size(), 6u);
  EXPECT_EQ(rest.front().offset, Offset{4});
}

TEST_F(EmbeddedLogTest, SeekAndEndOffsetsAndAssignment) {
  ASSERT_OK_AND_ASSIGN(auto producer, EmbeddedLogProducer::Make(dir_, Options(2)));
  for (int i = 0; i < 10; ++i)
    ASSERT_OK(producer->AppendTo(PartitionId{0}, Msg("", std::to_string(i))).status());
  ASSERT_OK_AND_ASSIGN(auto consumer, EmbeddedLogConsumer::Make(dir_, "g", Options(2)));
  EXPECT_EQ(consumer->Assignment(), (std::vector<PartitionId>{PartitionId{0}, PartitionId{1}}));
  ASSERT_OK_AND_ASSIGN(OffsetMap end, consumer->EndOffsets());
  EXPECT_EQ(end, (OffsetMap{{PartitionId{0}, Offset{10}}, {PartitionId{1}, Offset{0}}}));
  ASSERT_OK(producer->AppendTo(PartitionId{1}, Msg("", "x")).status());
  ASSERT_OK_AND_ASSIGN(end, consumer->EndOffsets());
  EXPECT_EQ(end[PartitionId{1}], Offset{1});

  ASSERT_OK(consumer->Seek(PartitionId{0}, Offset{7}));
  ASSERT_OK(consumer->Seek(PartitionId{1}, Offset{1}));
  auto got = PollN(consumer.get(), 3);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].value, "7");
  // Past the end clamps to the end.
  ASSERT_OK(consumer->Seek(PartitionId{0}, Offset{1000}));
  ASSERT_OK_AND_ASSIGN(Offset pos, consumer->Position(PartitionId{0}));
  EXPECT_EQ(pos, Offset{10});
  EXPECT_TRUE(consumer->Seek(PartitionId{2}, Offset{0}).IsInvalid());
}

TEST_F(EmbeddedLogTest, PollIsFairAcrossPartitions) {
  ASSERT_OK_AND_ASSIGN(auto producer, EmbeddedLogProducer::Make(dir_, Options(2)));
  for (int i = 0; i < 1000; ++i)
    ASSERT_OK(producer->AppendTo(PartitionId{0}, Msg("", "busy")).status());
  for (int i = 0; i < 10; ++i)
    ASSERT_OK(producer->AppendTo(PartitionId{1}, Msg("", "quiet")).status());
  ASSERT_OK_AND_ASSIGN(auto consumer, EmbeddedLogConsumer::Make(dir_, "g", Options(2)));
  ASSERT_OK_AND_ASSIGN(auto batch, consumer->Poll(20, milliseconds(100)));
  ASSERT_EQ(batch.size(), 20u);
  int quiet = 0;
  for (const auto& m : batch) quiet += m.partition == PartitionId{1} ? 1 : 0;
  EXPECT_EQ(quiet, 10);
}

TEST_F(EmbeddedLogTest, PollWaitsForTimeoutWhenEmpty) {
  ASSERT_OK_AND_ASSIGN(auto consumer, EmbeddedLogConsumer::Make(dir_, "g", Options(2)));
  const auto start = std::chrono::steady_clock::now();
  ASSERT_OK_AND_ASSIGN(auto batch, consumer->Poll(10, milliseconds(60)));
  EXPECT_TRUE(batch.empty());
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(55));
}

TEST_F(EmbeddedLogTest, SegmentsRollAndRetentionBytesDeletesOldest) {
  EmbeddedLogOptions o = Options(1);
  o.segment_bytes = 512;
  o.retention_bytes = 2048;
  const int64_t record = log_format::EncodedSize(0, 72);  // 100 bytes: 5 per segment
  ASSERT_OK_AND_ASSIGN(auto producer, EmbeddedLogProducer::Make(dir_, o));
  for (int i = 0; i < 100; ++i) {
    ASSERT_OK(producer->Send(Msg("", std::string(72, static_cast<char>('a' + i % 26)))));
  }
  ASSERT_OK(producer->Flush());
  auto names = SegmentNames(0);
  // 2048 bytes keep at most 4 segments of 500 bytes (the active one included).
  EXPECT_LE(names.size(), 5u);
  EXPECT_GE(names.size(), 4u);
  for (const auto& n : names) {
    EXPECT_LE(static_cast<int64_t>(fs::file_size(dir_ + "/p-0/" + n)), 5 * record) << n;
  }
  const Offset earliest = producer->EarliestOffset(PartitionId{0});
  EXPECT_GT(earliest.value, 0);
  EXPECT_EQ(earliest.value % 5, 0);
  EXPECT_EQ(names.front(), log_format::SegmentFileName(earliest));

  ASSERT_OK_AND_ASSIGN(auto consumer, EmbeddedLogConsumer::Make(dir_, "g", o));
  ASSERT_OK_AND_ASSIGN(OffsetMap begin, consumer->BeginningOffsets());
  EXPECT_EQ(begin[PartitionId{0}], earliest);
  ASSERT_OK(consumer->Seek(PartitionId{0}, Offset{0}));  // clamps, and logs it
  auto got = PollN(consumer.get(), static_cast<std::size_t>(100 - earliest.value));
  ASSERT_EQ(got.size(), static_cast<std::size_t>(100 - earliest.value));
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].offset.value, earliest.value + static_cast<int64_t>(i));
  }
  ASSERT_OK_AND_ASSIGN(OffsetMap end, consumer->EndOffsets());
  EXPECT_EQ(end[PartitionId{0}], Offset{100});
}

TEST_F(EmbeddedLogTest, RetentionByAgeNeverDeletesTheActiveSegment) {
  EmbeddedLogOptions o = Options(1);
  o.segment_bytes = 300;
  o.retention = std::chrono::hours(1);
  ASSERT_OK_AND_ASSIGN(auto producer, EmbeddedLogProducer::Make(dir_, o));
  for (int i = 0; i < 12; ++i) ASSERT_OK(producer->Send(Msg("", std::string(72, 'x'))));
  ASSERT_OK(producer->Flush());
  auto names = SegmentNames(0);
  ASSERT_EQ(names.size(), 4u);  // 3 records of 100 bytes per segment
  // Age the first two segments and the active one by two hours.
  const auto old = std::chrono::system_clock::now() - std::chrono::hours(2);
  const timespec ts{std::chrono::system_clock::to_time_t(old), 0};
  const timespec times[2] = {ts, ts};
  for (const std::string& n : {names[0], names[1], names[3]}) {
    ASSERT_EQ(::utimensat(AT_FDCWD, (dir_ + "/p-0/" + n).c_str(), times, 0), 0);
  }
  ASSERT_OK(producer->Flush());
  EXPECT_EQ(SegmentNames(0), (std::vector<std::string>{names[2], names[3]}));
  EXPECT_EQ(producer->EarliestOffset(PartitionId{0}), Offset{6});
}

TEST_F(EmbeddedLogTest, ConsumerFollowsRetentionThatDeletesItsSegment) {
  EmbeddedLogOptions o = Options(1);
  o.segment_bytes = 300;
  o.retention_bytes = 600;
  ASSERT_OK_AND_ASSIGN(auto producer, EmbeddedLogProducer::Make(dir_, o));
  for (int i = 0; i < 3; ++i) ASSERT_OK(producer->Send(Msg("", std::string(72, 'x'))));
  ASSERT_OK_AND_ASSIGN(auto consumer, EmbeddedLogConsumer::Make(dir_, "g", o));
  ASSERT_OK_AND_ASSIGN(auto first, consumer->Poll(1, milliseconds(100)));
  ASSERT_EQ(first.size(), 1u);
  for (int i = 3; i < 30; ++i) ASSERT_OK(producer->Send(Msg("", std::string(72, 'y'))));
  const Offset earliest = producer->EarliestOffset(PartitionId{0});
  ASSERT_GT(earliest.value, 3);
  auto rest = PollN(consumer.get(), static_cast<std::size_t>(30 - earliest.value + 2));
  // It reads what its open segment still holds (offsets 1, 2), then jumps to the earliest.
  ASSERT_GE(rest.size(), 2u);
  EXPECT_EQ(rest.back().offset, Offset{29});
  for (std::size_t i = 1; i < rest.size(); ++i) {
    EXPECT_GT(rest[i].offset, rest[i - 1].offset);
  }
}

TEST_F(EmbeddedLogTest, OversizedRecordIsRejected) {
  EmbeddedLogOptions o = Options(1);
  o.max_record_bytes = 1000;
  ASSERT_OK_AND_ASSIGN(auto producer, EmbeddedLogProducer::Make(dir_, o));
  const std::size_t fits = 1000 - log_format::kMinRecordSize - 3;
  ASSERT_OK(producer->Send(Msg("key", std::string(fits, 'v'))));
  arrow::Status too_big = producer->Send(Msg("key", std::string(fits + 1, 'v')));
  ASSERT_TRUE(too_big.IsInvalid());
  EXPECT_NE(too_big.message().find("max_record_bytes=1000"), std::string::npos);
  EXPECT_EQ(producer->EndOffset(PartitionId{0}), Offset{1});
}

TEST_F(EmbeddedLogTest, OneProducerAtATime) {
  ASSERT_OK_AND_ASSIGN(auto first, EmbeddedLogProducer::Make(dir_, Options(2)));
  auto second = EmbeddedLogProducer::Make(dir_, Options(2));
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("already has a producer"), std::string::npos);
  EXPECT_NE(second.status().message().find(std::to_string(::getpid())), std::string::npos);
  first.reset();
  EXPECT_TRUE(EmbeddedLogProducer::Make(dir_, Options(2)).ok());
}

TEST_F(EmbeddedLogTest, PartitionCountIsFixedAtCreation) {
  ASSERT_OK(EmbeddedLogProducer::Make(dir_, Options(4)).status());
  auto other = EmbeddedLogConsumer::Make(dir_, "g", Options(8));
  ASSERT_TRUE(other.status().IsInvalid());
  EXPECT_NE(other.status().message().find("has 4 partitions"), std::string::npos);
  ASSERT_OK_AND_ASSIGN(auto consumer, EmbeddedLogConsumer::Make(dir_, "g", {}));
  EXPECT_EQ(consumer->Assignment().size(), 4u);
}

TEST_F(EmbeddedLogTest, CorruptMetaIsAnError) {
  ASSERT_OK(EmbeddedLogProducer::Make(dir_, Options(4)).status());
  std::ofstream(dir_ + "/meta", std::ios::trunc) << "not a meta file\n";
  auto p = EmbeddedLogProducer::Make(dir_, {});
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("meta"), std::string::npos);
}

TEST_F(EmbeddedLogTest, UrlFactories) {
  const std::string url = "log://" + dir_ + "?partitions=2&segment_bytes=4096&fsync=always";
  ASSERT_OK_AND_ASSIGN(auto producer, MakeProducer(url));
  EXPECT_EQ(producer->PartitionCount(), 2);
  ASSERT_OK(producer->Send(Msg("k", "v")));
  ASSERT_OK(producer->Flush());
  ASSERT_OK_AND_ASSIGN(auto consumer, MakeConsumer("log://" + dir_, "g"));
  auto got = PollN(consumer.get(), 1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].value, "v");
  auto bad = MakeConsumer("log://" + dir_ + "?retention=5", "g");
  ASSERT_TRUE(bad.status().IsInvalid());
  EXPECT_NE(bad.status().message().find("'retention'"), std::string::npos);
}

TEST_F(EmbeddedLogTest, ConcurrentReaderWhileWriterAppends) {
  EmbeddedLogOptions o = Options(3);
  o.segment_bytes = 4096;  // roll often, so that the reader crosses segments mid-write
  constexpr int kTotal = 6000;
  ASSERT_OK_AND_ASSIGN(auto consumer, EmbeddedLogConsumer::Make(dir_, "g", o));
  std::atomic<bool> writer_ok{true};
  std::thread writer([&] {
    auto producer = EmbeddedLogProducer::Make(dir_, o);
    if (!producer.ok()) {
      writer_ok = false;
      return;
    }
    for (int i = 0; i < kTotal; ++i) {
      // Values of varied length so that records straddle read chunks and pages.
      std::string value =
          std::to_string(i) + ":" + std::string(static_cast<std::size_t>(i % 97), 'z');
      if (!(*producer)->Send(Msg("key" + std::to_string(i % 11), value)).ok()) writer_ok = false;
      if (i % 500 == 0 && !(*producer)->Flush().ok()) writer_ok = false;
    }
    if (!(*producer)->Flush().ok()) writer_ok = false;
  });
  auto got = PollN(consumer.get(), kTotal, milliseconds(30000));
  writer.join();
  ASSERT_TRUE(writer_ok);
  ASSERT_EQ(got.size(), static_cast<std::size_t>(kTotal));
  std::map<int32_t, int64_t> next;
  std::map<std::string, int> last;
  for (const auto& m : got) {
    EXPECT_EQ(m.offset.value, next[m.partition.value]++);
    const int i = std::stoi(m.value.substr(0, m.value.find(':')));
    EXPECT_EQ(m.value.size(), std::to_string(i).size() + 1 + static_cast<std::size_t>(i % 97));
    auto it = last.find(m.key);
    if (it != last.end()) {
      EXPECT_GT(i, it->second);
    }
    last[m.key] = i;
  }
  EXPECT_GT(SegmentNames(0).size(), 3u);
}

TEST_F(EmbeddedLogTest, KillDashNineLosesNothingFlushed) {
  constexpr int kFlushed = 500;
  EmbeddedLogOptions o = Options(2);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // Child: no gtest assertions here; report trouble through the exit code.
    auto producer = EmbeddedLogProducer::Make(dir_, o);
    if (!producer.ok()) ::_exit(2);
    for (int i = 0; i < kFlushed; ++i) {
      if (!(*producer)
               ->AppendTo(PartitionId{i % 2}, Msg("k", "flushed-" + std::to_string(i)))
               .ok()) {
        ::_exit(3);
      }
    }
    if (!(*producer)->Flush().ok()) ::_exit(4);
    for (int i = 0; i < 100; ++i) {
      (void)(*producer)->AppendTo(PartitionId{i % 2}, Msg("k", "unflushed-" + std::to_string(i)));
    }
    // Die in the middle of a record: half of one written straight to the active segment.
    std::string half;
    log_format::AppendRecord(&half, (*producer)->EndOffset(PartitionId{0}), 1, "k", "torn");
    half.resize(half.size() / 2);
    const std::string path = dir_ + "/p-0/" + log_format::SegmentFileName(Offset{0});
    const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND);
    if (fd < 0 || ::write(fd, half.data(), half.size()) != static_cast<ssize_t>(half.size())) {
      ::_exit(5);
    }
    ::kill(::getpid(), SIGKILL);
    ::_exit(6);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status);
  ASSERT_EQ(WTERMSIG(status), SIGKILL);

  ASSERT_OK_AND_ASSIGN(auto producer, EmbeddedLogProducer::Make(dir_, o));  // lock released
  EXPECT_GT(producer->RecoveredBytesDropped(PartitionId{0}), 0);
  EXPECT_GE(producer->EndOffset(PartitionId{0}).value + producer->EndOffset(PartitionId{1}).value,
            kFlushed);
  ASSERT_OK_AND_ASSIGN(auto consumer, EmbeddedLogConsumer::Make(dir_, "g", o));
  auto got = PollN(consumer.get(), kFlushed + 100);
  ASSERT_GE(got.size(), static_cast<std::size_t>(kFlushed));
  std::map<int32_t, int> seen;
  for (const auto& m : got) {
    const int n = seen[m.partition.value]++;
    const int i = n * 2 + m.partition.value;
    if (n < kFlushed / 2) {
      EXPECT_EQ(m.value, "flushed-" + std::to_string(i));
    }
  }
  EXPECT_GE(seen[0], kFlushed / 2);
  EXPECT_GE(seen[1], kFlushed / 2);
  ASSERT_OK_AND_ASSIGN(Offset next, producer->AppendTo(PartitionId{0}, Msg("k", "after")));
  EXPECT_EQ(next.value, seen[0]);
}

TEST_F(EmbeddedLogTest, KilledMidStreamByAnotherProcessWhileBeingRead) {
  // The child appends and flushes forever, reporting each flushed count through a pipe;
  // the parent reads the topic concurrently, kills the child at a random point of its
  // loop, then checks that every flushed record is there, in order, and nothing else.
  EmbeddedLogOptions o = Options(1);
  o.segment_bytes = 64 << 10;
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(fds[0]);
    auto producer = EmbeddedLogProducer::Make(dir_, o);
    if (!producer.ok()) ::_exit(2);
    for (int64_t i = 0;; ++i) {
      if (!(*producer)->Send(Msg("k", "v" + std::to_string(i) + std::string(i % 50, '.'))).ok()) {
        ::_exit(3);
      }
      if (i % 64 == 63) {
        if (!(*producer)->Flush().ok()) ::_exit(4);
        const int64_t flushed = i + 1;
        if (::write(fds[1], &flushed, sizeof flushed) != sizeof flushed) ::_exit(5);
      }
    }
  }
  ::close(fds[1]);
  ASSERT_OK_AND_ASSIGN(auto consumer, EmbeddedLogConsumer::Make(dir_, "g", o));
  std::vector<ConsumedMessage> seen;
  int64_t flushed = 0;
  while (flushed < 3000) {
    ASSERT_EQ(::read(fds[0], &flushed, sizeof flushed), static_cast<ssize_t>(sizeof flushed));
    ASSERT_OK_AND_ASSIGN(auto batch, consumer->Poll(500, milliseconds(0)));
    for (auto& m : batch) seen.push_back(std::move(m));
  }
  ASSERT_EQ(::kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status);
  int64_t last_report = flushed;
  while (::read(fds[0], &flushed, sizeof flushed) == static_cast<ssize_t>(sizeof flushed)) {
    last_report = flushed;
  }
  ::close(fds[0]);

  ASSERT_OK_AND_ASSIGN(auto producer, EmbeddedLogProducer::Make(dir_, o));
  const int64_t end = producer->EndOffset(PartitionId{0}).value;
  EXPECT_GE(end, last_report);
  ASSERT_OK_AND_ASSIGN(auto again, EmbeddedLogConsumer::Make(dir_, "g", o));
  ASSERT_OK(again->Seek(PartitionId{0}, Offset{static_cast<int64_t>(seen.size())}));
  auto rest = PollN(again.get(), static_cast<std::size_t>(end) - seen.size());
  for (auto& m : rest) seen.push_back(std::move(m));
  ASSERT_EQ(static_cast<int64_t>(seen.size()), end);
  for (int64_t i = 0; i < end; ++i) {
    const auto& m = seen[static_cast<std::size_t>(i)];
    ASSERT_EQ(m.offset.value, i);
    ASSERT_EQ(m.value,
              "v" + std::to_string(i) + std::string(static_cast<std::size_t>(i % 50), '.'));
  }
  EXPECT_GT(SegmentNames(0).size(), 1u);
}

}  // namespace
}  // namespace hashlake::bus
