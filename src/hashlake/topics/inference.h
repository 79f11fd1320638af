#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include <arrow/result.h>

#include "hashlake/topics/corpus.h"
#include "hashlake/topics/topic_model.h"

namespace hashlake::topics {

/// Fold-in settings: the model's topics stay fixed, only the document's assignments move.
struct InferOptions {
  int32_t iterations = 50;  ///< Gibbs sweeps over the document
  int32_t burn_in = 10;     ///< sweeps before theta samples are averaged
  uint64_t seed = 1;
};

/// The topic distribution theta of one document (word ids of the model's vocabulary).
/// LDA: Gibbs fold-in with phi fixed, theta averaged over the post-burn-in sweeps; the
/// generator is seeded by (options.seed, doc_key), so results do not depend on threads.
/// GSDMM: the exact cluster posterior. An empty document gives the normalized alpha.
std::vector<double> InferDocTopics(const TopicModel& model, std::span<const int32_t> doc,
                                   const InferOptions& options, uint64_t doc_key);

/// theta for every document of `corpus` (which must use the model's vocabulary ids), in
/// parallel with oneTBB; row-major D x K.
std::vector<double> InferCorpus(const TopicModel& model, const Corpus& corpus,
                                const InferOptions& options);

/// Held-out perplexity by document completion (Wallach et al. 2009): each test document's
/// tokens at even positions are folded in to estimate theta, the tokens at odd positions
/// are scored by log sum_k theta_k phi_kw; perplexity = exp(-sum log p / scored tokens).
/// Documents with fewer than 2 tokens are skipped. Invalid when nothing can be scored.
arrow::Result<double> DocumentCompletionPerplexity(const TopicModel& model, const Corpus& test,
                                                   const InferOptions& options);

/// Fraction of distinct words among the top-`top_n` words of all topics (Dieng et al.
/// 2020): 1 = no two topics share a top word.
double TopicDiversity(const TopicModel& model, int32_t top_n = 25);

}  // namespace hashlake::topics
