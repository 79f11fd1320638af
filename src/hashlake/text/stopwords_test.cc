#include "hashlake/text/stopwords.h"

#include <gtest/gtest.h>

#include "hashlake/text/normalize.h"

namespace hashlake::text {
namespace {

TEST(StopwordsTest, HasEveryLanguageOfStopwordsIso) {
  std::vector<std::string_view> languages = StopwordLanguages();
  EXPECT_EQ(languages.size(), 58u);  // stopwords-iso 1.1.0
  EXPECT_TRUE(std::is_sorted(languages.begin(), languages.end()));
  for (std::string_view lang : languages) {
    const StopwordSet* set = Stopwords(lang);
    ASSERT_NE(set, nullptr) << lang;
    EXPECT_EQ(set->language(), lang);
    EXPECT_GT(set->size(), 0u) << lang;
  }
  EXPECT_GT(Stopwords("en")->size(), 1000u);  // stopwords-iso's English list has 1,298
}

TEST(StopwordsTest, UsesThePrimarySubtagOfBcp47Tags) {
  ASSERT_NE(Stopwords("pt"), nullptr);
  EXPECT_EQ(Stopwords("pt-BR"), Stopwords("pt"));
  EXPECT_EQ(Stopwords("PT_br"), Stopwords("pt"));
  EXPECT_EQ(Stopwords("zh-Hant"), Stopwords("zh"));
  EXPECT_EQ(Stopwords("und"), nullptr);
  EXPECT_EQ(Stopwords("xx"), nullptr);
  EXPECT_EQ(Stopwords(""), nullptr);
}

TEST(StopwordsTest, ContainsFoldedWordsOfEachScript) {
  EXPECT_TRUE(Stopwords("en")->Contains("the"));
  EXPECT_FALSE(Stopwords("en")->Contains("love"));
  EXPECT_TRUE(Stopwords("fr")->Contains("très"));
  EXPECT_TRUE(Stopwords("es")->Contains("muy"));
  EXPECT_TRUE(Stopwords("ru")->Contains("и"));
  EXPECT_TRUE(Stopwords("ar")->Contains("في"));
  EXPECT_TRUE(Stopwords("ja")->Contains("に"));
  EXPECT_TRUE(Stopwords("zh")->Contains("我们"));
  EXPECT_TRUE(Stopwords("th")->Contains("ที่"));
  EXPECT_FALSE(Stopwords("de")->Contains("the"));
}

TEST(StopwordsTest, ListIsFoldedLikeTokens) {
  // The German list writes "daß"; tokens are case-folded, where ß becomes "ss".
  EXPECT_TRUE(Stopwords("de")->Contains(FoldWord("daß")));
  EXPECT_TRUE(Stopwords("de")->Contains("dass"));
  EXPECT_FALSE(Stopwords("de")->Contains("daß"));  // an unfolded token never matches
  // The English list writes "don't"; a curly apostrophe folds to the same token.
  EXPECT_TRUE(Stopwords("en")->Contains(FoldWord("Don\u2019t")));
  EXPECT_TRUE(Stopwords("en")->Contains(FoldWord("THE")));
}

}  // namespace
}  // namespace hashlake::text
