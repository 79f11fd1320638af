#include "hashlake/text/normalize.h"

#include <gtest/gtest.h>

namespace hashlake::text {
namespace {

TEST(NormalizeHashtagTest, StripsSigilAndFoldsCase) {
  EXPECT_EQ(NormalizeHashtag("#WorldCup"), "worldcup");
  EXPECT_EQ(NormalizeHashtag("WorldCup"), "worldcup");
  EXPECT_EQ(NormalizeHashtag("＃Tokyo"), "tokyo");
  EXPECT_EQ(NormalizeHashtag("##x"), "#x");  // only one sigil is removed
}

TEST(NormalizeHashtagTest, AppliesNfkcAndFullCaseFolding) {
  EXPECT_EQ(NormalizeHashtag("ＷＯＲＬＤ"), "world");                 // fullwidth letters
  EXPECT_EQ(NormalizeHashtag("Cafe\xCC\x81"), "caf\xC3\xA9");         // e + combining acute
  EXPECT_EQ(NormalizeHashtag("CAFÉ"), "café");
  EXPECT_EQ(NormalizeHashtag("Straße"), "strasse");                   // full folding ß -> ss
  EXPECT_EQ(NormalizeHashtag("ΣΊΣΥΦΟΣ"), "σίσυφοσ");                  // final sigma folds to σ
  EXPECT_EQ(NormalizeHashtag("ﾃｽﾄ"), "テスト");                        // halfwidth katakana
  EXPECT_EQ(NormalizeHashtag("東京"), "東京");
  EXPECT_EQ(NormalizeHashtag("مصر"), "مصر");
  EXPECT_EQ(NormalizeHashtag("①"), "1");
}

TEST(NormalizeHashtagTest, IllFormedInputDoesNotCrash) {
  EXPECT_EQ(NormalizeHashtag("a\xFF"), "a\xEF\xBF\xBD");
  EXPECT_EQ(NormalizeHashtag(""), "");
}

TEST(FoldWordTest, NfkcCasefoldAndApostrophes) {
  EXPECT_EQ(FoldWord("Straße"), "strasse");
  EXPECT_EQ(FoldWord("ＣＡＦＥ́"), "café");
  EXPECT_EQ(FoldWord("Don’t"), "don't");
  EXPECT_EQ(FoldWord("soft­hyphen"), "softhyphen");  // default ignorable: removed
  EXPECT_EQ(FoldWord("ASCII Only"), "ascii only");
  EXPECT_EQ(FoldWord("bad\xFF"), "bad\xEF\xBF\xBD");
}

}  // namespace
}  // namespace hashlake::text
