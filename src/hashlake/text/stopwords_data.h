#pragma once

// Internal to hashlake_text: the stopword lists compiled in from stopwords-iso.json.
// The definitions are generated at build time by cmake/StopwordsToCpp.cmake.

#include <cstddef>

namespace hashlake::text::internal {

struct StopwordList {
  const char* language;      ///< ISO 639-1 code, lower case
  const char* const* words;  ///< as written in stopwords-iso (not folded), `count` of them
  std::size_t count;
};

/// Sorted by `language`.
extern const StopwordList kStopwordLists[];
extern const std::size_t kStopwordListCount;

}  // namespace hashlake::text::internal
