#include "hashlake/topics/lda.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "hashlake/topics/alias_table.h"
#include "hashlake/topics/math_util.h"
#include "hashlake/topics/rng.h"

namespace hashlake::topics {

// One document range and its private copy of the word-topic counts.
struct LdaSampler::Partition {
  int64_t first_doc = 0;
  int64_t end_doc = 0;
  std::vector<int32_t> word_topic;
  std::vector<int64_t> topic_totals;
  std::vector<int32_t> doc_topic;  // K scratch, zero between documents
};

LdaSampler::LdaSampler(const Corpus& corpus, const LdaOptions& options)
    : corpus_(corpus),
      options_(options),
      k_(options.num_topics),
      v_(corpus.vocab.size()),
      alpha_(static_cast<std::size_t>(options.num_topics), options.alpha),
      alpha_sum_(options.alpha * options.num_topics),
      symmetric_alpha_(true) {}

LdaSampler::~LdaSampler() = default;

arrow::Result<std::unique_ptr<LdaSampler>> LdaSampler::Make(const Corpus& corpus,
                                                            const LdaOptions& options) {
  if (options.num_topics < 1) return arrow::Status::Invalid("lda: K must be >= 1");
  if (options.num_topics > corpus.vocab.size()) {
    return arrow::Status::Invalid("lda: K = ", options.num_topics,
                                  " is larger than the vocabulary (", corpus.vocab.size(),
                                  " terms)");
  }
  if (!(options.alpha > 0) || !(options.beta > 0)) {
    return arrow::Status::Invalid("lda: alpha and beta must be > 0");
  }
  if (options.threads < 1) return arrow::Status::Invalid("lda: threads must be >= 1");
  if (options.mh_steps < 1) return arrow::Status::Invalid("lda: mh_steps must be >= 1");
  if (corpus.num_tokens() == 0) return arrow::Status::Invalid("lda: the corpus has no tokens");
  std::unique_ptr<LdaSampler> s(new LdaSampler(corpus, options));
  const std::size_t kk = static_cast<std::size_t>(s->k_);
  s->z_.resize(corpus.tokens.size());
  s->word_topic_.assign(static_cast<std::size_t>(s->v_) * kk, 0);
  s->topic_totals_.assign(kk, 0);
  Rng rng(DeriveSeed(options.seed, 0));
  for (std::size_t i = 0; i < s->z_.size(); ++i) {
    const int32_t k = static_cast<int32_t>(rng.Below(static_cast<uint32_t>(s->k_)));
    s->z_[i] = k;
    ++s->word_topic_[static_cast<std::size_t>(corpus.tokens[i]) * kk + k];
    ++s->topic_totals_[k];
  }
  // Contiguous partitions of about equal token counts.
  const int64_t per_part = (corpus.num_tokens() + options.threads - 1) / options.threads;
  int64_t doc = 0;
  for (int32_t p = 0; p < options.threads; ++p) {
    auto part = std::make_unique<Partition>();
    part->first_doc = doc;
    const int64_t target = std::min<int64_t>(per_part * (p + 1), corpus.num_tokens());
    while (doc < corpus.num_docs() && (corpus.offsets[doc + 1] <= target || p == options.threads - 1)) {
      ++doc;
    }
    part->end_doc = doc;
    part->doc_topic.assign(kk, 0);
    s->partitions_.push_back(std::move(part));
  }
  return s;
}

void LdaSampler::BuildWordProposals() {
  const std::size_t kk = static_cast<std::size_t>(k_);
  const double vbeta = v_ * options_.beta;
  std::vector<double> inv_total(kk);
  for (std::size_t k = 0; k < kk; ++k) inv_total[k] = 1.0 / (topic_totals_[k] + vbeta);
  wp_offsets_.assign(static_cast<std::size_t>(v_) + 1, 0);
  for (int32_t w = 0; w < v_; ++w) {
    const int32_t* row = &word_topic_[static_cast<std::size_t>(w) * kk];
    int64_t nonzero = 0;
    for (std::size_t k = 0; k < kk; ++k) nonzero += row[k] != 0;
    wp_offsets_[w + 1] = wp_offsets_[w] + nonzero;
  }
  const auto total = static_cast<std::size_t>(wp_offsets_[v_]);
  wp_prob_.resize(total);
  wp_alias_.resize(total);
  wp_topic_.resize(total);
  wp_mass_.assign(static_cast<std::size_t>(v_), 0);
  tbb::parallel_for(tbb::blocked_range<int32_t>(0, v_, 256), [&](const auto& range) {
    std::vector<double> weights;
    for (int32_t w = range.begin(); w != range.end(); ++w) {
      const int32_t* row = &word_topic_[static_cast<std::size_t>(w) * kk];
      const auto begin = static_cast<std::size_t>(wp_offsets_[w]);
      weights.clear();
      std::size_t j = begin;
      for (std::size_t k = 0; k < kk; ++k) {
        if (row[k] == 0) continue;
        weights.push_back(row[k] * inv_total[k]);
        wp_topic_[j++] = static_cast<int32_t>(k);
      }
      wp_mass_[w] = BuildAliasInto(weights, std::span(wp_prob_).subspan(begin, weights.size()),
                                   std::span(wp_alias_).subspan(begin, weights.size()));
    }
  });
  std::vector<double> beta_weights(kk);
  for (std::size_t k = 0; k < kk; ++k) beta_weights[k] = options_.beta * inv_total[k];
  beta_prob_.resize(kk);
  beta_alias_.resize(kk);
  beta_mass_ = BuildAliasInto(beta_weights, beta_prob_, beta_alias_);
  if (!symmetric_alpha_) {
    alpha_prob_.resize(kk);
    alpha_alias_.resize(kk);
    BuildAliasInto(alpha_, alpha_prob_, alpha_alias_);
  }
}

void LdaSampler::SamplePartition(Partition& part, uint64_t iteration_seed) {
  const std::size_t kk = static_cast<std::size_t>(k_);
  const double beta = options_.beta;
  const double vbeta = v_ * beta;
  const int32_t* snap_wt = word_topic_.data();
  const int64_t* snap_totals = topic_totals_.data();
  int32_t* nwk = part.word_topic.data();
  int64_t* nk = part.topic_totals.data();
  int32_t* ndk = part.doc_topic.data();
  const double* alpha = alpha_.data();
  Rng rng(iteration_seed);
  auto draw_alpha = [&]() -> int32_t {
    if (symmetric_alpha_) return static_cast<int32_t>(rng.Below(static_cast<uint32_t>(k_)));
    return SampleAlias(alpha_prob_, alpha_alias_, rng);
  };
  for (int64_t d = part.first_doc; d < part.end_doc; ++d) {
    const int64_t begin = corpus_.offsets[d];
    const auto len = static_cast<uint32_t>(corpus_.offsets[d + 1] - begin);
    const int32_t* words = corpus_.tokens.data() + begin;
    int32_t* zs = z_.data() + begin;
    for (uint32_t i = 0; i < len; ++i) ++ndk[zs[i]];
    const double doc_mass = len + alpha_sum_;
    for (uint32_t i = 0; i < len; ++i) {
      const int32_t w = words[i];
      int32_t* nw = nwk + static_cast<std::size_t>(w) * kk;
      const int32_t* snap_w = snap_wt + static_cast<std::size_t>(w) * kk;
      int32_t s = zs[i];
      --ndk[s];
      --nw[s];
      --nk[s];
      const auto wp_begin = static_cast<std::size_t>(wp_offsets_[w]);
      const auto wp_size = static_cast<std::size_t>(wp_offsets_[w + 1]) - wp_begin;
      const double word_mass = wp_mass_[w] + beta_mass_;
      for (int32_t step = 0; step < options_.mh_steps; ++step) {
        // Document proposal: q(t) ∝ n_dt (token i counted at its current state) + alpha_t.
        int32_t t;
        const double u = rng.Uniform() * doc_mass;
        t = u < len ? zs[static_cast<uint32_t>(u)] : draw_alpha();
        if (t != s) {
          const double accept = (nw[t] + beta) * (nk[s] + vbeta) / ((nw[s] + beta) * (nk[t] + vbeta));
          if (accept >= 1 || rng.Uniform() < accept) {
            s = t;
            zs[i] = s;
          }
        }
        // Word proposal: q(t) ∝ (snapshot n_wt + beta) / (snapshot n_t + V beta).
        if (wp_size > 0 && rng.Uniform() * word_mass < wp_mass_[w]) {
          t = wp_topic_[wp_begin +
                        static_cast<std::size_t>(SampleAlias(
                            std::span<const double>(wp_prob_.data() + wp_begin, wp_size),
                            std::span<const int32_t>(wp_alias_.data() + wp_begin, wp_size), rng))];
        } else {
          t = SampleAlias(beta_prob_, beta_alias_, rng);
        }
        if (t != s) {
          const double p_ratio = (ndk[t] + alpha[t]) * (nw[t] + beta) * (nk[s] + vbeta) /
                                 ((ndk[s] + alpha[s]) * (nw[s] + beta) * (nk[t] + vbeta));
          const double q_ratio = (snap_w[s] + beta) * (snap_totals[t] + vbeta) /
                                 ((snap_w[t] + beta) * (snap_totals[s] + vbeta));
          const double accept = p_ratio * q_ratio;
          if (accept >= 1 || rng.Uniform() < accept) {
            s = t;
            zs[i] = s;
          }
        }
      }
      zs[i] = s;
      ++ndk[s];
      ++nw[s];
      ++nk[s];
    }
    for (uint32_t i = 0; i < len; ++i) ndk[zs[i]] = 0;
  }
}

void LdaSampler::Iterate() {
  BuildWordProposals();
  const auto num_parts = static_cast<int32_t>(partitions_.size());
  ++iterations_;
  if (num_parts == 1) {
    Partition& part = *partitions_[0];
    part.word_topic = word_topic_;
    part.topic_totals = topic_totals_;
    SamplePartition(part, DeriveSeed(options_.seed, static_cast<uint64_t>(iterations_), 0));
    word_topic_.swap(part.word_topic);
    topic_totals_.swap(part.topic_totals);
  } else {
    tbb::task_arena arena(num_parts);
    arena.execute([&] {
      tbb::parallel_for(0, num_parts, [&](int32_t p) {
        Partition& part = *partitions_[p];
        part.word_topic = word_topic_;
        part.topic_totals = topic_totals_;
        SamplePartition(part, DeriveSeed(options_.seed, static_cast<uint64_t>(iterations_),
                                         static_cast<uint64_t>(p) + 1));
      });
      // global += sum over partitions of (local - global); integer sums, so the order of
      // the partitions does not matter.
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, word_topic_.size(), 1 << 14),
                        [&](const auto& range) {
                          for (std::size_t i = range.begin(); i != range.end(); ++i) {
                            int64_t sum = -static_cast<int64_t>(num_parts - 1) * word_topic_[i];
                            for (const auto& part : partitions_) sum += part->word_topic[i];
                            word_topic_[i] = static_cast<int32_t>(sum);
                          }
                        });
    });
    for (std::size_t k = 0; k < topic_totals_.size(); ++k) {
      int64_t sum = -static_cast<int64_t>(num_parts - 1) * topic_totals_[k];
      for (const auto& part : partitions_) sum += part->topic_totals[k];
      topic_totals_[k] = sum;
    }
  }
  if (options_.optimize_alpha && iterations_ >= options_.burn_in &&
      iterations_ % std::max(1, options_.optimize_interval) == 0) {
    OptimizeAlpha();
  }
}

