#pragma once

#include <arrow/result.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hashlake/topics/topic_model.h"

namespace hashlake::topics {

/// The five inputs of pyLDAvis.prepare, as doubles. Plain value.
struct LdavisInputs {
  int32_t num_topics = 0;              ///< K
  std::vector<std::string> vocab;      ///< V terms
  std::vector<double> topic_term;      ///< K x V, row-major; rows are distributions
  std::vector<double> doc_topic;       ///< D x K, row-major; rows are distributions
  std::vector<double> doc_lengths;     ///< D tokens per document
  std::vector<double> term_frequency;  ///< V corpus counts (pyLDAvis checks, then ignores them)

  int32_t num_words() const { return static_cast<int32_t>(vocab.size()); }
  int64_t num_docs() const { return static_cast<int64_t>(doc_lengths.size()); }
};

/// Reads the JSON of WriteLdaVisJson (`lda train --ldavis-out`); shape errors are Invalid.
arrow::Result<LdavisInputs> ParseLdavisInputs(std::string_view json);

/// Exact inputs from a model alone: phi from the counts, and one pseudo-document per topic
/// (theta = identity, length = the topic's tokens), so topic frequencies are the topic totals.
LdavisInputs LdavisInputsFromModel(const TopicModel& model);

/// The inputs as JSON with round-trip precision (same keys as WriteLdaVisJson).
std::string LdavisInputsJson(const LdavisInputs& inputs);

/// pyLDAvis.prepare's parameters (mds = 'pcoa', sort_topics = True, start_index = 1).
struct LdavisOptions {
  int32_t r = 30;             ///< terms per bar chart; capped at V
  double lambda_step = 0.01;  ///< grid step of lambda in [0, 1]
};

/// pyLDAvis.prepare's output. Topics are numbered 1..K in decreasing share of tokens.
struct PreparedLdavis {
  /// One row of `tinfo`: the Default rows (top R by saliency) then, per topic, the union of
  /// the top-R terms over the lambda grid in first-seen order.
  struct TermRow {
    int32_t term = 0;      ///< vocabulary id
    int32_t category = 0;  ///< 0: "Default", t: "Topic<t>"
    double freq = 0;       ///< estimated count of the term in the topic (floor of Total: Default)
    double total = 0;      ///< estimated count of the term overall
    double logprob = 0;    ///< log phi rounded to 4 decimals (Default: R..1)
    double loglift = 0;    ///< log(phi / p(term)) rounded to 4 decimals (Default: R..1)
  };
  /// One row of `token.table`: the share of a term's tokens in one topic (>= 0.5 tokens).
  struct TokenRow {
    int32_t term = 0;
    int32_t topic = 0;  ///< 1..K
    double freq = 0;
  };
  std::vector<double> x, y;          ///< K, classical MDS of the topics' JS divergences
  std::vector<double> freq;          ///< K, percent of tokens
  std::vector<int32_t> topic_order;  ///< K, original topic id + 1 of each displayed topic
  std::vector<double> saliency;      ///< V, by vocabulary id
  std::vector<double> term_total;    ///< V, estimated corpus count of each term
  std::vector<TermRow> tinfo;
  std::vector<TokenRow> token_table;  ///< sorted by term string, then topic
  std::vector<std::string> vocab;
  int32_t r = 30;
  double lambda_step = 0.01;

  /// Vocabulary ids of topic t (1..K) by decreasing relevance lambda*logprob +
  /// (1-lambda)*loglift over its tinfo rows (the rounded values, as pyLDAvis.sorted_terms).
  std::vector<int32_t> SortedTerms(int32_t topic, double lambda) const;
};

/// Computes what pyLDAvis.prepare(..., mds='pcoa', sort_topics=True) computes. Invalid on
/// shape mismatches, rows summing below 0.999 (pyLDAvis's check) or non-positive phi.
arrow::Result<PreparedLdavis> PrepareLdavis(const LdavisInputs& inputs,
                                            const LdavisOptions& options = {});

/// PreparedData.to_json(): {"mdsDat", "tinfo", "token.table", "R", "lambda.step",
/// "plot.opts", "topic.order"}, columns as lists.
std::string PreparedLdavisJson(const PreparedLdavis& prepared);

}  // namespace hashlake::topics
