#include "hashlake/stream/stream_job.h"

#include <arrow/table.h>
#include <fmt/core.h>

#include <algorithm>
#include <future>
#include <set>

#include "hashlake/core/json_writer.h"
#include "hashlake/core/logging.h"
#include "hashlake/stream/post_workers.h"
#include "hashlake/stream/tables.h"
#include "hashlake/stream/window_tables.h"

namespace hashlake::stream {
namespace {

// How long recovery waits for the bus to hand back a batch's range before giving up.
constexpr auto kRangeReadPatience = std::chrono::seconds(30);
// While gathering a batch, polls wait at most this long, so records reach the live view
// soon after they reach the bus.
constexpr auto kGatherPoll = std::chrono::milliseconds(10);
// Checkpoint files of older batches than the newest minus this are deleted.
constexpr int64_t kKeptBatches = 10;

}  // namespace

/// One bus partition's exactly-once stream: its window state, where it stands on the bus,
/// its next batch id and its checkpoint folder.
struct StreamJob::PartitionTask {
  CheckpointDir checkpoint;
  WindowedAggregates windows;
  bus::Offset position{};  // next offset to read
  int64_t next_batch = 0;  // txn version of its next batch
};

/// A batch in the making: per partition, its plan, and what processing produced.
struct StreamJob::Batch {
  struct Part {
    BatchPlan plan;
    /// Replays only: the close point the interrupted run had chosen (from its state file),
    /// so that every table gets the windows the others got.
    std::optional<Timestamp> close_point;
    std::shared_ptr<arrow::Table> posts, rejected;
    std::vector<ClosedWindow> closed;
    /// Tables that still lack this part (all of them, unless replaying).
    std::set<TableSink*> pending;
  };
  std::map<bus::PartitionId, Part> parts;
  bool replay = false;
  bool close_all = false;
};

/// A batch whose table commits are in flight: what finishing it needs.
struct StreamJob::PendingCommit {
  struct Output {
    TableSink* sink;
    PartitionBatches batches;
    std::shared_ptr<arrow::Table> rows;
  };
  std::map<bus::PartitionId, BatchPlan> plans;
  std::string info;
  std::vector<Output> outputs;  // not resized once the commits run: they point into it
  std::vector<std::future<arrow::Status>> commits;
  std::vector<Timestamp> ingested;  // of its posts, for the lake latency
  std::chrono::steady_clock::time_point started;
};

arrow::Result<std::unique_ptr<StreamJob>> StreamJob::Make(StreamJobOptions options,
                                                          std::unique_ptr<bus::Consumer> consumer,
                                                          StreamJobSinks sinks,
                                                          std::shared_ptr<LiveView> live_view) {
  if (options.slide == Micros{0}) options.slide = options.window;
  ARROW_RETURN_NOT_OK(SlidingWindows::Make(options.window, options.slide).status());
  if (options.watermark < Micros{0}) {
    return arrow::Status::Invalid("stream.watermark must not be negative");
  }
  if (options.checkpoint_dir.empty()) {
    return arrow::Status::Invalid("the stream job needs a checkpoint directory");
  }
  ARROW_ASSIGN_OR_RAISE(auto workers, PostWorkers::Make(options.threads, options.enricher));
  std::unique_ptr<StreamJob> job(new StreamJob(std::move(options), std::move(consumer),
                                               std::move(sinks), std::move(live_view),
                                               std::move(workers)));
  bool changed;
  ARROW_RETURN_NOT_OK(job->SyncAssignment(&changed));
  return job;
}

StreamJob::StreamJob(StreamJobOptions options, std::unique_ptr<bus::Consumer> consumer,
                     StreamJobSinks sinks, std::shared_ptr<LiveView> live_view,
                     std::unique_ptr<PostWorkers> workers)
    : options_(std::move(options)),
      consumer_(std::move(consumer)),
      sinks_(std::move(sinks)),
      live_view_(std::move(live_view)),
      workers_(std::move(workers)),
      windows_(SlidingWindows::Make(options_.window, options_.slide).ValueUnsafe()) {}

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

arrow::Status StreamJob::OpenTask(bus::PartitionId partition,
                                  std::optional<bus::OffsetMap>* committed, Batch* replay) {
  const auto dir = options_.checkpoint_dir / "partitions" / std::to_string(partition.value);
  ARROW_ASSIGN_OR_RAISE(auto checkpoint, CheckpointDir::Open(dir));
  auto task = std::make_unique<PartitionTask>(PartitionTask{
      std::move(checkpoint), WindowedAggregates(windows_, options_.watermark), {}, 0});
  ARROW_ASSIGN_OR_RAISE(auto latest, task->checkpoint.LatestPlan());
  auto load_state = [&](int64_t batch_id) -> arrow::Result<std::optional<WindowedAggregates>> {
    ARROW_ASSIGN_OR_RAISE(auto text, task->checkpoint.ReadState(batch_id));
    if (!text) return std::nullopt;
    ARROW_ASSIGN_OR_RAISE(auto state,
                          WindowedAggregates::Deserialize(*text, windows_, options_.watermark));
    return state;
  };
  auto require_state = [&](int64_t batch_id) -> arrow::Status {
    ARROW_ASSIGN_OR_RAISE(auto state, load_state(batch_id));
    if (!state) {
      return arrow::Status::IOError("checkpoint ", dir.string(), " lacks the state of batch ",
                                    batch_id);
    }
    task->windows = std::move(*state);
    return arrow::Status::OK();
  };
  if (!latest) {
    // A new partition: the lake must not know it either, and the bus says where to start.
    for (TableSink* sink : Sinks()) {
      ARROW_ASSIGN_OR_RAISE(auto last, sink->LastCommittedBatch(partition));
      if (last) {
        return arrow::Status::Invalid(
            "table ", sink->name(), " already holds batch ", *last, " of partition ",
            partition.value, " of this job, but its checkpoint ", dir.string(),
            " is empty: restore it, or use a new stream.app_id to start over");
      }
    }
    if (!*committed) {
      ARROW_ASSIGN_OR_RAISE(*committed, consumer_->Committed());
    }
    const auto it = (*committed)->find(partition);
    task->position = it == (*committed)->end() ? bus::Offset{0} : it->second;
  } else if (task->checkpoint.IsCommitted(latest->batch_id)) {
    ARROW_RETURN_NOT_OK(require_state(latest->batch_id));
    task->position = latest->to.at(partition);
    task->next_batch = latest->batch_id + 1;
  } else if (!AllPlansWritten(*latest)) {
    // The crash came while the batch's plans were being written: nothing else of it was
    // (states and commits come after every plan), so it never started. Dropping it keeps
    // the batch whole: replaying it for only some partitions would split its rows.
    if (latest->batch_id > 0) ARROW_RETURN_NOT_OK(require_state(latest->batch_id - 1));
    ARROW_RETURN_NOT_OK(task->checkpoint.DropPlan(latest->batch_id));
    task->position = latest->from.at(partition);
    task->next_batch = latest->batch_id;
  } else {
    // Interrupted: start from the state before it, and replay it with the caller.
    if (latest->batch_id > 0) ARROW_RETURN_NOT_OK(require_state(latest->batch_id - 1));
    Batch::Part part;
    part.plan = *latest;
    ARROW_ASSIGN_OR_RAISE(auto after, load_state(latest->batch_id));
    if (after) part.close_point = after->closed_before();
    for (TableSink* sink : Sinks()) {
      ARROW_ASSIGN_OR_RAISE(auto last, sink->LastCommittedBatch(partition));
      if (!last || *last < latest->batch_id) part.pending.insert(sink);
    }
    task->position = latest->from.at(partition);
    task->next_batch = latest->batch_id;
    replay->parts.emplace(partition, std::move(part));
    replay->close_all = replay->close_all || latest->close_all;
  }
  Logger("stream")->info("partition {}: resuming at offset {} with batch {}", partition.value,
                         task->position.value, task->next_batch);
  tasks_.emplace(partition, std::move(task));
  return arrow::Status::OK();
}

bool StreamJob::AllPlansWritten(const BatchPlan& plan) const {
  for (const auto& [partition, batch_id] : plan.members) {
    const auto dir = options_.checkpoint_dir / "partitions" / std::to_string(partition.value);
    auto checkpoint = CheckpointDir::Open(dir);
    if (!checkpoint.ok() || !checkpoint->HasPlan(batch_id)) return false;
  }
  return true;
}

arrow::Status StreamJob::SyncAssignment(bool* changed) {
  auto log = Logger("stream");
  *changed = false;
  const auto assigned = consumer_->Assignment();
  const std::set<bus::PartitionId> now(assigned.begin(), assigned.end());
  std::set<bus::PartitionId> held;
  for (const auto& [partition, task] : tasks_) held.insert(partition);
  if (now == held) return arrow::Status::OK();
  ARROW_RETURN_NOT_OK(FinishPending().status());  // its partitions may be leaving
  for (auto it = tasks_.begin(); it != tasks_.end();) {
    if (now.count(it->first)) {
      ++it;
      continue;
    }
    log->info("partition {} was revoked: its state stays in the checkpoint", it->first.value);
    it = tasks_.erase(it);
    *changed = true;
  }
  std::optional<bus::OffsetMap> committed;
  Batch replay;
  replay.replay = true;
  for (const auto partition : now) {
    if (tasks_.count(partition)) continue;
    *changed = true;
    ARROW_RETURN_NOT_OK(OpenTask(partition, &committed, &replay));
  }
  if (*changed) {
    // New partitions start at their task's offset; the others go back to theirs, so that
    // what a poll read during a rebalance is read again.
    for (const auto& [partition, task] : tasks_) {
      ARROW_RETURN_NOT_OK(consumer_->Seek(partition, task->position));
    }
  }
  if (replay.parts.empty()) return arrow::Status::OK();
  log->warn("finishing the interrupted batch of {} partition(s) from its bus ranges",
            replay.parts.size());
  ARROW_ASSIGN_OR_RAISE(auto messages, ReadRanges(replay));
  ARROW_ASSIGN_OR_RAISE(auto decoded, Decode(messages));
  ARROW_ASSIGN_OR_RAISE(auto report, Execute(replay, messages, std::move(decoded)));
  log->info("finished the interrupted batch: {} records", report.records);
  return arrow::Status::OK();
}

arrow::Result<std::vector<bus::ConsumedMessage>> StreamJob::ReadRanges(const Batch& batch) {
  bus::OffsetMap next;
  for (const auto& [partition, part] : batch.parts) {
    next[partition] = part.plan.from.at(partition);
    ARROW_RETURN_NOT_OK(consumer_->Seek(partition, next[partition]));
  }
  auto pending = [&] {
    for (const auto& [partition, part] : batch.parts) {
      if (next[partition] < part.plan.to.at(partition)) return true;
    }
    return false;
  };
  std::vector<bus::ConsumedMessage> messages;
  auto last_progress = std::chrono::steady_clock::now();
  while (pending()) {
    ARROW_ASSIGN_OR_RAISE(auto polled,
                          consumer_->Poll(options_.max_batch, std::chrono::milliseconds(200)));
    for (auto& message : polled) {
      const auto part = batch.parts.find(message.partition);
      if (part == batch.parts.end() || message.offset < next[message.partition] ||
          message.offset >= part->second.plan.to.at(message.partition)) {
        continue;
      }
      next[message.partition] = bus::Offset{message.offset.value + 1};
      messages.push_back(std::move(message));
      last_progress = std::chrono::steady_clock::now();
    }
    if (std::chrono::steady_clock::now() - last_progress > kRangeReadPatience) {
      std::string ranges;
      for (const auto& [partition, part] : batch.parts) {
        ranges += fmt::format(" {}:[{},{})", partition.value, part.plan.from.at(partition).value,
                              part.plan.to.at(partition).value);
      }
      return arrow::Status::IOError(
          "the bus no longer has every record of the interrupted "
          "batch (partition:[from,to)",
          ranges, "): were they removed by retention?");
    }
  }
  for (const auto& [partition, task] : tasks_) {
    const auto part = batch.parts.find(partition);
    ARROW_RETURN_NOT_OK(consumer_->Seek(partition, part == batch.parts.end()
                                                       ? task->position
                                                       : part->second.plan.to.at(partition)));
  }
  return messages;
}

arrow::Result<std::vector<DecodedRecord>> StreamJob::Decode(
    const std::vector<bus::ConsumedMessage>& messages) {
  ARROW_ASSIGN_OR_RAISE(auto decoded, workers_->Run(messages));
  if (live_view_) {
    const Timestamp now = SystemClock::Instance().Now();
    for (const auto& record : decoded) {
      const auto* post = std::get_if<Post>(&record.record);
      if (post == nullptr) continue;
      live_view_->Add(post->created_at, post->hashtags);
      if (post->ingested_at != Timestamp{}) live_latencies_.push_back(now - post->ingested_at);
    }
  }
  return decoded;
}

arrow::Result<BatchReport> StreamJob::RunBatch(std::chrono::milliseconds poll_timeout,
                                               std::chrono::milliseconds gather) {
  bool changed;
  ARROW_RETURN_NOT_OK(SyncAssignment(&changed));
  // Records are decoded and shown live as they arrive; the batch commits them together.
  std::vector<bus::ConsumedMessage> messages;
  std::vector<DecodedRecord> decoded;
  const auto deadline = std::chrono::steady_clock::now() + gather;
  // With a batch committing, an idle bus should not keep it waiting.
  auto timeout = pending_ ? std::min(poll_timeout, kGatherPoll) : poll_timeout;
  while (messages.size() < options_.max_batch) {
    ARROW_ASSIGN_OR_RAISE(auto polled, consumer_->Poll(options_.max_batch - messages.size(),
                                                       timeout));
    if (!polled.empty()) {
      ARROW_ASSIGN_OR_RAISE(auto more, Decode(polled));
      for (auto& m : polled) messages.push_back(std::move(m));
      for (auto& d : more) decoded.push_back(std::move(d));
    }
    if (messages.empty()) break;  // nothing within poll_timeout
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (polled.empty() && left <= std::chrono::milliseconds(0)) break;
    timeout = std::clamp(left, std::chrono::milliseconds(0), kGatherPoll);
  }
  // A rebalance during the poll: take on the new partitions first, and read again.
  ARROW_RETURN_NOT_OK(SyncAssignment(&changed));
  if (changed) return BatchReport{};
  // The previous batch's commits ran while this one gathered; it must be done before
  // this one is planned (recovery replays only the newest plan of a partition).
  ARROW_ASSIGN_OR_RAISE(auto finished, FinishPending());
  if (messages.empty()) return finished;

  Batch batch;
  for (const auto& [partition, task] : tasks_) {
    Batch::Part part;
    part.plan.batch_id = task->next_batch;
    part.plan.from[partition] = task->position;
    part.plan.to[partition] = task->position;
    batch.parts.emplace(partition, std::move(part));
  }
  for (const auto& message : messages) {
    auto& to = batch.parts.at(message.partition).plan.to[message.partition];
    to = std::max(to, bus::Offset{message.offset.value + 1});
  }
  ARROW_RETURN_NOT_OK(WritePlans(batch));
  ARROW_ASSIGN_OR_RAISE(auto report, Execute(batch, messages, std::move(decoded)));
  if (options_.pipeline_commits) {  // what finished here is the previous batch
    report.lake_latencies = std::move(finished.lake_latencies);
    report.duration = finished.duration;
  }
  return report;
}

arrow::Status StreamJob::WritePlans(Batch& batch) {
  std::map<bus::PartitionId, int64_t> members;
  for (const auto& [partition, part] : batch.parts) members[partition] = part.plan.batch_id;
  for (auto& [partition, part] : batch.parts) {
    part.plan.members = members;
    ARROW_RETURN_NOT_OK(tasks_.at(partition)->checkpoint.WritePlan(part.plan));
  }
  return arrow::Status::OK();
}

arrow::Result<BatchReport> StreamJob::CloseAllWindows() {
  bool changed;
  ARROW_RETURN_NOT_OK(SyncAssignment(&changed));
  ARROW_RETURN_NOT_OK(FinishPending().status());
  if (open_windows() == 0) return BatchReport{};
  Batch batch;
  batch.close_all = true;
  for (const auto& [partition, task] : tasks_) {
    Batch::Part part;
    part.plan.batch_id = task->next_batch;
    part.plan.from[partition] = task->position;
    part.plan.to[partition] = task->position;
    part.plan.close_all = true;
    batch.parts.emplace(partition, std::move(part));
  }
  ARROW_RETURN_NOT_OK(WritePlans(batch));
  ARROW_ASSIGN_OR_RAISE(auto report, Execute(batch, {}, {}));
  ARROW_ASSIGN_OR_RAISE(auto finished, FinishPending());  // bounded input: done now
  report.lake_latencies = std::move(finished.lake_latencies);
  return report;
}

arrow::Result<std::optional<Timestamp>> StreamJob::EventTimeFrontier(const Batch& batch) {
  // Spark's watermark is the largest event time seen. Read as is, a backlog read faster on
  // one partition than another would make the slower partition's posts late; so a
  // partition that still has records behind holds the frontier at its own progress, and
  // partitions that are caught up do not hold it back.
  ARROW_ASSIGN_OR_RAISE(auto ends, consumer_->EndOffsetsEstimate());
  std::optional<Timestamp> newest, slowest_backlog;
  for (const auto& [partition, task] : tasks_) {
    const auto part = batch.parts.find(partition);
    const bus::Offset read =
        part == batch.parts.end() ? task->position : part->second.plan.to.at(partition);
    const auto end = ends.find(partition);
    const bool backlog = end != ends.end() && end->second > read;
    if (!task->windows.has_events()) {
      if (backlog) return std::nullopt;  // its first events may be old: close nothing yet
      continue;
    }
    const Timestamp seen = task->windows.max_event_time();
    newest = std::max(newest.value_or(seen), seen);
    if (backlog) slowest_backlog = std::min(slowest_backlog.value_or(seen), seen);
  }
  if (batch.close_all) return newest;
  return slowest_backlog ? slowest_backlog : newest;
}

arrow::Result<BatchReport> StreamJob::Execute(Batch& batch,
                                              const std::vector<bus::ConsumedMessage>& messages,
                                              std::vector<DecodedRecord> decoded) {
  const auto started = std::chrono::steady_clock::now();
  BatchReport report;
  report.records = static_cast<int64_t>(messages.size());

  // Rows and window state, per partition.
  std::map<bus::PartitionId, PostsBuilder> posts;
  std::map<bus::PartitionId, RejectedBuilder> rejected;
  const int64_t late_before = late_records();
  for (size_t i = 0; i < decoded.size(); ++i) {
    const bus::PartitionId partition = messages[i].partition;
    const BusPosition position{partition.value, messages[i].offset.value};
    if (auto* post = std::get_if<Post>(&decoded[i].record)) {
      ARROW_RETURN_NOT_OK(posts[partition].Append(*post, decoded[i].tokens, position));
      tasks_.at(partition)->windows.Add(
          {post->created_at, &post->hashtags, post->country_code, post->region, post->lang});
    } else {
      ARROW_RETURN_NOT_OK(
          rejected[partition].Append(std::get<Rejected>(decoded[i].record), position));
    }
    ++(std::holds_alternative<Post>(decoded[i].record) ? report.posts : report.rejected);
  }
  report.late = late_records() - late_before;

  // Windows close at the instance's watermark (or, replaying, where the first run closed).
  ARROW_ASSIGN_OR_RAISE(auto frontier, EventTimeFrontier(batch));
  std::optional<Timestamp> close_point;
  if (frontier) {
    close_point = batch.close_all ? *frontier + options_.window : *frontier - options_.watermark;
    watermark_ = std::max(watermark_, *frontier - options_.watermark);
  }
  for (auto& [partition, part] : batch.parts) {
    auto& task = *tasks_.at(partition);
    if (!batch.replay) {
      for (TableSink* sink : Sinks()) part.pending.insert(sink);
    }
    if (const auto point = part.close_point ? part.close_point : close_point) {
      part.closed = task.windows.CloseUpTo(*point);
    }
    ARROW_ASSIGN_OR_RAISE(part.posts, posts[partition].Finish());
    ARROW_ASSIGN_OR_RAISE(part.rejected, rejected[partition].Finish());
    ARROW_RETURN_NOT_OK(task.checkpoint.WriteState(part.plan.batch_id, task.windows.Serialize()));
  }

  // Per table: the partitions that lack this batch, their rows, one commit with their txns.
  auto pending = std::make_unique<PendingCommit>();
  pending->started = started;
  for (const auto& [partition, part] : batch.parts) pending->plans.emplace(partition, part.plan);
  std::string& info = pending->info;
  {
    // {"batch":{"0":7},"from":{"0":120},"to":{"0":180},"close_all":false}
    JsonWriter w(&info);
    auto per_partition = [&](const char* key, auto value_of) {
      w.Key(key);
      w.BeginObject();
      for (const auto& [partition, part] : batch.parts) {
        w.Key(std::to_string(partition.value));
        w.Int(value_of(partition, part.plan));
      }
      w.EndObject();
    };
    w.BeginObject();
    per_partition("batch", [](bus::PartitionId, const BatchPlan& p) { return p.batch_id; });
    per_partition("from", [](bus::PartitionId id, const BatchPlan& p) { return p.from.at(id).value; });
    per_partition("to", [](bus::PartitionId id, const BatchPlan& p) { return p.to.at(id).value; });
    w.Key("close_all");
    w.Bool(batch.close_all);
    w.EndObject();
  }
  using Output = PendingCommit::Output;
  std::vector<Output>& outputs = pending->outputs;
  std::set<int64_t> closed_starts;
  auto add_output = [&](TableSink* sink, auto make_rows) -> arrow::Status {
    if (sink == nullptr) return arrow::Status::OK();
    Output out{sink, {}, nullptr};
    std::vector<const Batch::Part*> parts;
    for (const auto& [partition, part] : batch.parts) {
      if (!part.pending.count(sink)) continue;
      out.batches[partition] = part.plan.batch_id;
      parts.push_back(&part);
    }
    if (parts.empty()) return arrow::Status::OK();
    ARROW_ASSIGN_OR_RAISE(out.rows, make_rows(parts));
    if (out.rows->num_rows() > 0) outputs.push_back(std::move(out));
    return arrow::Status::OK();
  };
  auto concatenated = [](auto member) {
    return [member](const std::vector<const Batch::Part*>& parts)
               -> arrow::Result<std::shared_ptr<arrow::Table>> {
      std::vector<std::shared_ptr<arrow::Table>> tables;
      for (const auto* part : parts) tables.push_back(part->*member);
      return arrow::ConcatenateTables(tables);
    };
  };
  auto windows_of = [&](auto make_table) {
    return [&, make_table](const std::vector<const Batch::Part*>& parts) {
      std::vector<const std::vector<ClosedWindow>*> closed;
      for (const auto* part : parts) closed.push_back(&part->closed);
      const auto merged = MergeClosedWindows(closed);
      for (const auto& window : merged) closed_starts.insert(ToMicros(window.start));
      return make_table(merged);
    };
  };
  const int top_k = options_.top_k;
  ARROW_RETURN_NOT_OK(add_output(sinks_.posts.get(), concatenated(&Batch::Part::posts)));
  ARROW_RETURN_NOT_OK(add_output(sinks_.rejected.get(), concatenated(&Batch::Part::rejected)));
  ARROW_RETURN_NOT_OK(add_output(sinks_.hashtag_counts.get(), windows_of([top_k](const auto& w) {
                                   return HashtagCountsTable(w, top_k);
                                 })));
  ARROW_RETURN_NOT_OK(
      add_output(sinks_.area_hashtag_counts.get(),
                 windows_of([top_k](const auto& w) { return AreaHashtagCountsTable(w, top_k); })));
  ARROW_RETURN_NOT_OK(add_output(sinks_.language_counts.get(),
                                 windows_of([](const auto& w) { return LanguageCountsTable(w); })));
  ARROW_RETURN_NOT_OK(add_output(sinks_.window_stats.get(),
                                 windows_of([](const auto& w) { return WindowStatsTable(w); })));
  report.closed_windows = static_cast<int64_t>(closed_starts.size());

  for (const auto& record : decoded) {
    const auto* post = std::get_if<Post>(&record.record);
    if (post != nullptr && post->ingested_at != Timestamp{}) {
      pending->ingested.push_back(post->ingested_at);
    }
  }
  report.live_latencies = std::move(live_latencies_);
  live_latencies_.clear();
  report.batch_id = batches_++;
  report.watermark = watermark();

  // The tables are independent (each has its own txn versions), so their commits run at
  // once: a batch costs one commit latency, not one per table.
  for (const auto& out : pending->outputs) {
    pending->commits.push_back(std::async(std::launch::async, [&out, &info] {
      return out.sink->Commit(out.batches, out.rows, info);
    }));
  }
  pending_ = std::move(pending);
  if (options_.pipeline_commits) return report;
  ARROW_ASSIGN_OR_RAISE(auto finished, FinishPending());
  report.lake_latencies = std::move(finished.lake_latencies);
  report.duration = finished.duration;
  return report;
}

arrow::Result<BatchReport> StreamJob::FinishPending() {
  BatchReport report;
  if (!pending_) return report;
  // Whatever happens, this batch is done here: on failure the job must restart (and
  // replay it from the checkpoint), not finish it twice.
  const std::unique_ptr<PendingCommit> pending = std::move(pending_);
  arrow::Status committed;
  for (auto& commit : pending->commits) committed &= commit.get();
  ARROW_RETURN_NOT_OK(committed);
  const Timestamp visible = SystemClock::Instance().Now();
  for (const Timestamp ingested : pending->ingested) {
    report.lake_latencies.push_back(visible - ingested);
  }

  bus::OffsetMap done;
  for (const auto& [partition, plan] : pending->plans) done[partition] = plan.to.at(partition);
  ARROW_RETURN_NOT_OK(consumer_->Commit(done));
  for (const auto& [partition, plan] : pending->plans) {
    auto& task = *tasks_.at(partition);
    ARROW_RETURN_NOT_OK(task.checkpoint.WriteCommit(plan.batch_id));
    ARROW_RETURN_NOT_OK(task.checkpoint.Prune(plan.batch_id - kKeptBatches));
    task.position = plan.to.at(partition);
    task.next_batch = plan.batch_id + 1;
  }
  report.watermark = watermark();
  report.duration = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - pending->started);
  return report;
}

