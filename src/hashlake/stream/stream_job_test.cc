#include "hashlake/stream/stream_job.h"

#include <arrow/api.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>

#include "hashlake/core/bus_message.h"
#include "hashlake/core/test_util.h"

namespace hashlake::stream {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;

Timestamp At(int64_t s) { return FromMicros(1'700'000'000'000'000 + s * 1'000'000); }

// An in-memory topic shared by consumers, so that a "restarted" job sees the same bus.
struct MemoryTopic {
  std::vector<std::vector<bus::ConsumedMessage>> partitions;
  bus::OffsetMap committed;

  explicit MemoryTopic(int n) : partitions(n) {}
  void Append(int partition, std::string value) {
    auto& p = partitions[partition];
    p.push_back({bus::PartitionId{partition}, bus::Offset{static_cast<int64_t>(p.size())}, "",
                 std::move(value), At(0)});
  }
};

// Reads the partitions in `*assigned` (every partition when null), as a consumer group
// member would; the test moves partitions by editing the set.
class MemoryConsumer final : public bus::Consumer {
 public:
  explicit MemoryConsumer(MemoryTopic* topic, const std::set<int>* assigned = nullptr)
      : topic_(topic), assigned_(assigned) {}
  arrow::Result<std::vector<bus::ConsumedMessage>> Poll(std::size_t max, milliseconds) override {
    std::vector<bus::ConsumedMessage> out;
    for (size_t p = 0; p < topic_->partitions.size(); ++p) {
      if (assigned_ != nullptr && !assigned_->count(static_cast<int>(p))) continue;
      auto& pos = position_[bus::PartitionId{static_cast<int32_t>(p)}].value;
      while (out.size() < max && pos < static_cast<int64_t>(topic_->partitions[p].size())) {
        out.push_back(topic_->partitions[p][pos++]);
      }
    }
    return out;
  }
  arrow::Status Seek(bus::PartitionId p, bus::Offset o) override {
    position_[p] = o;
    return arrow::Status::OK();
  }
  arrow::Result<bus::OffsetMap> Committed() override { return topic_->committed; }
  arrow::Status Commit(const bus::OffsetMap& offsets) override {
    for (const auto& [partition, offset] : offsets) topic_->committed[partition] = offset;
    return arrow::Status::OK();
  }
  arrow::Result<bus::OffsetMap> EndOffsets() override {
    bus::OffsetMap ends;
    for (size_t p = 0; p < topic_->partitions.size(); ++p) {
      ends[bus::PartitionId{static_cast<int32_t>(p)}] =
          bus::Offset{static_cast<int64_t>(topic_->partitions[p].size())};
    }
    return ends;
  }
  arrow::Result<bus::OffsetMap> BeginningOffsets() override {
    bus::OffsetMap begins;
    for (const auto p : Assignment()) begins[p] = bus::Offset{0};
    return begins;
  }
  std::vector<bus::PartitionId> Assignment() const override {
    std::vector<bus::PartitionId> out;
    for (size_t p = 0; p < topic_->partitions.size(); ++p) {
      if (assigned_ != nullptr && !assigned_->count(static_cast<int>(p))) continue;
      out.push_back(bus::PartitionId{static_cast<int32_t>(p)});
    }
    return out;
  }

 private:
  MemoryTopic* topic_;
  const std::set<int>* assigned_;
  bus::OffsetMap position_;
};

// A table held in memory; `fail_at_batch` makes the commit of that batch (of any
// partition) fail once, as a crash between two table commits would.
struct MemoryTable {
  std::vector<std::shared_ptr<arrow::Table>> commits;
  std::map<bus::PartitionId, int64_t> last_batch;
  int64_t fail_at_batch = -1;
  int64_t Rows() const {
    int64_t n = 0;
    for (const auto& t : commits) n += t->num_rows();
    return n;
  }
};

class MemorySink final : public TableSink {
 public:
  MemorySink(std::string name, MemoryTable* table) : name_(std::move(name)), table_(table) {}
  arrow::Result<std::optional<int64_t>> LastCommittedBatch(bus::PartitionId partition) override {
    const auto it = table_->last_batch.find(partition);
    if (it == table_->last_batch.end()) return std::nullopt;
    return it->second;
  }
  arrow::Status Commit(const PartitionBatches& batches, const std::shared_ptr<arrow::Table>& rows,
                       const std::string&) override {
    for (const auto& [partition, batch] : batches) {
      if (batch == table_->fail_at_batch) {
        table_->fail_at_batch = -1;
        return arrow::Status::IOError("injected failure committing batch ", batch);
      }
    }
    for (const auto& [partition, batch] : batches) {
      const auto last = table_->last_batch.find(partition);
      EXPECT_TRUE(last == table_->last_batch.end() || last->second < batch)
          << name_ << " got batch " << batch << " of partition " << partition.value << " twice";
      table_->last_batch[partition] = batch;
    }
    table_->commits.push_back(rows);
    return arrow::Status::OK();
  }
  std::string name() const override { return name_; }

 private:
  std::string name_;
  MemoryTable* table_;
};

std::string PostJson(const std::string& id, int64_t second, std::vector<std::string> tags) {
  Post p;
  p.id = id;
  p.author_id = "u" + id;
  p.created_at = At(second);
  p.hashtags = std::move(tags);
  return EncodeRecord(Record{p});
}

class StreamJobTest : public ::testing::Test {
 public:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("hashlake-job-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  arrow::Result<std::unique_ptr<StreamJob>> NewJob() {
    StreamJobOptions options;
    options.window = seconds(10);
    options.slide = slide_;
    options.watermark = lateness_;
    options.max_batch = max_batch_;
    options.checkpoint_dir = dir_;
    options.threads = threads_;
    options.pipeline_commits = pipeline_;
    options.enricher = enricher_;
    StreamJobSinks sinks;
    sinks.posts = std::make_unique<MemorySink>("posts", &posts_);
    sinks.rejected = std::make_unique<MemorySink>("rejected", &rejected_);
    sinks.hashtag_counts = std::make_unique<MemorySink>("hashtag_counts", &counts_);
    sinks.area_hashtag_counts = std::make_unique<MemorySink>("area_hashtag_counts", &areas_);
    sinks.language_counts = std::make_unique<MemorySink>("language_counts", &languages_);
    sinks.window_stats = std::make_unique<MemorySink>("window_stats", &stats_);
    return StreamJob::Make(options, std::make_unique<MemoryConsumer>(&topic_, assigned_),
                           std::move(sinks), live_);
  }

  // Fails once while committing batch 1 and once while committing batch 2, restarting the
  // job each time; then compares with a run without failures.
  void CrashAndRestartUntilDone();

  // Sum of counts per (window start, hashtag) over every committed hashtag_counts batch.
  std::map<std::pair<int64_t, std::string>, int64_t> Counts() const {
    std::map<std::pair<int64_t, std::string>, int64_t> out;
    for (const auto& table : counts_.commits) {
      auto starts = std::static_pointer_cast<arrow::TimestampArray>(table->column(0)->chunk(0));
      auto tags = std::static_pointer_cast<arrow::StringArray>(table->column(2)->chunk(0));
      auto counts = std::static_pointer_cast<arrow::Int64Array>(table->column(3)->chunk(0));
      for (int64_t i = 0; i < table->num_rows(); ++i) {
        out[{starts->Value(i), tags->GetString(i)}] += counts->Value(i);
      }
    }
    return out;
  }

  void Feed() {
    // 2 partitions, 12 posts over windows [0,10), [10,20), [20,30), plus 2 dead letters.
    topic_.Append(0, PostJson("1", 1, {"a", "b"}));
    topic_.Append(1, PostJson("2", 2, {"a"}));
    topic_.Append(0, PostJson("3", 5, {"c"}));
    topic_.Append(1, "this is not a record");
    topic_.Append(0, PostJson("4", 11, {"a"}));
    topic_.Append(1, PostJson("5", 12, {"b"}));
    topic_.Append(0, PostJson("6", 14, {"b"}));
    Rejected bad{SourceKind::kReplay, "invalid JSON", "{oops", At(3)};
    topic_.Append(1, EncodeRecord(Record{bad}));
    topic_.Append(0, PostJson("7", 21, {"a"}));
    topic_.Append(1, PostJson("8", 3, {"late"}));  // late once [0,10) has closed
    topic_.Append(0, PostJson("9", 25, {}));
    topic_.Append(1, PostJson("10", 26, {"c"}));
  }

  fs::path dir_;
  Micros lateness_ = seconds(0);
  MemoryTopic topic_{2};
  Micros slide_{0};
  int threads_ = 1;
  bool pipeline_ = false;
  size_t max_batch_ = 4;
  const std::set<int>* assigned_ = nullptr;
  PostEnricherFactory enricher_;
  MemoryTable posts_, counts_, rejected_, areas_, languages_, stats_;
  std::shared_ptr<LiveView> live_ = std::make_shared<LiveView>();
};

TEST_F(StreamJobTest, CountsEachClosedWindowOnce) {
  lateness_ = seconds(100);  // partitions are read one after the other: nothing is late
  Feed();
  ASSERT_OK_AND_ASSIGN(auto job, NewJob());
  while (true) {
    ASSERT_OK_AND_ASSIGN(auto report, job->RunBatch(milliseconds(0)));
    if (report.batch_id < 0) break;
  }
  ASSERT_OK_AND_ASSIGN(auto lag, job->LagByPartition());
  for (const auto& [partition, behind] : lag) EXPECT_EQ(behind.value, 0) << partition.value;
  ASSERT_OK_AND_ASSIGN(auto last, job->CloseAllWindows());
  EXPECT_GT(last.closed_windows, 0);
  EXPECT_EQ(posts_.Rows(), 10);
  EXPECT_EQ(rejected_.Rows(), 2);
  const auto counts = Counts();
  const int64_t w0 = ToMicros(At(0)), w10 = ToMicros(At(10)), w20 = ToMicros(At(20));
  EXPECT_EQ(counts.at({w0, "a"}), 2);
  EXPECT_EQ(counts.at({w0, "b"}), 1);
  EXPECT_EQ(counts.at({w0, "c"}), 1);
  EXPECT_EQ(counts.at({w10, "b"}), 2);
  EXPECT_EQ(counts.at({w20, "c"}), 1);
  EXPECT_EQ(counts.at({w0, "late"}), 1);
  int64_t total = 0;
  for (const auto& [key, n] : counts) total += n;
  EXPECT_EQ(total, 10);  // every hashtag of every accepted post, once
  EXPECT_EQ(job->late_records(), 0);
  EXPECT_EQ(live_->Top(std::chrono::hours(1), 1).top[0].first, "a");
}

TEST_F(StreamJobTest, ReadingOnePartitionAheadMakesNothingLate) {
  // No allowed lateness, and partition 0 is read to its end before partition 1 starts:
  // partition 1's backlog holds the watermark at its own progress.
  Feed();
  ASSERT_OK_AND_ASSIGN(auto job, NewJob());
  for (int i = 0; i < 10; ++i) ASSERT_OK(job->RunBatch(milliseconds(0)).status());
  EXPECT_EQ(job->late_records(), 0);
  EXPECT_EQ(Counts().at({ToMicros(At(0)), "late"}), 1);  // post 8, early but not late
}

TEST_F(StreamJobTest, LateRecordsStayInPostsButNotInClosedWindows) {
  Feed();
  ASSERT_OK_AND_ASSIGN(auto job, NewJob());
  for (int i = 0; i < 10; ++i) ASSERT_OK(job->RunBatch(milliseconds(0)).status());
  // Caught up at event time 26 with no lateness: [0,10) and [10,20) are closed.
  topic_.Append(1, PostJson("11", 3, {"tardy"}));
  topic_.Append(1, PostJson("12", 24, {"tardy"}));
  ASSERT_OK_AND_ASSIGN(auto report, job->RunBatch(milliseconds(0)));
  EXPECT_EQ(report.late, 1);
  EXPECT_EQ(job->late_records(), 1);
  ASSERT_OK(job->CloseAllWindows().status());
  EXPECT_EQ(posts_.Rows(), 12);  // late posts are kept
  EXPECT_EQ(Counts().count({ToMicros(At(0)), "tardy"}), 0u);
  EXPECT_EQ(Counts().at({ToMicros(At(20)), "tardy"}), 1);
}

TEST_F(StreamJobTest, CrashBetweenTableCommitsIsFinishedOnRestartExactlyOnce) {
  CrashAndRestartUntilDone();
}

// The same with each batch's commits running while the next batch gathers: a failure
// shows at the next call, and a restart still writes everything once.
TEST_F(StreamJobTest, PipelinedCommitsAreExactlyOnceToo) {
  pipeline_ = true;
  CrashAndRestartUntilDone();
}

void StreamJobTest::CrashAndRestartUntilDone() {
  Feed();
  // Reference run in another directory, no failures.
  std::map<std::pair<int64_t, std::string>, int64_t> expected;
  int64_t expected_posts;
  {
    struct Reference : StreamJobTest {
      void TestBody() override {}
    } reference;
    reference.dir_ = dir_.string() + "-ref";
    reference.topic_ = topic_;
    ASSERT_OK_AND_ASSIGN(auto job, reference.NewJob());
    for (int i = 0; i < 10; ++i) ASSERT_OK(job->RunBatch(milliseconds(0)).status());
    ASSERT_OK(job->CloseAllWindows().status());
    expected = reference.Counts();
    expected_posts = reference.posts_.Rows();
    fs::remove_all(reference.dir_);
  }
  // Crash while committing batch 1 (its dead letters fail, its posts may land) and again
  // while committing the posts of batch 2.
  rejected_.fail_at_batch = 1;
  posts_.fail_at_batch = 2;
  int restarts = 0;
  while (true) {
    auto job_or = NewJob();
    if (!job_or.ok()) {
      ++restarts;
      ASSERT_LT(restarts, 10) << job_or.status().ToString();
      continue;
    }
    auto job = std::move(job_or).ValueUnsafe();
    bool crashed = false;
    for (int i = 0; i < 10 && !crashed; ++i) crashed = !job->RunBatch(milliseconds(0)).ok();
    if (crashed) {
      ++restarts;
      continue;
    }
    ASSERT_OK(job->CloseAllWindows().status());
    break;
  }
  EXPECT_GE(restarts, 2);
  EXPECT_EQ(posts_.Rows(), expected_posts);
  EXPECT_EQ(Counts(), expected);
}

// Gives odd ids an area in California and even ids one in France, and one token.
class TestEnricher final : public PostEnricher {
 public:
  void Enrich(Post* post, std::vector<std::string>* tokens) override {
    const bool odd = (post->id.back() - '0') % 2 == 1;
    post->country_code = odd ? "US" : "FR";
    post->region = odd ? "US-CA" : "";
    if (post->lang.empty()) post->lang = odd ? "en" : "fr";
    tokens->assign({"token-" + post->id});
  }
};

// Every batch of every table, printed: equal strings mean equal tables.
std::string Dump(const MemoryTable& table) {
  std::string out;
  for (const auto& rows : table.commits) out += rows->ToString();
  return out;
}

TEST_F(StreamJobTest, WorkerThreadsDoNotChangeTheTables) {
  lateness_ = seconds(1000);  // nothing late, so batch boundaries cannot matter
  enricher_ = []() -> arrow::Result<std::unique_ptr<PostEnricher>> {
    return std::make_unique<TestEnricher>();
  };
  for (int i = 0; i < 3000; ++i) {
    topic_.Append(i % 2, PostJson(std::to_string(i), i % 97, {i % 3 ? "a" : "b", "c"}));
  }
  auto run = [&](StreamJobTest& test, int threads) {
    test.threads_ = threads;
    test.max_batch_ = 1000;  // several chunks of work per batch
    test.enricher_ = enricher_;
    test.lateness_ = lateness_;
    test.topic_ = topic_;
    ASSERT_OK_AND_ASSIGN(auto job, test.NewJob());
    for (int i = 0; i < 2000; ++i) {
      ASSERT_OK_AND_ASSIGN(auto report, job->RunBatch(milliseconds(0)));
      if (report.batch_id < 0) break;
    }
    ASSERT_OK(job->CloseAllWindows().status());
  };
  struct Run : StreamJobTest {
    void TestBody() override {}
  } one, four;
  one.dir_ = dir_.string() + "-1";
  four.dir_ = dir_.string() + "-4";
  four.pipeline_ = true;  // and pipelined commits change nothing either
  run(one, 1);
  run(four, 4);
  fs::remove_all(one.dir_);
  fs::remove_all(four.dir_);
  EXPECT_EQ(one.posts_.Rows(), 3000);
  EXPECT_EQ(Dump(one.posts_), Dump(four.posts_));
  EXPECT_EQ(Dump(one.counts_), Dump(four.counts_));
  EXPECT_EQ(Dump(one.areas_), Dump(four.areas_));
  EXPECT_EQ(Dump(one.languages_), Dump(four.languages_));
  EXPECT_EQ(Dump(one.stats_), Dump(four.stats_));
  EXPECT_NE(Dump(one.posts_).find("token-2999"), std::string::npos);
  EXPECT_NE(Dump(one.areas_).find("US-CA"), std::string::npos);
  // Volume: window_stats' posts add up to every post, once.
  int64_t volume = 0;
  for (const auto& table : one.stats_.commits) {
    auto posts =
        std::static_pointer_cast<arrow::Int64Array>(table->GetColumnByName("posts")->chunk(0));
    for (int64_t i = 0; i < posts->length(); ++i) volume += posts->Value(i);
  }
  EXPECT_EQ(volume, 3000);
}

TEST_F(StreamJobTest, SlidingWindowsCountEachPostInEveryWindowHoldingIt) {
  lateness_ = seconds(100);
  slide_ = seconds(5);  // 10 s windows every 5 s: each post is in two
  Feed();
  ASSERT_OK_AND_ASSIGN(auto job, NewJob());
  while (true) {
    ASSERT_OK_AND_ASSIGN(auto report, job->RunBatch(milliseconds(0)));
    if (report.batch_id < 0) break;
  }
  ASSERT_OK(job->CloseAllWindows().status());
  int64_t total = 0;
  for (const auto& [key, n] : Counts()) total += n;
  EXPECT_EQ(total, 20);                                // 10 hashtags, each in two windows
  EXPECT_EQ(Counts().at({ToMicros(At(-5)), "a"}), 2);  // posts 1 and 2 (at 1 s, 2 s)
  EXPECT_EQ(Counts().at({ToMicros(At(0)), "a"}), 2);
  EXPECT_EQ(Counts().at({ToMicros(At(5)), "a"}), 1);  // post 4 at 11 s
}

// Two instances of one job share the checkpoint directory, the tables and the topic, as
// two `hashlake process` of one consumer group do. A partition moves from the first to the
// second mid-stream; then the first dies in the middle of a batch (after some tables
// committed) and the second takes everything over, finishing that batch. Summed per key,
// the tables equal one instance's, and every record landed once.
TEST_F(StreamJobTest, PartitionsMoveBetweenInstancesExactlyOnce) {
  lateness_ = seconds(1000);
  Feed();
  std::map<std::pair<int64_t, std::string>, int64_t> expected;
  {
    struct Reference : StreamJobTest {
      void TestBody() override {}
    } reference;
    reference.dir_ = dir_.string() + "-ref";
    reference.topic_ = topic_;
    reference.lateness_ = lateness_;
    ASSERT_OK_AND_ASSIGN(auto job, reference.NewJob());
    for (int i = 0; i < 10; ++i) ASSERT_OK(job->RunBatch(milliseconds(0)).status());
    ASSERT_OK(job->CloseAllWindows().status());
    expected = reference.Counts();
    fs::remove_all(reference.dir_);
  }
  std::set<int> first{0, 1}, second;
  assigned_ = &first;
  ASSERT_OK_AND_ASSIGN(auto a, NewJob());
  assigned_ = &second;
  ASSERT_OK_AND_ASSIGN(auto b, NewJob());
  ASSERT_OK(a->RunBatch(milliseconds(0)).status());  // batch 0: 4 posts of partition 0
  first.erase(1);                                    // the group moves partition 1 to b
  second.insert(1);
  ASSERT_OK(b->RunBatch(milliseconds(0)).status());  // b resumes partition 1: its batch 1
  posts_.fail_at_batch = 1;  // a dies while committing its batch 1 of partition 0
  const auto crashed = a->RunBatch(milliseconds(0));
  ASSERT_FALSE(crashed.ok());
  ASSERT_ERROR_CONTAINS(crashed.status(), "injected");
  a.reset();
  second.insert(0);  // b takes partition 0 over, with its interrupted batch
  for (int i = 0; i < 10; ++i) {
    const auto report = b->RunBatch(milliseconds(0));
    ASSERT_TRUE(report.ok()) << report.status().ToString();
  }
  ASSERT_OK(b->CloseAllWindows().status());
  EXPECT_EQ(Counts(), expected);
  EXPECT_EQ(posts_.Rows(), 10);
  EXPECT_EQ(rejected_.Rows(), 2);
}

// A kill while a batch's plans are written leaves a plan for some partitions only. That
// batch wrote nothing else, so it is dropped, not replayed for a subset of partitions
// (which would close that subset's windows alone and split each window's rows in two).
TEST_F(StreamJobTest, APlanWrittenForOnlySomePartitionsIsDropped) {
  lateness_ = seconds(1000);
  Feed();
  {
    ASSERT_OK_AND_ASSIGN(auto job, NewJob());
    for (int i = 0; i < 10; ++i) ASSERT_OK(job->RunBatch(milliseconds(0)).status());
  }
  // The closing batch was being planned: partition 0's plan is on disk, partition 1's not.
  ASSERT_OK_AND_ASSIGN(auto first, CheckpointDir::Open(dir_ / "partitions" / "0"));
  ASSERT_OK_AND_ASSIGN(auto second, CheckpointDir::Open(dir_ / "partitions" / "1"));
  ASSERT_OK_AND_ASSIGN(auto done0, first.LatestPlan());
  ASSERT_OK_AND_ASSIGN(auto done1, second.LatestPlan());
  BatchPlan partial = *done0;
  partial.batch_id = done0->batch_id + 1;
  partial.from = partial.to = done0->to;
  partial.close_all = true;
  partial.members = {{bus::PartitionId{0}, done0->batch_id + 1},
                     {bus::PartitionId{1}, done1->batch_id + 1}};
  ASSERT_OK(first.WritePlan(partial));

  ASSERT_OK_AND_ASSIGN(auto job, NewJob());
  ASSERT_OK(job->CloseAllWindows().status());
  std::map<std::pair<int64_t, std::string>, int> rows;
  for (const auto& table : counts_.commits) {
    auto starts = std::static_pointer_cast<arrow::TimestampArray>(table->column(0)->chunk(0));
    auto tags = std::static_pointer_cast<arrow::StringArray>(table->column(2)->chunk(0));
    for (int64_t i = 0; i < table->num_rows(); ++i) ++rows[{starts->Value(i), tags->GetString(i)}];
  }
  for (const auto& [key, n] : rows) EXPECT_EQ(n, 1) << key.second << " has " << n << " rows";
  EXPECT_EQ(Counts().at({ToMicros(At(0)), "a"}), 2);
  EXPECT_EQ(posts_.Rows(), 10);
}

TEST_F(StreamJobTest, RefusesTablesAheadOfAMissingCheckpoint) {
  Feed();
  {
    ASSERT_OK_AND_ASSIGN(auto job, NewJob());
    ASSERT_OK(job->RunBatch(milliseconds(0)).status());
  }
  fs::remove_all(dir_);
  ASSERT_ERROR_CONTAINS(NewJob().status(), "checkpoint");
}

}  // namespace
}  // namespace hashlake::stream
