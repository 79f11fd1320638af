#include "hashlake/topics/gsdmm.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "hashlake/topics/rng.h"

namespace hashlake::topics {
namespace {

// log p(z_d = k | rest) up to a constant, for every k; `seen` is V zeros (left as found).
void ClusterLogScores(std::span<const int32_t> doc, int32_t num_k, int32_t v, double alpha,
                      double beta, const int32_t* word_topic, const int64_t* totals,
                      const int64_t* docs, std::vector<int32_t>& seen,
                      std::vector<double>* scores) {
  scores->assign(static_cast<std::size_t>(num_k), 0.0);
  const double vbeta = v * beta;
  const auto kk = static_cast<std::size_t>(num_k);
  for (std::size_t k = 0; k < kk; ++k) (*scores)[k] = std::log(docs[k] + alpha);
  for (std::size_t i = 0; i < doc.size(); ++i) {
    const int32_t w = doc[i];
    const double j = seen[w]++;
    const int32_t* row = word_topic + static_cast<std::size_t>(w) * kk;
    for (std::size_t k = 0; k < kk; ++k) {
      (*scores)[k] += std::log((row[k] + beta + j) / (totals[k] + vbeta + static_cast<double>(i)));
    }
  }
  for (int32_t w : doc) seen[w] = 0;
}

void Normalize(std::vector<double>* scores) {
  const double top = *std::max_element(scores->begin(), scores->end());
  double sum = 0;
  for (double& s : *scores) sum += (s = std::exp(s - top));
  for (double& s : *scores) s /= sum;
}

}  // namespace

GsdmmSampler::GsdmmSampler(const Corpus& corpus, const GsdmmOptions& options)
    : corpus_(corpus), options_(options), k_(options.num_clusters), v_(corpus.vocab.size()) {}

arrow::Result<std::unique_ptr<GsdmmSampler>> GsdmmSampler::Make(const Corpus& corpus,
                                                                const GsdmmOptions& options) {
  if (options.num_clusters < 1) return arrow::Status::Invalid("gsdmm: K must be >= 1");
  if (options.num_clusters > corpus.vocab.size()) {
    return arrow::Status::Invalid("gsdmm: K = ", options.num_clusters,
                                  " is larger than the vocabulary (", corpus.vocab.size(),
                                  " terms)");
  }
  if (!(options.alpha > 0) || !(options.beta > 0)) {
    return arrow::Status::Invalid("gsdmm: alpha and beta must be > 0");
  }
  if (corpus.num_tokens() == 0) return arrow::Status::Invalid("gsdmm: the corpus has no tokens");
  std::unique_ptr<GsdmmSampler> s(new GsdmmSampler(corpus, options));
  s->z_.resize(static_cast<std::size_t>(corpus.num_docs()));
  s->word_topic_.assign(static_cast<std::size_t>(s->v_) * static_cast<std::size_t>(s->k_), 0);
  s->topic_totals_.assign(static_cast<std::size_t>(s->k_), 0);
  s->cluster_docs_.assign(static_cast<std::size_t>(s->k_), 0);
  Rng rng(DeriveSeed(options.seed, 0));
  for (int64_t d = 0; d < corpus.num_docs(); ++d) {
    s->z_[d] = static_cast<int32_t>(rng.Below(static_cast<uint32_t>(s->k_)));
    s->Move(d, s->z_[d], +1);
  }
  return s;
}

void GsdmmSampler::Move(int64_t d, int32_t k, int32_t sign) {
  const auto kk = static_cast<std::size_t>(k_);
  for (int32_t w : corpus_.doc(d)) word_topic_[static_cast<std::size_t>(w) * kk + k] += sign;
  topic_totals_[k] += sign * static_cast<int64_t>(corpus_.doc(d).size());
  cluster_docs_[k] += sign;
}

void GsdmmSampler::Iterate() {
  ++iterations_;
  Rng rng(DeriveSeed(options_.seed, static_cast<uint64_t>(iterations_)));
  std::vector<int32_t> seen(static_cast<std::size_t>(v_), 0);
  std::vector<double> scores;
  last_moves_ = 0;
  for (int64_t d = 0; d < corpus_.num_docs(); ++d) {
    Move(d, z_[d], -1);
    ClusterLogScores(corpus_.doc(d), k_, v_, options_.alpha, options_.beta, word_topic_.data(),
                     topic_totals_.data(), cluster_docs_.data(), seen, &scores);
    Normalize(&scores);
    double u = rng.Uniform();
    int32_t pick = k_ - 1;
    for (int32_t k = 0; k < k_; ++k) {
      u -= scores[k];
      if (u < 0) {
        pick = k;
        break;
      }
    }
    last_moves_ += pick != z_[d];
    z_[d] = pick;
    Move(d, pick, +1);
  }
}

int32_t GsdmmSampler::NonEmptyClusters() const {
  return static_cast<int32_t>(
      std::count_if(cluster_docs_.begin(), cluster_docs_.end(), [](int64_t m) { return m > 0; }));
}

arrow::Status GsdmmSampler::CheckInvariants() const {
  const auto kk = static_cast<std::size_t>(k_);
  std::vector<int32_t> wt(word_topic_.size(), 0);
  std::vector<int64_t> totals(kk, 0), docs(kk, 0);
  for (int64_t d = 0; d < corpus_.num_docs(); ++d) {
    ++docs[z_[d]];
    for (int32_t w : corpus_.doc(d)) ++wt[static_cast<std::size_t>(w) * kk + z_[d]], ++totals[z_[d]];
  }
  if (wt != word_topic_) return arrow::Status::Invalid("gsdmm: word-cluster counts disagree");
  if (totals != topic_totals_) return arrow::Status::Invalid("gsdmm: cluster token totals disagree");
  if (docs != cluster_docs_) return arrow::Status::Invalid("gsdmm: cluster sizes disagree");
  return arrow::Status::OK();
}

TopicModel GsdmmSampler::ToModel() const {
  TopicModel model;
  model.kind = ModelKind::kGsdmm;
  model.num_topics = k_;
  model.vocab = corpus_.vocab.terms();
  model.alpha.assign(static_cast<std::size_t>(k_), options_.alpha);
  model.beta = options_.beta;
  model.word_topic = word_topic_;
  model.topic_totals = topic_totals_;
  model.cluster_docs = cluster_docs_;
  model.num_train_docs = corpus_.num_docs();
  model.num_train_tokens = corpus_.num_tokens();
  model.params_json =
      fmt::format(R"({{"model":"gsdmm","k":{},"alpha":{},"beta":{},"iterations":{},"seed":{}}})",
                  k_, options_.alpha, options_.beta, iterations_, options_.seed);
  return model;
}

std::vector<double> GsdmmPosterior(const TopicModel& model, std::span<const int32_t> doc) {
  std::vector<int32_t> seen(static_cast<std::size_t>(model.num_words()), 0);
  std::vector<double> scores;
  std::vector<int64_t> docs = model.cluster_docs;
  docs.resize(static_cast<std::size_t>(model.num_topics), 0);
  ClusterLogScores(doc, model.num_topics, model.num_words(), model.alpha.empty() ? 0.1 : model.alpha[0],
                   model.beta, model.word_topic.data(), model.topic_totals.data(), docs.data(),
                   seen, &scores);
  Normalize(&scores);
  return scores;
}

}  // namespace hashlake::topics
