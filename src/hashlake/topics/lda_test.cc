#include "hashlake/topics/lda.h"

#include <cmath>

#include <gtest/gtest.h>

#include "hashlake/topics/corpus_io.h"
#include "hashlake/topics/inference.h"
#include "hashlake/topics/test_corpora_internal.h"

namespace hashlake::topics {
namespace {

using testing::JensenShannon;
using testing::MakePlantedCorpus;
using testing::MatchTopics;

std::unique_ptr<LdaSampler> MustMake(const Corpus& corpus, const LdaOptions& options) {
  auto sampler = LdaSampler::Make(corpus, options);
  EXPECT_TRUE(sampler.ok()) << sampler.status().ToString();
  return std::move(sampler).ValueOrDie();
}

TEST(LdaSamplerTest, CountTablesStayConsistentWithAssignments) {
  auto planted = MakePlantedCorpus(4, 8, 200, 30, 7);
  for (int32_t threads : {1, 3}) {
    LdaOptions options{.num_topics = 4, .threads = threads, .seed = 11};
    auto sampler = MustMake(planted.corpus, options);
    ASSERT_TRUE(sampler->CheckInvariants().ok());
    for (int i = 0; i < 15; ++i) {
      sampler->Iterate();
      ASSERT_TRUE(sampler->CheckInvariants().ok()) << "threads " << threads << " iteration " << i
                                                   << ": " << sampler->CheckInvariants().ToString();
    }
  }
}

TEST(LdaSamplerTest, SameSeedAndThreadsGiveTheSameSamples) {
  auto planted = MakePlantedCorpus(4, 8, 150, 25, 3);
  for (int32_t threads : {1, 2, 4}) {
    LdaOptions options{.num_topics = 4, .threads = threads, .seed = 99};
    auto a = MustMake(planted.corpus, options);
    auto b = MustMake(planted.corpus, options);
    for (int i = 0; i < 10; ++i) a->Iterate(), b->Iterate();
    EXPECT_EQ(a->assignments(), b->assignments()) << "threads " << threads;
    options.seed = 100;
    auto c = MustMake(planted.corpus, options);
    for (int i = 0; i < 10; ++i) c->Iterate();
    EXPECT_NE(a->assignments(), c->assignments());
  }
}

// The learned phi of each topic must match a generating topic. 5 topics x 10 words, 600
// documents of 60 tokens: ~7,200 tokens per topic, ~720 per word, so sampling noise in a
// word's share is ~4% relative and the JS divergence from it is ~1e-3 nats; beta's mass on
// the other 40 words is < 1e-4. A learned topic mixing two true ones scores >= 0.1 nats.
// Bound: 0.02 nats, for every thread count (quality, not samples, is thread-invariant).
// Gibbs chains can settle in a local mode (two true topics merged, one split: about 1 run
// in 6 here, with a log-likelihood ~9% lower), so as in practice the best of 3 restarts by
// log-likelihood is judged.
TEST(LdaSamplerTest, RecoversPlantedTopics) {
  auto planted = MakePlantedCorpus(5, 10, 600, 60, 2024);
  for (int32_t threads : {1, 4}) {
    std::unique_ptr<LdaSampler> best;
    for (uint64_t seed : {5, 6, 7}) {
      LdaOptions options{.num_topics = 5, .alpha = 0.1, .beta = 0.01, .threads = threads, .seed = seed};
      auto sampler = MustMake(planted.corpus, options);
      for (int i = 0; i < 150; ++i) sampler->Iterate();
      if (!best || sampler->LogLikelihood() > best->LogLikelihood()) best = std::move(sampler);
    }
    const TopicModel model = best->ToModel();
    std::vector<std::vector<double>> cost(5, std::vector<double>(5));
    for (int32_t learned = 0; learned < 5; ++learned) {
      std::vector<double> phi(static_cast<std::size_t>(model.num_words()));
      for (int32_t w = 0; w < model.num_words(); ++w) phi[w] = model.Phi(learned, w);
      for (int32_t truth = 0; truth < 5; ++truth) cost[learned][truth] = JensenShannon(phi, planted.phi[truth]);
    }
    EXPECT_LT(MatchTopics(cost), 0.02) << "threads " << threads;
  }
}

TEST(LdaSamplerTest, LikelihoodAndHeldOutPerplexityImproveWithIterations) {
  auto planted = MakePlantedCorpus(6, 12, 700, 40, 77);
  auto split = SplitCorpus(planted.corpus, 0.2, 1);
  ASSERT_TRUE(split.ok());
  LdaOptions options{.num_topics = 6, .threads = 2, .seed = 3};
  auto sampler = MustMake(split->first, options);
  const double ll0 = sampler->LogLikelihood();
  sampler->Iterate();
  auto early = DocumentCompletionPerplexity(sampler->ToModel(), split->second, {});
  ASSERT_TRUE(early.ok());
  for (int i = 0; i < 60; ++i) sampler->Iterate();
  auto late = DocumentCompletionPerplexity(sampler->ToModel(), split->second, {});
  ASSERT_TRUE(late.ok());
  EXPECT_GT(sampler->LogLikelihood(), ll0);
  EXPECT_LT(*late, *early * 0.9);
  // A perfect model scores 10 words per document-topic pair at best; a uniform one 72.
  EXPECT_LT(*late, 30);
}

TEST(LdaSamplerTest, LearnsAsymmetricAlpha) {
  // Documents draw theta from Dirichlet(1.0, 0.2, 0.2): the learned alpha of the common
  // topic must come out well above the others (Minka's fixed point recovers the ratio ~5).
  Corpus corpus;
  for (int w = 0; w < 30; ++w) corpus.vocab.Add("w" + std::to_string(w));
  Rng rng(5);
  auto gamma = [&rng](double shape) {
    // Marsaglia-Tsang, with the shape < 1 boost.
    const double boost = shape < 1 ? std::pow(rng.Uniform(), 1.0 / shape) : 1.0;
    const double d = (shape < 1 ? shape + 1 : shape) - 1.0 / 3, c = 1 / std::sqrt(9 * d);
    while (true) {
      double x, v;
      do {
        const double u1 = rng.Uniform(), u2 = rng.Uniform();
        x = std::sqrt(-2 * std::log(u1 + 1e-300)) * std::cos(2 * M_PI * u2);
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      if (std::log(rng.Uniform() + 1e-300) < 0.5 * x * x + d - d * v + d * std::log(v)) return d * v * boost;
    }
  };
  const double true_alpha[3] = {1.0, 0.2, 0.2};
  for (int d = 0; d < 600; ++d) {
    double theta[3], sum = 0;
    for (int k = 0; k < 3; ++k) sum += theta[k] = gamma(true_alpha[k]);
    std::vector<int32_t> ids;
    for (int i = 0; i < 40; ++i) {
      double u = rng.Uniform() * sum;
      int k = 0;
      while (k < 2 && (u -= theta[k]) > 0) ++k;
      ids.push_back(k * 10 + static_cast<int32_t>(rng.Below(10)));
    }
    corpus.AddDocument(ids);
  }
  LdaOptions options{.num_topics = 3, .alpha = 0.5, .threads = 2, .seed = 1,
                     .optimize_alpha = true, .optimize_interval = 5, .burn_in = 20};
  auto sampler = MustMake(corpus, options);
  for (int i = 0; i < 100; ++i) sampler->Iterate();
  ASSERT_TRUE(sampler->CheckInvariants().ok());
  auto alpha = sampler->alpha();
  std::sort(alpha.begin(), alpha.end());
  EXPECT_GT(alpha[2], 2.5 * alpha[1]) << alpha[0] << " " << alpha[1] << " " << alpha[2];
  EXPECT_GT(alpha[2], 0.5);
  EXPECT_LT(alpha[2], 2.0);
}

TEST(LdaSamplerTest, RejectsBadSettings) {
  auto planted = MakePlantedCorpus(2, 3, 5, 5, 1);
  EXPECT_TRUE(LdaSampler::Make(planted.corpus, {.num_topics = 7}).status().IsInvalid());
  EXPECT_NE(LdaSampler::Make(planted.corpus, {.num_topics = 7}).status().message().find("larger than the vocabulary"),
            std::string::npos);
  EXPECT_TRUE(LdaSampler::Make(planted.corpus, {.num_topics = 0}).status().IsInvalid());
  EXPECT_TRUE(LdaSampler::Make(planted.corpus, {.num_topics = 2, .alpha = 0}).status().IsInvalid());
  EXPECT_TRUE(LdaSampler::Make(planted.corpus, {.num_topics = 2, .threads = 0}).status().IsInvalid());
  Corpus empty;
  empty.vocab.Add("a");
  empty.vocab.Add("b");
  EXPECT_TRUE(LdaSampler::Make(empty, {.num_topics = 2}).status().IsInvalid());
}

TEST(LdaSamplerTest, FoldInFindsTheDocumentsTopic) {
  auto planted = MakePlantedCorpus(4, 10, 400, 50, 8);
  auto sampler = MustMake(planted.corpus, {.num_topics = 4, .threads = 2, .seed = 2});
  for (int i = 0; i < 100; ++i) sampler->Iterate();
  const TopicModel model = sampler->ToModel();
  // A document of true topic 2's words only: one learned topic must take most of theta.
  std::vector<int32_t> doc;
  for (int i = 0; i < 40; ++i) doc.push_back(20 + i % 10);
  const auto theta = InferDocTopics(model, doc, {}, 1);
  EXPECT_GT(*std::max_element(theta.begin(), theta.end()), 0.9);
  EXPECT_EQ(theta, InferDocTopics(model, doc, {}, 1));  // reproducible
}

}  // namespace
}  // namespace hashlake::topics
