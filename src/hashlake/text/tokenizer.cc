#include "hashlake/text/tokenizer.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utext.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <utility>

#include "hashlake/text/ascii_word_breaks.h"
#include "hashlake/text/extract.h"
#include "hashlake/text/normalize.h"
#include "hashlake/text/word_fold.h"

namespace hashlake::text {

struct Tokenizer::Span {
  std::size_t begin;
  std::size_t end;
  const Entity* hashtag;  // nullptr: a span to drop (mention, URL)
};

struct Tokenizer::Icu {
  const icu::Normalizer2* nfkc_casefold = nullptr;
  std::unique_ptr<icu::BreakIterator> words;
  std::unique_ptr<icu::BreakIterator> graphemes;
  icu::UnicodeString utf16;
  icu::UnicodeString folded;
};

namespace {

constexpr UChar32 kZwj = 0x200D;
constexpr UChar32 kVs15 = 0xFE0E;
constexpr UChar32 kVs16 = 0xFE0F;
constexpr UChar32 kKeycap = 0x20E3;

// Decodes the code point at `*i` (negative for an ill-formed sequence) and advances `*i`.
UChar32 NextCodePoint(std::string_view s, std::size_t* i) {
  UChar32 c;
  int32_t pos = static_cast<int32_t>(*i);
  U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), pos, static_cast<int32_t>(s.size()), c);
  *i = static_cast<std::size_t>(pos);
  return c;
}

UChar32 CodePointAt(std::string_view s, std::size_t i) {
  return i < s.size() ? NextCodePoint(s, &i) : -1;
}

// An emoji that stands on its own. Extended_Pictographic below U+2600 (©, ®, ™, ‼, arrows,
// ⌨) are typographic symbols unless a VS16 asks for emoji presentation.
bool StartsEmoji(UChar32 c, UChar32 next) {
  if (c < 0x80) return false;
  if (u_hasBinaryProperty(c, UCHAR_EMOJI_PRESENTATION) ||
      u_hasBinaryProperty(c, UCHAR_REGIONAL_INDICATOR)) {
    return true;
  }
  return u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC) && (c >= 0x2600 || next == kVs16);
}

// What may follow an emoji inside one sequence: skin tones, selectors, keycap, tag
// characters (subdivision flags), ZWJ (the next pictograph joins), a second flag letter.
bool ContinuesEmoji(UChar32 c) {
  return c == kZwj || c == kVs16 || c == kVs15 || c == kKeycap || (c >= 0xE0020 && c <= 0xE007F) ||
         u_hasBinaryProperty(c, UCHAR_EMOJI_MODIFIER) ||
         u_hasBinaryProperty(c, UCHAR_REGIONAL_INDICATOR);
}

// Length of an HTML character reference ("&amp;", "&#39;", "&#x1F600;") at the start of
// `s`, or 0.
std::size_t CharacterReferenceLength(std::string_view s) {
  if (s.size() < 3 || s[0] != '&') return 0;
  std::size_t i = 1;
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  auto is_alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  auto is_hex = [&](char c) {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  };
  std::size_t digits = 0;
  if (s[i] == '#') {
    ++i;
    const bool hex = i < s.size() && (s[i] == 'x' || s[i] == 'X');
    if (hex) ++i;
    while (i < s.size() && digits < 8 && (hex ? is_hex(s[i]) : is_digit(s[i]))) ++i, ++digits;
    if (digits == 0) return 0;
  } else {
    if (!is_alpha(s[i])) return 0;
    while (i < s.size() && digits < 32 && (is_alpha(s[i]) || is_digit(s[i]))) ++i, ++digits;
    if (digits < 2) return 0;  // "&T;" in "AT&T;" is no reference
  }
  return i < s.size() && s[i] == ';' ? i + 1 : 0;
}

bool IsCjkScript(UChar32 c) {
  UErrorCode status = U_ZERO_ERROR;
  UScriptCode script = uscript_getScript(c, &status);
  return script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA ||
         script == USCRIPT_HANGUL;
}

}  // namespace

