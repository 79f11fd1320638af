#pragma once

#include <string>
#include <string_view>

namespace hashlake::text {

/// The canonical form of a hashtag, as stored in `Post::hashtags` and counted:
/// one leading '#' or fullwidth '＃' removed, then Unicode NFKC, full case folding,
/// and NFKC again (folding can denormalize). "#Café", "＃ＣＡＦＥ́" and "café" all
/// map to "café". Ill-formed UTF-8 becomes U+FFFD. Pure, thread-safe.
std::string NormalizeHashtag(std::string_view tag);

}  // namespace hashlake::text
