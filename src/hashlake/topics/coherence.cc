#include "hashlake/topics/coherence.h"

#include <cmath>
#include <unordered_map>

namespace hashlake::topics {
namespace {

constexpr double kEpsilon = 1e-12;  // gensim direct_confirmation_measure.EPSILON

// Occurrence and co-occurrence counts of the relevant words (contiguous ids 0..r-1).
struct Accumulator {
  int32_t r = 0;
  int64_t num_docs = 0;
  std::vector<int64_t> occurrences;
  std::vector<int64_t> co;  // r x r, symmetric, diagonal = occurrences

  void Init(int32_t size) {
    r = size;
    occurrences.assign(static_cast<std::size_t>(r), 0);
    co.assign(static_cast<std::size_t>(r) * static_cast<std::size_t>(r), 0);
  }
  // Counts one (virtual) document whose distinct relevant words are `present`.
  void Add(const std::vector<int32_t>& present) {
    for (std::size_t a = 0; a < present.size(); ++a) {
      ++occurrences[present[a]];
      for (std::size_t b = a + 1; b < present.size(); ++b) {
        ++co[static_cast<std::size_t>(present[a]) * r + present[b]];
        ++co[static_cast<std::size_t>(present[b]) * r + present[a]];
      }
    }
  }
  void Finish() {
    for (int32_t i = 0; i < r; ++i) co[static_cast<std::size_t>(i) * r + i] = occurrences[i];
  }
  double Occ(int32_t i) const { return static_cast<double>(occurrences[i]); }
  double Co(int32_t i, int32_t j) const { return static_cast<double>(co[static_cast<std::size_t>(i) * r + j]); }
};

// A set of contiguous ids with O(1) insert/erase and iteration over members.
class PresentSet {
 public:
  explicit PresentSet(int32_t r) : pos_(static_cast<std::size_t>(r), -1) {}
  void Insert(int32_t id) {
    if (pos_[id] >= 0) return;
    pos_[id] = static_cast<int32_t>(members_.size());
    members_.push_back(id);
  }
  void Erase(int32_t id) {
    const int32_t p = pos_[id];
    if (p < 0) return;
    members_[p] = members_.back();
    pos_[members_[p]] = p;
    members_.pop_back();
    pos_[id] = -1;
  }
  void Clear() {
    for (int32_t id : members_) pos_[id] = -1;
    members_.clear();
  }
  const std::vector<int32_t>& members() const { return members_; }