arrow::Result<std::unique_ptr<Tokenizer>> Tokenizer::Make(TokenizerOptions options) {
  std::unique_ptr<Tokenizer> t(new Tokenizer(options));
  UErrorCode status = U_ZERO_ERROR;
  t->icu_->nfkc_casefold = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status)) {
    return arrow::Status::IOError("ICU NFKC_Casefold normalizer: ", u_errorName(status));
  }
  t->icu_->words.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
  if (U_FAILURE(status) || t->icu_->words == nullptr) {
    return arrow::Status::IOError("ICU word break iterator: ", u_errorName(status));
  }
  t->icu_->graphemes.reset(
      icu::BreakIterator::createCharacterInstance(icu::Locale::getRoot(), status));
  if (U_FAILURE(status) || t->icu_->graphemes == nullptr) {
    return arrow::Status::IOError("ICU character break iterator: ", u_errorName(status));
  }
  return t;
}

Tokenizer::Tokenizer(TokenizerOptions options) : options_(options), icu_(std::make_unique<Icu>()) {}

Tokenizer::~Tokenizer() = default;

std::vector<std::pair<std::string, TokenKind>> Tokenizer::Tokenize(std::string_view text) {
  std::vector<std::pair<std::string, TokenKind>> out;
  ForEachToken(text, [&out](const Token& t) {
    out.emplace_back(std::string(t.text), t.kind);
    return true;
  });
  return out;
}

void Tokenizer::Run(std::string_view text, VisitFn visit, void* context) {
  // Entities are found on the original text, as the sources do for the hashtags column.
  // Each extractor needs its sigil, so texts without one skip its scan.
  // The URLs are found once and handed to the other extractors, which skip them.
  std::vector<Entity> urls;
  if (text.find_first_of(".:") != std::string_view::npos) {  // "http(s)://", "www."
    urls = ExtractUrlEntities(text);
  }
  std::vector<Entity> hashtags;
  std::vector<Entity> dropped;
  if (text.find('#') != std::string_view::npos ||
      text.find("\xEF\xBC\x83") != std::string_view::npos) {  // U+FF03 ＃
    hashtags = ExtractHashtagEntities(text, &urls);
  }
  if (text.find('@') != std::string_view::npos ||
      text.find("\xEF\xBC\xA0") != std::string_view::npos) {  // U+FF20 ＠
    dropped = ExtractMentionEntities(text, &urls);
  }
  dropped.insert(dropped.end(), std::make_move_iterator(urls.begin()),
                 std::make_move_iterator(urls.end()));
  spans_.clear();
  for (const Entity& e : hashtags) spans_.push_back({e.begin, e.end, &e});
  for (const Entity& e : dropped) spans_.push_back({e.begin, e.end, nullptr});
  std::sort(spans_.begin(), spans_.end(),
            [](const Span& a, const Span& b) { return a.begin < b.begin; });

  std::size_t pos = 0;
  for (const Span& span : spans_) {
    if (span.begin < pos) continue;  // overlaps the previous span (the extractors avoid it)
    if (!ScanGap(text.substr(pos, span.begin - pos), visit, context)) return;
    pos = std::min(span.end, text.size());
    if (span.hashtag != nullptr) {
      scratch_ = "#";
      scratch_ += NormalizeHashtag(span.hashtag->value);
      if (!visit(context, Token{scratch_, TokenKind::kHashtag})) return;
    }
  }
  ScanGap(text.substr(pos), visit, context);
}

// Cuts `gap` (text between entities) into emoji runs, character references and the
// stretches of words between them.
bool Tokenizer::ScanGap(std::string_view gap, VisitFn visit, void* context) {
  std::size_t words_begin = 0;
  std::size_t i = 0;
  while (i < gap.size()) {
    const unsigned char byte = static_cast<unsigned char>(gap[i]);
    if (byte == '&') {
      if (std::size_t n = CharacterReferenceLength(gap.substr(i))) {
        if (!SegmentWords(gap.substr(words_begin, i - words_begin), visit, context)) return false;
        i += n;
        words_begin = i;
        continue;
      }
      ++i;
      continue;
    }
    if (byte < 0x80) {
      ++i;
      continue;
    }
    std::size_t after = i;
    const UChar32 c = NextCodePoint(gap, &after);
    if (c < 0 || !StartsEmoji(c, CodePointAt(gap, after))) {
      i = after;
      continue;
    }
    // An emoji run: pictographs and what joins them, up to the first other character.
    std::size_t run_end = after;
    UChar32 prev = c;
    while (run_end < gap.size()) {
      std::size_t next = run_end;
      const UChar32 d = NextCodePoint(gap, &next);
      const bool joined =
          d >= 0 && (ContinuesEmoji(d) || StartsEmoji(d, CodePointAt(gap, next)) ||
                     (prev == kZwj && u_hasBinaryProperty(d, UCHAR_EXTENDED_PICTOGRAPHIC)));
      if (!joined) break;
      prev = d;
      run_end = next;
    }
    if (!SegmentWords(gap.substr(words_begin, i - words_begin), visit, context)) return false;
    if (!SplitEmoji(gap.substr(i, run_end - i), visit, context)) return false;
    i = run_end;
    words_begin = i;
  }
  return SegmentWords(gap.substr(words_begin), visit, context);
}

