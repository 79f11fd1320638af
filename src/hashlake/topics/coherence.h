#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include <arrow/result.h>

#include "hashlake/topics/corpus.h"

namespace hashlake::topics {

/// The coherence measures of gensim's CoherenceModel (Röder et al. 2015), computed the way
/// gensim 4.x computes them, so that numbers can be compared:
/// - kUMass: s_one_pre segmentation, boolean-document probabilities (documents containing
///   a word), log conditional probability log((D(w',w*)/N + 1e-12) / (D(w*)/N)); a pair
///   whose w* never occurs counts 0, as gensim's ZeroDivisionError branch does.
/// - kCNpmi: s_one_one (all ordered pairs), boolean sliding window (default 10), NPMI.
/// - kCv: s_one_set, boolean sliding window (default 110), indirect cosine over NPMI
///   context vectors (gamma 1).
/// Sliding windows follow gensim's WordOccurrenceAccumulator exactly: a text no longer
/// than the window is one window; an empty text counts as one (empty) window; when the
/// window slides, the word that left is removed from the window's word set even if it
/// still occurs later in the window (gensim's behaviour, kept for agreement).
/// gensim's multi-process accumulator (processes > 1) counts windows differently (it
/// assumes every text is longer than the window); compare with processes=1.
enum class CoherenceMeasure { kUMass, kCNpmi, kCv };


struct CoherenceResult {
  std::vector<double> per_topic;  ///< gensim's get_coherence_per_topic()
  double mean = 0;                ///< gensim's get_coherence() (arithmetic mean)
};

/// Coherence of `topics` (each a list of word ids, most probable first, of texts' vocabulary)
/// measured on `texts`. window_size 0 picks the measure's default. Invalid when topics is
/// empty, a topic has fewer than 2 words, or an id is outside the vocabulary.
arrow::Result<CoherenceResult> ComputeCoherence(const std::vector<std::vector<int32_t>>& topics,
                                                const Corpus& texts, CoherenceMeasure measure,
                                                int32_t window_size = 0);

}  // namespace hashlake::topics
