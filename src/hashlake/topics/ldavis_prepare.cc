#include "hashlake/topics/ldavis_prepare.h"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_set>

#include "hashlake/core/json_writer.h"
#include "hashlake/core/simdjson_status.h"

namespace hashlake::topics {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;

arrow::Status ReadNumbers(element value, const char* key, std::vector<double>* out) {
  array arr;
  HASHLAKE_RETURN_NOT_OK_JSON(value.get_array().get(arr), std::string(key) + " must be an array");
  for (element item : arr) {
    double x = 0;
    HASHLAKE_RETURN_NOT_OK_JSON(item.get_double().get(x), std::string(key) + " must hold numbers");
    out->push_back(x);
  }
  return arrow::Status::OK();
}

// Reads an array of equal-length numeric rows; returns the row count and sets *cols.
arrow::Result<int64_t> ReadMatrix(element value, const char* key, std::vector<double>* out,
                                  int64_t* cols) {
  array rows;
  HASHLAKE_RETURN_NOT_OK_JSON(value.get_array().get(rows), std::string(key) + " must be an array");
  int64_t n = 0;
  *cols = -1;
  for (element row : rows) {
    const std::size_t before = out->size();
    ARROW_RETURN_NOT_OK(ReadNumbers(row, key, out));
    const auto width = static_cast<int64_t>(out->size() - before);
    if (*cols >= 0 && width != *cols) {
      return arrow::Status::Invalid(key, ": row ", n, " has ", width, " values, not ", *cols);
    }
    *cols = width;
    ++n;
  }
  return n;
}

// numpy.round(x, 4): scale, round half to even, unscale.
double Round4(double x) { return std::nearbyint(x * 1e4) / 1e4; }

// Indices of `values` by decreasing value, ties by increasing index (pandas nlargest keep='first'
// and sort_values(ascending=False) on small or tie-free inputs).
std::vector<int32_t> DescendingOrder(const std::vector<double>& values) {
  std::vector<int32_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int32_t a, int32_t b) { return values[a] > values[b]; });
  return order;
}

// scipy.stats.entropy(p, q): both normalized to sum 1, sum of rel_entr.
double Entropy(const double* p, const double* q, int32_t n) {
  double sp = 0, sq = 0;
  for (int32_t i = 0; i < n; ++i) {
    sp += p[i];
    sq += q[i];
  }
  double sum = 0;
  for (int32_t i = 0; i < n; ++i) {
    const double a = p[i] / sp, b = q[i] / sq;
    if (a > 0 && b > 0) {
      sum += a * std::log(a / b);
    } else if (a > 0) {
      return INFINITY;
    }
  }
  return sum;
}

// pyLDAvis._jensen_shannon: the divergence itself (not its square root).
double JensenShannon(const double* p, const double* q, int32_t n) {
  std::vector<double> m(static_cast<std::size_t>(n));
  for (int32_t i = 0; i < n; ++i) m[i] = 0.5 * (p[i] + q[i]);
  return 0.5 * (Entropy(p, m.data(), n) + Entropy(q, m.data(), n));
}

