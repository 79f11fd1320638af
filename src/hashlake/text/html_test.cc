#include "hashlake/text/html.h"

#include <gtest/gtest.h>

namespace hashlake::text {
namespace {

TEST(HtmlToTextTest, MastodonContent) {
  EXPECT_EQ(HtmlToText("<p>Hello <a href=\"https://x/tags/cats\" class=\"mention hashtag\" "
                       "rel=\"tag\">#<span>cats</span></a></p><p>line2<br />line3</p>"),
            "Hello #cats\nline2\nline3");
  EXPECT_EQ(HtmlToText("<p><a href=\"https://example.com/long/path\"><span class=\"invisible\">"
                       "https://</span><span class=\"ellipsis\">example.com/long</span>"
                       "<span class=\"invisible\">/path</span></a></p>"),
            "https://example.com/long/path");
}

TEST(HtmlToTextTest, Entities) {
  EXPECT_EQ(HtmlToText("a &amp; b &lt;3 &#39;q&#39; &#x1F600; &quot;"), "a & b <3 'q' 😀 \"");
  EXPECT_EQ(HtmlToText("&unknown; & alone &#xZZ;"), "&unknown; & alone &#xZZ;");
  EXPECT_EQ(HtmlToText("&#0; &#xD800; &#99999999;"), "\xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD");
}

TEST(HtmlToTextTest, OddMarkupDoesNotCrash) {
  EXPECT_EQ(HtmlToText("a < b"), "a < b");
  EXPECT_EQ(HtmlToText("x<!-- hidden -->y<script>evil()</script>z"), "xyz");
  EXPECT_EQ(HtmlToText("<p"), "<p");
  EXPECT_EQ(HtmlToText(""), "");
}

TEST(DecodeHtmlEntitiesTest, KeepsTags) {
  EXPECT_EQ(DecodeHtmlEntities("<b> &amp;&gt;"), "<b> &>");
}

}  // namespace
}  // namespace hashlake::text
