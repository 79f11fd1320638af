#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <arrow/result.h>
#include <arrow/status.h>

#include "hashlake/topics/corpus.h"
#include "hashlake/topics/topic_model.h"

namespace hashlake::topics {

/// Parameters of LDA training. Defaults follow common practice for short documents.
struct LdaOptions {
  int32_t num_topics = 20;        ///< K, 1 <= K <= vocabulary size
  double alpha = 0.1;             ///< symmetric document-topic prior per topic (initial value
                                  ///< when optimize_alpha)
  double beta = 0.01;             ///< symmetric topic-word prior
  int32_t threads = 1;            ///< document partitions sampled in parallel (AD-LDA)
  uint64_t seed = 1;
  int32_t mh_steps = 2;           ///< Metropolis-Hastings cycles (doc + word proposal) per token
  bool optimize_alpha = false;    ///< learn an asymmetric alpha (Minka's fixed point)
  int32_t optimize_interval = 10; ///< iterations between alpha updates
  int32_t burn_in = 20;           ///< iterations before the first alpha update
};

/// Collapsed Gibbs sampling for LDA with LightLDA's Metropolis-Hastings sampler: each token
/// alternates a document proposal (the topic of a random token of the same document, or
/// a draw from alpha; O(1)) and a word proposal (a per-word alias table over
/// (n_wk + beta) / (n_k + V beta) built once per iteration, sparse part + shared dense
/// beta part; O(1)), each accepted with the exact MH ratio against the current counts.
///
/// Parallelism (AD-LDA, Newman et al. 2009): documents are cut into `threads` contiguous
/// partitions of about equal token counts; each samples against its own copy of the
/// word-topic counts and the copies' deltas are summed into the global counts after every
/// iteration. Every partition draws from its own generator seeded by (seed, iteration,
/// partition), so a run is reproducible for a given seed and thread count, whatever the
/// scheduling. With threads = 1 this is exact sequential collapsed Gibbs sampling.
///
/// Memory: the corpus and one topic per token, plus (threads + 1) word x topic count tables
/// and the alias tables (at most one entry per token); never documents x topics.
/// The corpus must outlive the sampler. Not thread-safe: one caller at a time.
class LdaSampler {
 public:
  /// Errors (Invalid): K < 1, K > vocabulary size, alpha/beta <= 0, threads < 1, no tokens.
  static arrow::Result<std::unique_ptr<LdaSampler>> Make(const Corpus& corpus,
                                                         const LdaOptions& options);
  ~LdaSampler();

  /// One sweep over every token (then an alpha update when due).
  void Iterate();

  /// log p(w, z) under the current assignments (Griffiths & Steyvers).
  double LogLikelihood() const;

  /// Recounts the tables from the assignments and compares: Invalid naming the first
  /// mismatch. For tests and debugging.
  arrow::Status CheckInvariants() const;

  /// theta_d = (n_dk + alpha_k) / (n_d + sum alpha).
  std::vector<double> DocTopics(int64_t d) const;
  const std::vector<int32_t>& assignments() const { return z_; }
  const std::vector<double>& alpha() const { return alpha_; }

  TopicModel ToModel() const;

 private:
  struct Partition;
  LdaSampler(const Corpus& corpus, const LdaOptions& options);
  void BuildWordProposals();
  void SamplePartition(Partition& part, uint64_t iteration_seed);
  void OptimizeAlpha();

  const Corpus& corpus_;
  LdaOptions options_;
  int32_t k_;
  int32_t v_;
  std::vector<double> alpha_;
  double alpha_sum_;
  bool symmetric_alpha_;
  int32_t iterations_ = 0;

  std::vector<int32_t> z_;             // topic of each token, aligned with corpus_.tokens
  std::vector<int32_t> word_topic_;    // global V x K (the snapshot during an iteration)
  std::vector<int64_t> topic_totals_;  // global K
  std::vector<std::unique_ptr<Partition>> partitions_;

  // Word proposals: sparse alias tables back to back, plus the shared dense beta part.
  std::vector<int64_t> wp_offsets_;    // V + 1
  std::vector<double> wp_prob_;
  std::vector<int32_t> wp_alias_;
  std::vector<int32_t> wp_topic_;
  std::vector<double> wp_mass_;        // V: sparse mass of each word
  std::vector<double> beta_prob_;
  std::vector<int32_t> beta_alias_;
  double beta_mass_ = 0;
  std::vector<double> alpha_prob_;     // alias table over alpha (asymmetric alpha only)
  std::vector<int32_t> alpha_alias_;
};

}  // namespace hashlake::topics