// Eigen-decomposition of a symmetric n x n matrix by cyclic Jacobi rotations; eigenvectors are
// the columns of *vectors (row-major).
void SymmetricEigen(std::vector<double> a, int32_t n, std::vector<double>* values,
                    std::vector<double>* vectors) {
  auto at = [n](std::vector<double>& m, int32_t i, int32_t j) -> double& {
    return m[static_cast<std::size_t>(i) * n + j];
  };
  vectors->assign(static_cast<std::size_t>(n) * n, 0.0);
  for (int32_t i = 0; i < n; ++i) at(*vectors, i, i) = 1.0;
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0, scale = 0;
    for (int32_t i = 0; i < n; ++i) {
      for (int32_t j = 0; j < n; ++j) {
        (i == j ? scale : off) += at(a, i, j) * at(a, i, j);
      }
    }
    if (off <= 1e-30 * std::max(scale, 1e-300)) break;
    for (int32_t p = 0; p < n; ++p) {
      for (int32_t q = p + 1; q < n; ++q) {
        const double apq = at(a, p, q);
        if (apq == 0) continue;
        const double theta = (at(a, q, q) - at(a, p, p)) / (2 * apq);
        const double t =
            (theta >= 0 ? 1.0 : -1.0) / (std::abs(theta) + std::sqrt(theta * theta + 1));
        const double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (int32_t k = 0; k < n; ++k) {  // A <- A J
          const double akp = at(a, k, p), akq = at(a, k, q);
          at(a, k, p) = c * akp - s * akq;
          at(a, k, q) = s * akp + c * akq;
        }
        for (int32_t k = 0; k < n; ++k) {  // A <- J^T A
          const double apk = at(a, p, k), aqk = at(a, q, k);
          at(a, p, k) = c * apk - s * aqk;
          at(a, q, k) = s * apk + c * aqk;
        }
        for (int32_t k = 0; k < n; ++k) {
          const double vkp = at(*vectors, k, p), vkq = at(*vectors, k, q);
          at(*vectors, k, p) = c * vkp - s * vkq;
          at(*vectors, k, q) = s * vkp + c * vkq;
        }
      }
    }
  }
  values->resize(static_cast<std::size_t>(n));
  for (int32_t i = 0; i < n; ++i) (*values)[i] = at(a, i, i);
}

// pyLDAvis._pcoa on the JS divergences of the (reordered) topics: two coordinates per topic.
void JsPcoa(const std::vector<double>& phi, int32_t k, int32_t v, std::vector<double>* x,
            std::vector<double>* y) {
  const auto n = static_cast<std::size_t>(k);
  std::vector<double> d2(n * n, 0.0);
  for (int32_t i = 0; i < k; ++i) {
    for (int32_t j = i + 1; j < k; ++j) {
      const double d = JensenShannon(&phi[static_cast<std::size_t>(i) * v],
                                     &phi[static_cast<std::size_t>(j) * v], v);
      d2[i * n + j] = d2[j * n + i] = d * d;
    }
  }
  // B = -H D^2 H / 2 with H = I - 1/n: double centring.
  std::vector<double> row_mean(n, 0.0);
  double all_mean = 0;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) row_mean[i] += d2[i * n + j];
    all_mean += row_mean[i];
    row_mean[i] /= static_cast<double>(n);
  }
  all_mean /= static_cast<double>(n * n);
  std::vector<double> b(n * n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      b[i * n + j] = -0.5 * (d2[i * n + j] - row_mean[i] - row_mean[j] + all_mean);
    }
  }
  std::vector<double> values, vectors;
  SymmetricEigen(std::move(b), k, &values, &vectors);
  std::vector<int32_t> order = DescendingOrder(values);
  x->assign(n, 0.0);
  y->assign(n, 0.0);
  for (int c = 0; c < 2 && c < k; ++c) {
    double lambda = values[order[c]];
    if (std::abs(lambda) <= 1e-8 || lambda < 0) continue;  // np.isclose(0) and negatives: zero
    const double root = std::sqrt(lambda);
    auto* out = c == 0 ? x : y;
    for (std::size_t i = 0; i < n; ++i) (*out)[i] = root * vectors[i * n + order[c]];
  }
}

