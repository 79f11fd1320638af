#pragma once

// Synthetic corpora with known generating topics, for the sampler tests.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "hashlake/topics/corpus.h"
#include "hashlake/topics/rng.h"

namespace hashlake::topics::testing {

/// K topics, each uniform over its own `words_per_topic` words (disjoint); documents drawn
/// from LDA's generative process with theta ~ Dirichlet(alpha) approximated by mixing
/// 1-2 topics per document (so documents are not single-topic).
struct PlantedCorpus {
  Corpus corpus;
  std::vector<std::vector<double>> phi;  // K x V true topic-word distributions
  int32_t k = 0;
};

inline PlantedCorpus MakePlantedCorpus(int32_t k, int32_t words_per_topic, int32_t docs,
                                       int32_t doc_len, uint64_t seed) {
  PlantedCorpus out;
  out.k = k;
  const int32_t v = k * words_per_topic;
  for (int32_t w = 0; w < v; ++w) out.corpus.vocab.Add("w" + std::to_string(w));
  out.phi.assign(static_cast<std::size_t>(k), std::vector<double>(static_cast<std::size_t>(v), 0));
  for (int32_t t = 0; t < k; ++t) {
    for (int32_t j = 0; j < words_per_topic; ++j) out.phi[t][t * words_per_topic + j] = 1.0 / words_per_topic;
  }
  Rng rng(seed);
  std::vector<int32_t> ids;
  for (int32_t d = 0; d < docs; ++d) {
    const int32_t a = static_cast<int32_t>(rng.Below(static_cast<uint32_t>(k)));
    const int32_t b = static_cast<int32_t>(rng.Below(static_cast<uint32_t>(k)));
    const double share = 0.5 + 0.5 * rng.Uniform();
    ids.clear();
    for (int32_t i = 0; i < doc_len; ++i) {
      const int32_t t = rng.Uniform() < share ? a : b;
      ids.push_back(t * words_per_topic + static_cast<int32_t>(rng.Below(static_cast<uint32_t>(words_per_topic))));
    }
    out.corpus.AddDocument(ids);
  }
  return out;
}

/// Jensen-Shannon divergence in nats (0 .. ln 2).
inline double JensenShannon(const std::vector<double>& p, const std::vector<double>& q) {
  double js = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const double m = 0.5 * (p[i] + q[i]);
    if (p[i] > 0) js += 0.5 * p[i] * std::log(p[i] / m);
    if (q[i] > 0) js += 0.5 * q[i] * std::log(q[i] / m);
  }
  return js;
}

/// The assignment of learned to true topics minimizing the summed cost (exhaustive search,
/// which is the Hungarian method's optimum for the small K of tests). Returns the worst
/// matched cost.
inline double MatchTopics(const std::vector<std::vector<double>>& cost) {
  std::vector<int32_t> perm(cost.size());
  std::iota(perm.begin(), perm.end(), 0);
  double best_sum = INFINITY, best_max = INFINITY;
  do {
    double sum = 0, worst = 0;
    for (std::size_t i = 0; i < perm.size(); ++i) {
      sum += cost[i][perm[i]];
      worst = std::max(worst, cost[i][perm[i]]);
    }
    if (sum < best_sum) best_sum = sum, best_max = worst;
  } while (std::next_permutation(perm.begin(), perm.end()));
  return best_max;
}

}  // namespace hashlake::topics::testing
