#include "hashlake/topics/inference.h"

#include <cmath>
#include <set>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "hashlake/topics/gsdmm.h"
#include "hashlake/topics/rng.h"

namespace hashlake::topics {

std::vector<double> InferDocTopics(const TopicModel& model, std::span<const int32_t> doc,
                                   const InferOptions& options, uint64_t doc_key) {
  const auto kk = static_cast<std::size_t>(model.num_topics);
  if (model.kind == ModelKind::kGsdmm && !doc.empty()) return GsdmmPosterior(model, doc);
  double alpha_sum = 0;
  for (double a : model.alpha) alpha_sum += a;
  std::vector<double> theta(kk, 0.0);
  if (doc.empty() || model.kind == ModelKind::kGsdmm) {
    for (std::size_t k = 0; k < kk; ++k) theta[k] = model.alpha[k] / alpha_sum;
    return theta;
  }
  Rng rng(DeriveSeed(options.seed, doc_key, 0xF01D));
  const double vbeta = model.num_words() * model.beta;
  std::vector<double> inv_total(kk);
  for (std::size_t k = 0; k < kk; ++k) inv_total[k] = 1.0 / (model.topic_totals[k] + vbeta);
  std::vector<int32_t> z(doc.size());
  std::vector<int32_t> ndk(kk, 0);
  for (auto& t : z) ++ndk[t = static_cast<int32_t>(rng.Below(static_cast<uint32_t>(kk)))];
  std::vector<double> p(kk);
  int32_t samples = 0;
  const int32_t sweeps = std::max(options.iterations, options.burn_in + 1);
  for (int32_t it = 0; it < sweeps; ++it) {
    for (std::size_t i = 0; i < doc.size(); ++i) {
      --ndk[z[i]];
      const int32_t* row = &model.word_topic[static_cast<std::size_t>(doc[i]) * kk];
      double sum = 0;
      for (std::size_t k = 0; k < kk; ++k) {
        sum += (ndk[k] + model.alpha[k]) * (row[k] + model.beta) * inv_total[k];
        p[k] = sum;
      }
      const double u = rng.Uniform() * sum;
      std::size_t k = 0;
      while (k + 1 < kk && p[k] <= u) ++k;
      z[i] = static_cast<int32_t>(k);
      ++ndk[k];
    }
    if (it >= options.burn_in) {
      for (std::size_t k = 0; k < kk; ++k) theta[k] += ndk[k] + model.alpha[k];
      ++samples;
    }
  }
  const double norm = samples * (static_cast<double>(doc.size()) + alpha_sum);
  for (double& t : theta) t /= norm;
  return theta;
}

std::vector<double> InferCorpus(const TopicModel& model, const Corpus& corpus,
                                const InferOptions& options) {
  const auto kk = static_cast<std::size_t>(model.num_topics);
  std::vector<double> out(static_cast<std::size_t>(corpus.num_docs()) * kk);
  tbb::parallel_for(tbb::blocked_range<int64_t>(0, corpus.num_docs(), 16), [&](const auto& r) {
    for (int64_t d = r.begin(); d != r.end(); ++d) {
      const auto theta = InferDocTopics(model, corpus.doc(d), options, static_cast<uint64_t>(d));
      std::copy(theta.begin(), theta.end(), out.begin() + static_cast<std::ptrdiff_t>(d * kk));
    }
  });
  return out;
}

arrow::Result<double> DocumentCompletionPerplexity(const TopicModel& model, const Corpus& test,
                                                   const InferOptions& options) {
  const auto kk = static_cast<std::size_t>(model.num_topics);
  std::vector<double> log_p(static_cast<std::size_t>(test.num_docs()), 0.0);
  std::vector<int64_t> scored(static_cast<std::size_t>(test.num_docs()), 0);
  tbb::parallel_for(tbb::blocked_range<int64_t>(0, test.num_docs(), 8), [&](const auto& r) {
    std::vector<int32_t> observed, held;
    for (int64_t d = r.begin(); d != r.end(); ++d) {
      const auto doc = test.doc(d);
      if (doc.size() < 2) continue;
      observed.clear();
      held.clear();
      for (std::size_t i = 0; i < doc.size(); ++i) (i % 2 == 0 ? observed : held).push_back(doc[i]);
      const auto theta = InferDocTopics(model, observed, options, static_cast<uint64_t>(d));
      double sum = 0;
      for (int32_t w : held) {
        double p = 0;
        for (std::size_t k = 0; k < kk; ++k) p += theta[k] * model.Phi(static_cast<int32_t>(k), w);
        sum += std::log(p);
      }
      log_p[d] = sum;
      scored[d] = static_cast<int64_t>(held.size());
    }
  });
  double total = 0;
  int64_t count = 0;
  for (std::size_t d = 0; d < log_p.size(); ++d) total += log_p[d], count += scored[d];
  if (count == 0) {
    return arrow::Status::Invalid("perplexity: no held-out document has 2 or more tokens");
  }
  return std::exp(-total / static_cast<double>(count));
}

double TopicDiversity(const TopicModel& model, int32_t top_n) {
  std::set<int32_t> distinct;
  int64_t total = 0;
  for (const auto& topic : model.TopWordIds(top_n)) {
    distinct.insert(topic.begin(), topic.end());
    total += static_cast<int64_t>(topic.size());
  }
  return total == 0 ? 0.0 : static_cast<double>(distinct.size()) / static_cast<double>(total);
}

}  // namespace hashlake::topics