arrow::Status ValidateInputs(const LdavisInputs& in) {
  const int32_t k = in.num_topics, v = in.num_words();
  if (k <= 0 || v <= 0) return arrow::Status::Invalid("LDAvis needs at least one topic and term");
  if (in.topic_term.size() != static_cast<std::size_t>(k) * v) {
    return arrow::Status::Invalid("topic_term_dists is not K x V = ", k, " x ", v);
  }
  if (in.doc_topic.size() != static_cast<std::size_t>(in.num_docs()) * k) {
    return arrow::Status::Invalid("doc_topic_dists is not D x K = ", in.num_docs(), " x ", k);
  }
  if (in.term_frequency.size() != static_cast<std::size_t>(v)) {
    return arrow::Status::Invalid("term_frequency has ", in.term_frequency.size(), " entries for ",
                                  v, " terms");
  }
  for (int32_t t = 0; t < k; ++t) {
    double sum = 0;
    for (int32_t w = 0; w < v; ++w) {
      const double p = in.topic_term[static_cast<std::size_t>(t) * v + w];
      if (!(p > 0) || !std::isfinite(p)) {
        return arrow::Status::Invalid("topic_term_dists[", t, "][", w, "] is not positive");
      }
      sum += p;
    }
    if (sum < 0.999) return arrow::Status::Invalid("topic_term_dists row ", t, " sums to ", sum);
  }
  for (int64_t d = 0; d < in.num_docs(); ++d) {
    double sum = 0;
    for (int32_t t = 0; t < k; ++t) {
      const double p = in.doc_topic[static_cast<std::size_t>(d) * k + t];
      if (!(p >= 0) || !std::isfinite(p)) {
        return arrow::Status::Invalid("doc_topic_dists[", d, "][", t,
                                      "] is negative or not finite");
      }
      sum += p;
    }
    if (sum < 0.999) return arrow::Status::Invalid("doc_topic_dists row ", d, " sums to ", sum);
    const double len = in.doc_lengths[static_cast<std::size_t>(d)];
    if (!(len >= 0) || !std::isfinite(len)) {
      return arrow::Status::Invalid("doc_lengths[", d, "] is negative or not finite");
    }
  }
  return arrow::Status::OK();
}

void AppendDoubles(JsonWriter& json, const std::vector<double>& values) {
  json.BeginArray();
  for (double x : values) json.Double(x);
  json.EndArray();
}

}  // namespace

arrow::Result<LdavisInputs> ParseLdavisInputs(std::string_view text) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(text);
  element doc;
  HASHLAKE_RETURN_NOT_OK_JSON(parser.parse(padded).get(doc), "LDAvis inputs JSON");
  LdavisInputs in;
  element value;
  int64_t cols = 0;
  HASHLAKE_RETURN_NOT_OK_JSON(doc["topic_term_dists"].get(value), "topic_term_dists");
  ARROW_ASSIGN_OR_RAISE(const int64_t k,
                        ReadMatrix(value, "topic_term_dists", &in.topic_term, &cols));
  const int64_t v = cols;
  HASHLAKE_RETURN_NOT_OK_JSON(doc["doc_topic_dists"].get(value), "doc_topic_dists");
  ARROW_ASSIGN_OR_RAISE(const int64_t d,
                        ReadMatrix(value, "doc_topic_dists", &in.doc_topic, &cols));
  if (d > 0 && cols != k) {
    return arrow::Status::Invalid("doc_topic_dists has ", cols, " columns for ", k, " topics");
  }
  HASHLAKE_RETURN_NOT_OK_JSON(doc["doc_lengths"].get(value), "doc_lengths");
  ARROW_RETURN_NOT_OK(ReadNumbers(value, "doc_lengths", &in.doc_lengths));
  if (static_cast<int64_t>(in.doc_lengths.size()) != d) {
    return arrow::Status::Invalid("doc_lengths has ", in.doc_lengths.size(), " entries for ", d,
                                  " documents");
  }
  HASHLAKE_RETURN_NOT_OK_JSON(doc["term_frequency"].get(value), "term_frequency");
  ARROW_RETURN_NOT_OK(ReadNumbers(value, "term_frequency", &in.term_frequency));
  array vocab;
  HASHLAKE_RETURN_NOT_OK_JSON(doc["vocab"].get_array().get(vocab), "vocab must be an array");
  for (element term : vocab) {
    std::string_view s;
    HASHLAKE_RETURN_NOT_OK_JSON(term.get_string().get(s), "vocab must hold strings");
    in.vocab.emplace_back(s);
  }
  if (k > 0 && static_cast<int64_t>(in.vocab.size()) != v) {
    return arrow::Status::Invalid("vocab has ", in.vocab.size(), " terms, topic_term_dists ", v);
  }
  if (k > INT32_MAX) return arrow::Status::Invalid("too many topics");
  in.num_topics = static_cast<int32_t>(k);
  return in;
}

