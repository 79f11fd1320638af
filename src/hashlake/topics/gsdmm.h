#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <arrow/result.h>
#include <arrow/status.h>

#include "hashlake/topics/corpus.h"
#include "hashlake/topics/topic_model.h"

namespace hashlake::topics {

/// Parameters of the Dirichlet Multinomial Mixture. Defaults are Yin & Wang's (KDD 2014).
struct GsdmmOptions {
  int32_t num_clusters = 40;  ///< K, an upper bound: GSDMM empties the clusters it needs not
  double alpha = 0.1;
  double beta = 0.1;
  uint64_t seed = 1;
};

/// GSDMM (Yin & Wang 2014): collapsed Gibbs sampling of one cluster per document, for
/// short texts where a topic per token has too little context. Each sweep resamples every
/// document's cluster from
///   p(z_d = k) ∝ (m_k + alpha) prod_w prod_{j<N_dw} (n_kw + beta + j)
///                / prod_{i<N_d} (n_k + V beta + i),
/// computed in log space (long pooled documents do not underflow).
/// Sequential by design (each move changes the counts the next document reads): cost
/// O(K x tokens) per sweep, memory O(tokens + V x K). The corpus must outlive the sampler.
class GsdmmSampler {
 public:
  /// Errors (Invalid): K < 1, K > vocabulary size, alpha/beta <= 0, no tokens.
  static arrow::Result<std::unique_ptr<GsdmmSampler>> Make(const Corpus& corpus,
                                                           const GsdmmOptions& options);
  void Iterate();
  /// Documents that changed cluster in the last sweep.
  int64_t last_moves() const { return last_moves_; }
  int32_t NonEmptyClusters() const;
  const std::vector<int32_t>& clusters() const { return z_; }
  arrow::Status CheckInvariants() const;
  TopicModel ToModel() const;

 private:
  GsdmmSampler(const Corpus& corpus, const GsdmmOptions& options);
  void Move(int64_t d, int32_t k, int32_t sign);

  const Corpus& corpus_;
  GsdmmOptions options_;
  int32_t k_;
  int32_t v_;
  int32_t iterations_ = 0;
  int64_t last_moves_ = 0;
  std::vector<int32_t> z_;            // cluster per document
  std::vector<int32_t> word_topic_;   // V x K
  std::vector<int64_t> topic_totals_; // tokens per cluster
  std::vector<int64_t> cluster_docs_; // documents per cluster
};

/// Posterior cluster probabilities of a document under a GSDMM model (the model's counts
/// held fixed). Unknown ids must be filtered out before.
std::vector<double> GsdmmPosterior(const TopicModel& model, std::span<const int32_t> doc);

}  // namespace hashlake::topics