void LdaSampler::OptimizeAlpha() {
  // Minka's fixed point on histograms of n_dk and n_d (as in Mallet / Wallach 2008).
  std::vector<std::map<int32_t, int64_t>> count_hist(static_cast<std::size_t>(k_));
  std::map<int64_t, int64_t> length_hist;
  std::vector<int32_t> ndk(static_cast<std::size_t>(k_), 0);
  for (int64_t d = 0; d < corpus_.num_docs(); ++d) {
    const int64_t begin = corpus_.offsets[d], end = corpus_.offsets[d + 1];
    if (end == begin) continue;
    ++length_hist[end - begin];
    for (int64_t i = begin; i < end; ++i) ++ndk[z_[i]];
    for (int64_t i = begin; i < end; ++i) {
      if (ndk[z_[i]] > 0) {
        ++count_hist[z_[i]][ndk[z_[i]]];
        ndk[z_[i]] = 0;
      }
    }
  }
  for (int round = 0; round < 20; ++round) {
    double sum = 0;
    for (double a : alpha_) sum += a;
    double denom = 0;
    for (const auto& [len, n] : length_hist) {
      denom += n * (Digamma(len + sum) - Digamma(sum));
    }
    for (int32_t k = 0; k < k_; ++k) {
      double numer = 0;
      for (const auto& [c, n] : count_hist[k]) {
        numer += n * (Digamma(c + alpha_[k]) - Digamma(alpha_[k]));
      }
      alpha_[k] = std::max(1e-6, alpha_[k] * numer / denom);
    }
  }
  alpha_sum_ = 0;
  for (double a : alpha_) alpha_sum_ += a;
  symmetric_alpha_ = false;
}

