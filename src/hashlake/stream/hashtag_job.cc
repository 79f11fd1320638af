#include "hashlake/stream/hashtag_job.h"

#include <limits>

#include "hashlake/core/bus_message.h"
#include "hashlake/core/logging.h"
#include "hashlake/stream/tables.h"

namespace hashlake::stream {
namespace {

// How long recovery waits for the bus to hand back a batch's range before giving up.
constexpr auto kRangeReadPatience = std::chrono::seconds(30);

}  // namespace

arrow::Result<std::unique_ptr<HashtagJob>> HashtagJob::Make(
    HashtagJobOptions options, std::unique_ptr<bus::Consumer> consumer, HashtagJobSinks sinks,
    std::shared_ptr<LiveView> live_view) {
  if (options.window <= Micros{0}) {
    return arrow::Status::Invalid("stream.window must be positive");
  }
  if (options.checkpoint_dir.empty()) {
    return arrow::Status::Invalid("the stream job needs a checkpoint directory");
  }
  ARROW_ASSIGN_OR_RAISE(auto checkpoint, CheckpointDir::Open(options.checkpoint_dir));
  std::unique_ptr<HashtagJob> job(new HashtagJob(std::move(options), std::move(consumer),
                                                 std::move(sinks), std::move(live_view),
                                                 std::move(checkpoint)));
  ARROW_RETURN_NOT_OK(job->Recover());
  return job;
}

HashtagJob::HashtagJob(HashtagJobOptions options, std::unique_ptr<bus::Consumer> consumer,
                       HashtagJobSinks sinks, std::shared_ptr<LiveView> live_view,
                       CheckpointDir checkpoint)
    : options_(std::move(options)),
      consumer_(std::move(consumer)),
      sinks_(std::move(sinks)),
      live_view_(std::move(live_view)),
      checkpoint_(std::move(checkpoint)),
      windows_(options_.window, options_.watermark) {}

arrow::Status HashtagJob::Recover() {
  auto log = Logger("stream");
  ARROW_ASSIGN_OR_RAISE(auto latest, checkpoint_.LatestPlan());
  if (!latest) {
    for (TableSink* sink : {sinks_.posts.get(), sinks_.hashtag_counts.get(),
                            sinks_.rejected.get()}) {
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
    ARROW_ASSIGN_OR_RAISE(windows_, WindowedHashtagCounts::Deserialize(
                                        *state, options_.window, options_.watermark));
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

arrow::Result<std::vector<bus::ConsumedMessage>> HashtagJob::ReadRange(const BatchPlan& plan) {
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

arrow::Result<BatchReport> HashtagJob::RunBatch(std::chrono::milliseconds poll_timeout) {
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

arrow::Result<BatchReport> HashtagJob::CloseAllWindows() {
  if (windows_.open_windows() == 0) return BatchReport{};
  BatchPlan plan;
  plan.batch_id = next_batch_id_;
  plan.from = positions_;
  plan.to = positions_;
  plan.close_all = true;
  ARROW_RETURN_NOT_OK(checkpoint_.WritePlan(plan));
  return Execute(plan, {}, /*close_all=*/true, /*replay=*/false);
}

arrow::Result<BatchReport> HashtagJob::Execute(const BatchPlan& plan,
                                               const std::vector<bus::ConsumedMessage>& messages,
                                               bool close_all, bool replay) {
  BatchReport report;
  report.batch_id = plan.batch_id;
  report.records = static_cast<int64_t>(messages.size());
  PostsBuilder posts;
  RejectedBuilder rejected;
  const int64_t late_before = windows_.late_records();
  for (const auto& message : messages) {
    auto decoded = DecodeRecord(message.value);
    const BusPosition position{message.partition.value, message.offset.value};
    if (!decoded.ok()) {
      // Not a hashlake record at all (another producer on the topic): dead-letter it.
      Rejected r{SourceKind::kReplay, "undecodable bus message: " + decoded.status().message(),
                 message.value, message.timestamp};
      ARROW_RETURN_NOT_OK(rejected.Append(r, position));
      continue;
    }
    if (auto* post = std::get_if<Post>(&*decoded)) {
      ARROW_RETURN_NOT_OK(posts.Append(*post, position));
      windows_.Add(post->created_at, post->hashtags);
      if (live_view_) live_view_->Add(post->created_at, post->hashtags);
    } else {
      ARROW_RETURN_NOT_OK(rejected.Append(std::get<Rejected>(*decoded), position));
    }
  }
  report.posts = posts.length();
  report.rejected = rejected.length();
  report.late = windows_.late_records() - late_before;

  const Timestamp watermark =
      close_all ? windows_.max_event_time() + options_.window : windows_.Watermark();
  const auto closed = windows_.CloseUpTo(watermark);
  report.closed_rows = static_cast<int64_t>(closed.size());
  report.watermark = windows_.Watermark();

  ARROW_ASSIGN_OR_RAISE(auto posts_table, posts.Finish());
  ARROW_ASSIGN_OR_RAISE(auto rejected_table, rejected.Finish());
  ARROW_ASSIGN_OR_RAISE(auto counts_table, HashtagCountsTable(closed));

  ARROW_RETURN_NOT_OK(checkpoint_.WriteState(plan.batch_id, windows_.Serialize()));
  const std::string info = BatchPlanJson(plan);
  const std::pair<TableSink*, std::shared_ptr<arrow::Table>> outputs[] = {
      {sinks_.posts.get(), posts_table},
      {sinks_.rejected.get(), rejected_table},
      {sinks_.hashtag_counts.get(), counts_table},
  };
  for (const auto& [sink, table] : outputs) {
    if (table->num_rows() == 0) continue;
    if (replay) {
      ARROW_ASSIGN_OR_RAISE(auto last, sink->LastCommittedBatch());
      if (last && *last >= plan.batch_id) continue;  // committed before the crash
    }
    ARROW_RETURN_NOT_OK(sink->Commit(plan.batch_id, table, info));
  }
  ARROW_RETURN_NOT_OK(consumer_->Commit(plan.to));
  ARROW_RETURN_NOT_OK(checkpoint_.WriteCommit(plan.batch_id));
  // Recovery needs the state of the batch before the newest plan; keep a few more.
  ARROW_RETURN_NOT_OK(checkpoint_.Prune(plan.batch_id - 10));
  positions_ = plan.to;
  next_batch_id_ = plan.batch_id + 1;
  return report;
}

arrow::Result<int64_t> HashtagJob::Lag() {
  ARROW_ASSIGN_OR_RAISE(auto ends, consumer_->EndOffsets());
  int64_t lag = 0;
  for (const auto& [partition, end] : ends) {
    const auto it = positions_.find(partition);
    const int64_t position = it == positions_.end() ? 0 : it->second.value;
    lag += std::max<int64_t>(0, end.value - position);
  }
  return lag;
}

}  // namespace hashlake::stream
