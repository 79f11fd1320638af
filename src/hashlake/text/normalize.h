#pragma once

#include <string>
#include <string_view>

namespace hashlake::text {

/// The canonical form of a hashtag, as stored in `Post::hashtags` and counted:
/// one leading '#' or fullwidth '＃' removed, then Unicode NFKC, full case folding,
/// and NFKC again (folding can denormalize). "#Café", "＃ＣＡＦＥ́" and "café" all
/// map to "café". Ill-formed UTF-8 becomes U+FFFD. Pure, thread-safe.
std::string NormalizeHashtag(std::string_view tag);

/// The form in which words are compared and stored by the tokenizer and the stopword
/// lists: ICU's NFKC_Casefold (NFKC, full case folding, default-ignorable code points
/// removed), then U+2019 RIGHT SINGLE QUOTATION MARK as ASCII "'", so that "Don’t" and
/// "don't" are one word. Pure ASCII is only lower-cased (the same result, faster).
/// Ill-formed UTF-8 becomes U+FFFD. Pure, thread-safe.
std::string FoldWord(std::string_view word);

}  // namespace hashlake::text
