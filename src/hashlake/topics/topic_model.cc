#include "hashlake/topics/topic_model.h"

#include <algorithm>

namespace hashlake::topics {

const char* ModelKindName(ModelKind kind) {
  switch (kind) {
    case ModelKind::kLda:
      return "lda";
    case ModelKind::kGsdmm:
      return "gsdmm";
  }
  return "unknown";
}

std::vector<std::pair<int32_t, double>> TopicModel::TopWords(int32_t k, int32_t n) const {
  std::vector<int32_t> ids(vocab.size());
  for (int32_t w = 0; w < num_words(); ++w) ids[w] = w;
  const auto take = static_cast<std::size_t>(std::clamp(n, 0, num_words()));
  // Counts order the same as phi within a topic; ties go to the lower id.
  std::partial_sort(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(take), ids.end(),
                    [&](int32_t a, int32_t b) {
                      const int32_t ca = count(a, k), cb = count(b, k);
                      return ca != cb ? ca > cb : a < b;
                    });
  std::vector<std::pair<int32_t, double>> out;
  for (std::size_t i = 0; i < take; ++i) out.emplace_back(ids[i], Phi(k, ids[i]));
  return out;
}

std::vector<std::vector<int32_t>> TopicModel::TopWordIds(int32_t n) const {
  std::vector<std::vector<int32_t>> out(static_cast<std::size_t>(num_topics));
  for (int32_t k = 0; k < num_topics; ++k) {
    for (const auto& [w, p] : TopWords(k, n)) out[k].push_back(w);
  }
  return out;
}

}  // namespace hashlake::topics
