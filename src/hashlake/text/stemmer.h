#pragma once

#include <arrow/result.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct sb_stemmer;

namespace hashlake::text {

/// A Snowball stemmer (libstemmer) for one language, on UTF-8 words.
///
/// Not thread-safe: a Stemmer keeps its working buffer between calls. Use one per thread
/// (TextCleaner keeps its own).
class Stemmer {
 public:
  /// `language`: an ISO 639-1 code or BCP-47 tag ("en", "pt-BR": the primary subtag
  /// counts) or a Snowball algorithm name ("english", "porter"). Fails with the list of
  /// available algorithms when libstemmer has none for it.
  static arrow::Result<std::unique_ptr<Stemmer>> Make(std::string_view language);

  /// The algorithm names libstemmer offers (sb_stemmer_list), e.g. "english".
  static std::vector<std::string> Algorithms();

  ~Stemmer();
  Stemmer(const Stemmer&) = delete;
  Stemmer& operator=(const Stemmer&) = delete;

  /// The stem of `word`, which should be folded (lower case) as tokens are. The view is
  /// valid until the next call or the Stemmer's destruction. Ill-formed UTF-8 is returned
  /// unchanged (Snowball assumes valid input).
  std::string_view Stem(std::string_view word);

  const std::string& language() const { return language_; }

 private:
  Stemmer(std::string language, sb_stemmer* stemmer);

  std::string language_;
  sb_stemmer* stemmer_;
};

}  // namespace hashlake::text