arrow::Result<BatchReport> StreamJob::Flush() { return FinishPending(); }

bus::OffsetMap StreamJob::positions() const {
  bus::OffsetMap out;
  for (const auto& [partition, task] : tasks_) out[partition] = task->position;
  return out;
}

Timestamp StreamJob::watermark() const { return watermark_; }

int64_t StreamJob::late_records() const {
  int64_t late = 0;
  for (const auto& [partition, task] : tasks_) late += task->windows.late_records();
  return late;
}

std::size_t StreamJob::state_keys() const {
  std::size_t keys = 0;
  for (const auto& [partition, task] : tasks_) keys += task->windows.state_keys();
  return keys;
}

std::size_t StreamJob::open_windows() const {
  std::size_t open = 0;
  for (const auto& [partition, task] : tasks_) open += task->windows.open_windows();
  return open;
}

arrow::Result<bus::OffsetMap> StreamJob::LagByPartition(bool exact) {
  ARROW_ASSIGN_OR_RAISE(auto ends,
                        exact ? consumer_->EndOffsets() : consumer_->EndOffsetsEstimate());
  bus::OffsetMap lag;
  for (const auto& [partition, task] : tasks_) {
    const auto end = ends.find(partition);
    const int64_t behind = end == ends.end() ? 0 : end->second.value - task->position.value;
    lag[partition] = bus::Offset{std::max<int64_t>(0, behind)};
  }
  return lag;
}

}  // namespace hashlake::stream
