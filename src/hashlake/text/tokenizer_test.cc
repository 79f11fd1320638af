#include "hashlake/text/tokenizer.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "hashlake/core/test_util.h"

namespace hashlake::text {
namespace {

using Tokens = std::vector<std::pair<std::string, TokenKind>>;
constexpr TokenKind W = TokenKind::kWord;
constexpr TokenKind C = TokenKind::kCjkWord;
constexpr TokenKind H = TokenKind::kHashtag;
constexpr TokenKind E = TokenKind::kEmoji;

class TokenizerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(tokenizer_, Tokenizer::Make());
    ASSERT_OK_AND_ASSIGN(icu_only_, Tokenizer::Make({.ascii_fast_path = false}));
  }
  // The tokens, after checking that the ASCII fast path changes nothing.
  Tokens Tok(std::string_view text) {
    Tokens fast = tokenizer_->Tokenize(text);
    EXPECT_EQ(fast, icu_only_->Tokenize(text)) << text;
    return fast;
  }
  std::unique_ptr<Tokenizer> tokenizer_;
  std::unique_ptr<Tokenizer> icu_only_;
};

TEST_F(TokenizerTest, LatinWithAccentsIsFoldedNotStripped) {
  EXPECT_EQ(Tok("Ça va très bien à Montréal!"),
            (Tokens{{"ça", W}, {"va", W}, {"très", W}, {"bien", W}, {"à", W}, {"montréal", W}}));
  // NFKC: "ﬁ" ligature and fullwidth letters; decomposed é composes.
  EXPECT_EQ(Tok("ﬁne ＣＡＦＥ Cafe\u0301"), (Tokens{{"fine", W}, {"cafe", W}, {"café", W}}));
}

TEST_F(TokenizerTest, GermanSharpSAndCaseFolding) {
  EXPECT_EQ(Tok("Die STRASSE, die Straße: GRÜẞE"),
            (Tokens{{"die", W}, {"strasse", W}, {"die", W}, {"strasse", W}, {"grüsse", W}}));
}

TEST_F(TokenizerTest, ApostrophesNumbersAndPunctuation) {
  // U+2019 folds to "'" (stopword lists use "'"); numbers alone are dropped, words with
  // digits are kept; ICU keeps "e.g" and "x_y" whole (UAX #29 MidNumLet, ExtendNumLet).
  EXPECT_EQ(Tok("Don\u2019t stop: it's 3.14 or 1,000 -- covid19 2021 e.g. x_y ..."),
            (Tokens{{"don't", W},
                    {"stop", W},
                    {"it's", W},
                    {"or", W},
                    {"covid19", W},
                    {"e.g", W},
                    {"x_y", W}}));
}

TEST_F(TokenizerTest, JapaneseAndChineseByDictionary) {
  // ICU's CJ dictionary; the verb ending まし|た is cut by the dictionary's costs, not
  // by grammar, so "ました" is "ま" + "した".
  EXPECT_EQ(Tok("東京に行きました。日本語を勉強しています。"), (Tokens{{"東京", C},
                                                                       {"に", C},
                                                                       {"行き", C},
                                                                       {"ま", C},
                                                                       {"した", C},
                                                                       {"日本語", C},
                                                                       {"を", C},
                                                                       {"勉強", C},
                                                                       {"し", C},
                                                                       {"てい", C},
                                                                       {"ます", C}}));
  EXPECT_EQ(Tok("我们今天去北京大学学习中文。"), (Tokens{{"我们", C},
                                                         {"今天", C},
                                                         {"去", C},
                                                         {"北京", C},
                                                         {"大学", C},
                                                         {"学习", C},
                                                         {"中文", C}}));
  EXPECT_EQ(Tok("서울에 갑니다"), (Tokens{{"서울에", C}, {"갑니다", C}}));  // by spaces
}

TEST_F(TokenizerTest, ArabicAndThai) {
  EXPECT_EQ(Tok("مرحبا بكم في مدينة القاهرة!"),
            (Tokens{{"مرحبا", W}, {"بكم", W}, {"في", W}, {"مدينة", W}, {"القاهرة", W}}));
  // Thai has no spaces between words: ICU's Thai dictionary cuts them.
  EXPECT_EQ(
      Tok("ภาษาไทยเป็นภาษาที่สวยงามมาก"),
      (Tokens{
          {"ภาษา", W}, {"ไทย", W}, {"เป็น", W}, {"ภาษา", W}, {"ที่", W}, {"สวยงาม", W}, {"มาก", W}}));
}

