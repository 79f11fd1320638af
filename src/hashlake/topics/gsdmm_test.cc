#include "hashlake/topics/gsdmm.h"

#include <gtest/gtest.h>

#include "hashlake/topics/inference.h"
#include "hashlake/topics/test_corpora_internal.h"

namespace hashlake::topics {
namespace {

// Short single-topic documents: each document's words come from one of 4 topics.
Corpus ShortTexts(std::vector<int32_t>* truth) {
  Corpus corpus;
  for (int w = 0; w < 40; ++w) corpus.vocab.Add("w" + std::to_string(w));
  Rng rng(9);
  for (int d = 0; d < 400; ++d) {
    const int32_t t = static_cast<int32_t>(rng.Below(4));
    truth->push_back(t);
    std::vector<int32_t> ids;
    for (int i = 0; i < 6; ++i) ids.push_back(t * 10 + static_cast<int32_t>(rng.Below(10)));
    corpus.AddDocument(ids);
  }
  return corpus;
}

TEST(GsdmmTest, ClustersShortTextsByTopic) {
  std::vector<int32_t> truth;
  const Corpus corpus = ShortTexts(&truth);
  auto sampler = GsdmmSampler::Make(corpus, {.num_clusters = 12, .seed = 4});
  ASSERT_TRUE(sampler.ok());
  for (int i = 0; i < 20; ++i) {
    (*sampler)->Iterate();
    ASSERT_TRUE((*sampler)->CheckInvariants().ok());
  }
  // Purity: documents of one true topic share a cluster.
  std::map<std::pair<int32_t, int32_t>, int> pairs;
  for (std::size_t d = 0; d < truth.size(); ++d) ++pairs[{(*sampler)->clusters()[d], truth[d]}];
  std::map<int32_t, int> best;
  for (const auto& [key, n] : pairs) best[key.first] = std::max(best[key.first], n);
  int pure = 0;
  for (const auto& [c, n] : best) pure += n;
  EXPECT_GE(pure, 396);
  EXPECT_LE((*sampler)->NonEmptyClusters(), 6);
  // The posterior of a fresh document points at the cluster of its topic.
  const TopicModel model = (*sampler)->ToModel();
  const std::vector<int32_t> doc = {30, 31, 35};
  const auto theta = InferDocTopics(model, doc, {}, 0);
  EXPECT_GT(*std::max_element(theta.begin(), theta.end()), 0.95);
}

TEST(GsdmmTest, DeterministicForASeed) {
  std::vector<int32_t> truth;
  const Corpus corpus = ShortTexts(&truth);
  auto a = GsdmmSampler::Make(corpus, {.num_clusters = 8, .seed = 2});
  auto b = GsdmmSampler::Make(corpus, {.num_clusters = 8, .seed = 2});
  for (int i = 0; i < 5; ++i) (*a)->Iterate(), (*b)->Iterate();
  EXPECT_EQ((*a)->clusters(), (*b)->clusters());
}

TEST(GsdmmTest, RejectsKLargerThanVocabulary) {
  std::vector<int32_t> truth;
  const Corpus corpus = ShortTexts(&truth);
  EXPECT_TRUE(GsdmmSampler::Make(corpus, {.num_clusters = 41}).status().IsInvalid());
}

}  // namespace
}  // namespace hashlake::topics