double LdaSampler::LogLikelihood() const {
  const std::size_t kk = static_cast<std::size_t>(k_);
  const double beta = options_.beta;
  double ll = k_ * (std::lgamma(v_ * beta) - v_ * std::lgamma(beta));
  for (std::size_t k = 0; k < kk; ++k) ll -= std::lgamma(topic_totals_[k] + v_ * beta);
  for (std::size_t i = 0; i < word_topic_.size(); ++i) {
    if (word_topic_[i] > 0) ll += std::lgamma(word_topic_[i] + beta) - std::lgamma(beta);
  }
  std::vector<int32_t> ndk(kk, 0);
  double lgamma_alpha_sum = 0;
  for (double a : alpha_) lgamma_alpha_sum += std::lgamma(a);
  for (int64_t d = 0; d < corpus_.num_docs(); ++d) {
    const int64_t begin = corpus_.offsets[d], end = corpus_.offsets[d + 1];
    for (int64_t i = begin; i < end; ++i) ++ndk[z_[i]];
    ll += std::lgamma(alpha_sum_) - std::lgamma(static_cast<double>(end - begin) + alpha_sum_);
    for (std::size_t k = 0; k < kk; ++k) ll += std::lgamma(ndk[k] + alpha_[k]);
    ll -= lgamma_alpha_sum;
    std::fill(ndk.begin(), ndk.end(), 0);
  }
  return ll;
}