TEST_F(TokenizerTest, EmojiSequencesAreOneTokenEach) {
  const std::string family = "\U0001F468\u200D\U0001F469\u200D\U0001F467";  // 👨‍👩‍👧
  const std::string rainbow = "\U0001F3F3\uFE0F\u200D\U0001F308";           // 🏳️‍🌈
  const std::string england =
      "\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F";
  EXPECT_EQ(Tok("Family" + family + "flags 🇯🇵🇫🇷 " + rainbow + england), (Tokens{{"family", W},
                                                                                {family, E},
                                                                                {"flags", W},
                                                                                {"🇯🇵", E},
                                                                                {"🇫🇷", E},
                                                                                {rainbow, E},
                                                                                {england, E}}));
  EXPECT_EQ(Tok("thumbs👍🏽👍🏿 ok"),
            (Tokens{{"thumbs", W}, {"👍🏽", E}, {"👍🏿", E}, {"ok", W}}));
  // A lone emoji's variation selector only picks a glyph: "❤️" and "❤" are one token.
  EXPECT_EQ(Tok("❤️ ❤ 😀😀"), (Tokens{{"❤", E}, {"❤", E}, {"😀", E}, {"😀", E}}));
  // Typographic symbols below U+2600 are not emoji (and not words).
  EXPECT_EQ(Tok("© 2024 ACME™ ↔"), (Tokens{{"acmetm", W}}));
}

TEST_F(TokenizerTest, HashtagsAreOneTokenNormalizedLikeTheHashtagsColumn) {
  EXPECT_EQ(Tok("#Café and #東京 or #مرحبا, #café_au_lait #日本語 ＃ＷＯＲＬＤ #123"),
            (Tokens{{"#café", H},
                    {"and", W},
                    {"#東京", H},
                    {"or", W},
                    {"#مرحبا", H},
                    {"#café_au_lait", H},
                    {"#日本語", H},
                    {"#world", H}}));
  // No tag inside words or URLs: the words around stay words.
  EXPECT_EQ(Tok("a#b https://x.org/#frag"), (Tokens{{"a", W}, {"b", W}}));
}

TEST_F(TokenizerTest, MentionsUrlsAndCharacterReferencesAreRemoved) {
  EXPECT_EQ(Tok("hi @alice@mastodon.social and @bob: see https://example.com/Some_Path?q=1 "
                "and www.test.org/page. Tom &amp; Jerry&#39;s &#x1F600; AT&T;"),
            (Tokens{{"hi", W},
                    {"and", W},
                    {"see", W},
                    {"and", W},
                    {"tom", W},
                    {"jerry", W},
                    {"s", W},
                    {"at", W},
                    {"t", W}}));
}

TEST_F(TokenizerTest, EmptyAndIllFormedInput) {
  EXPECT_TRUE(Tok("").empty());
  EXPECT_TRUE(Tok("   \n\t  ").empty());
  EXPECT_EQ(Tok("caf\xC3 bad\xFF\xFEword \xE2\x82 #ta\xFFg \xF0\x9F\x98"),
            (Tokens{{"caf", W}, {"bad", W}, {"word", W}, {"#ta", H}, {"g", W}}));
}

TEST_F(TokenizerTest, VisitorCanStop) {
  int seen = 0;
  tokenizer_->ForEachToken("one two three four", [&seen](const Token&) { return ++seen < 2; });
  EXPECT_EQ(seen, 2);
}

TEST_F(TokenizerTest, OneMegabyteOfMixedText) {
  std::string text;
  const std::string piece =
      "Ça va #Café 👨‍👩‍👧 東京に行きました @bob https://x.org \xFF ok ";
  while (text.size() < (1 << 20)) text += piece;
  std::size_t n = 0;
  tokenizer_->ForEachToken(text, [&n](const Token&) { return ++n, true; });
  EXPECT_GT(n, text.size() / piece.size() * 8);
}

TEST_F(TokenizerTest, FastPathMatchesIcuOnRandomText) {
  const std::vector<std::string> pieces = {
      "a",  "Z", "0", "_", ".",    "'", ",",  ";", ":",      " ", "\n",
      "\r", "#", "@", "&", "amp;", "é", "東", "😀", "\u2019", "ß", "http://x.y/z"};
  std::mt19937 rng(7);
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
  for (int i = 0; i < 5000; ++i) {
    std::string s;
    for (int n = static_cast<int>(rng() % 30); n > 0; --n) s += pieces[pick(rng)];
    ASSERT_EQ(tokenizer_->Tokenize(s), icu_only_->Tokenize(s)) << s;
  }
}

TEST_F(TokenizerTest, FastPathMatchesIcuOnRealPosts) {
  const std::string path =
      std::string(HASHLAKE_SHARED_DATA) + "/tweets/twitter_v2/twarc-csv_withheld.jsonl";
  std::ifstream in(path);
  if (!in) GTEST_SKIP() << path << " is absent (shared data not mounted)";
  simdjson::dom::parser parser;
  std::string line;
  std::size_t posts = 0;
  while (std::getline(in, line)) {
    simdjson::dom::element doc;
    if (parser.parse(line).get(doc) != simdjson::SUCCESS) continue;
    simdjson::dom::array data;
    if (doc["data"].get_array().get(data) != simdjson::SUCCESS) continue;
    for (simdjson::dom::element post : data) {
      std::string_view text;
      if (post["text"].get_string().get(text) != simdjson::SUCCESS) continue;
      ASSERT_EQ(tokenizer_->Tokenize(text), icu_only_->Tokenize(text)) << text;
      ++posts;
    }
  }
  EXPECT_GT(posts, 100u);
}

}  // namespace
}  // namespace hashlake::text
