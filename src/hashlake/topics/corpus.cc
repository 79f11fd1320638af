#include "hashlake/topics/corpus.h"

#include <algorithm>
#include <numeric>
#include <unordered_set>

#include "hashlake/topics/rng.h"

namespace hashlake::topics {

int32_t Vocabulary::Add(std::string_view term) {
  auto it = index_.find(term);
  if (it != index_.end()) return it->second;
  const int32_t id = size();
  terms_.emplace_back(term);
  index_.emplace(terms_.back(), id);
  return id;
}

std::optional<int32_t> Vocabulary::Find(std::string_view term) const {
  auto it = index_.find(term);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

arrow::Result<Corpus> BuildCorpus(const TokenizedDocs& docs, const VocabularyOptions& options) {
  if (docs.docs.empty()) return arrow::Status::Invalid("corpus: no documents");
  Corpus raw;
  std::vector<int32_t> ids;
  for (const auto& doc : docs.docs) {
    ids.clear();
    for (const std::string& t : doc) ids.push_back(raw.vocab.Add(t));
    raw.AddDocument(ids);
  }
  if (docs.ids.size() == docs.docs.size()) raw.doc_ids = docs.ids;
  if (docs.labels.size() == docs.docs.size()) raw.labels = docs.labels;
  return FilterCorpus(raw, options);
}

arrow::Result<Corpus> FilterCorpus(const Corpus& corpus, const VocabularyOptions& options) {
  const int64_t num_docs = corpus.num_docs();
  if (num_docs <= 0) return arrow::Status::Invalid("corpus: no documents");
  if (options.max_df_fraction <= 0 || options.max_df_fraction > 1 || options.min_df < 0) {
    return arrow::Status::Invalid("corpus: need min_df >= 0 and 0 < max_df_fraction <= 1");
  }
  const int32_t v = corpus.vocab.size();
  std::vector<int64_t> df(v, 0), tf(v, 0);
  std::vector<int64_t> last_doc(v, -1);
  for (int64_t d = 0; d < num_docs; ++d) {
    for (int32_t w : corpus.doc(d)) {
      ++tf[w];
      if (last_doc[w] != d) last_doc[w] = d, ++df[w];
    }
  }
  std::unordered_set<std::string> stop(options.stopwords.begin(), options.stopwords.end());
  const double max_df = options.max_df_fraction * static_cast<double>(num_docs);
  std::vector<int32_t> kept;
  for (int32_t w = 0; w < v; ++w) {
    if (tf[w] == 0 || stop.contains(corpus.vocab.term(w))) continue;
    if (df[w] < options.min_df || static_cast<double>(df[w]) > max_df) continue;
    kept.push_back(w);
  }
  if (options.max_terms > 0 && static_cast<int64_t>(kept.size()) > options.max_terms) {
    std::stable_sort(kept.begin(), kept.end(), [&](int32_t a, int32_t b) { return tf[a] > tf[b]; });
    kept.resize(static_cast<std::size_t>(options.max_terms));
    std::sort(kept.begin(), kept.end());
  }
  if (kept.empty()) {
    return arrow::Status::Invalid("corpus: the vocabulary filters (min_df ", options.min_df,
                                  ", max_df_fraction ", options.max_df_fraction,
                                  ", stopwords) left no terms");
  }
  Corpus out;
  std::vector<int32_t> remap(v, -1);
  for (int32_t w : kept) remap[w] = out.vocab.Add(corpus.vocab.term(w));
  std::vector<int32_t> ids;
  for (int64_t d = 0; d < num_docs; ++d) {
    ids.clear();
    for (int32_t w : corpus.doc(d)) {
      if (remap[w] >= 0) ids.push_back(remap[w]);
    }
    if (static_cast<int64_t>(ids.size()) < std::max<int64_t>(options.min_doc_tokens, 1)) continue;
    out.AddDocument(ids);
    if (!corpus.doc_ids.empty()) out.doc_ids.push_back(corpus.doc_ids[d]);
    if (!corpus.labels.empty()) out.labels.push_back(corpus.labels[d]);
  }
  if (out.num_docs() == 0) {
    return arrow::Status::Invalid("corpus: no document has ", options.min_doc_tokens,
                                  " or more tokens after filtering");
  }
  return out;
}

arrow::Result<std::pair<Corpus, Corpus>> SplitCorpus(const Corpus& corpus, double test_fraction,
                                                     uint64_t seed) {
  if (test_fraction < 0 || test_fraction >= 1) {
    return arrow::Status::Invalid("holdout fraction must be in [0, 1), got ", test_fraction);
  }
  std::vector<int64_t> order(static_cast<std::size_t>(corpus.num_docs()));
  std::iota(order.begin(), order.end(), 0);
  Rng rng(DeriveSeed(seed, 0x5917));
  for (std::size_t i = order.size(); i > 1; --i) {
    std::swap(order[i - 1], order[rng.Below(static_cast<uint32_t>(i))]);
  }
  const auto num_test = static_cast<std::size_t>(test_fraction * static_cast<double>(order.size()));
  std::vector<bool> is_test(order.size(), false);
  for (std::size_t i = 0; i < num_test; ++i) is_test[order[i]] = true;
  std::pair<Corpus, Corpus> out;
  out.first.vocab = corpus.vocab;
  out.second.vocab = corpus.vocab;
  for (int64_t d = 0; d < corpus.num_docs(); ++d) {
    Corpus& part = is_test[d] ? out.second : out.first;
    part.AddDocument(corpus.doc(d));
    if (!corpus.doc_ids.empty()) part.doc_ids.push_back(corpus.doc_ids[d]);
    if (!corpus.labels.empty()) part.labels.push_back(corpus.labels[d]);
  }
  if (out.first.num_docs() == 0) return arrow::Status::Invalid("holdout left no training documents");
  return out;
}

}  // namespace hashlake::topics