LdavisInputs LdavisInputsFromModel(const TopicModel& model) {
  LdavisInputs in;
  const int32_t k = model.num_topics, v = model.num_words();
  in.num_topics = k;
  in.vocab = model.vocab;
  in.topic_term.resize(static_cast<std::size_t>(k) * v);
  for (int32_t t = 0; t < k; ++t) {
    for (int32_t w = 0; w < v; ++w)
      in.topic_term[static_cast<std::size_t>(t) * v + w] = model.Phi(t, w);
  }
  in.doc_topic.assign(static_cast<std::size_t>(k) * k, 0.0);
  for (int32_t t = 0; t < k; ++t) {
    in.doc_topic[static_cast<std::size_t>(t) * k + t] = 1.0;
    in.doc_lengths.push_back(static_cast<double>(model.topic_totals[t]));
  }
  in.term_frequency.assign(static_cast<std::size_t>(v), 0.0);
  for (int32_t w = 0; w < v; ++w) {
    for (int32_t t = 0; t < k; ++t) in.term_frequency[w] += model.count(w, t);
  }
  return in;
}

std::string LdavisInputsJson(const LdavisInputs& in) {
  std::string out;
  JsonWriter json(&out);
  const int32_t k = in.num_topics, v = in.num_words();
  json.BeginObject();
  json.Key("topic_term_dists");
  json.BeginArray();
  for (int32_t t = 0; t < k; ++t) {
    json.BeginArray();
    for (int32_t w = 0; w < v; ++w) json.Double(in.topic_term[static_cast<std::size_t>(t) * v + w]);
    json.EndArray();
  }
  json.EndArray();
  json.Key("doc_topic_dists");
  json.BeginArray();
  for (int64_t d = 0; d < in.num_docs(); ++d) {
    json.BeginArray();
    for (int32_t t = 0; t < k; ++t) json.Double(in.doc_topic[static_cast<std::size_t>(d) * k + t]);
    json.EndArray();
  }
  json.EndArray();
  json.Key("doc_lengths");
  AppendDoubles(json, in.doc_lengths);
  json.Key("vocab");
  json.BeginArray();
  for (const auto& term : in.vocab) json.String(term);
  json.EndArray();
  json.Key("term_frequency");
  AppendDoubles(json, in.term_frequency);
  json.EndObject();
  return out;
}

