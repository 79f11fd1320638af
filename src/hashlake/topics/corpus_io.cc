#include "hashlake/topics/corpus_io.h"

#include <charconv>
#include <fstream>
#include <sstream>

#include "hashlake/topics/tokenizer.h"

namespace hashlake::topics {
namespace {

template <typename T>
bool ParseInt(std::string_view text, T* out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *out);
  return ec == std::errc() && ptr == end;
}

std::vector<std::string_view> SplitWhitespace(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    std::size_t j = i;
    while (j < line.size() && !std::isspace(static_cast<unsigned char>(line[j]))) ++j;
    if (j > i) out.push_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

}  // namespace

arrow::Result<Corpus> LoadLdaC(const std::string& data_path, const std::string& vocab_path) {
  std::ifstream vocab_in(vocab_path);
  if (!vocab_in) return arrow::Status::IOError("cannot open vocabulary ", vocab_path);
  Corpus corpus;
  std::string line;
  for (int64_t n = 1; std::getline(vocab_in, line); ++n) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (corpus.vocab.Add(line) != corpus.vocab.size() - 1) {
      return arrow::Status::Invalid(vocab_path, ":", n, ": duplicate term '", line, "'");
    }
  }
  if (corpus.vocab.size() == 0) return arrow::Status::Invalid(vocab_path, ": empty vocabulary");
  std::ifstream in(data_path);
  if (!in) return arrow::Status::IOError("cannot open corpus ", data_path);
  std::vector<int32_t> ids;
  for (int64_t n = 1; std::getline(in, line); ++n) {
    const auto fields = SplitWhitespace(line);
    if (fields.empty()) continue;
    int64_t declared = 0;
    if (!ParseInt(fields[0], &declared) || declared < 0) {
      return arrow::Status::Invalid(data_path, ":", n, ": bad term count '", fields[0], "'");
    }
    if (declared != static_cast<int64_t>(fields.size()) - 1) {
      return arrow::Status::Invalid(data_path, ":", n, ": declares ", declared, " terms but has ",
                                    fields.size() - 1);
    }
    ids.clear();
    for (std::size_t i = 1; i < fields.size(); ++i) {
      const auto colon = fields[i].find(':');
      int32_t id = 0;
      int64_t count = 0;
      if (colon == std::string_view::npos || !ParseInt(fields[i].substr(0, colon), &id) ||
          !ParseInt(fields[i].substr(colon + 1), &count) || count < 0) {
        return arrow::Status::Invalid(data_path, ":", n, ": bad pair '", fields[i], "'");
      }
      if (id < 0 || id >= corpus.vocab.size()) {
        return arrow::Status::Invalid(data_path, ":", n, ": term id ", id,
                                      " outside the vocabulary of ", corpus.vocab.size());
      }
      ids.insert(ids.end(), static_cast<std::size_t>(count), id);
    }
    corpus.AddDocument(ids);
  }
  if (corpus.num_docs() == 0) return arrow::Status::Invalid(data_path, ": no documents");
  return corpus;
}

arrow::Result<TokenizedDocs> LoadTextLines(const std::string& path, const Tokenizer* tokenizer,
                                           const std::string& labels_path) {
  std::ifstream in(path);
  if (!in) return arrow::Status::IOError("cannot open corpus ", path);
  TokenizedDocs out;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (tokenizer != nullptr) {
      out.docs.push_back(tokenizer->Tokenize(line));
    } else {
      std::vector<std::string> words;
      for (std::string_view w : SplitWhitespace(line)) words.emplace_back(w);
      out.docs.push_back(std::move(words));
    }
  }
  if (out.docs.empty()) return arrow::Status::Invalid(path, ": no documents");
  if (!labels_path.empty()) {
    std::ifstream labels(labels_path);
    if (!labels) return arrow::Status::IOError("cannot open labels ", labels_path);
    for (int64_t n = 1; std::getline(labels, line); ++n) {
      const auto fields = SplitWhitespace(line);
      if (fields.empty()) continue;
      int32_t label = 0;
      if (!ParseInt(fields[0], &label)) {
        return arrow::Status::Invalid(labels_path, ":", n, ": bad label '", fields[0], "'");
      }
      out.labels.push_back(label);
    }
    if (out.labels.size() != out.docs.size()) {
      return arrow::Status::Invalid(labels_path, ": ", out.labels.size(), " labels for ",
                                    out.docs.size(), " documents");
    }
  }
  return out;
}

}  // namespace hashlake::topics
