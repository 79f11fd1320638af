#include "hashlake/geo/match_key.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

namespace hashlake::geo {

std::string MatchKey(std::string_view text) {
  // Fast path: most names are ASCII, and ICU costs ~1 µs a name at load time.
  bool ascii = true;
  for (unsigned char c : text) ascii &= c < 0x80;
  std::string out;
  out.reserve(text.size());
  if (ascii) {
    for (unsigned char c : text) {
      if (c >= 'A' && c <= 'Z')
        out.push_back(static_cast<char>(c - 'A' + 'a'));
      else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        out.push_back(static_cast<char>(c));
    }
    return out;
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkd = icu::Normalizer2::getNFKDInstance(status);
  if (U_FAILURE(status)) return out;
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  s.foldCase();
  icu::UnicodeString decomposed = nfkd->normalize(s, status);
  if (U_FAILURE(status)) return out;
  icu::UnicodeString kept;
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (u_isalnum(c) && c != 0xFFFD) kept.append(c);  // marks (Mn, Mc) are not alnum
  }
  kept.toUTF8String(out);
  return out;
}

}  // namespace hashlake::geo