 private:
  std::vector<int32_t> pos_;
  std::vector<int32_t> members_;
};

void BooleanDocument(const Corpus& texts, const std::vector<int32_t>& relevant, Accumulator* acc) {
  PresentSet present(acc->r);
  for (int64_t d = 0; d < texts.num_docs(); ++d) {
    present.Clear();
    for (int32_t w : texts.doc(d)) {
      if (relevant[w] >= 0) present.Insert(relevant[w]);
    }
    acc->Add(present.members());
    ++acc->num_docs;
  }
}

void BooleanSlidingWindow(const Corpus& texts, const std::vector<int32_t>& relevant,
                          int32_t window, Accumulator* acc) {
  const int32_t none = acc->r;  // gensim's _none_token
  PresentSet present(acc->r + 1);
  std::vector<int32_t> ids;
  for (int64_t d = 0; d < texts.num_docs(); ++d) {
    ids.clear();
    for (int32_t w : texts.doc(d)) ids.push_back(relevant[w] >= 0 ? relevant[w] : none);
    const auto n = static_cast<int64_t>(ids.size());
    std::vector<int32_t> members;
    auto count_window = [&] {
      members.clear();
      for (int32_t id : present.members()) {
        if (id != none) members.push_back(id);
      }
      acc->Add(members);
    };
    if (n <= window) {
      if (n > 0) {
        present.Clear();
        for (int32_t id : ids) present.Insert(id);
        count_window();
      }
      ++acc->num_docs;
      continue;
    }
    present.Clear();
    for (int64_t i = 0; i < window; ++i) present.Insert(ids[i]);
    count_window();
    ++acc->num_docs;
    for (int64_t start = 1; start + window <= n; ++start) {
      present.Erase(ids[start - 1]);  // even if it occurs again inside the window (gensim)
      present.Insert(ids[start + window - 1]);
      count_window();
      ++acc->num_docs;
    }
  }
  acc->Finish();
}

double LogRatio(const Accumulator& acc, int32_t a, int32_t b, double n) {
  const double numerator = acc.Co(a, b) / n + kEpsilon;
  const double denominator = acc.Occ(a) / n * (acc.Occ(b) / n);
  return std::log(numerator / denominator);
}

double Npmi(const Accumulator& acc, int32_t a, int32_t b, double n) {
  return LogRatio(acc, a, b, n) / -std::log(acc.Co(a, b) / n + kEpsilon);
}

double Mean(const std::vector<double>& values) {
  double sum = 0;
  for (double v : values) sum += v;
  return values.empty() ? std::nan("") : sum / static_cast<double>(values.size());
}

}  // namespace


arrow::Result<CoherenceResult> ComputeCoherence(const std::vector<std::vector<int32_t>>& topics,
                                                const Corpus& texts, CoherenceMeasure measure,
                                                int32_t window_size) {
  if (topics.empty()) return arrow::Status::Invalid("coherence: no topics");
  std::vector<int32_t> relevant(static_cast<std::size_t>(texts.vocab.size()), -1);
  int32_t r = 0;
  for (const auto& topic : topics) {
    if (topic.size() < 2) return arrow::Status::Invalid("coherence: a topic needs 2+ words");
    for (int32_t w : topic) {
      if (w < 0 || w >= texts.vocab.size()) {
        return arrow::Status::Invalid("coherence: word id ", w, " outside the vocabulary");
      }
      if (relevant[w] < 0) relevant[w] = r++;
    }
  }
  Accumulator acc;
  acc.Init(r);
  if (measure == CoherenceMeasure::kUMass) {
    BooleanDocument(texts, relevant, &acc);
  } else {
    if (window_size <= 0) window_size = measure == CoherenceMeasure::kCv ? 110 : 10;
    BooleanSlidingWindow(texts, relevant, window_size, &acc);
  }
  const double n = static_cast<double>(acc.num_docs);
  CoherenceResult result;
  for (const auto& topic : topics) {
    std::vector<int32_t> t;
    for (int32_t w : topic) t.push_back(relevant[w]);
    std::vector<double> sims;
    switch (measure) {
      case CoherenceMeasure::kUMass:
        for (std::size_t i = 1; i < t.size(); ++i) {
          for (std::size_t j = 0; j < i; ++j) {
            if (acc.Occ(t[j]) == 0) {
              sims.push_back(0.0);  // gensim: ZeroDivisionError -> 0
              continue;
            }
            sims.push_back(std::log((acc.Co(t[i], t[j]) / n + kEpsilon) / (acc.Occ(t[j]) / n)));
          }
        }
        break;
      case CoherenceMeasure::kCNpmi:
        for (std::size_t i = 0; i < t.size(); ++i) {
          for (std::size_t j = 0; j < t.size(); ++j) {
            if (i != j) sims.push_back(Npmi(acc, t[i], t[j], n));
          }
        }
        break;
      case CoherenceMeasure::kCv: {
        // Context vectors over the topic's words: one per word, and the topic's (their sum).
        const std::size_t m = t.size();
        std::vector<double> npmi(m * m);
        for (std::size_t i = 0; i < m; ++i) {
          for (std::size_t j = 0; j < m; ++j) {
            const int32_t a = std::min(t[i], t[j]), b = std::max(t[i], t[j]);
            npmi[i * m + j] = Npmi(acc, a, b, n);
          }
        }
        std::vector<double> topic_vec(m, 0.0);
        for (std::size_t j = 0; j < m; ++j) {
          for (std::size_t i = 0; i < m; ++i) topic_vec[j] += npmi[i * m + j];
        }
        double topic_norm = 0;
        for (double x : topic_vec) topic_norm += x * x;
        topic_norm = std::sqrt(topic_norm);
        for (std::size_t i = 0; i < m; ++i) {
          double dot = 0, norm = 0;
          for (std::size_t j = 0; j < m; ++j) {
            dot += npmi[i * m + j] * topic_vec[j];
            norm += npmi[i * m + j] * npmi[i * m + j];
          }
          sims.push_back(dot / (std::sqrt(norm) * topic_norm));
        }
        break;
      }
    }
    result.per_topic.push_back(Mean(sims));
  }
  result.mean = Mean(result.per_topic);
  return result;
}

}  // namespace hashlake::topics
