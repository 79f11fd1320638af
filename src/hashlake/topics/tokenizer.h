#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <arrow/result.h>

namespace hashlake::topics {

/// How post text becomes topic-model tokens. Defaults suit English tweets.
struct TokenizerOptions {
  bool lowercase = true;             ///< full Unicode lower-casing (ICU, root locale)
  bool drop_urls = true;             ///< http(s)/www links (text/extract.h rules)
  bool drop_mentions = true;         ///< @handles, federated handles included
  bool drop_hashtags = false;        ///< false: "#rust" contributes the word "rust"
  bool drop_numbers = true;          ///< words containing a digit ("2024", "covid19")
  bool drop_stopwords = true;        ///< the English list of stopwords.h plus `extra_stopwords`
  std::size_t min_chars = 2;         ///< in code points
  std::size_t max_chars = 30;        ///< in code points
  std::vector<std::string> extra_stopwords = {};
};

/// Splits text into words with ICU's word break rules (UAX #29), keeping only words with a
/// letter, then applies the filters of TokenizerOptions.
///
/// Thread safety: Tokenize is const and safe to call from many threads at once (each call
/// clones the break iterator). Ill-formed UTF-8 never fails: bad bytes become U+FFFD.
class Tokenizer {
 public:
  static arrow::Result<Tokenizer> Make(TokenizerOptions options = {});

  std::vector<std::string> Tokenize(std::string_view text) const;

  const TokenizerOptions& options() const { return options_; }

 private:
  struct Impl;
  Tokenizer(TokenizerOptions options, std::shared_ptr<const Impl> impl);

  TokenizerOptions options_;
  std::shared_ptr<const Impl> impl_;
  std::unordered_set<std::string> stopwords_;
};

}  // namespace hashlake::topics
