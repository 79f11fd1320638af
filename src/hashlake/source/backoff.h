#pragma once

#include <condition_variable>
#include <mutex>
#include <vector>

#include "hashlake/core/time.h"

namespace hashlake::source {

/// Waits on behalf of reconnect loops. Injected so that tests run reconnect schedules on
/// a ManualClock without sleeping. Implementations are thread-safe.
class Sleeper {
 public:
  virtual ~Sleeper() = default;
  /// Waits `d`, or less once Interrupt() is called. Returns false when interrupted (then
  /// every later call returns false at once).
  virtual bool SleepFor(Micros d) = 0;
  /// Ends the current and every later wait. Thread-safe.
  virtual void Interrupt() = 0;
};

/// Sleeps on the steady clock.
class RealSleeper final : public Sleeper {
 public:
  bool SleepFor(Micros d) override;
  void Interrupt() override;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool interrupted_ = false;
};

/// Does not wait: advances `clock` (not owned) by each duration and records it.
class ManualClockSleeper final : public Sleeper {
 public:
  explicit ManualClockSleeper(ManualClock* clock) : clock_(clock) {}
  bool SleepFor(Micros d) override;
  void Interrupt() override;
  /// Every duration asked for, in order.
  std::vector<Micros> slept() const;

 private:
  ManualClock* clock_;
  mutable std::mutex mu_;
  std::vector<Micros> slept_;
  bool interrupted_ = false;
};

/// One backoff schedule: delay(k) for the k-th consecutive failure (k = 0, 1, ...).
/// Linear: first + k·step; exponential: first · 2^k; both capped at `max`.
/// Not thread-safe (owned by one reconnect loop).
class Backoff {
 public:
  static Backoff Linear(Micros first, Micros step, Micros max);
  static Backoff Exponential(Micros first, Micros max);

  /// The delay before the next attempt; advances the schedule.
  Micros Next();
  /// Back to the first delay (after a successful connection).
  void Reset() { failures_ = 0; }
  int failures() const { return failures_; }

 private:
  Backoff(bool linear, Micros first, Micros step, Micros max)
      : linear_(linear), first_(first), step_(step), max_(max) {}
  bool linear_;
  Micros first_, step_, max_;
  int failures_ = 0;
};

/// Why a connection attempt (or an established connection) ended.
enum class Failure {
  kDropped,      ///< An established stream ended (server close, stall, in-stream error).
  kNetwork,      ///< Connecting failed: DNS, TCP, TLS, or no HTTP response.
  kHttp,         ///< The server answered with an HTTP error status (not 429).
  kRateLimited,  ///< HTTP 429 (or 420, X v1.1's "enhance your calm").
};

/// Parameters of ReconnectPolicy. Defaults are X's documented schedule
/// (docs.x.com/x-api/fundamentals/handling-disconnections): network errors back off
/// linearly by 250 ms up to 16 s; HTTP errors exponentially from 5 s up to 320 s; 429
/// exponentially from 1 min. X states no cap for 429: we stop doubling at 15 min, the
/// length of X's rate-limit window.
struct ReconnectSchedule {
  Micros network_step = std::chrono::milliseconds(250);
  Micros network_max = std::chrono::seconds(16);
  Micros http_first = std::chrono::seconds(5);
  Micros http_max = std::chrono::seconds(320);
  Micros rate_limit_first = std::chrono::minutes(1);
  Micros rate_limit_max = std::chrono::minutes(15);
};

/// Delays between reconnect attempts. An established connection that drops is retried
/// at once (delay 0); a failing attempt then backs off on the schedule of its failure
/// kind; a successful connection (HTTP 2xx / WebSocket open) resets every schedule.
/// Not thread-safe (owned by one reconnect loop).
class ReconnectPolicy {
 public:
  explicit ReconnectPolicy(const ReconnectSchedule& schedule = {});
  /// Call when a connection is established.
  void OnConnected();
  /// The delay before reconnecting after `failure`.
  Micros NextDelay(Failure failure);

 private:
  Backoff network_, http_, rate_limit_;
};

}  // namespace hashlake::source
