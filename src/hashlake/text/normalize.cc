#include "hashlake/text/normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include "hashlake/text/word_fold.h"

namespace hashlake::text {

std::string NormalizeHashtag(std::string_view tag) {
  if (tag.starts_with("#")) {
    tag.remove_prefix(1);
  } else if (tag.starts_with("\xEF\xBC\x83")) {  // U+FF03 FULLWIDTH NUMBER SIGN
    tag.remove_prefix(3);
  }
  // Fast path: plain ASCII only needs lower-casing.
  bool ascii = true;
  for (char c : tag) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    std::string out(tag);
    for (char& c : out) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status)) return std::string(tag);  // ICU data missing: keep the input
  icu::UnicodeString s =
      icu::UnicodeString::fromUTF8(icu::StringPiece(tag.data(), static_cast<int32_t>(tag.size())));
  icu::UnicodeString normalized = nfkc->normalize(s, status);
  normalized.foldCase(U_FOLD_CASE_DEFAULT);
  icu::UnicodeString again = nfkc->normalize(normalized, status);
  if (U_FAILURE(status)) return std::string(tag);
  std::string out;
  again.toUTF8String(out);
  return out;
}

std::string FoldWord(std::string_view word) {
  bool ascii = true;
  for (char c : word) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    std::string out(word);
    for (char& c : out) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status)) return std::string(word);
  icu::UnicodeString folded;
  FoldWordInto(*nfkc_cf,
               icu::UnicodeString::fromUTF8(
                   icu::StringPiece(word.data(), static_cast<int32_t>(word.size()))),
               &folded, &status);
  if (U_FAILURE(status)) return std::string(word);
  std::string out;
  folded.toUTF8String(out);
  return out;
}

void FoldWordInto(const icu::Normalizer2& nfkc_casefold, const icu::UnicodeString& text,
                  icu::UnicodeString* folded, UErrorCode* status) {
  nfkc_casefold.normalize(text, *folded, *status);
  if (U_FAILURE(*status)) return;
  const int32_t n = folded->length();
  for (int32_t i = 0; i < n; ++i) {
    if (folded->charAt(i) == 0x2019) folded->setCharAt(i, u'\'');
  }
}

}  // namespace hashlake::text