arrow::Result<PreparedLdavis> PrepareLdavis(const LdavisInputs& in, const LdavisOptions& options) {
  ARROW_RETURN_NOT_OK(ValidateInputs(in));
  if (!(options.lambda_step > 0 && options.lambda_step <= 1)) {
    return arrow::Status::Invalid("lambda step must be in (0, 1], got ", options.lambda_step);
  }
  if (options.r <= 0) return arrow::Status::Invalid("R must be positive, got ", options.r);
  const int32_t k = in.num_topics, v = in.num_words();
  const auto kz = static_cast<std::size_t>(k), vz = static_cast<std::size_t>(v);
  PreparedLdavis out;
  out.vocab = in.vocab;
  out.r = std::min(options.r, v);
  out.lambda_step = options.lambda_step;
  const int32_t r = out.r;

  // Topic frequencies (tokens), and the display order by decreasing share.
  std::vector<double> topic_freq_orig(kz, 0.0);
  for (int64_t d = 0; d < in.num_docs(); ++d) {
    for (std::size_t t = 0; t < kz; ++t) {
      topic_freq_orig[t] += in.doc_topic[static_cast<std::size_t>(d) * kz + t] * in.doc_lengths[d];
    }
  }
  const double freq_sum = std::accumulate(topic_freq_orig.begin(), topic_freq_orig.end(), 0.0);
  if (!(freq_sum > 0)) return arrow::Status::Invalid("the documents hold no tokens");
  std::vector<double> share_orig(kz);
  for (std::size_t t = 0; t < kz; ++t) share_orig[t] = topic_freq_orig[t] / freq_sum;
  const std::vector<int32_t> order = DescendingOrder(share_orig);

  std::vector<double> phi(kz * vz), topic_freq(kz), share(kz);
  for (std::size_t t = 0; t < kz; ++t) {
    const auto o = static_cast<std::size_t>(order[t]);
    std::copy_n(&in.topic_term[o * vz], vz, &phi[t * vz]);
    topic_freq[t] = topic_freq_orig[o];
    share[t] = share_orig[o];
    out.topic_order.push_back(order[t] + 1);
    out.freq.push_back(share[t] * 100);
  }
  // Estimated counts (red bars) and, as pyLDAvis does, the term totals they sum to.
  std::vector<double> term_topic(kz * vz);
  out.term_total.assign(vz, 0.0);
  for (std::size_t t = 0; t < kz; ++t) {
    for (std::size_t w = 0; w < vz; ++w) {
      term_topic[t * vz + w] = phi[t * vz + w] * topic_freq[t];
      out.term_total[w] += term_topic[t * vz + w];
    }
  }
  const double total_sum = std::accumulate(out.term_total.begin(), out.term_total.end(), 0.0);
  std::vector<double> term_prop(vz);
  for (std::size_t w = 0; w < vz; ++w) term_prop[w] = out.term_total[w] / total_sum;

  // Saliency: p(w) * sum_t p(t|w) log(p(t|w) / p(t)), p(t|w) = phi(t,w) / sum_t phi(t,w).
  out.saliency.assign(vz, 0.0);
  for (std::size_t w = 0; w < vz; ++w) {
    double column = 0;
    for (std::size_t t = 0; t < kz; ++t) column += phi[t * vz + w];
    double distinct = 0;
    for (std::size_t t = 0; t < kz; ++t) {
      const double given = phi[t * vz + w] / column;
      distinct += given * std::log(given / share[t]);
    }
    out.saliency[w] = term_prop[w] * distinct;
  }
  const std::vector<int32_t> by_saliency = DescendingOrder(out.saliency);
  for (int32_t i = 0; i < r; ++i) {
    const int32_t w = by_saliency[i];
    out.tinfo.push_back({w, 0, std::floor(out.term_total[w]), std::floor(out.term_total[w]),
                         static_cast<double>(r - i), static_cast<double>(r - i)});
  }

  // Relevance over the lambda grid numpy.arange(0, 1 + step, step).
  const auto steps =
      static_cast<int64_t>(std::ceil((1 + options.lambda_step) / options.lambda_step));
  std::vector<double> log_ttd(kz * vz), log_lift(kz * vz), relevance(vz);
  for (std::size_t t = 0; t < kz; ++t) {
    for (std::size_t w = 0; w < vz; ++w) {
      log_ttd[t * vz + w] = std::log(phi[t * vz + w]);
      log_lift[t * vz + w] = std::log(phi[t * vz + w] / term_prop[w]);
    }
  }
  for (std::size_t t = 0; t < kz; ++t) {
    std::vector<int32_t> seen_order;
    std::unordered_set<int32_t> seen;
    for (int64_t i = 0; i < steps; ++i) {
      const double lambda = static_cast<double>(i) * options.lambda_step;
      for (std::size_t w = 0; w < vz; ++w) {
        relevance[w] = lambda * log_ttd[t * vz + w] + (1 - lambda) * log_lift[t * vz + w];
      }
      std::vector<int32_t> ids(vz);
      std::iota(ids.begin(), ids.end(), 0);
      std::partial_sort(ids.begin(), ids.begin() + r, ids.end(), [&](int32_t a, int32_t b) {
        return relevance[a] > relevance[b] || (relevance[a] == relevance[b] && a < b);
      });
      for (int32_t j = 0; j < r; ++j) {
        if (seen.insert(ids[j]).second) seen_order.push_back(ids[j]);
      }
    }
    for (int32_t w : seen_order) {
      out.tinfo.push_back({w, static_cast<int32_t>(t) + 1, term_topic[t * vz + w],
                           out.term_total[w], Round4(log_ttd[t * vz + w]),
                           Round4(log_lift[t * vz + w])});
    }
  }

  // Token table: every tinfo term's rounded counts per topic, as shares of its total.
  std::vector<int32_t> terms;
  for (const auto& row : out.tinfo) terms.push_back(row.term);
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  for (int32_t w : terms) {
    for (std::size_t t = 0; t < kz; ++t) {
      const double f = term_topic[t * vz + w];
      if (!(f >= 0.5)) continue;
      out.token_table.push_back(
          {w, static_cast<int32_t>(t) + 1, std::nearbyint(f) / out.term_total[w]});
    }
  }
  std::stable_sort(out.token_table.begin(), out.token_table.end(),
                   [&](const PreparedLdavis::TokenRow& a, const PreparedLdavis::TokenRow& b) {
                     const int c = in.vocab[a.term].compare(in.vocab[b.term]);
                     return c != 0 ? c < 0 : a.topic < b.topic;
                   });

  JsPcoa(phi, k, v, &out.x, &out.y);
  return out;
}

