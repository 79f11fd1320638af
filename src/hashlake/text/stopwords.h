#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace hashlake::text {

/// The stopwords of one language, folded with FoldWord (NFKC_Casefold) so that they
/// compare equal to the tokens of Tokenizer / TextCleaner. Immutable, thread-safe.
class StopwordSet {
 public:
  StopwordSet(std::string language, const char* const* words, std::size_t count);

  /// True when `token` (already folded, as tokens are) is a stopword.
  bool Contains(std::string_view token) const { return words_.contains(token); }

  const std::string& language() const { return language_; }
  std::size_t size() const { return words_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::string language_;
  std::unordered_set<std::string, Hash, std::equal_to<>> words_;
};

/// The stopwords-iso 1.1.0 list of `lang` (all 58 of its languages), or nullptr when it
/// has none. `lang` may be a BCP-47 tag ("pt-BR", "zh_Hant"): only the primary subtag
/// counts, case-insensitively. A language's set is built (folded) on its first use and
/// lives for the program's lifetime. Thread-safe.
const StopwordSet* Stopwords(std::string_view lang);

/// The languages that have a list, sorted.
std::vector<std::string_view> StopwordLanguages();

}  // namespace hashlake::text
