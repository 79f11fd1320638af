#include "hashlake/topics/tokenizer.h"

#include <algorithm>

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include "hashlake/text/extract.h"
#include "hashlake/topics/stopwords.h"

namespace hashlake::topics {

struct Tokenizer::Impl {
  std::unique_ptr<icu::BreakIterator> prototype;
};

Tokenizer::Tokenizer(TokenizerOptions options, std::shared_ptr<const Impl> impl)
    : options_(std::move(options)), impl_(std::move(impl)) {
  for (const std::string& word : options_.extra_stopwords) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(word);
    if (options_.lowercase) u.toLower(icu::Locale::getRoot());
    std::string folded;
    u.toUTF8String(folded);
    stopwords_.insert(std::move(folded));
  }
}

arrow::Result<Tokenizer> Tokenizer::Make(TokenizerOptions options) {
  if (options.min_chars > options.max_chars) {
    return arrow::Status::Invalid("tokenizer: min_chars ", options.min_chars,
                                  " exceeds max_chars ", options.max_chars);
  }
  UErrorCode status = U_ZERO_ERROR;
  auto impl = std::make_shared<Impl>();
  impl->prototype.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
  if (U_FAILURE(status) || impl->prototype == nullptr) {
    return arrow::Status::IOError("ICU word break iterator: ", u_errorName(status));
  }
  return Tokenizer(std::move(options), std::move(impl));
}

std::vector<std::string> Tokenizer::Tokenize(std::string_view text) const {
  // Entities are blanked (not cut) so the words around them stay apart.
  std::string masked(text);
  auto blank = [&masked](const std::vector<text::Entity>& entities) {
    for (const text::Entity& e : entities) {
      std::fill(masked.begin() + static_cast<std::ptrdiff_t>(e.begin),
                masked.begin() + static_cast<std::ptrdiff_t>(std::min(e.end, masked.size())), ' ');
    }
  };
  if (options_.drop_urls) blank(text::ExtractUrlEntities(text));
  if (options_.drop_mentions) blank(text::ExtractMentionEntities(text));
  if (options_.drop_hashtags) blank(text::ExtractHashtagEntities(text));

  icu::UnicodeString ustr = icu::UnicodeString::fromUTF8(masked);
  if (options_.lowercase) ustr.toLower(icu::Locale::getRoot());
  std::unique_ptr<icu::BreakIterator> words(impl_->prototype->clone());
  words->setText(ustr);

  std::vector<std::string> out;
  const auto& stop = EnglishStopwords();
  int32_t start = words->first();
  for (int32_t end = words->next(); end != icu::BreakIterator::DONE;
       start = end, end = words->next()) {
    bool has_letter = false;
    bool has_digit = false;
    std::size_t chars = 0;
    for (int32_t i = start; i < end;) {
      const UChar32 c = ustr.char32At(i);
      has_letter = has_letter || u_isalpha(c);
      has_digit = has_digit || u_isdigit(c);
      ++chars;
      i += U16_LENGTH(c);
    }
    if (!has_letter) continue;
    if (options_.drop_numbers && has_digit) continue;
    if (chars < options_.min_chars || chars > options_.max_chars) continue;
    std::string word;
    ustr.tempSubStringBetween(start, end).toUTF8String(word);
    if (options_.drop_stopwords && (stop.contains(word) || stopwords_.contains(word))) continue;
    out.push_back(std::move(word));
  }
  return out;
}

}  // namespace hashlake::topics
