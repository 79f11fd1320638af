#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace hashlake::topics {

/// Which generative model a TopicModel came from.
enum class ModelKind : int32_t {
  kLda = 1,    ///< Latent Dirichlet Allocation: a topic per token
  kGsdmm = 2,  ///< Dirichlet Multinomial Mixture (GSDMM): one topic (cluster) per document
};

const char* ModelKindName(ModelKind kind);

/// A trained topic model: the sufficient statistics of the last Gibbs sample plus priors.
/// phi(k, w) = (count(w, k) + beta) / (topic_total(k) + V * beta).
/// Plain value; safe to read from many threads.
struct TopicModel {
  ModelKind kind = ModelKind::kLda;
  int32_t num_topics = 0;
  std::vector<std::string> vocab;        ///< V terms
  std::vector<double> alpha;             ///< K document-topic priors (may be asymmetric)
  double beta = 0.01;                    ///< symmetric topic-word prior
  std::vector<int32_t> word_topic;       ///< V x K counts, word-major: [w * K + k]
  std::vector<int64_t> topic_totals;     ///< K: tokens per topic
  std::vector<int64_t> cluster_docs;     ///< K: documents per cluster (GSDMM only)
  int64_t num_train_docs = 0;
  int64_t num_train_tokens = 0;
  std::string params_json = "{}";        ///< the training parameters, for the record

  int32_t num_words() const { return static_cast<int32_t>(vocab.size()); }
  int32_t count(int32_t w, int32_t k) const {
    return word_topic[static_cast<std::size_t>(w) * static_cast<std::size_t>(num_topics) +
                      static_cast<std::size_t>(k)];
  }
  double Phi(int32_t k, int32_t w) const {
    return (count(w, k) + beta) / (static_cast<double>(topic_totals[k]) + num_words() * beta);
  }
  /// The `n` most probable (word id, phi) of topic k, most probable first, ties by id.
  std::vector<std::pair<int32_t, double>> TopWords(int32_t k, int32_t n) const;
  /// Top-n word ids of every topic.
  std::vector<std::vector<int32_t>> TopWordIds(int32_t n) const;
};

}  // namespace hashlake::topics
