#include "hashlake/text/ascii_word_breaks.h"

#include <gtest/gtest.h>
#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

namespace hashlake::text {
namespace {

// ICU's boundaries for `ascii` (UTF-16 offsets equal byte offsets for ASCII).
std::vector<std::int32_t> IcuBreaks(const std::string& ascii) {
  UErrorCode status = U_ZERO_ERROR;
  static std::unique_ptr<icu::BreakIterator> words(
      icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(ascii);
  words->setText(u);
  std::vector<std::int32_t> out;
  for (std::int32_t b = words->first(); b != icu::BreakIterator::DONE; b = words->next()) {
    out.push_back(b);
  }
  return out;
}

std::vector<std::int32_t> FastBreaks(const std::string& ascii) {
  std::vector<std::int32_t> out;
  AsciiWordBreaks(ascii, &out);
  return out;
}

TEST(AsciiWordBreaksTest, KnownCases) {
  EXPECT_EQ(FastBreaks(""), (std::vector<std::int32_t>{0}));
  EXPECT_EQ(FastBreaks("don't stop"), (std::vector<std::int32_t>{0, 5, 6, 10}));
  EXPECT_EQ(FastBreaks("3.14,x"), (std::vector<std::int32_t>{0, 4, 5, 6}));
  EXPECT_EQ(FastBreaks("a_b  c\r\nd"), (std::vector<std::int32_t>{0, 3, 5, 6, 8, 9}));
}

TEST(AsciiWordBreaksTest, MatchesIcuOnEveryThreeCharacterString) {
  // One character of each Word_Break class that ASCII has, and a few "Other"s.
  const std::string alphabet = "aZ09_.',;: \t\r\n\v\"-#@&$";
  std::string s(3, ' ');
  for (char a : alphabet) {
    for (char b : alphabet) {
      for (char c : alphabet) {
        s[0] = a;
        s[1] = b;
        s[2] = c;
        ASSERT_EQ(FastBreaks(s), IcuBreaks(s)) << "for \"" << s << "\"";
      }
    }
  }
}

TEST(AsciiWordBreaksTest, MatchesIcuOnRandomText) {
  const std::string alphabet = "aaaabbZ0019__..'',;: \t\r\n\"-#";
  std::mt19937 rng(42);
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::uniform_int_distribution<int> length(0, 40);
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    for (int n = length(rng); n > 0; --n) s.push_back(alphabet[pick(rng)]);
    ASSERT_EQ(FastBreaks(s), IcuBreaks(s)) << "for \"" << s << "\"";
  }
}

}  // namespace
}  // namespace hashlake::text
