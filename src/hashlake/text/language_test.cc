#include "hashlake/text/language.h"

#include <gtest/gtest.h>

#include <string>

namespace hashlake::text {
namespace {

void ExpectDetected(std::string_view text, std::string_view code) {
  DetectedLanguage got = DetectLanguage(text);
  EXPECT_EQ(got.code, code) << text;
  EXPECT_TRUE(got.reliable) << text;
}

TEST(DetectLanguageTest, RealSentences) {
  ExpectDetected("The weather was lovely this morning, so we walked along the river to town.",
                 "en");
  ExpectDetected("Ça va très bien à Montréal, nous avons passé une semaine magnifique ici.", "fr");
  ExpectDetected("Die Straße war gestern Abend wegen des Fußballspiels völlig überfüllt.", "de");
  ExpectDetected("Mañana vamos a la playa con mis amigos si no llueve demasiado.", "es");
  ExpectDetected("昨日は友達と一緒に東京の美術館へ行きました。とても楽しかったです。", "ja");
  ExpectDetected("ذهبت إلى السوق صباح اليوم واشتريت الخبز والفواكه لعائلتي.", "ar");
  ExpectDetected("Вчера мы гуляли по парку и разговаривали о новой книге.", "ru");
}

TEST(DetectLanguageTest, IgnoresUrlsAndMentions) {
  // CLD2 on this raw text says "en" (reliably): the handles and URL paths outweigh the
  // German sentence.
  const std::string text =
      "@the_world_news_today @breaking_news_live @best_news_of_the_day "
      "https://example.com/the-best-news-of-the-day-for-everyone-in-the-world-and-their-"
      "friends-and-family https://www.example.org/what-happened-today-in-the-news-and-why-it-"
      "matters Heute ist ein schöner Tag.";
  EXPECT_EQ(DetectLanguage(text).code, "de");
}

TEST(DetectLanguageTest, UnknownIsUnd) {
  EXPECT_EQ(DetectLanguage(""), (DetectedLanguage{"und", false}));
  EXPECT_FALSE(DetectLanguage("ok").reliable);
  EXPECT_FALSE(DetectLanguage("12345 !!! 😀").reliable);
  EXPECT_EQ(DetectLanguage("https://example.com @someone").code, "und");
}

TEST(DetectLanguageTest, SurvivesIllFormedUtf8) {
  std::string text = "Vchera my gulyali \xFF\xFE po parku i \xC3 razgovarivali \xE2\x82";
  DetectLanguage(text);  // must not crash (ASan checks reads)
  std::string german =
      "Die Stra\xC3\x9F"
      "e war gestern \xFF Abend wegen des Fu\xC3\x9F"
      "ballspiels v\xC3\xB6llig \xC3 \xC3\xBC"
      "berf\xC3\xBC"
      "llt.";
  EXPECT_EQ(DetectLanguage(german).code, "de");
}

TEST(LanguageTagTest, PrimarySubtag) {
  EXPECT_EQ(PrimaryLanguageSubtag("pt-BR"), "pt");
  EXPECT_EQ(PrimaryLanguageSubtag("zh_Hant"), "zh");
  EXPECT_EQ(PrimaryLanguageSubtag("EN"), "en");
  EXPECT_EQ(PrimaryLanguageSubtag(""), "");
}

TEST(LanguageTagTest, PseudoCodesNameNoLanguage) {
  for (std::string_view code :
       {"", "und", "zxx", "mul", "mis", "qme", "qht", "qam", "qct", "qst", "QME", "qaa", "qtz"}) {
    EXPECT_FALSE(NamesALanguage(code)) << code;
  }
  for (std::string_view code : {"en", "pt-BR", "ja", "zh-Hant", "quz", "haw"}) {
    EXPECT_TRUE(NamesALanguage(code)) << code;
  }
}

}  // namespace
}  // namespace hashlake::text
