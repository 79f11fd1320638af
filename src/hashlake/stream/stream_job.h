#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <arrow/result.h>
#include <arrow/status.h>

#include "hashlake/bus/bus.h"
#include "hashlake/stream/checkpoint.h"
#include "hashlake/stream/live_view.h"
#include "hashlake/stream/post_enricher.h"
#include "hashlake/stream/table_sink.h"
#include "hashlake/stream/window_state.h"

namespace hashlake::stream {

struct StreamJobOptions {
  Micros window = std::chrono::minutes(1);      ///< Window length.
  Micros slide{0};                              ///< 0: tumbling (slide = window).
  Micros watermark = std::chrono::seconds(10);  ///< Allowed lateness.
  int top_k = 0;                                ///< Rows kept per window (per area); 0: all.
  std::size_t max_batch = 50'000;  ///< Most records per micro-batch: bounds memory.
  int threads = 1;                 ///< Worker threads decoding and enriching posts.
  std::filesystem::path checkpoint_dir;  ///< Required.
  PostEnricherFactory enricher;          ///< Optional: no tokens, language or area without.
};

/// The tables the job writes. A null sink skips that table.
struct StreamJobSinks {
  std::unique_ptr<TableSink> posts;
  std::unique_ptr<TableSink> rejected;
  std::unique_ptr<TableSink> hashtag_counts;
  std::unique_ptr<TableSink> area_hashtag_counts;
  std::unique_ptr<TableSink> language_counts;
  std::unique_ptr<TableSink> window_stats;
};

/// What one micro-batch did.
struct BatchReport {
  int64_t batch_id = -1;  ///< -1 when the bus had nothing new.
  int64_t records = 0;
  int64_t posts = 0;
  int64_t rejected = 0;
  int64_t late = 0;            ///< Posts that missed a window that had already closed.
  int64_t closed_windows = 0;  ///< Windows whose rows this batch appended.
  Timestamp watermark{};
  std::chrono::microseconds duration{0};
};

/// The stream job: reads the bus in micro-batches; decodes, cleans and enriches posts on
/// `threads` workers; writes `posts` and `rejected`; aggregates posts in event-time
/// windows (hashtags, area x hashtag, languages, volume) and appends each window's rows
/// once the watermark passes it. Exactly once across crashes:
/// plan (bus range) -> process -> state -> one commit per table carrying the batch id
/// as its txn version -> bus commit -> done marker. On start, an unfinished batch is
/// re-read from the same bus range and written only to tables that lack it.
/// Not thread-safe: one thread drives RunBatch. The LiveView it feeds may be read
/// from any thread.
class StreamJob {
 public:
  static arrow::Result<std::unique_ptr<StreamJob>> Make(StreamJobOptions options,
                                                        std::unique_ptr<bus::Consumer> consumer,
                                                        StreamJobSinks sinks,
                                                        std::shared_ptr<LiveView> live_view);
  ~StreamJob();

  /// Reads what the bus has (waiting at most `poll_timeout` for the first record) and
  /// commits it as one batch.
  arrow::Result<BatchReport> RunBatch(std::chrono::milliseconds poll_timeout);

  /// For bounded input that has ended: moves the watermark past every open window and
  /// commits their rows as a batch. Later records for those windows count as late.
  arrow::Result<BatchReport> CloseAllWindows();

  /// Records behind the end of the bus, per partition.
  arrow::Result<bus::OffsetMap> LagByPartition();
  /// The same, summed.
  arrow::Result<int64_t> Lag();

  int64_t next_batch_id() const { return next_batch_id_; }
  /// The next offset to read, per partition.
  const bus::OffsetMap& positions() const { return positions_; }
  Timestamp watermark() const { return windows_.Watermark(); }
  int64_t late_records() const { return windows_.late_records(); }
  std::size_t state_keys() const { return windows_.state_keys(); }
  std::size_t open_windows() const { return windows_.open_windows(); }

 private:
  class Workers;
  StreamJob(StreamJobOptions options, std::unique_ptr<bus::Consumer> consumer,
            StreamJobSinks sinks, std::shared_ptr<LiveView> live_view, CheckpointDir checkpoint,
            WindowedAggregates windows, std::unique_ptr<Workers> workers);

  arrow::Status Recover();
  /// Reads exactly the messages of [plan.from, plan.to).
  arrow::Result<std::vector<bus::ConsumedMessage>> ReadRange(const BatchPlan& plan);
  /// Runs a planned batch over `messages`; `replay` skips tables that already have it.
  arrow::Result<BatchReport> Execute(const BatchPlan& plan,
                                     std::vector<bus::ConsumedMessage>& messages,
                                     bool close_all, bool replay);
  std::vector<TableSink*> Sinks() const;

  StreamJobOptions options_;
  std::unique_ptr<bus::Consumer> consumer_;
  StreamJobSinks sinks_;
  std::shared_ptr<LiveView> live_view_;
  CheckpointDir checkpoint_;
  WindowedAggregates windows_;
  std::unique_ptr<Workers> workers_;
  bus::OffsetMap positions_;  // next offset to read, per partition
  int64_t next_batch_id_ = 0;
};

}  // namespace hashlake::stream
