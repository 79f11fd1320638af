// Throughput of TextCleaner::Clean on real posts (X API v2 captures in shared/data), and
// of its parts, one core. items_per_second = posts per second.
//   build/src/hashlake/text/text_cleaner_benchmark [--benchmark_filter=...]

#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "hashlake/text/language.h"
#include "hashlake/text/stopwords.h"
#include "hashlake/text/text_cleaner.h"
#include "hashlake/text/tokenizer.h"

namespace hashlake::text {
namespace {

struct Post {
  std::string text;
  std::string lang;
};

// The "text" and "lang" of every post in the "data" arrays of a twarc JSON-lines capture.
const std::vector<Post>& Posts() {
  static const std::vector<Post> posts = [] {
    std::vector<Post> out;
    std::ifstream in(std::string(HASHLAKE_SHARED_DATA) +
                     "/tweets/twitter_v2/twarc-csv_withheld.jsonl");
    simdjson::dom::parser parser;
    std::string line;
    while (std::getline(in, line)) {
      simdjson::dom::element doc;
      simdjson::dom::array data;
      if (parser.parse(line).get(doc) || doc["data"].get_array().get(data)) continue;
      for (simdjson::dom::element post : data) {
        std::string_view text;
        std::string_view lang;
        if (post["text"].get_string().get(text)) continue;
        if (post["lang"].get_string().get(lang)) lang = "";
        out.push_back({std::string(text), std::string(lang)});
      }
    }
    return out;
  }();
  return posts;
}

bool HavePosts(benchmark::State& state) {
  if (Posts().empty()) {
    state.SkipWithError("shared/data/tweets/twitter_v2/twarc-csv_withheld.jsonl is absent");
    return false;
  }
  return true;
}

void RunClean(benchmark::State& state, const TextCleanerOptions& options, bool give_lang) {
  if (!HavePosts(state)) return;
  auto cleaner = TextCleaner::Make(options).ValueOrDie();
  CleanedText out;
  std::size_t tokens = 0;
  for (auto _ : state) {
    for (const Post& post : Posts()) {
      cleaner->Clean(post.text, give_lang ? std::string_view(post.lang) : "", &out);
      tokens += out.tokens.size();
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * Posts().size()));
  state.counters["tokens/post"] =
      static_cast<double>(tokens) / static_cast<double>(state.iterations() * Posts().size());
}

// The stream job's usual case: the source gives the language.
void BM_Clean_GivenLang(benchmark::State& state) { RunClean(state, {}, true); }
// No language given: CLD2 runs on every post.
void BM_Clean_DetectLang(benchmark::State& state) { RunClean(state, {}, false); }
void BM_Clean_GivenLang_NoStopwords(benchmark::State& state) {
  RunClean(state, {.remove_stopwords = false}, true);
}
void BM_Clean_GivenLang_Stem(benchmark::State& state) { RunClean(state, {.stem = true}, true); }

void RunTokenize(benchmark::State& state, bool ascii_fast_path) {
  if (!HavePosts(state)) return;
  auto tokenizer = Tokenizer::Make({.ascii_fast_path = ascii_fast_path}).ValueOrDie();
  for (auto _ : state) {
    for (const Post& post : Posts()) {
      tokenizer->ForEachToken(post.text, [](const Token& t) {
        benchmark::DoNotOptimize(t.text.data());
        return true;
      });
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * Posts().size()));
}

void BM_Tokenize(benchmark::State& state) { RunTokenize(state, true); }
void BM_Tokenize_IcuOnly(benchmark::State& state) { RunTokenize(state, false); }

void BM_DetectLanguage(benchmark::State& state) {
  if (!HavePosts(state)) return;
  for (auto _ : state) {
    for (const Post& post : Posts()) benchmark::DoNotOptimize(DetectLanguage(post.text));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * Posts().size()));
}

BENCHMARK(BM_Clean_GivenLang);
BENCHMARK(BM_Clean_DetectLang);
BENCHMARK(BM_Clean_GivenLang_NoStopwords);
BENCHMARK(BM_Clean_GivenLang_Stem);
BENCHMARK(BM_Tokenize);
BENCHMARK(BM_Tokenize_IcuOnly);
BENCHMARK(BM_DetectLanguage);

}  // namespace
}  // namespace hashlake::text

BENCHMARK_MAIN();