std::vector<int32_t> PreparedLdavis::SortedTerms(int32_t topic, double lambda) const {
  if (lambda < 0 || lambda > 1) lambda = 1;
  std::vector<const TermRow*> rows;
  for (const auto& row : tinfo) {
    if (row.category == topic) rows.push_back(&row);
  }
  auto score = [lambda](const TermRow* row) {
    return lambda * row->logprob + (1 - lambda) * row->loglift;
  };
  std::stable_sort(rows.begin(), rows.end(),
                   [&](const TermRow* a, const TermRow* b) { return score(a) > score(b); });
  std::vector<int32_t> ids;
  for (const auto* row : rows) ids.push_back(row->term);
  return ids;
}

std::string PreparedLdavisJson(const PreparedLdavis& p) {
  std::string out;
  JsonWriter json(&out);
  json.BeginObject();
  json.Key("mdsDat");
  json.BeginObject();
  json.Key("x");
  AppendDoubles(json, p.x);
  json.Key("y");
  AppendDoubles(json, p.y);
  json.Key("topics");
  json.BeginArray();
  for (std::size_t t = 0; t < p.x.size(); ++t) json.Int(static_cast<int64_t>(t) + 1);
  json.EndArray();
  json.Key("cluster");
  json.BeginArray();
  for (std::size_t t = 0; t < p.x.size(); ++t) json.Int(1);
  json.EndArray();
  json.Key("Freq");
  AppendDoubles(json, p.freq);
  json.EndObject();

  json.Key("tinfo");
  json.BeginObject();
  json.Key("Term");
  json.BeginArray();
  for (const auto& row : p.tinfo) json.String(p.vocab[row.term]);
  json.EndArray();
  const std::pair<const char*, double PreparedLdavis::TermRow::*> columns[] = {
      {"Freq", &PreparedLdavis::TermRow::freq}, {"Total", &PreparedLdavis::TermRow::total}};
  for (const auto& [name, field] : columns) {
    json.Key(name);
    json.BeginArray();
    for (const auto& row : p.tinfo) json.Double(row.*field);
    json.EndArray();
  }
  json.Key("Category");
  json.BeginArray();
  for (const auto& row : p.tinfo) {
    json.String(row.category == 0 ? std::string("Default")
                                  : "Topic" + std::to_string(row.category));
  }
  json.EndArray();
  const std::pair<const char*, double PreparedLdavis::TermRow::*> logs[] = {
      {"logprob", &PreparedLdavis::TermRow::logprob},
      {"loglift", &PreparedLdavis::TermRow::loglift}};
  for (const auto& [name, field] : logs) {
    json.Key(name);
    json.BeginArray();
    for (const auto& row : p.tinfo) json.Double(row.*field);
    json.EndArray();
  }
  json.EndObject();

  json.Key("token.table");
  json.BeginObject();
  json.Key("Topic");
  json.BeginArray();
  for (const auto& row : p.token_table) json.Int(row.topic);
  json.EndArray();
  json.Key("Freq");
  json.BeginArray();
  for (const auto& row : p.token_table) json.Double(row.freq);
  json.EndArray();
  json.Key("Term");
  json.BeginArray();
  for (const auto& row : p.token_table) json.String(p.vocab[row.term]);
  json.EndArray();
  json.EndObject();

  json.Key("R");
  json.Int(p.r);
  json.Key("lambda.step");
  json.Double(p.lambda_step);
  json.Key("plot.opts");
  json.BeginObject();
  json.Key("xlab");
  json.String("PC1");
  json.Key("ylab");
  json.String("PC2");
  json.EndObject();
  json.Key("topic.order");
  json.BeginArray();
  for (int32_t t : p.topic_order) json.Int(t);
  json.EndArray();
  json.EndObject();
  return out;
}

}  // namespace hashlake::topics
