#pragma once

#include <arrow/result.h>
#include <arrow/status.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "hashlake/bus/bus.h"
#include "hashlake/stream/checkpoint.h"
#include "hashlake/stream/live_view.h"
#include "hashlake/stream/post_enricher.h"
#include "hashlake/stream/table_sink.h"
#include "hashlake/stream/window.h"
#include "hashlake/stream/window_state.h"

namespace hashlake::stream {

struct StreamJobOptions {
  Micros window = std::chrono::minutes(1);      ///< Window length.
  Micros slide{0};                              ///< 0: tumbling (slide = window).
  Micros watermark = std::chrono::seconds(10);  ///< Allowed lateness.
  int top_k = 0;                                ///< Rows kept per window (per area); 0: all.
  std::size_t max_batch = 50'000;               ///< Most records per micro-batch: bounds memory.
  int threads = 1;                              ///< Worker threads decoding and enriching posts.
  std::filesystem::path checkpoint_dir;         ///< Required.
  PostEnricherFactory enricher;                 ///< Optional: no tokens, language or area without.
  /// A batch's table commits run while the next batch gathers (RunBatch returns before
  /// they finish; the next call, CloseAllWindows or Flush finishes them). Off: RunBatch
  /// returns once its batch is committed.
  bool pipeline_commits = false;
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
  int64_t batch_id = -1;  ///< This run's count of batches; -1 when nothing happened.
  int64_t records = 0;
  int64_t posts = 0;
  int64_t rejected = 0;
  int64_t late = 0;            ///< Posts that missed a window that had already closed.
  int64_t closed_windows = 0;  ///< Windows whose rows this batch appended.
  Timestamp watermark{};
  /// From gathering to committed, of the batch that finished in the call (with
  /// pipeline_commits, the previous one); 0 when none did.
  std::chrono::microseconds duration{0};
  /// Per post with an ingested_at: how long after it the post reached the live view, and
  /// the lake (its table commits done).
  std::vector<Micros> live_latencies;
  std::vector<Micros> lake_latencies;
};

class PostWorkers;
struct DecodedRecord;

/// The stream job: reads the bus in micro-batches; decodes, cleans and enriches posts on
/// `threads` workers; writes `posts` and `rejected`; aggregates posts in event-time
/// windows (hashtags, area x hashtag, languages, volume) and appends each window's rows
/// once the watermark passes it.
///
/// Each bus partition is its own exactly-once stream (as a Kafka Streams task): its own
/// window state, batch ids and checkpoint folder, and its own Delta `txn` appId
/// (`<app_id>/<partition>`). So when a consumer group moves a partition to another
/// instance, that instance picks the partition up from the shared checkpoint where the
/// lake says it stopped. A batch covers every partition the instance holds:
/// plan (bus ranges) -> process -> state -> one commit per table carrying one txn per
/// partition -> bus commit -> done markers. An interrupted batch is re-read from the same
/// ranges and written only to the tables that lack it, with the windows it had closed.
///
/// The watermark is the instance's: the largest event time seen on its partitions minus
/// the allowed lateness, except that a partition with records still behind holds it at
/// its own progress (so reading a backlog faster on one partition makes nothing late). An instance
/// writes one row per window and key; several instances each write their partitions' share, so
/// readers sum `count` over rows of the same key.
///
/// Not thread-safe: one thread drives RunBatch. The LiveView it feeds may be read from
/// any thread.
class StreamJob {
 public:
  static arrow::Result<std::unique_ptr<StreamJob>> Make(StreamJobOptions options,
                                                        std::unique_ptr<bus::Consumer> consumer,
                                                        StreamJobSinks sinks,
                                                        std::shared_ptr<LiveView> live_view);
  ~StreamJob();

