#pragma once

// Internal to hashlake_text: ICU's word boundaries (UAX #29 with CLDR's root tailoring)
// for text that is pure ASCII, without the UTF-16 round trip. Tokenizer uses it as its fast
// path; tokenizer_test checks that it finds exactly ICU's boundaries.

#include <cstdint>
#include <string_view>
#include <vector>

namespace hashlake::text {

/// Byte offsets of the word boundaries of `ascii` (every byte < 0x80), 0 and size()
/// included, in increasing order, as ICU's UBRK_WORD iterator would report them.
void AsciiWordBreaks(std::string_view ascii, std::vector<std::int32_t>* breaks);

}  // namespace hashlake::text
