#include "hashlake/source/live_source.h"

#include <fmt/format.h>

#include "hashlake/core/logging.h"

namespace hashlake::source {

LiveSource::LiveSource(LiveOptions options)
    : options_(std::move(options)),
      clock_(options_.clock ? options_.clock : &SystemClock::Instance()),
      sleeper_(options_.sleeper ? options_.sleeper : &real_sleeper_),
      decoder_(clock_),
      recent_posts_(options_.dedup_capacity),
      recent_events_(options_.dedup_capacity) {}

LiveSource::~LiveSource() { StopAndJoin(); }

void LiveSource::Start() {
  worker_ = std::thread([this] { Run(); });
}

void LiveSource::StopAndJoin() {
  Stop();
  if (worker_.joinable()) worker_.join();
}

void LiveSource::Stop() {
  stop_ = true;
  canceller_.Cancel();
  sleeper_->Interrupt();
  std::lock_guard lock(mu_);
  ready_cv_.notify_all();
  space_cv_.notify_all();
}

void LiveSource::Notify(ConnectionEvent event) {
  event.at = clock_->Now();
  if (options_.on_event) options_.on_event(event);
}

void LiveSource::Run() {
  auto log = Logger("source");
  ReconnectPolicy policy(options_.reconnect);
  while (!stop_) {
    ++attempts_;
    ConnectionEvent attempt;
    attempt.kind = ConnectionEvent::Kind::kAttempt;
    Notify(std::move(attempt));
    const uint64_t bytes_before = bytes_.load();
    StreamResult r = RunSession(&canceller_);
    if (r.end == StreamEnd::kStopped || stop_) break;
    // An upgrade or 2xx that delivered nothing is no proof of health: back off as for a
    // network error rather than reconnecting in a tight loop.
    const bool healthy = r.established && bytes_.load() > bytes_before;
    if (r.established) ++connects_;
    if (r.end == StreamEnd::kStalled) ++stalls_;
    if (r.end == StreamEnd::kNetworkError) ++network_errors_;
    if (r.end == StreamEnd::kHttpError) ++http_errors_;
    const bool rate_limited = r.http_status == 429 || r.http_status == 420;
    if (rate_limited) ++rate_limited_;
    ConnectionEvent ended;
    ended.kind = ConnectionEvent::Kind::kEnded;
    ended.end = r.end;
    ended.established = r.established;
    ended.http_status = r.http_status;
    ended.message = r.message;
    Notify(std::move(ended));

    arrow::Status fatal = CheckFatal(r);
    if (!fatal.ok()) {
      log->error("{}: {}", Describe(), fatal.message());
      ConnectionEvent event;
      event.kind = ConnectionEvent::Kind::kFatal;
      event.message = fatal.message();
      Notify(std::move(event));
      std::lock_guard lock(mu_);
      fatal_ = std::move(fatal);
      break;
    }
    Failure failure = Failure::kNetwork;
    if (healthy) {
      policy.OnConnected();
      failure = Failure::kDropped;
    } else if (r.end == StreamEnd::kHttpError) {
      failure = rate_limited ? Failure::kRateLimited : Failure::kHttp;
    }
    const Micros delay = policy.NextDelay(failure);
    log->warn("{}: {} ({}); reconnecting in {}", Describe(), StreamEndName(r.end), r.message,
              FormatDuration(delay));
    ConnectionEvent waiting;
    waiting.kind = ConnectionEvent::Kind::kWaiting;
    waiting.delay = delay;
    Notify(std::move(waiting));
    if (!sleeper_->SleepFor(delay)) break;
  }
  std::lock_guard lock(mu_);
  worker_done_ = true;
  ready_cv_.notify_all();
}

bool LiveSource::Emit(std::vector<Record>* batch) {
  std::size_t kept = 0;
  for (Record& record : *batch) {
    if (const Post* post = std::get_if<Post>(&record)) {
      if (!recent_posts_.Insert(post->id)) {
        ++duplicates_;
        continue;
      }
    }
    if (kept != static_cast<std::size_t>(&record - batch->data())) {
      (*batch)[kept] = std::move(record);
    }
    ++kept;
  }
  batch->resize(kept);
  if (batch->empty()) return !stop_;
  std::unique_lock lock(mu_);
  space_cv_.wait(lock, [&] { return queue_.size() < options_.queue_capacity || stop_; });
  if (stop_) return false;
  for (Record& record : *batch) queue_.push_back(std::move(record));
  batch->clear();
  ready_cv_.notify_all();
  return true;
}

bool LiveSource::DecodeAndEmit(std::string_view payload, bool truncated) {
  const DecodeCounts before = decoder_.counts();
  scratch_.clear();
  decoder_.Decode(payload, &scratch_, truncated);
  skipped_ += decoder_.counts().skipped - before.skipped;
  keepalives_ += decoder_.counts().blank - before.blank;
  return Emit(&scratch_);
}

bool LiveSource::EmitRejected(std::string reason, std::string_view payload) {
  scratch_.clear();
  decoder_.Reject(std::move(reason), std::string(payload), &scratch_);
  return Emit(&scratch_);
}

arrow::Status LiveSource::Poll(std::vector<Record>* out, std::size_t max_records,
                               std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  ready_cv_.wait_for(lock, timeout,
                     [&] { return !queue_.empty() || worker_done_ || !fatal_.ok() || stop_; });
  std::size_t n = 0;
  while (n < max_records && !queue_.empty()) {
    Record& record = queue_.front();
    if (std::holds_alternative<Post>(record)) {
      ++posts_;
    } else {
      ++rejected_;
    }
    out->push_back(std::move(record));
    queue_.pop_front();
    ++n;
  }
  if (n > 0) space_cv_.notify_all();
  if (queue_.empty() && !fatal_.ok()) {
    fatal_reported_ = true;
    return fatal_;
  }
  return arrow::Status::OK();
}

bool LiveSource::Finished() const {
  std::lock_guard lock(mu_);
  return queue_.empty() && (fatal_reported_ || (worker_done_ && fatal_.ok()));
}

SourceStats LiveSource::Stats() const {
  SourceStats s;
  s.posts = posts_;
  s.rejected = rejected_;
  s.skipped = skipped_;
  s.bytes = bytes_;
  return s;
}

LiveStats LiveSource::live_stats() const {
  LiveStats s;
  s.attempts = attempts_;
  s.connects = connects_;
  s.stalls = stalls_;
  s.network_errors = network_errors_;
  s.http_errors = http_errors_;
  s.rate_limited = rate_limited_;
  s.keepalives = keepalives_;
  s.duplicates = duplicates_;
  s.deletes = deletes_;
  s.truncated = truncated_;
  s.cursor_us = cursor_us_;
  return s;
}

}  // namespace hashlake::source
