#pragma once

#include <arrow/result.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "hashlake/text/stemmer.h"
#include "hashlake/text/stopwords.h"
#include "hashlake/text/tokenizer.h"

namespace hashlake::text {

struct TextCleanerOptions {
  /// Drops the stopwords (stopwords-iso) of the post's language; none when it is unknown.
  bool remove_stopwords = true;
  /// Snowball-stems word tokens (not hashtags, emoji or CJK words) when libstemmer has
  /// the post's language.
  bool stem = false;
  /// Runs CLD2 when the post comes without a language.
  bool detect_language = true;
  /// Word tokens shorter than this many code points are dropped; CJK words and emoji
  /// are exempt (one ideograph is a word), hashtags too.
  std::size_t min_token_chars = 2;
  /// At most this many tokens per post.
  std::size_t max_tokens = 512;
};

/// What TextCleaner::Clean makes of one post.
struct CleanedText {
  std::vector<std::string> tokens;
  /// The post's language: the one it came with when that names a language, else CLD2's
  /// when reliable, else "und".
  std::string lang;
  /// True when `lang` is CLD2's guess.
  bool lang_detected = false;
};

/// The text step of the stream job: a post's text to the tokens stored in the posts table
/// (see Tokenizer for what a token is), in text order, repeats kept.
///
/// Not thread-safe: it reuses its break iterators, buffers and stemmers between calls, so
/// Clean is cheap per post. Use one TextCleaner per thread.
class TextCleaner {
 public:
  static arrow::Result<std::unique_ptr<TextCleaner>> Make(const TextCleanerOptions& options);

  /// Fills `out` (reusing its capacity). `lang` is the post's declared language (X's
  /// "lang", Bluesky's "langs"[0], Mastodon's "language"), BCP-47, or "" when unknown; X's
  /// pseudo codes ("und", "qme", "qht", "zxx"…) count as unknown. Any bytes are accepted.
  void Clean(std::string_view text, std::string_view lang, CleanedText* out);

  const TextCleanerOptions& options() const { return options_; }

 private:
  TextCleaner(const TextCleanerOptions& options, std::unique_ptr<Tokenizer> tokenizer);
  Stemmer* StemmerFor(const std::string& primary_lang);

  TextCleanerOptions options_;
  std::unique_ptr<Tokenizer> tokenizer_;
  // By primary language subtag; nullptr where libstemmer has no algorithm.
  std::unordered_map<std::string, std::unique_ptr<Stemmer>> stemmers_;
  // The lists of the language of the previous post (`lists_lang_`).
  std::string lists_lang_;
  const StopwordSet* stopwords_ = nullptr;
  Stemmer* stemmer_ = nullptr;
};

}  // namespace hashlake::text
