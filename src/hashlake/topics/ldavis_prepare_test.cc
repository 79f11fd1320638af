#include "hashlake/topics/ldavis_prepare.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "hashlake/core/test_util.h"

namespace hashlake::topics {
namespace {

// A fixture small enough to check by hand; the expected values below are what pyLDAvis 3.4.1
// prepare(phi, theta, lengths, vocab, tf, R=3, lambda_step=0.5, mds='pcoa') returns.
LdavisInputs Fixture() {
  LdavisInputs in;
  in.num_topics = 3;
  in.vocab = {"apple", "berry", "cider", "date", "elder", "fig"};
  in.topic_term = {0.4,  0.3,  0.1, 0.1, 0.05, 0.05,  // topic 0
                   0.05, 0.05, 0.5, 0.3, 0.05, 0.05,  // topic 1
                   0.1,  0.1,  0.1, 0.1, 0.3,  0.3};  // topic 2
  in.doc_topic = {0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.1, 0.1, 0.8, 0.3, 0.6, 0.1};
  in.doc_lengths = {10, 20, 5, 30};
  in.term_frequency = {1, 1, 1, 1, 1, 1};
  return in;
}

double Distance(const PreparedLdavis& p, int i, int j) {
  return std::hypot(p.x[i] - p.x[j], p.y[i] - p.y[j]);
}

std::vector<std::string> Terms(const PreparedLdavis& p, int32_t category) {
  std::vector<std::string> out;
  for (const auto& row : p.tinfo) {
    if (row.category == category) out.push_back(p.vocab[row.term]);
  }
  return out;
}

TEST(LdavisPrepareTest, MatchesPyLdavisOnFixture) {
  ASSERT_OK_AND_ASSIGN(auto p, PrepareLdavis(Fixture(), {.r = 3, .lambda_step = 0.5}));
  EXPECT_EQ(p.topic_order, (std::vector<int32_t>{2, 1, 3}));
  const std::vector<double> freq = {51.53846153846153, 33.07692307692307, 15.384615384615385};
  for (int t = 0; t < 3; ++t) EXPECT_NEAR(p.freq[t], freq[t], 1e-12);
  // Coordinates are unique up to reflection: compare pairwise distances.
  EXPECT_NEAR(Distance(p, 0, 1), 0.22593949365514393, 1e-12);
  EXPECT_NEAR(Distance(p, 0, 2), 0.20649395233112716, 1e-12);
  EXPECT_NEAR(Distance(p, 1, 2), 0.17340939823870452, 1e-12);
  EXPECT_NEAR(std::abs(p.x[0]), 0.13068192395482986, 1e-12);
  EXPECT_NEAR(std::abs(p.y[2]), 0.0934655901735492, 1e-12);

  // elder and fig tie on saliency: pyLDAvis keeps vocabulary order.
  EXPECT_EQ(Terms(p, 0), (std::vector<std::string>{"elder", "fig", "apple"}));
  EXPECT_EQ(Terms(p, 1), (std::vector<std::string>{"cider", "date", "elder", "apple"}));
  EXPECT_EQ(Terms(p, 2), (std::vector<std::string>{"apple", "berry", "elder", "date", "cider"}));
  EXPECT_EQ(Terms(p, 3), (std::vector<std::string>{"elder", "fig", "berry", "apple"}));
  const std::vector<double> logprob = {3,       2,       1,       -0.6931, -1.204,  -2.9957,
                                       -2.9957, -0.9163, -1.204,  -2.9957, -2.3026, -2.3026,
                                       -1.204,  -1.204,  -2.3026, -2.3026};
  const std::vector<double> loglift = {3,       2,      1,       0.4905,  0.3902,  -0.5705,
                                       -1.2439, 0.8355, 0.7594,  -0.5705, -0.7084, -1.1189,
                                       1.2212,  1.2212, -0.3392, -0.5508};
  const std::vector<double> freqs = {5,    5,     11,   16.75, 10.05, 1.675, 1.675, 8.6,
                                     6.45, 1.075, 2.15, 2.15,  3,     3,     1,     1};
  ASSERT_EQ(p.tinfo.size(), logprob.size());
  for (std::size_t i = 0; i < logprob.size(); ++i) {
    EXPECT_DOUBLE_EQ(p.tinfo[i].logprob, logprob[i]) << i;
    EXPECT_DOUBLE_EQ(p.tinfo[i].loglift, loglift[i]) << i;
    EXPECT_NEAR(p.tinfo[i].freq, freqs[i], 1e-12) << i;
  }
  // Token table: every tinfo term in every topic with >= 0.5 tokens, by term then topic.
  ASSERT_EQ(p.token_table.size(), 18u);
  EXPECT_EQ(p.vocab[p.token_table[0].term], "apple");
  EXPECT_EQ(p.token_table[0].topic, 1);
  EXPECT_NEAR(p.token_table[0].freq, 0.17738359201773835, 1e-12);
  EXPECT_NEAR(p.token_table[6].freq, 0.8542713567839196, 1e-12);
  EXPECT_EQ(p.vocab[p.token_table[17].term], "fig");
}

TEST(LdavisPrepareTest, SaliencyAndRelevanceFollowTheirDefinitions) {
  const LdavisInputs in = Fixture();
  ASSERT_OK_AND_ASSIGN(auto p, PrepareLdavis(in, {.r = 6, .lambda_step = 0.1}));
  // Saliency(w) = p(w) * KL(p(t|w) || p(t)), recomputed here from the displayed quantities.
  double total = 0;
  for (double c : p.term_total) total += c;
  for (int32_t w = 0; w < 6; ++w) {
    double column = 0;
    for (int32_t t = 0; t < 3; ++t) column += in.topic_term[t * 6 + w];
    double kl = 0;
    for (int32_t t = 0; t < 3; ++t) {
      const int32_t o = p.topic_order[t] - 1;
      const double given = in.topic_term[o * 6 + w] / column;
      kl += given * std::log(given / (p.freq[t] / 100));
    }
    EXPECT_NEAR(p.saliency[w], p.term_total[w] / total * kl, 1e-15) << w;
  }
  // With R = V every topic lists all terms; lambda = 1 ranks by phi.
  const std::vector<int32_t> by_phi = p.SortedTerms(1, 1.0);
  ASSERT_EQ(by_phi.size(), 6u);
  const int32_t top = p.topic_order[0] - 1;
  for (std::size_t i = 1; i < by_phi.size(); ++i) {
    EXPECT_GE(in.topic_term[top * 6 + by_phi[i - 1]], in.topic_term[top * 6 + by_phi[i]]);
  }
  EXPECT_EQ(p.vocab[by_phi[0]], "cider");
  EXPECT_EQ(p.vocab[p.SortedTerms(3, 0.0)[0]], "elder");
}

TEST(LdavisPrepareTest, ModelInputsUseTopicTotals) {
  TopicModel model;
  model.num_topics = 2;
  model.vocab = {"a", "b", "c"};
  model.alpha = {0.1, 0.1};
  model.beta = 0.01;
  model.word_topic = {5, 0, 1, 3, 0, 7};  // [w * K + k]
  model.topic_totals = {6, 10};
  const LdavisInputs in = LdavisInputsFromModel(model);
  EXPECT_EQ(in.term_frequency, (std::vector<double>{5, 4, 7}));
  ASSERT_OK_AND_ASSIGN(auto p, PrepareLdavis(in));
  EXPECT_EQ(p.r, 3);  // capped at V
  EXPECT_EQ(p.topic_order, (std::vector<int32_t>{2, 1}));
  EXPECT_NEAR(p.freq[0], 62.5, 1e-12);
  EXPECT_NEAR(p.freq[1], 37.5, 1e-12);
  EXPECT_NEAR(p.term_total[0] + p.term_total[1] + p.term_total[2], 16, 1e-9);
  // Two topics: the second axis collapses, the first holds the JS divergence.
  EXPECT_EQ(p.y[0], 0.0);
  EXPECT_GT(std::abs(p.x[0] - p.x[1]), 0.1);
}

TEST(LdavisPrepareTest, InputsJsonRoundTrips) {
  const LdavisInputs in = Fixture();
  ASSERT_OK_AND_ASSIGN(auto back, ParseLdavisInputs(LdavisInputsJson(in)));
  EXPECT_EQ(back.num_topics, 3);
  EXPECT_EQ(back.vocab, in.vocab);
  EXPECT_EQ(back.topic_term, in.topic_term);
  EXPECT_EQ(back.doc_topic, in.doc_topic);
  EXPECT_EQ(back.doc_lengths, in.doc_lengths);
  ASSERT_OK_AND_ASSIGN(auto p, PrepareLdavis(back));
  const std::string json = PreparedLdavisJson(p);
  for (const char* key : {"\"mdsDat\"", "\"tinfo\"", "\"token.table\"", "\"R\":6",
                          "\"lambda.step\":0.01", "\"plot.opts\"", "\"topic.order\":[2,1,3]"}) {
    EXPECT_NE(json.find(key), std::string::npos) << key;
  }
}

TEST(LdavisPrepareTest, BadInputsAreErrors) {
  EXPECT_FALSE(ParseLdavisInputs("{").ok());
  EXPECT_FALSE(ParseLdavisInputs("[]").ok());
  EXPECT_FALSE(ParseLdavisInputs(R"({"topic_term_dists":[[1],[0.5,0.5]],"doc_topic_dists":[],
      "doc_lengths":[],"vocab":["a"],"term_frequency":[1]})")
                   .ok());
  EXPECT_FALSE(ParseLdavisInputs(R"({"topic_term_dists":[[1]],"doc_topic_dists":[[1]],
      "doc_lengths":[1,2],"vocab":["a"],"term_frequency":[1]})")
                   .ok());
  EXPECT_FALSE(ParseLdavisInputs(R"({"topic_term_dists":[[1]],"doc_topic_dists":[[1]],
      "doc_lengths":[1],"vocab":[3],"term_frequency":[1]})")
                   .ok());

  LdavisInputs in = Fixture();
  in.topic_term[0] = 0.2;  // row sums to 0.8
  EXPECT_TRUE(PrepareLdavis(in).status().IsInvalid());
  in = Fixture();
  in.topic_term[1] = 0;  // log(0) has no relevance
  in.topic_term[0] = 0.7;
  EXPECT_TRUE(PrepareLdavis(in).status().IsInvalid());
  in = Fixture();
  in.doc_topic.pop_back();
  EXPECT_TRUE(PrepareLdavis(in).status().IsInvalid());
  in = Fixture();
  in.doc_lengths.assign(4, 0);
  EXPECT_TRUE(PrepareLdavis(in).status().IsInvalid());
  EXPECT_TRUE(PrepareLdavis(Fixture(), {.r = 3, .lambda_step = 0}).status().IsInvalid());
  EXPECT_TRUE(PrepareLdavis(Fixture(), {.r = 0, .lambda_step = 0.1}).status().IsInvalid());
}

}  // namespace
}  // namespace hashlake::topics
