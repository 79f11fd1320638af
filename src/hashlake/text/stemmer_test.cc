#include "hashlake/text/stemmer.h"

#include <gtest/gtest.h>

#include "hashlake/core/test_util.h"

namespace hashlake::text {
namespace {

TEST(StemmerTest, English) {
  ASSERT_OK_AND_ASSIGN(auto stemmer, Stemmer::Make("en"));
  EXPECT_EQ(stemmer->Stem("running"), "run");
  EXPECT_EQ(stemmer->Stem("connections"), "connect");
  EXPECT_EQ(stemmer->Stem("generously"), "generous");
  EXPECT_EQ(stemmer->Stem(""), "");
}

TEST(StemmerTest, SpanishAndRussian) {
  ASSERT_OK_AND_ASSIGN(auto es, Stemmer::Make("es-MX"));
  EXPECT_EQ(es->Stem("canciones"), "cancion");
  EXPECT_EQ(es->Stem("corriendo"), "corr");
  ASSERT_OK_AND_ASSIGN(auto ru, Stemmer::Make("ru"));
  EXPECT_EQ(ru->Stem("книги"), "книг");
  EXPECT_EQ(ru->Stem("красивая"), "красив");
}

TEST(StemmerTest, AcceptsAlgorithmNames) {
  ASSERT_OK_AND_ASSIGN(auto stemmer, Stemmer::Make("english"));
  EXPECT_EQ(stemmer->Stem("cats"), "cat");
}

TEST(StemmerTest, UnknownLanguageNamesTheAvailableOnes) {
  ASSERT_ERROR_CONTAINS(Stemmer::Make("ja"), "english");
  ASSERT_ERROR_CONTAINS(Stemmer::Make("ja"), "'ja'");
  ASSERT_ERROR_CONTAINS(Stemmer::Make(""), "russian");
  EXPECT_FALSE(Stemmer::Algorithms().empty());
}

TEST(StemmerTest, IllFormedUtf8IsReturnedUnchanged) {
  ASSERT_OK_AND_ASSIGN(auto stemmer, Stemmer::Make("en"));
  const std::string bad = "running\xFF";
  EXPECT_EQ(stemmer->Stem(bad), bad);
  EXPECT_EQ(stemmer->Stem("running"), "run");
}

}  // namespace
}  // namespace hashlake::text
