#pragma once

#include <string>
#include <vector>

#include <arrow/status.h>

#include "hashlake/topics/corpus.h"
#include "hashlake/topics/topic_model.h"

namespace hashlake::topics {

/// The inputs of LDAvis / pyLDAvis.prepare as one JSON object, with pyLDAvis's names:
/// {"topic_term_dists": K x V phi, "doc_topic_dists": D x K theta, "doc_lengths": D,
///  "vocab": V terms, "term_frequency": V corpus counts}. `doc_topics` is row-major D x K
/// (InferCorpus, or the sampler's DocTopics). Numbers are written with 6 significant digits
/// (rows still sum to 1 within 1e-5). `corpus` uses the model's vocabulary ids.
std::string LdaVisJson(const TopicModel& model, const Corpus& corpus,
                       const std::vector<double>& doc_topics);

arrow::Status WriteLdaVisJson(const TopicModel& model, const Corpus& corpus,
                              const std::vector<double>& doc_topics, const std::string& path);

}  // namespace hashlake::topics
