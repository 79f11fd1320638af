#include "hashlake/text/extract.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace hashlake::text {
namespace {

using V = std::vector<std::string>;

TEST(ExtractHashtagsTest, BasicAscii) {
  EXPECT_EQ(ExtractHashtags("Go #Team and #WorldCup2026!"), (V{"team", "worldcup2026"}));
  EXPECT_EQ(ExtractHashtags("#start of text"), (V{"start"}));
  EXPECT_EQ(ExtractHashtags("(#paren) \"#quoted\""), (V{"paren", "quoted"}));
  EXPECT_EQ(ExtractHashtags("#snake_case_tag"), (V{"snake_case_tag"}));
  EXPECT_EQ(ExtractHashtags("#a #a"), (V{"a", "a"}));
}

TEST(ExtractHashtagsTest, NotHashtags) {
  EXPECT_EQ(ExtractHashtags("#123"), V{});        // all digits
  EXPECT_EQ(ExtractHashtags("#1_2"), V{});        // no letter
  EXPECT_EQ(ExtractHashtags("a#b"), V{});         // preceded by a letter
  EXPECT_EQ(ExtractHashtags("9#b"), V{});         // preceded by a digit
  EXPECT_EQ(ExtractHashtags("&#39;"), V{});       // HTML entity
  EXPECT_EQ(ExtractHashtags("# space"), V{});
  EXPECT_EQ(ExtractHashtags("#"), V{});
  EXPECT_EQ(ExtractHashtags("#foo#bar"), V{});    // followed by '#'
  EXPECT_EQ(ExtractHashtags("#️⃣ keycap"), V{});
  EXPECT_EQ(ExtractHashtags("日本#タグ"), V{});    // preceded by a CJK letter
}

TEST(ExtractHashtagsTest, DigitsWithLetterAreFine) {
  EXPECT_EQ(ExtractHashtags("#1a #2020年"), (V{"1a", "2020年"}));
}

TEST(ExtractHashtagsTest, UnicodeScripts) {
  EXPECT_EQ(ExtractHashtags("今日は #東京 です"), (V{"東京"}));
  EXPECT_EQ(ExtractHashtags("مرحبا #مصر"), (V{"مصر"}));
  EXPECT_EQ(ExtractHashtags("#Café au lait"), (V{"café"}));
  EXPECT_EQ(ExtractHashtags("#Cafe\xCC\x81!"), (V{"caf\xC3\xA9"}));  // combining mark is part
  EXPECT_EQ(ExtractHashtags("#हिन्दी"), (V{"हिन्दी"}));             // Devanagari with marks
  EXPECT_EQ(ExtractHashtags("#한국어 텍스트"), (V{"한국어"}));
  EXPECT_EQ(ExtractHashtags("＃ＷＯＲＬＤ"), (V{"world"}));         // fullwidth sign + letters
  EXPECT_EQ(ExtractHashtags("#ハッシュ・タグ"), (V{"ハッシュ・タグ"}));  // katakana middle dot
}

TEST(ExtractHashtagsTest, EmojiBoundaries) {
  EXPECT_EQ(ExtractHashtags("#party🎉 now"), (V{"party"}));
  EXPECT_EQ(ExtractHashtags("🎉#party"), (V{"party"}));
  EXPECT_EQ(ExtractHashtags("#love❤️#hate"), (V{"love", "hate"}));
}

TEST(ExtractHashtagsTest, UrlFragmentsAreNotHashtags) {
  EXPECT_EQ(ExtractHashtags("see https://example.com/#section and #real"), (V{"real"}));
  EXPECT_EQ(ExtractHashtags("https://example.com/page#frag"), V{});
  EXPECT_EQ(ExtractHashtags("www.example.com/#x"), V{});
  EXPECT_EQ(ExtractHashtags("#tag://host"), V{});
}

TEST(ExtractHashtagsTest, OffsetsAreBytes) {
  const auto e = ExtractHashtagEntities("é #x");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].value, "x");
  EXPECT_EQ(e[0].begin, 3u);
  EXPECT_EQ(e[0].end, 5u);
}

TEST(ExtractHashtagsTest, InvalidUtf8DoesNotCrash) {
  EXPECT_EQ(ExtractHashtags("#ab\xFF\xFE #cd"), (V{"ab", "cd"}));
  EXPECT_EQ(ExtractHashtags("\xFF#x"), (V{"x"}));
}

TEST(ExtractMentionsTest, TwitterRules) {
  EXPECT_EQ(ExtractMentions("hi @alice and @Bob_2!"), (V{"alice", "Bob_2"}));
  EXPECT_EQ(ExtractMentions("RT @user: text"), (V{"user"}));
  EXPECT_EQ(ExtractMentions("mail me at bob@example"), V{});         // preceded by letter
  EXPECT_EQ(ExtractMentions("@"), V{});
  EXPECT_EQ(ExtractMentions("@aaaaaaaaaaaaaaaaaaaaa"), V{});         // 21 chars
  EXPECT_EQ(ExtractMentions("＠fullwidth"), (V{"fullwidth"}));
}

TEST(ExtractMentionsTest, FederatedHandles) {
  EXPECT_EQ(ExtractMentions("cc @alice@mastodon.social."), (V{"alice@mastodon.social"}));
  EXPECT_EQ(ExtractMentions("cc @bob.bsky.social, hi"), (V{"bob.bsky.social"}));
}

TEST(ExtractUrlsTest, SchemesAndPunctuation) {
  EXPECT_EQ(ExtractUrls("read https://t.co/abc123."), (V{"https://t.co/abc123"}));
  EXPECT_EQ(ExtractUrls("(see http://x.org/a_(b))"), (V{"http://x.org/a_(b)"}));
  EXPECT_EQ(ExtractUrls("(see http://x.org/a)"), (V{"http://x.org/a"}));
  EXPECT_EQ(ExtractUrls("HTTPS://EXAMPLE.COM/P?q=1#frag and www.example.org"),
            (V{"HTTPS://EXAMPLE.COM/P?q=1#frag", "www.example.org"}));
  EXPECT_EQ(ExtractUrls("http:// nothing"), V{});
  EXPECT_EQ(ExtractUrls("東京https://ja.example/東京、です"), (V{"https://ja.example/東京"}));
}

}  // namespace
}  // namespace hashlake::text
