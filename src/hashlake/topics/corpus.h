#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <arrow/result.h>

namespace hashlake::topics {

/// Term <-> dense id (0..size-1). Ids are assigned in insertion order.
class Vocabulary {
 public:
  int32_t Add(std::string_view term);
  std::optional<int32_t> Find(std::string_view term) const;
  const std::string& term(int32_t id) const { return terms_[static_cast<std::size_t>(id)]; }
  const std::vector<std::string>& terms() const { return terms_; }
  int32_t size() const { return static_cast<int32_t>(terms_.size()); }

 private:
  std::vector<std::string> terms_;
  // Transparent, so lookups by string_view build no string (Add runs once per token).
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, int32_t, Hash, std::equal_to<>> index_;
};

/// Documents as sequences of word ids, stored back to back (CSR), so memory is
/// proportional to tokens. `doc_ids` and `labels` are either empty or one per document.
struct Corpus {
  Vocabulary vocab;
  std::vector<int32_t> tokens;
  std::vector<int64_t> offsets = {0};  ///< num_docs + 1 entries
  std::vector<std::string> doc_ids;
  std::vector<int32_t> labels;

  int64_t num_docs() const { return static_cast<int64_t>(offsets.size()) - 1; }
  int64_t num_tokens() const { return static_cast<int64_t>(tokens.size()); }
  std::span<const int32_t> doc(int64_t d) const {
    return {tokens.data() + offsets[d], static_cast<std::size_t>(offsets[d + 1] - offsets[d])};
  }
  void AddDocument(std::span<const int32_t> words) {
    tokens.insert(tokens.end(), words.begin(), words.end());
    offsets.push_back(static_cast<int64_t>(tokens.size()));
  }
};

/// Documents as token strings, before a vocabulary exists.
struct TokenizedDocs {
  std::vector<std::vector<std::string>> docs;
  std::vector<std::string> ids;     ///< empty or one per document
  std::vector<int32_t> labels;      ///< empty or one per document
};

/// Vocabulary filters, applied in this order: stopwords, min_df, max_df_fraction,
/// max_terms; then documents shorter than min_doc_tokens are dropped.
struct VocabularyOptions {
  int64_t min_df = 1;              ///< keep terms in at least this many documents
  double max_df_fraction = 1.0;    ///< drop terms in more than this fraction of documents
  int64_t max_terms = 0;           ///< keep the most frequent; 0 = no limit
  std::vector<std::string> stopwords = {};  ///< extra terms to drop
  int64_t min_doc_tokens = 1;      ///< documents with fewer tokens after filtering are dropped
};

/// Interns `docs` and applies `options`. Errors (Invalid): no documents, or the filters
/// leave an empty vocabulary or no document.
arrow::Result<Corpus> BuildCorpus(const TokenizedDocs& docs, const VocabularyOptions& options);

/// Applies `options` to a corpus that already has a vocabulary; surviving term ids keep
/// their relative order. Same errors as BuildCorpus.
arrow::Result<Corpus> FilterCorpus(const Corpus& corpus, const VocabularyOptions& options);

/// Splits documents into (train, test) with about `test_fraction` of them in test, chosen
/// by a seeded shuffle; both share the vocabulary. test_fraction 0 gives an empty test set.
arrow::Result<std::pair<Corpus, Corpus>> SplitCorpus(const Corpus& corpus, double test_fraction,
                                                     uint64_t seed);


}  // namespace hashlake::topics
