#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include <arrow/result.h>
#include <arrow/status.h>

#include "hashlake/bus/bus.h"
#include "hashlake/stream/checkpoint.h"
#include "hashlake/stream/live_view.h"
#include "hashlake/stream/table_sink.h"
#include "hashlake/stream/window.h"

namespace hashlake::stream {

struct HashtagJobOptions {
  Micros window = std::chrono::minutes(1);        ///< Tumbling window length.
  Micros watermark = std::chrono::seconds(10);    ///< Allowed lateness.
  std::size_t max_batch = 50'000;                 ///< Most records per micro-batch.
  std::filesystem::path checkpoint_dir;           ///< Required.
};

struct HashtagJobSinks {
  std::unique_ptr<TableSink> posts;
  std::unique_ptr<TableSink> hashtag_counts;
  std::unique_ptr<TableSink> rejected;
};

/// What one micro-batch did.
struct BatchReport {
  int64_t batch_id = -1;  ///< -1 when the bus had nothing new.
  int64_t records = 0;
  int64_t posts = 0;
  int64_t rejected = 0;
  int64_t late = 0;            ///< Posts whose window had already closed.
  int64_t closed_rows = 0;     ///< hashtag_counts rows written.
  Timestamp watermark{};
};

/// The first stream job: reads the bus in micro-batches, writes `posts` and `rejected`,
/// counts hashtags in tumbling event-time windows and appends each window's counts to
/// `hashtag_counts` once the watermark passes it. Exactly once across crashes:
/// plan (bus range) -> process -> state -> one commit per table carrying the batch id
/// as its txn version -> bus commit -> done marker. On start, an unfinished batch is
/// re-read from the same bus range and written only to tables that lack it.
/// Not thread-safe: one thread drives RunBatch. The LiveView it feeds may be read
/// from any thread.
class HashtagJob {
 public:
  static arrow::Result<std::unique_ptr<HashtagJob>> Make(HashtagJobOptions options,
                                                         std::unique_ptr<bus::Consumer> consumer,
                                                         HashtagJobSinks sinks,
                                                         std::shared_ptr<LiveView> live_view);

  /// Reads what the bus has (waiting at most `poll_timeout` for the first record) and
  /// commits it as one batch.
  arrow::Result<BatchReport> RunBatch(std::chrono::milliseconds poll_timeout);

  /// For bounded input that has ended: moves the watermark past every open window and
  /// commits their counts as a batch. Later records for those windows count as late.
  arrow::Result<BatchReport> CloseAllWindows();

  /// Records behind the end of the bus, summed over partitions.
  arrow::Result<int64_t> Lag();

  int64_t next_batch_id() const { return next_batch_id_; }
  Timestamp watermark() const { return windows_.Watermark(); }
  int64_t late_records() const { return windows_.late_records(); }

 private:
  HashtagJob(HashtagJobOptions options, std::unique_ptr<bus::Consumer> consumer,
             HashtagJobSinks sinks, std::shared_ptr<LiveView> live_view, CheckpointDir checkpoint);

  arrow::Status Recover();
  /// Reads exactly the messages of [plan.from, plan.to).
  arrow::Result<std::vector<bus::ConsumedMessage>> ReadRange(const BatchPlan& plan);
  /// Runs a planned batch over `messages`; `replay` skips tables that already have it.
  arrow::Result<BatchReport> Execute(const BatchPlan& plan,
                                     const std::vector<bus::ConsumedMessage>& messages,
                                     bool close_all, bool replay);

  HashtagJobOptions options_;
  std::unique_ptr<bus::Consumer> consumer_;
  HashtagJobSinks sinks_;
  std::shared_ptr<LiveView> live_view_;
  CheckpointDir checkpoint_;
  WindowedHashtagCounts windows_;
  bus::OffsetMap positions_;  // next offset to read, per partition
  int64_t next_batch_id_ = 0;
};

}  // namespace hashlake::stream
