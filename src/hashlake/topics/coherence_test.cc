#include "hashlake/topics/coherence.h"

#include <cmath>

#include <gtest/gtest.h>

namespace hashlake::topics {
namespace {

Corpus MakeTexts(const std::vector<std::vector<std::string>>& docs) {
  TokenizedDocs tokenized;
  tokenized.docs = docs;
  auto corpus = BuildCorpus(tokenized, {});
  EXPECT_TRUE(corpus.ok());
  return *corpus;
}

std::vector<int32_t> Ids(const Corpus& c, const std::vector<std::string>& words) {
  std::vector<int32_t> out;
  for (const auto& w : words) out.push_back(*c.vocab.Find(w));
  return out;
}

TEST(CoherenceTest, UMassByHand) {
  const Corpus texts = MakeTexts({{"a", "b", "c"}, {"a", "b"}, {"c", "d"}});
  auto result = ComputeCoherence({Ids(texts, {"a", "b"}), Ids(texts, {"c", "d"})}, texts,
                                 CoherenceMeasure::kUMass);
  ASSERT_TRUE(result.ok());
  EXPECT_NEAR(result->per_topic[0], std::log((2.0 / 3 + 1e-12) / (2.0 / 3)), 1e-15);
  EXPECT_NEAR(result->per_topic[1], std::log((1.0 / 3 + 1e-12) / (2.0 / 3)), 1e-15);
  EXPECT_NEAR(result->mean, (result->per_topic[0] + result->per_topic[1]) / 2, 1e-15);
}

TEST(CoherenceTest, NpmiByHand) {
  const Corpus texts = MakeTexts({{"a", "b", "c"}, {"a", "b"}, {"c", "d"}});
  auto result = ComputeCoherence({Ids(texts, {"a", "b"}), Ids(texts, {"c", "d"})}, texts,
                                 CoherenceMeasure::kCNpmi);
  ASSERT_TRUE(result.ok());
  const double ab = std::log((2.0 / 3 + 1e-12) / (4.0 / 9)) / -std::log(2.0 / 3 + 1e-12);
  const double cd = std::log((1.0 / 3 + 1e-12) / (2.0 / 9)) / -std::log(1.0 / 3 + 1e-12);
  EXPECT_NEAR(result->per_topic[0], ab, 1e-12);
  EXPECT_NEAR(result->per_topic[1], cd, 1e-12);
}

// gensim drops the word leaving the window from the window's word set even when it is
// still inside: in "a a b" with window 2 the second window [a, b] counts only b.
TEST(CoherenceTest, SlidingWindowKeepsGensimsEdgeBehaviour) {
  const Corpus texts = MakeTexts({{"a", "a", "b"}});
  auto result = ComputeCoherence({Ids(texts, {"a", "b"})}, texts, CoherenceMeasure::kCNpmi, 2);
  ASSERT_TRUE(result.ok());
  // 2 windows; occurrences a = 1, b = 1; co-occurrence 0.
  const double expected = std::log((0.0 + 1e-12) / (0.5 * 0.5)) / -std::log(1e-12);
  EXPECT_NEAR(result->per_topic[0], expected, 1e-12);
}

TEST(CoherenceTest, CvIsACosineMean) {
  const Corpus texts = MakeTexts({{"a", "b", "c", "x"}, {"a", "b", "y"}, {"c", "d", "z"}, {"q"}});
  auto result = ComputeCoherence({Ids(texts, {"a", "b", "c"}), Ids(texts, {"c", "d", "a"})}, texts,
                                 CoherenceMeasure::kCv);
  ASSERT_TRUE(result.ok());
  for (double v : result->per_topic) {
    EXPECT_GE(v, -1.0);
    EXPECT_LE(v, 1.0);
  }
  EXPECT_GT(result->per_topic[0], result->per_topic[1]);
}

TEST(CoherenceTest, RejectsBadTopics) {
  const Corpus texts = MakeTexts({{"a", "b"}});
  EXPECT_TRUE(ComputeCoherence({}, texts, CoherenceMeasure::kCv).status().IsInvalid());
  EXPECT_TRUE(ComputeCoherence({{0}}, texts, CoherenceMeasure::kCv).status().IsInvalid());
  EXPECT_TRUE(ComputeCoherence({{0, 9}}, texts, CoherenceMeasure::kCv).status().IsInvalid());
}

}  // namespace
}  // namespace hashlake::topics
