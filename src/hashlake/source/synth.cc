#include "hashlake/source/synth.h"

#include <fmt/format.h>

namespace hashlake::source {

arrow::Result<std::unique_ptr<SynthSource>> SynthSource::Make(SynthOptions options,
                                                              const Clock* clock) {
  ARROW_ASSIGN_OR_RAISE(auto model, SynthModel::Make(options));
  return std::unique_ptr<SynthSource>(
      new SynthSource(std::move(model), clock ? clock : &SystemClock::Instance()));
}

SynthSource::SynthSource(std::unique_ptr<SynthModel> model, const Clock* clock)
    : model_(std::move(model)), clock_(clock) {}

arrow::Status SynthSource::Poll(std::vector<Record>* out, std::size_t max_records,
                                std::chrono::milliseconds timeout) {
  using SteadyClock = std::chrono::steady_clock;
  const auto deadline = SteadyClock::now() + timeout;
  if (!wall_start_) wall_start_ = SteadyClock::now();
  const double rate = model_->options().rate;
  std::size_t produced = 0;
  while (produced < max_records && !stop_.load()) {
    if (rate > 0) {
      // Post i is due at wall_start + i / rate.
      const auto due = *wall_start_ + std::chrono::duration_cast<SteadyClock::duration>(
                                          std::chrono::duration<double>(
                                              static_cast<double>(next_index_) / rate));
      if (due > SteadyClock::now()) {
        if (produced > 0) break;  // hand over what is ready
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait_until(lock, std::min(due, deadline), [this] { return stop_.load(); });
        if (SteadyClock::now() < due) break;  // timed out or stopped
      }
    }
    Post post = model_->Generate(next_index_++);
    post.ingested_at = clock_->Now();
    out->emplace_back(std::in_place_type<Post>, std::move(post));
    ++produced;
    posts_.fetch_add(1);
  }
  return arrow::Status::OK();
}

void SynthSource::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_.store(true);
  }
  cv_.notify_all();
}

std::string SynthSource::Describe() const {
  const SynthOptions& o = model_->options();
  return fmt::format("synth(seed={}, {})", o.seed,
                     o.rate > 0 ? fmt::format("{}/s", o.rate) : std::string("max rate"));
}

SourceStats SynthSource::Stats() const { return SourceStats{posts_.load(), 0, 0, 0}; }

}  // namespace hashlake::source
