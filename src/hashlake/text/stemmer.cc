#include "hashlake/text/stemmer.h"

#include <libstemmer.h>

#include <climits>

#include "hashlake/text/language.h"
#include "hashlake/text/utf8.h"

namespace hashlake::text {

arrow::Result<std::unique_ptr<Stemmer>> Stemmer::Make(std::string_view language) {
  // libstemmer knows each algorithm by its name and by its ISO 639-1/-2 codes.
  std::string name = PrimaryLanguageSubtag(language);
  sb_stemmer* stemmer = name.empty() ? nullptr : sb_stemmer_new(name.c_str(), "UTF_8");
  if (stemmer == nullptr) {
    std::string available;
    for (const std::string& algorithm : Algorithms()) {
      if (!available.empty()) available += ", ";
      available += algorithm;
    }
    return arrow::Status::Invalid("no Snowball stemmer for language '", language,
                                  "'; available: ", available, " (or their ISO 639 codes)");
  }
  return std::unique_ptr<Stemmer>(new Stemmer(std::move(name), stemmer));
}

std::vector<std::string> Stemmer::Algorithms() {
  std::vector<std::string> out;
  for (const char** name = sb_stemmer_list(); *name != nullptr; ++name) out.emplace_back(*name);
  return out;
}

Stemmer::Stemmer(std::string language, sb_stemmer* stemmer)
    : language_(std::move(language)), stemmer_(stemmer) {}

Stemmer::~Stemmer() { sb_stemmer_delete(stemmer_); }

std::string_view Stemmer::Stem(std::string_view word) {
  if (word.size() > static_cast<std::size_t>(INT_MAX) || !IsValidUtf8(word)) return word;
  const sb_symbol* stem = sb_stemmer_stem(stemmer_, reinterpret_cast<const sb_symbol*>(word.data()),
                                          static_cast<int>(word.size()));
  if (stem == nullptr) return word;  // out of memory in libstemmer: keep the word
  return std::string_view(reinterpret_cast<const char*>(stem),
                          static_cast<std::size_t>(sb_stemmer_length(stemmer_)));
}

}  // namespace hashlake::text
