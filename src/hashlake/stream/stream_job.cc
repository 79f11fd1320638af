#include "hashlake/stream/stream_job.h"

#include <future>
#include <mutex>

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "hashlake/core/bus_message.h"
#include "hashlake/core/logging.h"
#include "hashlake/stream/tables.h"
#include "hashlake/stream/window_tables.h"

namespace hashlake::stream {
namespace {

// How long recovery waits for the bus to hand back a batch's range before giving up.
constexpr auto kRangeReadPatience = std::chrono::seconds(30);

}  // namespace

/// Decodes and enriches the records of a batch on a fixed number of threads.
class StreamJob::Workers {
 public:
  struct Decoded {
    Record record;
    std::vector<std::string> tokens;
  };

  static arrow::Result<std::unique_ptr<Workers>> Make(int threads, PostEnricherFactory factory) {
    if (threads < 1) return arrow::Status::Invalid("stream.threads must be at least 1");
    if (factory) ARROW_RETURN_NOT_OK(factory().status());  // fail at start, not mid-batch
    return std::unique_ptr<Workers>(new Workers(threads, std::move(factory)));
  }

  arrow::Result<std::vector<Decoded>> Run(std::vector<bus::ConsumedMessage>& messages) {
    std::vector<Decoded> out(messages.size());
    std::mutex error_mu;
    arrow::Status error;
    arena_.execute([&] {
      tbb::parallel_for(tbb::blocked_range<size_t>(0, messages.size(), kGrain),
                        [&](const tbb::blocked_range<size_t>& range) {
        PostEnricher* enricher = nullptr;
        if (factory_) {
          auto& local = enrichers_.local();
          if (!local) {
            auto made = factory_();
            if (!made.ok()) {
              std::lock_guard lock(error_mu);
              error = made.status();
              return;
            }
            local = std::move(made).ValueUnsafe();
          }
          enricher = local.get();
        }
        for (size_t i = range.begin(); i != range.end(); ++i) Decode(messages[i], enricher, &out[i]);
      });
    });
    ARROW_RETURN_NOT_OK(error);
    return out;
  }

 private:
  static constexpr size_t kGrain = 256;

  Workers(int threads, PostEnricherFactory factory)
      : arena_(threads), factory_(std::move(factory)) {}

  static void Decode(const bus::ConsumedMessage& message, PostEnricher* enricher, Decoded* out) {
    auto decoded = DecodeRecord(message.value);
    if (!decoded.ok()) {
      // Not a hashlake record at all (another producer on the topic): dead-letter it.
      out->record = Rejected{SourceKind::kReplay,
                             "undecodable bus message: " + decoded.status().message(),
                             message.value, message.timestamp};
      return;
    }
    out->record = std::move(decoded).ValueUnsafe();
    if (auto* post = std::get_if<Post>(&out->record); post != nullptr && enricher != nullptr) {
      enricher->Enrich(post, &out->tokens);
    }
  }

