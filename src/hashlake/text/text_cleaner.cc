#include "hashlake/text/text_cleaner.h"

#include "hashlake/text/language.h"
#include "hashlake/text/stopwords.h"

namespace hashlake::text {
namespace {

std::size_t CountCodePoints(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // lead bytes
  return n;
}

}  // namespace

arrow::Result<std::unique_ptr<TextCleaner>> TextCleaner::Make(const TextCleanerOptions& options) {
  if (options.max_tokens == 0) return arrow::Status::Invalid("text cleaner: max_tokens is 0");
  ARROW_ASSIGN_OR_RAISE(std::unique_ptr<Tokenizer> tokenizer, Tokenizer::Make());
  return std::unique_ptr<TextCleaner>(new TextCleaner(options, std::move(tokenizer)));
}

TextCleaner::TextCleaner(const TextCleanerOptions& options, std::unique_ptr<Tokenizer> tokenizer)
    : options_(options), tokenizer_(std::move(tokenizer)) {}

Stemmer* TextCleaner::StemmerFor(const std::string& primary_lang) {
  auto it = stemmers_.find(primary_lang);
  if (it == stemmers_.end()) {
    auto made = Stemmer::Make(primary_lang);
    it = stemmers_.emplace(primary_lang, made.ok() ? std::move(made).ValueUnsafe() : nullptr).first;
  }
  return it->second.get();
}

void TextCleaner::Clean(std::string_view text, std::string_view lang, CleanedText* out) {
  out->lang_detected = false;
  if (NamesALanguage(lang)) {
    out->lang.assign(lang);
  } else {
    out->lang = "und";
    if (options_.detect_language) {
      DetectedLanguage detected = DetectLanguage(text);
      if (detected.reliable) {
        out->lang = std::move(detected.code);
        out->lang_detected = true;
      }
    }
  }

  // Posts in a row mostly share a language: its lists are looked up when it changes.
  if (out->lang != lists_lang_) {
    lists_lang_ = out->lang;
    const std::string primary = PrimaryLanguageSubtag(out->lang);
    const bool known = out->lang != "und";
    // Only the post's own list: another language's stopwords are often content words here
    // (English "die", "also", "war" and "man" are German words; "he" and "me" Spanish...).
    stopwords_ = options_.remove_stopwords && known ? Stopwords(primary) : nullptr;
    stemmer_ = options_.stem && known ? StemmerFor(primary) : nullptr;
  }
  const StopwordSet* stopwords = stopwords_;
  Stemmer* stemmer = stemmer_;

  std::size_t n = 0;
  auto emit = [&](std::string_view token) {
    if (n < out->tokens.size()) {
      out->tokens[n].assign(token);  // keeps the string's buffer
    } else {
      out->tokens.emplace_back(token);
    }
    return ++n < options_.max_tokens;
  };
  tokenizer_->ForEachToken(text, [&](const Token& token) {
    switch (token.kind) {
      case TokenKind::kHashtag:
      case TokenKind::kEmoji:
        return emit(token.text);
      case TokenKind::kCjkWord:
        if (stopwords != nullptr && stopwords->Contains(token.text)) return true;
        return emit(token.text);
      case TokenKind::kWord:
        if (CountCodePoints(token.text) < options_.min_token_chars) return true;
        if (stopwords != nullptr && stopwords->Contains(token.text)) return true;
        return emit(stemmer != nullptr ? stemmer->Stem(token.text) : token.text);
    }
    return true;
  });
  out->tokens.resize(n);
}

}  // namespace hashlake::text
