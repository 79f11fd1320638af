// `hashlake lda train|sweep|eval|infer|show|ldavis`: topic models over the posts table or a corpus
// file (see src/hashlake/topics/README.md).
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

#include <fmt/core.h>

#include "hashlake/cli/command.h"
#include "hashlake/core/atomic_file.h"
#include "hashlake/core/json_writer.h"
#include "hashlake/lake/table_uri.h"
#include "hashlake/topics/coherence.h"
#include "hashlake/topics/corpus_io.h"
#include "hashlake/topics/gsdmm.h"
#include "hashlake/topics/inference.h"
#include "hashlake/topics/lda.h"
#include "hashlake/topics/ldavis.h"
#include "hashlake/topics/ldavis_prepare.h"
#include "hashlake/topics/model_io.h"
#include "hashlake/topics/model_table.h"
#include "hashlake/topics/posts_corpus.h"

namespace hashlake::cli {
namespace {

namespace fs = std::filesystem;
using topics::Corpus;
using topics::TopicModel;

struct LdaArgs {
  // Input.
  std::string lake;
  std::optional<std::string> since, until;
  std::vector<std::string> languages;
  int64_t min_tokens = 3;
  bool pool_hashtags = false;
  std::string corpus;
  std::string format = "text";
  std::string vocab;
  std::string labels;
  // Vocabulary.
  int64_t min_df = 1;
  double max_df = 1.0;
  int64_t max_terms = 0;
  // Model.
  std::string model = "lda";
  int32_t k = 20;
  double alpha = 0.1;
  double beta = 0.01;
  bool beta_given = false;
  int32_t iterations = 200;
  int32_t threads = static_cast<int32_t>(std::max(1u, std::thread::hardware_concurrency()));
  uint64_t seed = 1;
  int32_t mh_steps = 2;
  bool optimize_alpha = false;
  double holdout = 0.1;
  int32_t coherence_top = 10;
  bool no_coherence = false;
  // Output.
  std::string model_out;
  std::string model_in;
  std::string ldavis_out;
  std::string out;
  bool no_record = false;
  bool quiet = false;
  bool json = false;
  int32_t top = 20;
  // Sweep.
  std::vector<int32_t> k_grid;
  std::vector<double> alpha_grid;
  std::vector<double> beta_grid;
  std::string select = "c_v";
  // LDAvis.
  std::string ldavis_inputs;
  std::string inputs_out;
  double lambda_step = 0.01;
  int32_t relevance_terms = 30;
};

// The documents named by --lake or --corpus, before any vocabulary filter.
arrow::Result<Corpus> LoadInput(const LdaArgs& args) {
  if (args.lake.empty() == args.corpus.empty()) {
    return arrow::Status::Invalid("give exactly one of --lake DIR or --corpus PATH");
  }
  topics::TokenizedDocs docs;
  if (!args.lake.empty()) {
    topics::PostsCorpusOptions options;
    options.since = args.since;
    options.until = args.until;
    options.languages = args.languages;
    options.min_tokens = args.min_tokens;
    options.pool_by_hashtag = args.pool_hashtags;
    ARROW_ASSIGN_OR_RAISE(docs, topics::LoadPostsDocs(lake::JoinTableUri(args.lake, "posts"), options));
  } else if (args.format == "lda-c") {
    const std::string vocab =
        args.vocab.empty() ? (fs::path(args.corpus).parent_path() / "vocab.txt").string() : args.vocab;
    return topics::LoadLdaC(args.corpus, vocab);
  } else if (args.format == "text") {
    ARROW_ASSIGN_OR_RAISE(docs, topics::LoadTextLines(args.corpus, nullptr, args.labels));
  } else if (args.format == "raw") {
    ARROW_ASSIGN_OR_RAISE(auto tokenizer, topics::Tokenizer::Make());
    ARROW_ASSIGN_OR_RAISE(docs, topics::LoadTextLines(args.corpus, &tokenizer, args.labels));
  } else {
    return arrow::Status::Invalid("unknown --format '", args.format, "' (lda-c, text, raw)");
  }
  if (docs.docs.empty()) return arrow::Status::Invalid("the corpus has no documents");
  // Intern without filters; documents keep their positions (empty ones too).
  Corpus corpus;
  std::vector<int32_t> ids;
  for (const auto& doc : docs.docs) {
    ids.clear();
    for (const auto& t : doc) ids.push_back(corpus.vocab.Add(t));
    corpus.AddDocument(ids);
  }
  corpus.doc_ids = docs.ids;
  corpus.labels = docs.labels;
  return corpus;
}

topics::VocabularyOptions VocabOptions(const LdaArgs& args) {
  topics::VocabularyOptions options;
  options.min_df = args.min_df;
  options.max_df_fraction = args.max_df;
  options.max_terms = args.max_terms;
  return options;
}

// `corpus` re-expressed in the model's vocabulary; unknown terms dropped, documents kept.
Corpus ToModelVocab(const Corpus& corpus, const TopicModel& model) {
  Corpus out;
  for (const auto& term : model.vocab) out.vocab.Add(term);
  std::vector<int32_t> remap(static_cast<std::size_t>(corpus.vocab.size()));
  for (int32_t w = 0; w < corpus.vocab.size(); ++w) {
    remap[w] = out.vocab.Find(corpus.vocab.term(w)).value_or(-1);
  }
  std::vector<int32_t> ids;
  for (int64_t d = 0; d < corpus.num_docs(); ++d) {
    ids.clear();
    for (int32_t w : corpus.doc(d)) {
      if (remap[w] >= 0) ids.push_back(remap[w]);
    }
    out.AddDocument(ids);
  }
  out.doc_ids = corpus.doc_ids;
  return out;
}

struct Metrics {
  std::optional<double> perplexity;
  double umass = NAN, npmi = NAN, c_v = NAN, diversity = NAN;
};

arrow::Result<Metrics> Evaluate(const TopicModel& model, const Corpus& texts, const Corpus* heldout,
                                const LdaArgs& args) {
  Metrics m;
  if (heldout != nullptr && heldout->num_docs() > 0) {
    auto perplexity = topics::DocumentCompletionPerplexity(model, *heldout, {.seed = args.seed});
    if (perplexity.ok()) m.perplexity = *perplexity;
  }
  if (!args.no_coherence) {
    const auto top = model.TopWordIds(std::min(args.coherence_top, model.num_words()));
    ARROW_ASSIGN_OR_RAISE(auto umass, topics::ComputeCoherence(top, texts, topics::CoherenceMeasure::kUMass));
    ARROW_ASSIGN_OR_RAISE(auto npmi, topics::ComputeCoherence(top, texts, topics::CoherenceMeasure::kCNpmi));
    ARROW_ASSIGN_OR_RAISE(auto cv, topics::ComputeCoherence(top, texts, topics::CoherenceMeasure::kCv));
    m.umass = umass.mean;
    m.npmi = npmi.mean;
    m.c_v = cv.mean;
  }
  m.diversity = topics::TopicDiversity(model);
  return m;
}

void PutMetric(JsonWriter& json, const char* key, double value) {
  json.Key(key);
  if (std::isfinite(value)) {
    json.Double(value);
  } else {
    json.Null();
  }
}

void PutMetrics(JsonWriter& json, const Metrics& m) {
  PutMetric(json, "heldout_perplexity", m.perplexity.value_or(NAN));
  PutMetric(json, "umass", m.umass);
  PutMetric(json, "npmi", m.npmi);
  PutMetric(json, "c_v", m.c_v);
  PutMetric(json, "diversity", m.diversity);
}

struct TrainResult {
  TopicModel model;
  Metrics metrics;
  double seconds = 0;
  int64_t tokens = 0;
  int64_t docs = 0;
  std::vector<double> doc_topics;  // D x K of the training corpus (for LDAvis)
  const Corpus* train = nullptr;   // the split's training part, which outlives the result
};

// The training and held-out parts of a corpus, made once per command (SplitCorpus).
using TrainTest = std::pair<Corpus, Corpus>;

double DefaultBeta(const LdaArgs& args) {
  return args.beta_given ? args.beta : (args.model == "lda" ? 0.01 : 0.1);
}

arrow::Result<TrainResult> Train(const TrainTest& split, const LdaArgs& args, int32_t k, double alpha,
                                 double beta, bool want_doc_topics) {
  TrainResult result;
  result.train = &split.first;
  const Corpus& train = split.first;
  const auto start = std::chrono::steady_clock::now();
  auto progress = [&](int32_t it, double ll) {
    if (!args.quiet && (it % 10 == 0 || it == args.iterations)) {
      fmt::print(stderr, "iteration {}/{} log-likelihood {:.6g}\n", it, args.iterations, ll);
    }
  };
  if (args.model == "lda") {
    topics::LdaOptions options{.num_topics = k, .alpha = alpha, .beta = beta, .threads = args.threads,
                               .seed = args.seed, .mh_steps = args.mh_steps,
                               .optimize_alpha = args.optimize_alpha};
    ARROW_ASSIGN_OR_RAISE(auto sampler, topics::LdaSampler::Make(train, options));
    for (int32_t it = 1; it <= args.iterations; ++it) {
      sampler->Iterate();
      if (!args.quiet && (it % 10 == 0 || it == args.iterations)) progress(it, sampler->LogLikelihood());
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.model = sampler->ToModel();
    if (want_doc_topics) {
      for (int64_t d = 0; d < train.num_docs(); ++d) {
        const auto theta = sampler->DocTopics(d);
        result.doc_topics.insert(result.doc_topics.end(), theta.begin(), theta.end());
      }
    }
  } else if (args.model == "gsdmm" || args.model == "dmm") {
    topics::GsdmmOptions options{.num_clusters = k, .alpha = alpha, .beta = beta, .seed = args.seed};
    ARROW_ASSIGN_OR_RAISE(auto sampler, topics::GsdmmSampler::Make(train, options));
    for (int32_t it = 1; it <= args.iterations; ++it) {
      sampler->Iterate();
      if (!args.quiet && (it % 10 == 0 || it == args.iterations)) {
        fmt::print(stderr, "iteration {}/{} moved {} documents, {} clusters in use\n", it,
                   args.iterations, sampler->last_moves(), sampler->NonEmptyClusters());
      }
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.model = sampler->ToModel();
    if (want_doc_topics) result.doc_topics = topics::InferCorpus(result.model, train, {.seed = args.seed});
  } else {
    return arrow::Status::Invalid("unknown --model '", args.model, "' (lda, gsdmm)");
  }
  result.tokens = train.num_tokens();
  result.docs = train.num_docs();
  ARROW_ASSIGN_OR_RAISE(result.metrics, Evaluate(result.model, train, &split.second, args));
  return result;
}

std::string MetricsJson(const TrainResult& r, const LdaArgs& args, std::optional<int64_t> version) {
  std::string out;
  JsonWriter json(&out);
  json.BeginObject();
  json.Key("model");
  json.String(topics::ModelKindName(r.model.kind));
  json.Key("k");
  json.Int(r.model.num_topics);
  json.Key("iterations");
  json.Int(args.iterations);
  json.Key("threads");
  json.Int(r.model.kind == topics::ModelKind::kLda ? args.threads : 1);
  json.Key("docs");
  json.Int(r.docs);
  json.Key("tokens");
  json.Int(r.tokens);
  json.Key("vocab");
  json.Int(r.model.num_words());
  PutMetric(json, "seconds", r.seconds);
  const double tps = static_cast<double>(r.tokens) * args.iterations / std::max(r.seconds, 1e-9);
  PutMetric(json, "tokens_per_second", tps);
  PutMetric(json, "tokens_per_second_per_thread",
            tps / (r.model.kind == topics::ModelKind::kLda ? args.threads : 1));
  PutMetrics(json, r.metrics);
  if (version) {
    json.Key("model_version");
    json.Int(*version);
  }
  json.EndObject();
  return out;
}

// Saves the model, records it in the lake's topic_models table, writes LDAvis data.
arrow::Result<std::optional<int64_t>> Persist(const TrainResult& r, const LdaArgs& args,
                                              const std::string& tag) {
  std::string model_path = args.model_out;
  if (model_path.empty() && !args.lake.empty()) {
    model_path = (fs::path(args.lake) / "models" / fmt::format("topic-model-{}.hltm",
        std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::system_clock::now().time_since_epoch()).count())).string();
  }
  if (!model_path.empty()) {
    std::error_code ec;
    if (fs::path(model_path).has_parent_path()) fs::create_directories(fs::path(model_path).parent_path(), ec);
    ARROW_RETURN_NOT_OK(topics::SaveModel(r.model, model_path));
  }
  if (!args.ldavis_out.empty()) {
    ARROW_RETURN_NOT_OK(topics::WriteLdaVisJson(r.model, *r.train, r.doc_topics, args.ldavis_out));
  }
  if (args.lake.empty() || args.no_record) return std::optional<int64_t>();
  topics::ModelRecord record;
  record.model = topics::ModelKindName(r.model.kind);
  record.k = r.model.num_topics;
  record.params_json = r.model.params_json;
  record.top_terms_json = topics::TopTermsJson(r.model, args.top);
  record.metrics_json = MetricsJson(r, args, std::nullopt);
  record.model_path = model_path;
  record.tag = tag;
  ARROW_ASSIGN_OR_RAISE(int64_t version,
                        topics::AppendModelRecord(lake::JoinTableUri(args.lake, "topic_models"), record));
  return std::optional<int64_t>(version);
}

arrow::Status RunTrain(const LdaArgs& args) {
  ARROW_ASSIGN_OR_RAISE(Corpus raw, LoadInput(args));
  ARROW_ASSIGN_OR_RAISE(Corpus filtered, topics::FilterCorpus(raw, VocabOptions(args)));
  ARROW_ASSIGN_OR_RAISE(auto split, topics::SplitCorpus(filtered, args.holdout, args.seed));
  ARROW_ASSIGN_OR_RAISE(auto result, Train(split, args, args.k, args.alpha, DefaultBeta(args),
                                           !args.ldavis_out.empty()));
  ARROW_ASSIGN_OR_RAISE(auto version, Persist(result, args, "train"));
  fmt::print("{}\n", MetricsJson(result, args, version));
  return arrow::Status::OK();
}

double Score(const Metrics& m, const std::string& select) {
  if (select == "npmi") return m.npmi;
  if (select == "umass") return m.umass;
  if (select == "perplexity") return m.perplexity ? -*m.perplexity : -INFINITY;
  return m.c_v;
}

arrow::Status RunSweep(const LdaArgs& args) {
  if (args.select != "c_v" && args.select != "npmi" && args.select != "umass" &&
      args.select != "perplexity") {
    return arrow::Status::Invalid("--select must be c_v, npmi, umass or perplexity");
  }
  ARROW_ASSIGN_OR_RAISE(Corpus raw, LoadInput(args));
  ARROW_ASSIGN_OR_RAISE(Corpus filtered, topics::FilterCorpus(raw, VocabOptions(args)));
  const auto ks = args.k_grid.empty() ? std::vector<int32_t>{args.k} : args.k_grid;
  const auto alphas = args.alpha_grid.empty() ? std::vector<double>{args.alpha} : args.alpha_grid;
  const auto betas = args.beta_grid.empty() ? std::vector<double>{DefaultBeta(args)} : args.beta_grid;
  // One split for every setting: the same seed gives the same split each time.
  ARROW_ASSIGN_OR_RAISE(auto split, topics::SplitCorpus(filtered, args.holdout, args.seed));
  fmt::print("{:>5} {:>8} {:>8} {:>12} {:>9} {:>9} {:>9} {:>9} {:>9}\n", "k", "alpha", "beta",
             "perplexity", "c_v", "npmi", "umass", "diversity", "seconds");
  std::optional<TrainResult> best;
  double best_score = -INFINITY;
  LdaArgs quiet = args;
  quiet.quiet = true;
  for (int32_t k : ks) {
    for (double alpha : alphas) {
      for (double beta : betas) {
        ARROW_ASSIGN_OR_RAISE(auto result, Train(split, quiet, k, alpha, beta, !args.ldavis_out.empty()));
        const Metrics& m = result.metrics;
        fmt::print("{:>5} {:>8.4g} {:>8.4g} {:>12.2f} {:>9.4f} {:>9.4f} {:>9.4f} {:>9.3f} {:>9.2f}\n",
                   k, alpha, beta, m.perplexity.value_or(NAN), m.c_v, m.npmi, m.umass, m.diversity,
                   result.seconds);
        std::fflush(stdout);
        if (!args.lake.empty() && !args.no_record) {
          // Sweep rows keep their metrics and terms; only the best is saved as a file.
          topics::ModelRecord record;
          record.model = topics::ModelKindName(result.model.kind);
          record.k = k;
          record.params_json = result.model.params_json;
          record.top_terms_json = topics::TopTermsJson(result.model, args.top);
          record.metrics_json = MetricsJson(result, quiet, std::nullopt);
          record.tag = "sweep";
          ARROW_RETURN_NOT_OK(
              topics::AppendModelRecord(lake::JoinTableUri(args.lake, "topic_models"), record).status());
        }
        const double score = Score(m, args.select);
        if (!best || score > best_score) {
          best_score = score;
          best = std::move(result);
        }
      }
    }
  }
  ARROW_ASSIGN_OR_RAISE(auto version, Persist(*best, args, "sweep-best"));
  fmt::print("best {}\n", MetricsJson(*best, args, version));
  return arrow::Status::OK();
}

arrow::Status RunEval(const LdaArgs& args) {
  ARROW_ASSIGN_OR_RAISE(TopicModel model, topics::LoadModel(args.model_in));
  ARROW_ASSIGN_OR_RAISE(Corpus raw, LoadInput(args));
  Corpus texts = ToModelVocab(raw, model);
  ARROW_ASSIGN_OR_RAISE(auto metrics, Evaluate(model, texts, &texts, args));
  std::string out;
  JsonWriter json(&out);
  json.BeginObject();
  json.Key("model");
  json.String(topics::ModelKindName(model.kind));
  json.Key("k");
  json.Int(model.num_topics);
  json.Key("docs");
  json.Int(texts.num_docs());
  json.Key("tokens");
  json.Int(texts.num_tokens());
  PutMetrics(json, metrics);
  json.EndObject();
  fmt::print("{}\n", out);
  return arrow::Status::OK();
}

arrow::Status RunInfer(const LdaArgs& args) {
  ARROW_ASSIGN_OR_RAISE(TopicModel model, topics::LoadModel(args.model_in));
  ARROW_ASSIGN_OR_RAISE(Corpus raw, LoadInput(args));
  Corpus docs = ToModelVocab(raw, model);
  const auto theta = topics::InferCorpus(model, docs, {.seed = args.seed});
  std::ofstream file;
  if (!args.out.empty()) {
    file.open(args.out);
    if (!file) return arrow::Status::IOError("cannot write ", args.out);
  }
  std::ostream& sink = args.out.empty() ? std::cout : file;
  const auto kk = static_cast<std::size_t>(model.num_topics);
  const auto top = static_cast<std::size_t>(std::clamp(args.top, 1, model.num_topics));
  std::vector<int32_t> order(kk);
  for (int64_t d = 0; d < docs.num_docs(); ++d) {
    const double* row = &theta[static_cast<std::size_t>(d) * kk];
    for (std::size_t k = 0; k < kk; ++k) order[k] = static_cast<int32_t>(k);
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(top), order.end(),
                      [&](int32_t a, int32_t b) { return row[a] != row[b] ? row[a] > row[b] : a < b; });
    std::string line;
    JsonWriter json(&line);
    json.BeginObject();
    json.Key("id");
    if (docs.doc_ids.empty()) {
      json.String(std::to_string(d));
    } else {
      json.String(docs.doc_ids[d]);
    }
    json.Key("tokens");
    json.Int(static_cast<int64_t>(docs.doc(d).size()));
    json.Key("topics");
    json.BeginArray();
    for (std::size_t i = 0; i < top; ++i) {
      json.BeginArray();
      json.Int(order[i]);
      json.Double(row[order[i]]);
      json.EndArray();
    }
    json.EndArray();
    json.EndObject();
    sink << line << '\n';
  }
  return arrow::Status::OK();
}

arrow::Status RunShow(const LdaArgs& args) {
  ARROW_ASSIGN_OR_RAISE(TopicModel model, topics::LoadModel(args.model_in));
  if (args.json) {
    fmt::print("{{\"model\":\"{}\",\"k\":{},\"params\":{},\"topics\":{}}}\n",
               topics::ModelKindName(model.kind), model.num_topics, model.params_json,
               topics::TopTermsJson(model, args.top));
    return arrow::Status::OK();
  }
  fmt::print("{} model, K = {}, V = {}, trained on {} documents / {} tokens\nparams {}\n",
             topics::ModelKindName(model.kind), model.num_topics, model.num_words(),
             model.num_train_docs, model.num_train_tokens, model.params_json);
  for (int32_t k = 0; k < model.num_topics; ++k) {
    std::string words;
    for (const auto& [w, phi] : model.TopWords(k, args.top)) words += " " + model.vocab[w];
    fmt::print("topic {:>3} ({:.3f}, {} tokens):{}\n", k, model.alpha[k], model.topic_totals[k], words);
  }
  return arrow::Status::OK();
}

// pyLDAvis.prepare's JSON, from a model (exact phi; topic shares from its topic totals) or from
// the inputs `train --ldavis-out` wrote (shares from the documents' topic mixtures).
arrow::Status RunLdavis(const LdaArgs& args) {
  if (args.model_in.empty() == args.ldavis_inputs.empty()) {
    return arrow::Status::Invalid("give exactly one of --model and --inputs");
  }
  topics::LdavisInputs inputs;
  if (!args.model_in.empty()) {
    ARROW_ASSIGN_OR_RAISE(TopicModel model, topics::LoadModel(args.model_in));
    inputs = topics::LdavisInputsFromModel(model);
  } else {
    ARROW_ASSIGN_OR_RAISE(std::string text, ReadWholeFile(args.ldavis_inputs));
    ARROW_ASSIGN_OR_RAISE(inputs, topics::ParseLdavisInputs(text));
  }
  ARROW_ASSIGN_OR_RAISE(auto prepared,
                        topics::PrepareLdavis(inputs, {.r = args.relevance_terms,
                                                       .lambda_step = args.lambda_step}));
  if (!args.inputs_out.empty()) {
    ARROW_RETURN_NOT_OK(WriteFileAtomically(args.inputs_out, topics::LdavisInputsJson(inputs)));
  }
  const std::string json = topics::PreparedLdavisJson(prepared);
  if (args.out.empty() || args.out == "-") {
    fmt::print("{}\n", json);
    return arrow::Status::OK();
  }
  return WriteFileAtomically(args.out, json);
}

void AddInputOptions(CLI::App* cmd, LdaArgs& a) {
  cmd->add_option("--lake", a.lake, "Lake directory: documents from its posts table");
  cmd->add_option("--since", a.since, "Posts created at or after this UTC time");
  cmd->add_option("--until", a.until, "Posts created at or before this UTC time");
  cmd->add_option("--lang", a.languages, "Keep posts in these languages (repeatable)");
  cmd->add_option("--min-tokens", a.min_tokens, "Skip posts with fewer tokens (default 3)");
  cmd->add_option("--corpus", a.corpus, "Corpus file instead of the lake");
  cmd->add_option("--format,--corpus-format", a.format,
                  "lda-c (with --vocab), text (one preprocessed doc per line), raw (tokenized)")
      ->check(CLI::IsMember({"lda-c", "text", "raw"}));
  cmd->add_option("--vocab", a.vocab, "LDA-C vocabulary file (default: vocab.txt beside --corpus)");
  cmd->add_option("--labels", a.labels, "Label file, one integer per line (text/raw)");
  cmd->add_option("--seed", a.seed, "Random seed (default 1)");
}

void AddTrainOptions(CLI::App* cmd, LdaArgs& a) {
  AddInputOptions(cmd, a);
  cmd->add_flag("--pool-hashtags", a.pool_hashtags, "Pool posts by hashtag into pseudo-documents");
  cmd->add_option("--min-df", a.min_df, "Keep terms in at least this many documents (default 1)");
  cmd->add_option("--max-df", a.max_df, "Drop terms in more than this fraction of documents (default 1)");
  cmd->add_option("--max-terms", a.max_terms, "Keep only the most frequent terms (0: all)");
  cmd->add_option("--model", a.model, "lda, or the short-text model gsdmm (alias dmm)")
      ->check(CLI::IsMember({"lda", "gsdmm", "dmm"}));
  cmd->add_option("--k", a.k, "Number of topics (default 20)")->check(CLI::PositiveNumber);
  cmd->add_option("--alpha", a.alpha, "Document-topic prior (default 0.1)");
  cmd->add_option("--beta", a.beta, "Topic-word prior (default 0.01 lda, 0.1 gsdmm)")
      ->each([&a](const std::string&) { a.beta_given = true; });
  cmd->add_option("--iterations", a.iterations, "Gibbs sweeps (default 200)")->check(CLI::PositiveNumber);
  cmd->add_option("--threads", a.threads, "Sampler threads (default: all cores)")->check(CLI::PositiveNumber);
  cmd->add_option("--mh-steps", a.mh_steps, "Metropolis-Hastings cycles per token (default 2)");
  cmd->add_flag("--optimize-alpha", a.optimize_alpha, "Learn an asymmetric alpha");
  cmd->add_option("--holdout", a.holdout, "Fraction of documents held out for perplexity (default 0.1)");
  cmd->add_option("--coherence-top", a.coherence_top, "Top words per topic for coherence (default 10)");
  cmd->add_flag("--no-coherence", a.no_coherence, "Skip coherence");
  cmd->add_option("--model-out", a.model_out, "Model file to write (default with --lake: <lake>/models/)");
  cmd->add_option("--ldavis-out", a.ldavis_out, "Write LDAvis data (JSON) here");
  cmd->add_flag("--no-record", a.no_record, "Do not append to <lake>/topic_models");
  cmd->add_flag("--quiet", a.quiet, "No progress lines");
  cmd->add_option("--top", a.top, "Top terms stored per topic (default 20)");
}

void Register(CLI::App* cmd, CommandContext& context, std::shared_ptr<LdaArgs> args,
              arrow::Status (*run)(const LdaArgs&)) {
  cmd->callback([args, run, &context] {
    const auto status = run(*args);
    if (!status.ok()) {
      PrintError(status.message());
      context.exit_code = status.IsInvalid() ? kExitUsage : kExitFailure;
    }
  });
}

}  // namespace

void AddLdaCommand(CLI::App& root, CommandContext& context) {
  auto* lda = root.add_subcommand("lda", "Topic models (LDA, GSDMM) over posts or a corpus file");
  lda->require_subcommand(1);

  auto train_args = std::make_shared<LdaArgs>();
  auto* train = lda->add_subcommand("train", "Train a model; prints one JSON line of metrics");
  AddTrainOptions(train, *train_args);
  Register(train, context, train_args, RunTrain);

  auto sweep_args = std::make_shared<LdaArgs>();
  auto* sweep = lda->add_subcommand("sweep", "Train a grid of K/alpha/beta, print a table, keep the best");
  AddTrainOptions(sweep, *sweep_args);
  sweep->add_option("--k-grid", sweep_args->k_grid, "Values of K")->delimiter(',');
  sweep->add_option("--alpha-grid", sweep_args->alpha_grid, "Values of alpha")->delimiter(',');
  sweep->add_option("--beta-grid", sweep_args->beta_grid, "Values of beta")->delimiter(',');
  sweep->add_option("--select", sweep_args->select, "Best by c_v (default), npmi, umass or perplexity");
  Register(sweep, context, sweep_args, RunSweep);

  auto eval_args = std::make_shared<LdaArgs>();
  auto* eval = lda->add_subcommand("eval", "Perplexity (document completion) and coherence of a model");
  AddInputOptions(eval, *eval_args);
  eval->add_option("--model", eval_args->model_in, "Model file")->required();
  eval->add_option("--coherence-top", eval_args->coherence_top, "Top words per topic (default 10)");
  Register(eval, context, eval_args, RunEval);

  auto infer_args = std::make_shared<LdaArgs>();
  auto* infer = lda->add_subcommand("infer", "Topics of posts or documents by fold-in, as JSON lines");
  AddInputOptions(infer, *infer_args);
  infer->add_option("--model", infer_args->model_in, "Model file")->required();
  infer_args->top = 3;
  infer->add_option("--top", infer_args->top, "Topics per document (default 3)");
  infer->add_option("--out", infer_args->out, "Write here instead of stdout");
  Register(infer, context, infer_args, RunInfer);

  auto show_args = std::make_shared<LdaArgs>();
  auto* show = lda->add_subcommand("show", "Print a model's topics");
  show->add_option("--model", show_args->model_in, "Model file")->required();
  show->add_option("--top", show_args->top, "Terms per topic (default 20)");
  show->add_flag("--json", show_args->json, "One JSON object");
  Register(show, context, show_args, RunShow);

  auto vis_args = std::make_shared<LdaArgs>();
  auto* vis = lda->add_subcommand("ldavis", "pyLDAvis.prepare's JSON (topic map, relevance, saliency)");
  vis->add_option("--model", vis_args->model_in, "Model file");
  vis->add_option("--inputs", vis_args->ldavis_inputs, "Or the JSON of lda train --ldavis-out");
  vis->add_option("--out", vis_args->out, "Write here (default: stdout)");
  vis->add_option("--lambda-step", vis_args->lambda_step, "Relevance grid step (default 0.01)")
      ->check(CLI::Range(1e-6, 1.0));
  vis->add_option("--R", vis_args->relevance_terms, "Terms per topic (default 30)")
      ->check(CLI::PositiveNumber);
  vis->add_option("--inputs-out", vis_args->inputs_out,
                  "Also write the exact inputs used (pyLDAvis.prepare's arguments) as JSON");
  Register(vis, context, vis_args, RunLdavis);
}

}  // namespace hashlake::cli
