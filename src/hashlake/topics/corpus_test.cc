#include "hashlake/topics/corpus.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "hashlake/topics/corpus_io.h"

namespace hashlake::topics {
namespace {

namespace fs = std::filesystem;

fs::path WriteTemp(const std::string& name, const std::string& contents) {
  const fs::path path = fs::temp_directory_path() / ("hashlake_topics_" + name);
  std::ofstream(path) << contents;
  return path;
}

TEST(CorpusTest, VocabularyFiltersByDocumentFrequencyAndStopwords) {
  TokenizedDocs docs;
  docs.docs = {{"the", "cat", "sat"}, {"the", "cat", "ran"}, {"the", "dog", "ran"}, {"the", "ox"}};
  VocabularyOptions options{.min_df = 2, .max_df_fraction = 0.9, .stopwords = {"ran"}};
  auto corpus = BuildCorpus(docs, options);
  ASSERT_TRUE(corpus.ok()) << corpus.status().ToString();
  // "the" is in all 4 (> 0.9), "sat"/"dog"/"ox" in 1, "ran" is a stopword: only "cat" stays,
  // so documents 3 and 4 become empty and are dropped.
  EXPECT_EQ(corpus->vocab.terms(), std::vector<std::string>{"cat"});
  EXPECT_EQ(corpus->num_docs(), 2);
  EXPECT_EQ(corpus->num_tokens(), 2);
}

TEST(CorpusTest, FiltersThatEmptyTheVocabularyAreAnError) {
  TokenizedDocs docs;
  docs.docs = {{"a"}, {"b"}};
  auto corpus = BuildCorpus(docs, {.min_df = 2});
  ASSERT_FALSE(corpus.ok());
  EXPECT_NE(corpus.status().message().find("left no terms"), std::string::npos);
  EXPECT_TRUE(BuildCorpus(TokenizedDocs{}, {}).status().IsInvalid());
}

TEST(CorpusTest, MaxTermsKeepsTheMostFrequent) {
  TokenizedDocs docs;
  docs.docs = {{"a", "a", "b", "c"}, {"a", "c", "d"}};
  auto corpus = BuildCorpus(docs, {.max_terms = 2});
  ASSERT_TRUE(corpus.ok());
  EXPECT_EQ(corpus->vocab.terms(), (std::vector<std::string>{"a", "c"}));
}

TEST(CorpusTest, SplitIsReproducibleAndDisjoint) {
  Corpus corpus;
  corpus.vocab.Add("x");
  for (int d = 0; d < 100; ++d) corpus.AddDocument(std::vector<int32_t>(static_cast<std::size_t>(d + 1), 0));
  auto a = SplitCorpus(corpus, 0.25, 3);
  auto b = SplitCorpus(corpus, 0.25, 3);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->second.num_docs(), 25);
  EXPECT_EQ(a->first.num_tokens() + a->second.num_tokens(), corpus.num_tokens());
  EXPECT_EQ(a->second.offsets, b->second.offsets);
  EXPECT_TRUE(SplitCorpus(corpus, 1.0, 3).status().IsInvalid());
}

TEST(CorpusIoTest, ReadsLdaC) {
  const auto vocab = WriteTemp("v.txt", "apple\nbanana\ncherry\n");
  const auto data = WriteTemp("d.dat", "2 0:2 2:1\n1 1:3\n");
  auto corpus = LoadLdaC(data.string(), vocab.string());
  ASSERT_TRUE(corpus.ok()) << corpus.status().ToString();
  EXPECT_EQ(corpus->num_docs(), 2);
  EXPECT_EQ(std::vector<int32_t>(corpus->doc(0).begin(), corpus->doc(0).end()),
            (std::vector<int32_t>{0, 0, 2}));
  EXPECT_EQ(corpus->num_tokens(), 6);
}

TEST(CorpusIoTest, MalformedLdaCIsAnErrorNamingTheLine) {
  const auto vocab = WriteTemp("v2.txt", "apple\nbanana\n");
  for (const std::string bad : {"1 0:x\n", "2 0:1\n", "1 7:1\n", "1 0:-2\n", "x 0:1\n", "1 01\n"}) {
    const auto data = WriteTemp("bad.dat", "1 0:1\n" + bad);
    auto corpus = LoadLdaC(data.string(), vocab.string());
    ASSERT_FALSE(corpus.ok()) << bad;
    EXPECT_NE(corpus.status().message().find(":2:"), std::string::npos) << corpus.status().message();
  }
  EXPECT_TRUE(LoadLdaC("/nonexistent/x.dat", vocab.string()).status().IsIOError());
}

TEST(CorpusIoTest, TextLinesWithLabels) {
  const auto text = WriteTemp("t.txt", "a b c\n\nb c\n");
  const auto labels = WriteTemp("l.txt", "1\n2\n3\n");
  auto docs = LoadTextLines(text.string(), nullptr, labels.string());
  ASSERT_TRUE(docs.ok());
  EXPECT_EQ(docs->docs.size(), 3u);
  EXPECT_EQ(docs->labels, (std::vector<int32_t>{1, 2, 3}));
  auto corpus = BuildCorpus(*docs, {});
  ASSERT_TRUE(corpus.ok());
  EXPECT_EQ(corpus->num_docs(), 2);  // the blank line has no tokens
  EXPECT_EQ(corpus->labels, (std::vector<int32_t>{1, 3}));
  const auto short_labels = WriteTemp("l2.txt", "1\n");
  EXPECT_TRUE(LoadTextLines(text.string(), nullptr, short_labels.string()).status().IsInvalid());
}

TEST(CorpusIoTest, ReadsTheApCorpus) {
  const fs::path dir = fs::path(HASHLAKE_SHARED_DATA) / "lda" / "ap";
  if (!fs::exists(dir / "ap.dat")) GTEST_SKIP() << dir << " is absent: real-data test skipped";
  auto corpus = LoadLdaC((dir / "ap.dat").string(), (dir / "vocab.txt").string());
  ASSERT_TRUE(corpus.ok()) << corpus.status().ToString();
  EXPECT_EQ(corpus->num_docs(), 2246);
  EXPECT_EQ(corpus->vocab.size(), 10473);
  EXPECT_EQ(corpus->num_tokens(), 435838);
}

}  // namespace
}  // namespace hashlake::topics
