#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <arrow/result.h>

#include "hashlake/topics/corpus.h"
#include "hashlake/topics/tokenizer.h"

namespace hashlake::topics {

/// Which posts become documents, and how.
struct PostsCorpusOptions {
  std::optional<std::string> since;  ///< created_at >= this (UTC, "2024-05-01 10:00:00" or ISO)
  std::optional<std::string> until;  ///< created_at <= this
  std::vector<std::string> languages;  ///< keep posts whose `lang` is one of these; empty = all
  int64_t min_tokens = 3;            ///< posts with fewer tokens are skipped
  /// Hashtag pooling (Mehrotra et al., SIGIR 2013): every hashtag becomes one pseudo-document
  /// (id "#tag") holding the tokens of all its posts; posts without hashtags stay documents.
  bool pool_by_hashtag = false;
  TokenizerOptions tokenizer;
};

/// Reads the Delta table `posts_uri` (e.g. "<lake>/posts"; path, file:// or s3://) and
/// tokenizes each post's `text` in parallel. Document ids are post ids (or "#tag" pools).
/// Errors: the table cannot be opened or lacks id/text/hashtags/lang/created_at, a bound
/// does not parse, or no post passes the filters (Invalid, naming them).
arrow::Result<TokenizedDocs> LoadPostsDocs(const std::string& posts_uri,
                                           const PostsCorpusOptions& options);

}  // namespace hashlake::topics