bool Tokenizer::SplitEmoji(std::string_view run, VisitFn visit, void* context) {
  UErrorCode status = U_ZERO_ERROR;
  UText utext = UTEXT_INITIALIZER;  // on the stack: no allocation per run
  utext_openUTF8(&utext, run.data(), static_cast<int64_t>(run.size()), &status);
  icu_->graphemes->setText(&utext, status);
  bool go_on = true;
  if (U_SUCCESS(status)) {
    int32_t begin = icu_->graphemes->first();
    for (int32_t end = icu_->graphemes->next(); go_on && end != icu::BreakIterator::DONE;
         begin = end, end = icu_->graphemes->next()) {
      std::string_view cluster =
          run.substr(static_cast<std::size_t>(begin), static_cast<std::size_t>(end - begin));
      // One pictograph and a variation selector: the selector only picks a glyph style.
      std::size_t second = 0;
      NextCodePoint(cluster, &second);
      if (second < cluster.size()) {
        std::size_t third = second;
        const UChar32 selector = NextCodePoint(cluster, &third);
        if (third == cluster.size() && (selector == kVs16 || selector == kVs15)) {
          cluster = cluster.substr(0, second);
        }
      }
      go_on = visit(context, Token{cluster, TokenKind::kEmoji});
    }
  }
  // The iterator keeps its own shallow clone of the UText; it is reset by the next setText.
  utext_close(&utext);
  return go_on;
}

bool Tokenizer::SegmentWords(std::string_view piece, VisitFn visit, void* context) {
  if (piece.empty()) return true;
  if (options_.ascii_fast_path && std::all_of(piece.begin(), piece.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x80;
      })) {
    return SegmentAsciiWords(piece, visit, context);
  }
  UErrorCode status = U_ZERO_ERROR;
  icu_->utf16 = icu::UnicodeString::fromUTF8(
      icu::StringPiece(piece.data(), static_cast<int32_t>(piece.size())));
  FoldWordInto(*icu_->nfkc_casefold, icu_->utf16, &icu_->folded, &status);
  if (U_FAILURE(status)) return true;
  icu_->words->setText(icu_->folded);
  const char16_t* buffer = std::as_const(icu_->folded).getBuffer();
  int32_t begin = icu_->words->first();
  for (int32_t end = icu_->words->next(); end != icu::BreakIterator::DONE;
       begin = end, end = icu_->words->next()) {
    UChar32 first_letter = -1;
    for (int32_t i = begin; i < end;) {
      UChar32 c;
      U16_NEXT(buffer, i, end, c);
      if (u_isUAlphabetic(c)) {
        first_letter = c;
        break;
      }
    }
    if (first_letter < 0) continue;  // space, punctuation, symbols, a number
    scratch_.clear();
    icu_->folded.tempSubStringBetween(begin, end).toUTF8String(scratch_);
    const TokenKind kind = IsCjkScript(first_letter) ? TokenKind::kCjkWord : TokenKind::kWord;
    if (!visit(context, Token{scratch_, kind})) return false;
  }
  return true;
}

bool Tokenizer::SegmentAsciiWords(std::string_view piece, VisitFn visit, void* context) {
  AsciiWordBreaks(piece, &ascii_breaks_);
  for (std::size_t k = 1; k < ascii_breaks_.size(); ++k) {
    std::string_view word =
        piece.substr(static_cast<std::size_t>(ascii_breaks_[k - 1]),
                     static_cast<std::size_t>(ascii_breaks_[k] - ascii_breaks_[k - 1]));
    const bool has_letter = std::any_of(word.begin(), word.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    });
    if (!has_letter) continue;
    scratch_.assign(word);
    for (char& c : scratch_) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    if (!visit(context, Token{scratch_, TokenKind::kWord})) return false;
  }
  return true;
}

}  // namespace hashlake::text