  tbb::task_arena arena_;
  PostEnricherFactory factory_;
  tbb::enumerable_thread_specific<std::unique_ptr<PostEnricher>> enrichers_;
};

arrow::Result<std::unique_ptr<StreamJob>> StreamJob::Make(StreamJobOptions options,
                                                          std::unique_ptr<bus::Consumer> consumer,
                                                          StreamJobSinks sinks,
                                                          std::shared_ptr<LiveView> live_view) {
  if (options.slide == Micros{0}) options.slide = options.window;
  ARROW_ASSIGN_OR_RAISE(auto windows, SlidingWindows::Make(options.window, options.slide));
  if (options.watermark < Micros{0}) {
    return arrow::Status::Invalid("stream.watermark must not be negative");
  }
  if (options.checkpoint_dir.empty()) {
    return arrow::Status::Invalid("the stream job needs a checkpoint directory");
  }
  ARROW_ASSIGN_OR_RAISE(auto checkpoint, CheckpointDir::Open(options.checkpoint_dir));
  ARROW_ASSIGN_OR_RAISE(auto workers, Workers::Make(options.threads, options.enricher));
  WindowedAggregates state(windows, options.watermark);
  std::unique_ptr<StreamJob> job(new StreamJob(std::move(options), std::move(consumer),
                                               std::move(sinks), std::move(live_view),
                                               std::move(checkpoint), std::move(state),
                                               std::move(workers)));
  ARROW_RETURN_NOT_OK(job->Recover());
  return job;
}

StreamJob::StreamJob(StreamJobOptions options, std::unique_ptr<bus::Consumer> consumer,
                     StreamJobSinks sinks, std::shared_ptr<LiveView> live_view,
                     CheckpointDir checkpoint, WindowedAggregates windows,
                     std::unique_ptr<Workers> workers)
    : options_(std::move(options)),
      consumer_(std::move(consumer)),
      sinks_(std::move(sinks)),
      live_view_(std::move(live_view)),
      checkpoint_(std::move(checkpoint)),
      windows_(std::move(windows)),
      workers_(std::move(workers)) {}

StreamJob::~StreamJob() = default;

std::vector<TableSink*> StreamJob::Sinks() const {
  std::vector<TableSink*> out;
  for (TableSink* sink : {sinks_.posts.get(), sinks_.rejected.get(), sinks_.hashtag_counts.get(),
                          sinks_.area_hashtag_counts.get(), sinks_.language_counts.get(),
                          sinks_.window_stats.get()}) {
    if (sink != nullptr) out.push_back(sink);
  }
  return out;
}

arrow::Status StreamJob::Recover() {
  auto log = Logger("stream");
  ARROW_ASSIGN_OR_RAISE(auto latest, checkpoint_.LatestPlan());
  if (!latest) {
    for (TableSink* sink : Sinks()) {
      ARROW_ASSIGN_OR_RAISE(auto last, sink->LastCommittedBatch());
      if (last) {
        return arrow::Status::Invalid(
            "table ", sink->name(), " already holds batch ", *last,
            " of this job, but the checkpoint directory ", checkpoint_.dir().string(),
            " is empty: restore it, or use a new stream.app_id to start over");
      }
    }
    ARROW_ASSIGN_OR_RAISE(positions_, consumer_->Committed());
    for (const auto partition : consumer_->Assignment()) {
      positions_.try_emplace(partition, bus::Offset{0});
    }
    for (const auto& [partition, offset] : positions_) {
      ARROW_RETURN_NOT_OK(consumer_->Seek(partition, offset));
    }
    next_batch_id_ = 0;
    return arrow::Status::OK();
  }

  const BatchPlan plan = *latest;
  const bool done = checkpoint_.IsCommitted(plan.batch_id);
  const int64_t state_batch = done ? plan.batch_id : plan.batch_id - 1;
  if (state_batch >= 0) {
    ARROW_ASSIGN_OR_RAISE(auto state, checkpoint_.ReadState(state_batch));
    if (!state) {
      return arrow::Status::IOError("checkpoint ", checkpoint_.dir().string(),
                                    " lacks the state of batch ", state_batch);
    }
    ARROW_ASSIGN_OR_RAISE(windows_, WindowedAggregates::Deserialize(
                                        *state, windows_.windows(),
                                        options_.watermark));
  }
  if (done) {
    positions_ = plan.to;
    for (const auto& [partition, offset] : positions_) {
      ARROW_RETURN_NOT_OK(consumer_->Seek(partition, offset));
    }
    next_batch_id_ = plan.batch_id + 1;
    log->info("resuming after batch {} (watermark {})", plan.batch_id,
              FormatRfc3339(windows_.Watermark()));
    return arrow::Status::OK();
  }
  log->warn("batch {} was interrupted: re-reading its bus range to finish it", plan.batch_id);
  ARROW_ASSIGN_OR_RAISE(auto messages, ReadRange(plan));
  ARROW_ASSIGN_OR_RAISE(auto report, Execute(plan, messages, plan.close_all, /*replay=*/true));
  log->info("finished interrupted batch {}: {} records", report.batch_id, report.records);
  return arrow::Status::OK();
}

arrow::Result<std::vector<bus::ConsumedMessage>> StreamJob::ReadRange(const BatchPlan& plan) {
  bus::OffsetMap position;
  for (const auto& [partition, to] : plan.to) {
    const auto from_it = plan.from.find(partition);
    const bus::Offset from = from_it == plan.from.end() ? bus::Offset{0} : from_it->second;
    position[partition] = from;
    ARROW_RETURN_NOT_OK(consumer_->Seek(partition, from));
  }
  auto pending = [&] {
    for (const auto& [partition, to] : plan.to) {
      if (position[partition] < to) return true;
    }
    return false;
  };
  std::vector<bus::ConsumedMessage> messages;
  auto last_progress = std::chrono::steady_clock::now();
  while (pending()) {
    ARROW_ASSIGN_OR_RAISE(auto polled, consumer_->Poll(options_.max_batch,
                                                       std::chrono::milliseconds(200)));
    for (auto& message : polled) {
      const auto to = plan.to.find(message.partition);
      if (to == plan.to.end() || message.offset >= to->second) continue;
      position[message.partition] = bus::Offset{message.offset.value + 1};
      messages.push_back(std::move(message));
      last_progress = std::chrono::steady_clock::now();
    }
    if (std::chrono::steady_clock::now() - last_progress > kRangeReadPatience) {
      return arrow::Status::IOError("the bus no longer has all records of batch ",
                                    plan.batch_id, " (", OffsetsToJson(plan.from), " to ",
                                    OffsetsToJson(plan.to),
                                    "): were they removed by retention?");
    }
  }
  for (const auto& [partition, to] : plan.to) ARROW_RETURN_NOT_OK(consumer_->Seek(partition, to));
  return messages;
}

arrow::Result<BatchReport> StreamJob::RunBatch(std::chrono::milliseconds poll_timeout) {
  std::vector<bus::ConsumedMessage> messages;
  ARROW_ASSIGN_OR_RAISE(messages, consumer_->Poll(options_.max_batch, poll_timeout));
  while (!messages.empty() && messages.size() < options_.max_batch) {
    ARROW_ASSIGN_OR_RAISE(auto more, consumer_->Poll(options_.max_batch - messages.size(),
                                                     std::chrono::milliseconds(0)));
    if (more.empty()) break;
    for (auto& m : more) messages.push_back(std::move(m));
  }
  if (messages.empty()) return BatchReport{};

  BatchPlan plan;
  plan.batch_id = next_batch_id_;
  plan.from = positions_;
  plan.to = positions_;
  for (const auto& message : messages) {
    plan.from.try_emplace(message.partition, message.offset);
    auto& to = plan.to[message.partition];
    to = std::max(to, bus::Offset{message.offset.value + 1});
  }
  ARROW_RETURN_NOT_OK(checkpoint_.WritePlan(plan));
  return Execute(plan, messages, /*close_all=*/false, /*replay=*/false);
}

arrow::Result<BatchReport> StreamJob::CloseAllWindows() {
  if (windows_.open_windows() == 0) return BatchReport{};
  BatchPlan plan;
  plan.batch_id = next_batch_id_;
  plan.from = positions_;
  plan.to = positions_;
  plan.close_all = true;
  ARROW_RETURN_NOT_OK(checkpoint_.WritePlan(plan));
  std::vector<bus::ConsumedMessage> none;
  return Execute(plan, none, /*close_all=*/true, /*replay=*/false);
}

arrow::Result<BatchReport> StreamJob::Execute(const BatchPlan& plan,
                                              std::vector<bus::ConsumedMessage>& messages,
                                              bool close_all, bool replay) {
  const auto started = std::chrono::steady_clock::now();
  BatchReport report;
  report.batch_id = plan.batch_id;
  report.records = static_cast<int64_t>(messages.size());
  ARROW_ASSIGN_OR_RAISE(auto decoded, workers_->Run(messages));

  PostsBuilder posts;
  RejectedBuilder rejected;
  const int64_t late_before = windows_.late_records();
  for (size_t i = 0; i < decoded.size(); ++i) {
    const BusPosition position{messages[i].partition.value, messages[i].offset.value};
    if (auto* post = std::get_if<Post>(&decoded[i].record)) {
      ARROW_RETURN_NOT_OK(posts.Append(*post, decoded[i].tokens, position));
      windows_.Add({post->created_at, &post->hashtags, post->country_code, post->region,
                    post->lang});
      if (live_view_) live_view_->Add(post->created_at, post->hashtags);
    } else {
      ARROW_RETURN_NOT_OK(rejected.Append(std::get<Rejected>(decoded[i].record), position));
    }
  }
  report.posts = posts.length();
  report.rejected = rejected.length();
  report.late = windows_.late_records() - late_before;

  const Timestamp watermark =
      close_all ? windows_.max_event_time() + options_.window : windows_.Watermark();
  const auto closed = windows_.CloseUpTo(watermark);
  report.closed_windows = static_cast<int64_t>(closed.size());
  report.watermark = windows_.Watermark();

  std::vector<std::pair<TableSink*, std::shared_ptr<arrow::Table>>> outputs;
  auto add_output = [&](const std::unique_ptr<TableSink>& sink,
                        arrow::Result<std::shared_ptr<arrow::Table>> table) -> arrow::Status {
    if (sink == nullptr) return arrow::Status::OK();
    ARROW_RETURN_NOT_OK(table.status());
    if ((*table)->num_rows() > 0) outputs.emplace_back(sink.get(), *table);
    return arrow::Status::OK();
  };
  ARROW_RETURN_NOT_OK(add_output(sinks_.posts, posts.Finish()));
  ARROW_RETURN_NOT_OK(add_output(sinks_.rejected, rejected.Finish()));
  ARROW_RETURN_NOT_OK(add_output(sinks_.hashtag_counts, HashtagCountsTable(closed, options_.top_k)));
  ARROW_RETURN_NOT_OK(
      add_output(sinks_.area_hashtag_counts, AreaHashtagCountsTable(closed, options_.top_k)));
  ARROW_RETURN_NOT_OK(add_output(sinks_.language_counts, LanguageCountsTable(closed)));
  ARROW_RETURN_NOT_OK(add_output(sinks_.window_stats, WindowStatsTable(closed)));

  ARROW_RETURN_NOT_OK(checkpoint_.WriteState(plan.batch_id, windows_.Serialize()));
  const std::string info = BatchPlanJson(plan);
  // The tables are independent (each has its own txn version), so their commits run at
  // once: a batch costs one commit latency, not one per table.
  std::vector<std::future<arrow::Status>> commits;
  for (const auto& [sink, table] : outputs) {
    commits.push_back(std::async(std::launch::async, [&, sink, table]() -> arrow::Status {
      if (replay) {
        ARROW_ASSIGN_OR_RAISE(auto last, sink->LastCommittedBatch());
        if (last && *last >= plan.batch_id) return arrow::Status::OK();  // before the crash
      }
      return sink->Commit(plan.batch_id, table, info);
    }));
  }
  arrow::Status committed;
  for (auto& commit : commits) committed &= commit.get();
  ARROW_RETURN_NOT_OK(committed);
  ARROW_RETURN_NOT_OK(consumer_->Commit(plan.to));
  ARROW_RETURN_NOT_OK(checkpoint_.WriteCommit(plan.batch_id));
  // Recovery needs the state of the batch before the newest plan; keep a few more.
  ARROW_RETURN_NOT_OK(checkpoint_.Prune(plan.batch_id - 10));
  positions_ = plan.to;
  next_batch_id_ = plan.batch_id + 1;
  report.duration = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - started);
  return report;
}

arrow::Result<bus::OffsetMap> StreamJob::LagByPartition() {
  ARROW_ASSIGN_OR_RAISE(auto ends, consumer_->EndOffsets());
  bus::OffsetMap lag;
  for (const auto& [partition, end] : ends) {
    const auto it = positions_.find(partition);
    const int64_t position = it == positions_.end() ? 0 : it->second.value;
    lag[partition] = bus::Offset{std::max<int64_t>(0, end.value - position)};
  }
  return lag;
}

arrow::Result<int64_t> StreamJob::Lag() {
  ARROW_ASSIGN_OR_RAISE(auto lag, LagByPartition());
  int64_t total = 0;
  for (const auto& [partition, behind] : lag) total += behind.value;
  return total;
}

}  // namespace hashlake::stream
