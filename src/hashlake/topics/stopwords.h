#pragma once

#include <string_view>
#include <unordered_set>

namespace hashlake::topics {

/// A common English stopword list (the 179 words of NLTK's list, plus social-media
/// noise: "rt", "amp", "via"), lower case. The set lives for the whole program.
const std::unordered_set<std::string_view>& EnglishStopwords();

}  // namespace hashlake::topics
