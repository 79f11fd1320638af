#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "hashlake/core/time.h"
#include "hashlake/source/backoff.h"
#include "hashlake/source/http_stream_client.h"
#include "hashlake/source/payload_decoder.h"
#include "hashlake/source/recent_set.h"
#include "hashlake/source/source.h"

namespace hashlake::source {

/// What the reconnect loop did, for logs, probes and tests.
struct ConnectionEvent {
  enum class Kind {
    kAttempt,  ///< About to connect.
    kEnded,    ///< A connection (or attempt) ended; `end`, `http_status`, `message` say how.
    kWaiting,  ///< Backing off for `delay` before the next attempt.
    kFatal,    ///< Giving up; `message` is the error Poll returns.
  };
  Kind kind = Kind::kAttempt;
  Timestamp at;  ///< The injected clock's time.
  StreamEnd end = StreamEnd::kClosed;
  bool established = false;
  int http_status = 0;
  Micros delay{0};
  std::string message;
};

/// Options every live source shares. Plain struct; defaults per field.
struct LiveOptions {
  /// connect: DNS+TCP+TLS+response head; idle: no byte for this long = a stall (then
  /// reconnect). X sends a keep-alive at least every 20 s, so 20 s is X's default.
  StreamTimeouts timeouts;
  /// Backoff between reconnects (X's documented schedule by default).
  ReconnectSchedule reconnect;
  /// Records decoded but not yet polled; the connection stops reading when full.
  std::size_t queue_capacity = 100'000;
  /// How many recent post ids (and Jetstream event keys) are remembered to drop duplicates.
  std::size_t dedup_capacity = 100'000;
  /// A bigger message (line, event, WebSocket message) is a dead letter ("oversized record").
  std::size_t max_message_bytes = 1 << 20;
  /// Stamps ingested_at, Rejected::at and events. Not owned; nullptr = system clock.
  const Clock* clock = nullptr;
  /// Waits between reconnects. Not owned; nullptr = real sleeping.
  Sleeper* sleeper = nullptr;
  /// Called on the connection thread for every ConnectionEvent; may be empty.
  std::function<void(const ConnectionEvent&)> on_event;
};

/// Counters of the connection loop, beyond SourceStats.
struct LiveStats {
  uint64_t attempts = 0;        ///< Connection attempts.
  uint64_t connects = 0;        ///< Attempts that got a 2xx / WebSocket upgrade.
  uint64_t stalls = 0;          ///< Connections ended by the idle (stall) timeout.
  uint64_t network_errors = 0;  ///< Attempts failed below HTTP.
  uint64_t http_errors = 0;     ///< Non-2xx answers (429 included).
  uint64_t rate_limited = 0;    ///< HTTP 429 / 420 answers.
  uint64_t keepalives = 0;      ///< Blank keep-alive lines, SSE comments.
  uint64_t duplicates = 0;      ///< Posts / events dropped as already emitted.
  uint64_t deletes = 0;         ///< Deletion events (Mastodon `delete`).
  uint64_t truncated = 0;       ///< Messages cut by a disconnect (rejected).
  int64_t cursor_us = 0;        ///< Jetstream: the last time_us seen (0 = none).
};

/// The machinery of a live source: a connection thread running a reconnect loop
/// (ReconnectPolicy, injected Sleeper), a bounded queue that Poll drains, de-duplication
/// of posts by id, and the Source bookkeeping. Subclasses implement one connection.
///
/// Threads: the connection thread runs RunSession and everything it calls; Poll is
/// called by one consumer thread; Stop, Stats and live_stats are thread-safe.
/// Subclasses must call StopAndJoin() first thing in their destructor.
class LiveSource : public Source {
 public:
  ~LiveSource() override;

  arrow::Status Poll(std::vector<Record>* out, std::size_t max_records,
                     std::chrono::milliseconds timeout) override;
  /// True after a fatal error (once drained) or after Stop.
  bool Finished() const override;
  void Stop() override;
  SourceStats Stats() const override;
  LiveStats live_stats() const;

 protected:
  explicit LiveSource(LiveOptions options);

  /// Runs one connection; blocks until it ends. Called on the connection thread.
  virtual StreamResult RunSession(StreamCanceller* canceller) = 0;
  /// The error that ends the source for `result` (bad credentials), or OK to retry.
  virtual arrow::Status CheckFatal(const StreamResult& result) = 0;

  /// Starts the connection thread (at the end of the subclass's Make).
  void Start();
  void StopAndJoin();

  /// Decodes one payload and queues its records (duplicates of recent post ids dropped).
  /// Returns false when stopping. Connection thread only.
  bool DecodeAndEmit(std::string_view payload, bool truncated = false);
  /// Queues a dead letter. Connection thread only.
  bool EmitRejected(std::string reason, std::string_view payload);

  const Clock* clock() const { return clock_; }
  const LiveOptions& live_options() const { return options_; }
  RecentSet& recent_events() { return recent_events_; }

  std::atomic<uint64_t> bytes_{0};
  std::atomic<uint64_t> skipped_{0};
  std::atomic<uint64_t> keepalives_{0}, duplicates_{0}, deletes_{0}, truncated_{0};
  std::atomic<int64_t> cursor_us_{0};

 private:
  void Run();
  bool Emit(std::vector<Record>* batch);
  void Notify(ConnectionEvent event);

  LiveOptions options_;
  const Clock* clock_;
  RealSleeper real_sleeper_;
  Sleeper* sleeper_;
  StreamCanceller canceller_;
  PayloadDecoder decoder_;       // connection thread only
  RecentSet recent_posts_;       // connection thread only
  RecentSet recent_events_;      // connection thread only
  std::vector<Record> scratch_;  // connection thread only

  mutable std::mutex mu_;
  std::condition_variable ready_cv_, space_cv_;
  std::deque<Record> queue_;
  arrow::Status fatal_;
  bool fatal_reported_ = false;
  bool worker_done_ = false;
  std::atomic<bool> stop_{false};
  std::thread worker_;

  std::atomic<uint64_t> posts_{0}, rejected_{0};
  std::atomic<uint64_t> attempts_{0}, connects_{0}, stalls_{0}, network_errors_{0}, http_errors_{0},
      rate_limited_{0};
};

}  // namespace hashlake::source
