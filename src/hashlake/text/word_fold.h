#pragma once

// Internal to hashlake_text: the ICU-level step behind FoldWord, shared with the
// tokenizer so that tokens and stopword lists are folded by the very same code.

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

namespace hashlake::text {

/// `*folded` = NFKC_Casefold(`text`) with U+2019 replaced by "'" (see FoldWord).
/// `nfkc_casefold` is Normalizer2::getNFKCCasefoldInstance. Reuses `*folded`'s buffer.
void FoldWordInto(const icu::Normalizer2& nfkc_casefold, const icu::UnicodeString& text,
                  icu::UnicodeString* folded, UErrorCode* status);

}  // namespace hashlake::text
