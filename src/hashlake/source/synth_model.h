#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <arrow/result.h>

#include "hashlake/core/post.h"

namespace hashlake::source {

/// What the synthetic feed looks like. Plain struct; every field has its default.
struct SynthOptions {
  uint64_t seed = 42;
  /// Posts per wall-clock second; 0 = as fast as Poll is called.
  double rate = 100.0;
  /// Event time of post 0. Default 2026-01-01T00:00:00Z (SynthSource::Make with
  /// `start_now` uses the clock instead).
  Timestamp start = FromMicros(1'767'225'600'000'000);
  /// Simulated seconds per wall second: post i is created at about
  /// start + i * event_speed / rate (rate 0 counts as kNominalRate for event time).
  double event_speed = 1.0;
  /// Hashtag vocabulary size and the Zipf exponent of their base popularity.
  std::size_t hashtags = 2000;
  double hashtag_zipf = 1.1;
  /// Trend strength: each hashtag's weight is multiplied by exp(drift * sin(2πt/P + φ))
  /// with its own period P in [drift_min_period, drift_max_period] of event time and
  /// phase φ. 0 keeps popularity fixed.
  double drift = 1.5;
  std::chrono::seconds drift_min_period{300};
  std::chrono::seconds drift_max_period{1800};
  /// Topics (at most 8 have built-in vocabularies; more reuse them with a suffix).
  /// Each post mixes 2 topics with Beta(topic_alpha, topic_alpha) weights.
  std::size_t topics = 8;
  double topic_alpha = 0.5;
  /// Authors and the Zipf exponent of how much each posts.
  std::size_t authors = 5000;
  double author_zipf = 1.0;
  /// Shares of posts with exact coordinates, with a place only, with a mention,
  /// with a URL, and that reply to an earlier post.
  double coordinates_share = 0.02;
  double place_share = 0.10;
  double mention_share = 0.15;
  double url_share = 0.08;
  double reply_share = 0.05;

  /// Event-time pace used when rate is 0.
  static constexpr double kNominalRate = 1000.0;
};

/// The generator behind SynthSource: post i is a pure function of (options, i), so the
/// sequence is the same whatever the poll sizes. Thread-safe (an internal cache of
/// hashtag weights is guarded by a mutex).
class SynthModel {
 public:
  static arrow::Result<std::unique_ptr<SynthModel>> Make(SynthOptions options);

  /// Post number `index` (0-based); `ingested_at` is left at its default.
  Post Generate(uint64_t index) const;

  /// Event time of post `index`: non-decreasing in index.
  Timestamp CreatedAt(uint64_t index) const;

  /// The true topic mixture of post `index` (size = options().topics, sums to 1).
  std::vector<double> TopicMixture(uint64_t index) const;

  /// The same for a post id made by this model ("synth-<seed>-<index>").
  arrow::Result<std::vector<double>> TopicMixtureOf(std::string_view post_id) const;

  /// Topic `t`'s word distribution (word, probability), most probable first.
  const std::vector<std::pair<std::string, double>>& TopicWords(std::size_t t) const {
    return topic_words_[t];
  }
  /// Hashtag vocabulary as written in posts ("#" not included), by base rank.
  const std::vector<std::string>& Hashtags() const { return hashtags_; }
  /// The hashtag weights (unnormalized) at event time `t`.
  std::vector<double> HashtagWeightsAt(Timestamp t) const;

  const SynthOptions& options() const { return options_; }
  static std::string PostId(uint64_t seed, uint64_t index);

 private:
  explicit SynthModel(SynthOptions options);
  std::size_t SampleHashtag(Timestamp t, double u) const;

  SynthOptions options_;
  double event_gap_us_;
  std::vector<std::string> hashtags_;
  std::vector<double> hashtag_base_;     // Zipf weight per hashtag
  std::vector<double> hashtag_period_s_;
  std::vector<double> hashtag_phase_;
  std::vector<std::string> author_handles_;
  std::vector<double> author_cdf_;
  std::vector<std::vector<std::pair<std::string, double>>> topic_words_;
  std::vector<std::vector<double>> topic_cdf_;

  mutable std::mutex cache_mu_;
  mutable int64_t cached_bucket_ = INT64_MIN;  // GUARDED_BY(cache_mu_)
  mutable std::vector<double> cached_cdf_;     // GUARDED_BY(cache_mu_)
};

}  // namespace hashlake::source
