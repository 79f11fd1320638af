#include "hashlake/topics/model_io.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "hashlake/topics/inference.h"
#include "hashlake/topics/lda.h"
#include "hashlake/topics/test_corpora_internal.h"

namespace hashlake::topics {
namespace {

TopicModel Trained(Corpus* corpus) {
  auto planted = testing::MakePlantedCorpus(3, 6, 80, 20, 1);
  *corpus = planted.corpus;
  auto sampler = LdaSampler::Make(*corpus, {.num_topics = 3, .threads = 2, .seed = 3,
                                            .optimize_alpha = true, .optimize_interval = 5,
                                            .burn_in = 5});
  EXPECT_TRUE(sampler.ok());
  for (int i = 0; i < 20; ++i) (*sampler)->Iterate();
  return (*sampler)->ToModel();
}

TEST(ModelIoTest, SavedModelLoadsAndInfersTheSame) {
  Corpus corpus;
  const TopicModel model = Trained(&corpus);
  const auto path = std::filesystem::temp_directory_path() / "hashlake_topics_model.hltm";
  ASSERT_TRUE(SaveModel(model, path.string()).ok());
  auto loaded = LoadModel(path.string());
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->word_topic, model.word_topic);
  EXPECT_EQ(loaded->alpha, model.alpha);
  EXPECT_EQ(loaded->vocab, model.vocab);
  EXPECT_EQ(loaded->params_json, model.params_json);
  for (int64_t d = 0; d < 5; ++d) {
    EXPECT_EQ(InferDocTopics(model, corpus.doc(d), {}, d), InferDocTopics(*loaded, corpus.doc(d), {}, d));
  }
}

TEST(ModelIoTest, EveryTruncationAndBitFlipIsAnError) {
  Corpus corpus;
  const std::string bytes = EncodeModel(Trained(&corpus));
  for (std::size_t n = 0; n < bytes.size(); n += 7) {
    EXPECT_FALSE(DecodeModel(std::string_view(bytes).substr(0, n)).ok()) << "length " << n;
  }
  for (std::size_t i = 0; i < bytes.size(); i += 5) {
    std::string bad = bytes;
    bad[i] = static_cast<char>(bad[i] ^ 0x20);
    EXPECT_FALSE(DecodeModel(bad).ok()) << "byte " << i;
  }
  EXPECT_TRUE(DecodeModel(bytes).ok());
}

}  // namespace
}  // namespace hashlake::topics
