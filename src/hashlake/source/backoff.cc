#include "hashlake/source/backoff.h"

#include <algorithm>

namespace hashlake::source {

bool RealSleeper::SleepFor(Micros d) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, d, [&] { return interrupted_; });
  return !interrupted_;
}

void RealSleeper::Interrupt() {
  {
    std::lock_guard lock(mu_);
    interrupted_ = true;
  }
  cv_.notify_all();
}

bool ManualClockSleeper::SleepFor(Micros d) {
  std::lock_guard lock(mu_);
  if (interrupted_) return false;
  slept_.push_back(d);
  clock_->Advance(d);
  return true;
}

void ManualClockSleeper::Interrupt() {
  std::lock_guard lock(mu_);
  interrupted_ = true;
}

std::vector<Micros> ManualClockSleeper::slept() const {
  std::lock_guard lock(mu_);
  return slept_;
}

Backoff Backoff::Linear(Micros first, Micros step, Micros max) {
  return Backoff(true, first, step, max);
}

Backoff Backoff::Exponential(Micros first, Micros max) { return Backoff(false, first, {}, max); }

Micros Backoff::Next() {
  Micros delay = first_;
  if (linear_) {
    delay = first_ + step_ * failures_;
  } else {
    // Doubling stops once past the cap, so the shift never overflows.
    for (int i = 0; i < failures_ && delay < max_; ++i) delay *= 2;
  }
  ++failures_;
  return std::min(delay, max_);
}

ReconnectPolicy::ReconnectPolicy(const ReconnectSchedule& s)
    : network_(Backoff::Linear(s.network_step, s.network_step, s.network_max)),
      http_(Backoff::Exponential(s.http_first, s.http_max)),
      rate_limit_(Backoff::Exponential(s.rate_limit_first, s.rate_limit_max)) {}

void ReconnectPolicy::OnConnected() {
  network_.Reset();
  http_.Reset();
  rate_limit_.Reset();
}

Micros ReconnectPolicy::NextDelay(Failure failure) {
  switch (failure) {
    case Failure::kDropped:
      return Micros{0};
    case Failure::kNetwork:
      return network_.Next();
    case Failure::kHttp:
      return http_.Next();
    case Failure::kRateLimited:
      return rate_limit_.Next();
  }
  return Micros{0};
}

}  // namespace hashlake::source
