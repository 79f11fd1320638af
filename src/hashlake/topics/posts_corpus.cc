#include "hashlake/topics/posts_corpus.h"

#include <map>

#include <arrow/array.h>
#include <arrow/chunked_array.h>
#include <arrow/table.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "hashlake/lake/delta_table.h"
#include "hashlake/lake/scan.h"
#include "hashlake/lake/table_uri.h"

namespace hashlake::topics {
namespace {

struct PostRow {
  std::string id;
  std::string text;
  std::vector<std::string> hashtags;
};

arrow::Result<std::vector<PostRow>> ReadPosts(const std::string& uri,
                                              const PostsCorpusOptions& options) {
  ARROW_ASSIGN_OR_RAISE(auto resolved, lake::ResolveTableUri(uri));
  ARROW_ASSIGN_OR_RAISE(auto table, lake::DeltaTable::Open(resolved.root, resolved.store));
  ARROW_ASSIGN_OR_RAISE(auto snapshot, table->LoadSnapshot());
  lake::ScanOptions scan;
  scan.columns = {"id", "text", "hashtags", "lang", "created_at"};
  if (options.since || options.until) {
    scan.ranges.push_back({"created_at", options.since, options.until});
  }
  ARROW_ASSIGN_OR_RAISE(auto data, lake::Scan(table->store(), snapshot, scan));
  ARROW_ASSIGN_OR_RAISE(auto combined, data->CombineChunks());
  auto column = [&](const char* name) { return combined->GetColumnByName(name); };
  if (!column("id") || !column("text") || !column("hashtags") || !column("lang")) {
    return arrow::Status::Invalid(uri, ": not a posts table (needs id, text, hashtags, lang)");
  }
  std::vector<PostRow> rows;
  if (combined->num_rows() == 0) return rows;
  auto ids = std::dynamic_pointer_cast<arrow::StringArray>(column("id")->chunk(0));
  auto texts = std::dynamic_pointer_cast<arrow::StringArray>(column("text")->chunk(0));
  auto langs = std::dynamic_pointer_cast<arrow::StringArray>(column("lang")->chunk(0));
  auto tags = std::dynamic_pointer_cast<arrow::ListArray>(column("hashtags")->chunk(0));
  if (!ids || !texts || !langs || !tags) {
    return arrow::Status::Invalid(uri, ": posts columns have unexpected types");
  }
  auto tag_values = std::dynamic_pointer_cast<arrow::StringArray>(tags->values());
  for (int64_t i = 0; i < combined->num_rows(); ++i) {
    if (texts->IsNull(i) || ids->IsNull(i)) continue;
    if (!options.languages.empty()) {
      const std::string lang = langs->IsNull(i) ? "" : std::string(langs->GetView(i));
      if (std::find(options.languages.begin(), options.languages.end(), lang) ==
          options.languages.end()) {
        continue;
      }
    }
    PostRow row{std::string(ids->GetView(i)), std::string(texts->GetView(i)), {}};
    if (!tags->IsNull(i) && tag_values) {
      for (int64_t j = tags->value_offset(i); j < tags->value_offset(i + 1); ++j) {
        if (!tag_values->IsNull(j)) row.hashtags.emplace_back(tag_values->GetView(j));
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

arrow::Result<TokenizedDocs> LoadPostsDocs(const std::string& posts_uri,
                                           const PostsCorpusOptions& options) {
  ARROW_ASSIGN_OR_RAISE(auto rows, ReadPosts(posts_uri, options));
  ARROW_ASSIGN_OR_RAISE(auto tokenizer, Tokenizer::Make(options.tokenizer));
  std::vector<std::vector<std::string>> tokens(rows.size());
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, rows.size(), 64), [&](const auto& r) {
    for (std::size_t i = r.begin(); i != r.end(); ++i) tokens[i] = tokenizer.Tokenize(rows[i].text);
  });
  TokenizedDocs out;
  std::map<std::string, std::vector<std::string>> pools;  // ordered: reproducible doc order
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (static_cast<int64_t>(tokens[i].size()) < options.min_tokens) continue;
    if (options.pool_by_hashtag && !rows[i].hashtags.empty()) {
      for (const std::string& tag : rows[i].hashtags) {
        auto& pool = pools["#" + tag];
        pool.insert(pool.end(), tokens[i].begin(), tokens[i].end());
      }
      continue;
    }
    out.ids.push_back(rows[i].id);
    out.docs.push_back(std::move(tokens[i]));
  }
  for (auto& [tag, pool] : pools) {
    out.ids.push_back(tag);
    out.docs.push_back(std::move(pool));
  }
  if (out.docs.empty()) {
    return arrow::Status::Invalid(posts_uri, ": no post with ", options.min_tokens,
                                  "+ tokens in the chosen time range and languages (",
                                  rows.size(), " posts read)");
  }
  return out;
}

}  // namespace hashlake::topics
