#include "hashlake/text/utf8.h"

#include <string>

#include <gtest/gtest.h>

namespace hashlake::text {
namespace {

TEST(Utf8Test, AcceptsValidText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii text that is longer than eight bytes"));
  EXPECT_TRUE(IsValidUtf8("café 東京 مرحبا 🎉 𝔘"));
}

TEST(Utf8Test, ReportsOffsetOfFirstBadByte) {
  EXPECT_EQ(FindInvalidUtf8("abc\xFF"), 3u);
  EXPECT_EQ(FindInvalidUtf8("0123456789\x80xyz"), 10u);       // lone continuation
  EXPECT_EQ(FindInvalidUtf8("ab\xC0\xAF"), 2u);                // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("ab\xE0\x80\xAF"), 2u);            // overlong 3-byte
  EXPECT_EQ(FindInvalidUtf8("x\xED\xA0\x80"), 1u);             // UTF-16 surrogate
  EXPECT_EQ(FindInvalidUtf8("x\xF4\x90\x80\x80"), 1u);         // above U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("caf\xC3"), 3u);                   // truncated at end
  EXPECT_EQ(FindInvalidUtf8("\xE6\x9D\xB1\xE4\xBA"), 3u);      // 東 then truncated
  EXPECT_EQ(FindInvalidUtf8(std::string("a\0b", 3)), std::nullopt);  // NUL is valid
}

}  // namespace
}  // namespace hashlake::text
