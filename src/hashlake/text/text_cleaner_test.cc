#include "hashlake/text/text_cleaner.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "hashlake/core/test_util.h"

namespace hashlake::text {
namespace {

using Strings = std::vector<std::string>;

std::unique_ptr<TextCleaner> MakeCleaner(const TextCleanerOptions& options = {}) {
  auto cleaner = TextCleaner::Make(options);
  EXPECT_TRUE(cleaner.ok()) << cleaner.status().ToString();
  return std::move(cleaner).ValueOrDie();
}

CleanedText Clean(TextCleaner& cleaner, std::string_view text, std::string_view lang) {
  CleanedText out;
  cleaner.Clean(text, lang, &out);
  return out;
}

TEST(TextCleanerTest, RemovesStopwordsOfThePostsLanguage) {
  auto cleaner = MakeCleaner();
  EXPECT_EQ(Clean(*cleaner, "Ça va très bien à Montréal", "fr").tokens, (Strings{"montréal"}));
  EXPECT_EQ(Clean(*cleaner, "Die Straße ist nicht so schön, daß wir bleiben", "de").tokens,
            (Strings{"strasse", "schön", "bleiben"}));
  EXPECT_EQ(Clean(*cleaner, "我们今天去北京大学学习中文。", "zh").tokens,
            (Strings{"今天", "北京", "大学", "学习", "中文"}));
  EXPECT_EQ(Clean(*cleaner, "ภาษาไทยเป็นภาษาที่สวยงามมาก", "th").tokens,
            (Strings{"ภาษา", "ไทย", "ภาษา", "สวยงาม"}));
  // Only the post's own list: English "the" stays in a German post.
  EXPECT_EQ(Clean(*cleaner, "the Straße", "de").tokens, (Strings{"the", "strasse"}));
  // Hashtags and emoji are never stopwords.
  EXPECT_EQ(Clean(*cleaner, "#the 😀 the", "en").tokens, (Strings{"#the", "😀"}));
}

TEST(TextCleanerTest, KeepsEverythingWhenStopwordsAreOff) {
  auto cleaner = MakeCleaner({.remove_stopwords = false});
  EXPECT_EQ(
      Clean(*cleaner, "Ça va très bien à Montréal @bob https://x.org #Café 👍🏽", "fr")
          .tokens,
      (Strings{"ça", "va", "très", "bien", "montréal", "#café", "👍🏽"}));  // "à" < 2 chars
}

TEST(TextCleanerTest, MinTokenCharsCountsCodePointsAndSparesCjk) {
  auto cleaner = MakeCleaner({.remove_stopwords = false, .min_token_chars = 3});
  EXPECT_EQ(Clean(*cleaner, "ab abc çé çéà 東 😀 #x", "en").tokens,
            (Strings{"abc", "çéà", "東", "😀", "#x"}));
}

TEST(TextCleanerTest, StemsWordsOnly) {
  auto cleaner = MakeCleaner({.stem = true});
  EXPECT_EQ(Clean(*cleaner, "Running connections #Running 😀", "en").tokens,
            (Strings{"run", "connect", "#running", "😀"}));
  EXPECT_EQ(Clean(*cleaner, "canciones corriendo", "es").tokens, (Strings{"cancion", "corr"}));
  EXPECT_EQ(Clean(*cleaner, "Красивые книги", "ru").tokens, (Strings{"красив", "книг"}));
  // No Snowball algorithm for Japanese: words pass unchanged.
  EXPECT_EQ(Clean(*cleaner, "東京", "ja").tokens, (Strings{"東京"}));
}

TEST(TextCleanerTest, LanguageIsGivenDetectedOrUnd) {
  auto cleaner = MakeCleaner();
  const std::string french = "Nous avons passé une semaine magnifique à Montréal avec nos amis.";
  CleanedText out = Clean(*cleaner, french, "pt-BR");
  EXPECT_EQ(out.lang, "pt-BR");  // given wins, even when wrong
  EXPECT_FALSE(out.lang_detected);
  for (std::string_view pseudo : {"", "und", "qme", "zxx"}) {
    out = Clean(*cleaner, french, pseudo);
    EXPECT_EQ(out.lang, "fr") << pseudo;
    EXPECT_TRUE(out.lang_detected);
    EXPECT_EQ(out.tokens, (Strings{"semaine", "magnifique", "montréal", "amis"}));
  }
  out = Clean(*cleaner, "ok 👍", "");
  EXPECT_EQ(out.lang, "und");
  EXPECT_FALSE(out.lang_detected);
  EXPECT_EQ(out.tokens, (Strings{"ok", "👍"}));  // unknown language: no stopwords removed

  auto no_detection = MakeCleaner({.detect_language = false});
  out = Clean(*no_detection, french, "und");
  EXPECT_EQ(out.lang, "und");
  EXPECT_FALSE(out.lang_detected);
}

TEST(TextCleanerTest, MaxTokensAndReuse) {
  auto cleaner = MakeCleaner({.remove_stopwords = false, .max_tokens = 3});
  CleanedText out;
  cleaner->Clean("one two three four five", "en", &out);
  EXPECT_EQ(out.tokens, (Strings{"one", "two", "three"}));
  cleaner->Clean("six", "en", &out);  // the same CleanedText: old tokens do not leak
  EXPECT_EQ(out.tokens, (Strings{"six"}));
  EXPECT_FALSE(TextCleaner::Make({.max_tokens = 0}).ok());
}

TEST(TextCleanerTest, NeverFailsOnBadOrHugeInput) {
  auto cleaner = MakeCleaner();
  CleanedText out;
  cleaner->Clean("", "", &out);
  EXPECT_TRUE(out.tokens.empty());
  EXPECT_EQ(out.lang, "und");
  cleaner->Clean("\xFF\xFE\xC3 caf\xC3 \xF0\x9F\x98 #\xFF @\xFF", "", &out);
  EXPECT_EQ(out.tokens, (Strings{"caf"}));
  std::string huge;
  while (huge.size() < (1 << 20)) huge += "Nous avons passé une semaine \xFF à Montréal 東京 😀 ";
  cleaner->Clean(huge, "", &out);
  EXPECT_EQ(out.lang, "fr");
  EXPECT_EQ(out.tokens.size(), 512u);
}

}  // namespace
}  // namespace hashlake::text
