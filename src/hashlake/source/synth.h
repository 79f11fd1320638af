#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <arrow/result.h>

#include "hashlake/source/source.h"
#include "hashlake/source/synth_model.h"

namespace hashlake::source {

/// A synthetic, deterministic feed (see SynthModel): Zipf-distributed hashtags whose
/// popularity drifts, topic-mixture texts, Zipf authors, languages, geo shares.
/// Paced at `rate` posts per wall second. Never finishes.
/// One thread calls Poll; Stop and Stats are thread-safe.
class SynthSource final : public Source {
 public:
  /// `clock` (not owned; nullptr = system clock) stamps ingested_at.
  static arrow::Result<std::unique_ptr<SynthSource>> Make(SynthOptions options,
                                                          const Clock* clock = nullptr);

  arrow::Status Poll(std::vector<Record>* out, std::size_t max_records,
                     std::chrono::milliseconds timeout) override;
  bool Finished() const override { return false; }
  void Stop() override;
  std::string Describe() const override;
  SourceStats Stats() const override;

  /// The generator, e.g. for the true topic mixture of a post (tests of LDA).
  const SynthModel& model() const { return *model_; }

 private:
  SynthSource(std::unique_ptr<SynthModel> model, const Clock* clock);

  std::unique_ptr<SynthModel> model_;
  const Clock* clock_;
  uint64_t next_index_ = 0;
  std::optional<std::chrono::steady_clock::time_point> wall_start_;  // set by the first Poll

  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> posts_{0};
};

}  // namespace hashlake::source
