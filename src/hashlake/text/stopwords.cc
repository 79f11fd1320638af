#include "hashlake/text/stopwords.h"

#include <algorithm>
#include <memory>
#include <mutex>

#include "hashlake/text/language.h"
#include "hashlake/text/normalize.h"
#include "hashlake/text/stopwords_data.h"

namespace hashlake::text {
namespace {

// One slot per compiled-in list; each is folded on first use only, because folding all
// 21,707 words costs a few milliseconds that most processes (one or two languages)
// never need.
struct LazySet {
  std::once_flag once;
  std::unique_ptr<StopwordSet> set;
};

LazySet* Slots() {
  static auto* slots = new LazySet[internal::kStopwordListCount];  // never freed: see Stopwords
  return slots;
}

}  // namespace

StopwordSet::StopwordSet(std::string language, const char* const* words, std::size_t count)
    : language_(std::move(language)) {
  words_.reserve(count);
  for (std::size_t i = 0; i < count; ++i) words_.insert(FoldWord(words[i]));
}

const StopwordSet* Stopwords(std::string_view lang) {
  std::string primary = PrimaryLanguageSubtag(lang);
  const internal::StopwordList* begin = internal::kStopwordLists;
  const internal::StopwordList* end = begin + internal::kStopwordListCount;
  const internal::StopwordList* it = std::lower_bound(
      begin, end, primary,
      [](const internal::StopwordList& l, const std::string& key) { return l.language < key; });
  if (it == end || primary != it->language) return nullptr;
  // Sets are handed out as raw pointers for the program's lifetime, so they are never
  // destroyed (no destruction-order hazard at exit).
  LazySet& slot = Slots()[it - begin];
  std::call_once(slot.once, [&] {
    slot.set = std::make_unique<StopwordSet>(it->language, it->words, it->count);
  });
  return slot.set.get();
}

std::vector<std::string_view> StopwordLanguages() {
  std::vector<std::string_view> out;
  out.reserve(internal::kStopwordListCount);
  for (std::size_t i = 0; i < internal::kStopwordListCount; ++i) {
    out.emplace_back(internal::kStopwordLists[i].language);
  }
  return out;
}

}  // namespace hashlake::text
