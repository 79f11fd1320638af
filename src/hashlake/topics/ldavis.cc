#include "hashlake/topics/ldavis.h"

#include <fmt/format.h>

#include "hashlake/core/atomic_file.h"
#include "hashlake/core/json_writer.h"

namespace hashlake::topics {
namespace {

void AppendNumber(std::string* out, double value) { fmt::format_to(std::back_inserter(*out), "{:.6g}", value); }

}  // namespace

std::string LdaVisJson(const TopicModel& model, const Corpus& corpus,
                       const std::vector<double>& doc_topics) {
  const auto kk = static_cast<std::size_t>(model.num_topics);
  std::string out = "{\"topic_term_dists\":[";
  for (int32_t k = 0; k < model.num_topics; ++k) {
    out += k == 0 ? "[" : ",[";
    for (int32_t w = 0; w < model.num_words(); ++w) {
      if (w > 0) out += ',';
      AppendNumber(&out, model.Phi(k, w));
    }
    out += ']';
  }
  out += "],\"doc_topic_dists\":[";
  for (int64_t d = 0; d < corpus.num_docs(); ++d) {
    out += d == 0 ? "[" : ",[";
    for (std::size_t k = 0; k < kk; ++k) {
      if (k > 0) out += ',';
      AppendNumber(&out, doc_topics[static_cast<std::size_t>(d) * kk + k]);
    }
    out += ']';
  }
  out += "],\"doc_lengths\":[";
  for (int64_t d = 0; d < corpus.num_docs(); ++d) {
    if (d > 0) out += ',';
    out += std::to_string(corpus.doc(d).size());
  }
  out += "],\"vocab\":[";
  for (int32_t w = 0; w < model.num_words(); ++w) {
    if (w > 0) out += ',';
    AppendJsonString(&out, model.vocab[w]);
  }
  std::vector<int64_t> tf(static_cast<std::size_t>(model.num_words()), 0);
  for (int32_t w : corpus.tokens) {
    if (w >= 0 && w < model.num_words()) ++tf[w];
  }
  out += "],\"term_frequency\":[";
  for (std::size_t w = 0; w < tf.size(); ++w) {
    if (w > 0) out += ',';
    out += std::to_string(tf[w]);
  }
  out += "]}";
  return out;
}

arrow::Status WriteLdaVisJson(const TopicModel& model, const Corpus& corpus,
                              const std::vector<double>& doc_topics, const std::string& path) {
  return WriteFileAtomically(path, LdaVisJson(model, corpus, doc_topics));
}

}  // namespace hashlake::topics