  /// Reads what the bus has (waiting at most `poll_timeout` for the first record, then
  /// gathering more until `gather` has passed or `max_batch` is reached), showing each
  /// record in the live view as it arrives, and commits them as one batch. Also takes on
  /// partitions the group assigned since the last call (finishing their interrupted batch,
  /// if any) and lets go of revoked ones.
  arrow::Result<BatchReport> RunBatch(std::chrono::milliseconds poll_timeout,
                                      std::chrono::milliseconds gather = {});

  /// For bounded input that has ended: moves the watermark past every open window and
  /// commits their rows as a batch. Later records for those windows count as late.
  arrow::Result<BatchReport> CloseAllWindows();

  /// Finishes the batch whose commits are in flight (pipeline_commits), if any: its
  /// report carries the lake latencies. A stop must call it to leave nothing to replay.
  arrow::Result<BatchReport> Flush();

  /// Records behind the end of the bus, per assigned partition; from the bus's cheap
  /// estimate of its end (bus::Consumer::EndOffsetsEstimate) unless `exact`.
  arrow::Result<bus::OffsetMap> LagByPartition(bool exact = false);

  /// The next offset to read, per assigned partition.
  bus::OffsetMap positions() const;
  /// Where windows last closed: event time minus allowed lateness (the epoch before any).
  Timestamp watermark() const;
  int64_t late_records() const;
  std::size_t state_keys() const;
  std::size_t open_windows() const;

 private:
  struct PartitionTask;
  struct Batch;
  struct PendingCommit;
  StreamJob(StreamJobOptions options, std::unique_ptr<bus::Consumer> consumer, StreamJobSinks sinks,
            std::shared_ptr<LiveView> live_view, std::unique_ptr<PostWorkers> workers);

  /// Opens tasks for newly assigned partitions (finishing their interrupted batches) and
  /// drops revoked ones. Sets `*changed` when the assignment changed.
  arrow::Status SyncAssignment(bool* changed);
  /// Writes each partition's plan, each listing every member of the batch.
  arrow::Status WritePlans(Batch& batch);
  /// True when every member partition of `plan`'s batch has its plan on disk.
  bool AllPlansWritten(const BatchPlan& plan) const;
  /// Loads a newly assigned partition's task from its checkpoint folder; an interrupted
  /// batch goes into `replay`. `committed` caches the bus's committed offsets.
  arrow::Status OpenTask(bus::PartitionId partition, std::optional<bus::OffsetMap>* committed,
                         Batch* replay);
  /// Reads exactly the messages of the batch's ranges, then seeks every task back to its
  /// position.
  arrow::Result<std::vector<bus::ConsumedMessage>> ReadRanges(const Batch& batch);
  /// Decodes and enriches on the workers, and shows the posts in the live view.
  arrow::Result<std::vector<DecodedRecord>> Decode(
      const std::vector<bus::ConsumedMessage>& messages);
  /// Processes a planned batch and starts its table commits; finishes it unless
  /// pipeline_commits.
  arrow::Result<BatchReport> Execute(Batch& batch,
                                     const std::vector<bus::ConsumedMessage>& messages,
                                     std::vector<DecodedRecord> decoded);
  /// Waits for the pending batch's table commits, then commits its offsets to the bus and
  /// writes its done markers.
  arrow::Result<BatchReport> FinishPending();
  /// The event time windows may close up to (before the allowed lateness); nullopt when
  /// nothing may close yet.
  arrow::Result<std::optional<Timestamp>> EventTimeFrontier(const Batch& batch);
  std::vector<TableSink*> Sinks() const;

  StreamJobOptions options_;
  std::unique_ptr<bus::Consumer> consumer_;
  StreamJobSinks sinks_;
  std::shared_ptr<LiveView> live_view_;
  std::unique_ptr<PostWorkers> workers_;
  SlidingWindows windows_;
  std::map<bus::PartitionId, std::unique_ptr<PartitionTask>> tasks_;
  int64_t batches_ = 0;
  Timestamp watermark_{};  // the latest close point (before close-all), for reporting
  std::vector<Micros> live_latencies_;  // since the last batch
  std::unique_ptr<PendingCommit> pending_;
};

}  // namespace hashlake::stream
