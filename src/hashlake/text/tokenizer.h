#pragma once

#include <arrow/result.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace hashlake::text {

enum class TokenKind : std::uint8_t {
  kWord,     ///< a word with at least one letter, folded (FoldWord): "montréal", "covid19"
  kCjkWord,  ///< a word in Han, Hiragana, Katakana or Hangul script: "東京", "です"
  kHashtag,  ///< "#" + NormalizeHashtag(value): "#café_au_lait", "#日本"
  kEmoji,  ///< one emoji grapheme cluster, as written: "👍🏽", "🇯🇵", "👨‍👩‍👧"
};

struct Token {
  std::string_view text;  ///< valid only during the visitor's call
  TokenKind kind;
};

struct TokenizerOptions {
  /// Segments pure-ASCII stretches with AsciiWordBreaks instead of ICU (same boundaries,
  /// no UTF-16 round trip). Off only to compare the two in tests.
  bool ascii_fast_path = true;
};

/// Splits a post's text into tokens:
///  - hashtags (ExtractHashtagEntities, the rules of the `hashtags` column) are one
///    kHashtag token each;
///  - @mentions and URLs (ExtractMentionEntities / ExtractUrlEntities) are removed, and
///    so are HTML character references left in the text ("&amp;", "&#39;");
///  - runs of emoji (Emoji_Presentation, Regional_Indicator, and Extended_Pictographic
///    from U+2600 or followed by U+FE0F, with their modifiers, ZWJ, tags and keycaps) are
///    cut at grapheme cluster boundaries, one kEmoji token per cluster; a lone emoji's
///    variation selector is dropped ("❤️" and "❤" are one token). Emoji are taken from
///    the original text because NFKC_Casefold would delete their ZWJ and selectors;
///  - the rest is folded (FoldWord: NFKC_Casefold) and cut with ICU's word
///    BreakIterator (UAX #29; dictionary segmentation for CJK, Thai, Lao, Khmer,
///    Burmese); pieces without a letter (spaces, punctuation, symbols, numbers such as
///    "2024" or "3.14") are dropped.
/// Tokens come in text order. Ill-formed UTF-8 never fails: bad bytes become U+FFFD,
/// which is no letter, so they vanish.
///
/// Not thread-safe (it reuses its iterators and buffers between calls): one per thread.
class Tokenizer {
 public:
  static arrow::Result<std::unique_ptr<Tokenizer>> Make(TokenizerOptions options = {});
  ~Tokenizer();
  Tokenizer(const Tokenizer&) = delete;
  Tokenizer& operator=(const Tokenizer&) = delete;

  /// Calls `visit(const Token&)` for each token in order; `visit` returns false to stop.
  template <typename Visitor>
  void ForEachToken(std::string_view text, Visitor&& visit) {
    using V = std::remove_reference_t<Visitor>;
    Run(
        text, [](void* v, const Token& t) -> bool { return (*static_cast<V*>(v))(t); }, &visit);
  }

  /// Convenience for tests and tools: the tokens' text and kind, copied.
  std::vector<std::pair<std::string, TokenKind>> Tokenize(std::string_view text);

 private:
  struct Span;
  struct Icu;  // ICU's iterators and buffers, kept out of this header
  using VisitFn = bool (*)(void*, const Token&);
  explicit Tokenizer(TokenizerOptions options);

  void Run(std::string_view text, VisitFn visit, void* context);
  bool ScanGap(std::string_view gap, VisitFn visit, void* context);
  bool SegmentWords(std::string_view piece, VisitFn visit, void* context);
  bool SegmentAsciiWords(std::string_view piece, VisitFn visit, void* context);
  bool SplitEmoji(std::string_view run, VisitFn visit, void* context);

  TokenizerOptions options_;
  std::unique_ptr<Icu> icu_;
  std::vector<Span> spans_;
  std::vector<std::int32_t> ascii_breaks_;
  std::string scratch_;
};

}  // namespace hashlake::text