arrow::Status LdaSampler::CheckInvariants() const {
  const std::size_t kk = static_cast<std::size_t>(k_);
  std::vector<int32_t> wt(word_topic_.size(), 0);
  std::vector<int64_t> totals(kk, 0);
  for (std::size_t i = 0; i < z_.size(); ++i) {
    if (z_[i] < 0 || z_[i] >= k_) return arrow::Status::Invalid("token ", i, " has topic ", z_[i]);
    ++wt[static_cast<std::size_t>(corpus_.tokens[i]) * kk + z_[i]];
    ++totals[z_[i]];
  }
  for (std::size_t i = 0; i < wt.size(); ++i) {
    if (wt[i] != word_topic_[i]) {
      return arrow::Status::Invalid("word ", i / kk, " topic ", i % kk, ": table says ",
                                    word_topic_[i], ", assignments say ", wt[i]);
    }
  }
  for (std::size_t k = 0; k < kk; ++k) {
    if (totals[k] != topic_totals_[k]) {
      return arrow::Status::Invalid("topic ", k, " total: table says ", topic_totals_[k],
                                    ", assignments say ", totals[k]);
    }
  }
  return arrow::Status::OK();
}

std::vector<double> LdaSampler::DocTopics(int64_t d) const {
  std::vector<double> theta(alpha_);
  const int64_t begin = corpus_.offsets[d], end = corpus_.offsets[d + 1];
  for (int64_t i = begin; i < end; ++i) theta[z_[i]] += 1;
  const double norm = static_cast<double>(end - begin) + alpha_sum_;
  for (double& t : theta) t /= norm;
  return theta;
}

TopicModel LdaSampler::ToModel() const {
  TopicModel model;
  model.kind = ModelKind::kLda;
  model.num_topics = k_;
  model.vocab = corpus_.vocab.terms();
  model.alpha = alpha_;
  model.beta = options_.beta;
  model.word_topic = word_topic_;
  model.topic_totals = topic_totals_;
  model.num_train_docs = corpus_.num_docs();
  model.num_train_tokens = corpus_.num_tokens();
  model.params_json = fmt::format(
      R"({{"model":"lda","k":{},"alpha":{},"beta":{},"iterations":{},"threads":{},"seed":{},)"
      R"("mh_steps":{},"optimize_alpha":{}}})",
      k_, options_.alpha, options_.beta, iterations_, options_.threads, options_.seed,
      options_.mh_steps, options_.optimize_alpha ? "true" : "false");
  return model;
}

}  // namespace hashlake::topics
