#include "hashlake/text/language.h"

#include <cld2/public/compact_lang_det.h>

#include <algorithm>
#include <cstdio>  // compact_lang_det.h uses FILE without including it
#include <vector>

#include "hashlake/text/extract.h"
#include "hashlake/text/utf8.h"

namespace hashlake::text {

DetectedLanguage DetectLanguage(std::string_view text) {
  std::string buffer(text);
  auto blank = [&buffer](const std::vector<Entity>& entities) {
    for (const Entity& e : entities) {
      buffer.replace(e.begin, e.end - e.begin, e.end - e.begin, ' ');
    }
  };
  const std::vector<Entity> urls = ExtractUrlEntities(text);
  if (buffer.find_first_of("@\xEF") != std::string::npos) {
    blank(ExtractMentionEntities(text, &urls));
  }
  blank(urls);
  // CLD2's DetectLanguage requires valid UTF-8 (compact_lang_det.h): blank every bad byte.
  std::size_t from = 0;
  while (auto bad = FindInvalidUtf8(std::string_view(buffer).substr(from))) {
    buffer[from + *bad] = ' ';
    from += *bad + 1;
  }
  DetectedLanguage out;
  if (buffer.empty()) return out;
  bool reliable = false;
  CLD2::Language top3[3];
  int percent3[3];
  int text_bytes = 0;
  CLD2::Language language = CLD2::DetectLanguageSummary(
      buffer.data(), static_cast<int>(std::min<std::size_t>(buffer.size(), 1 << 30)),
      /*is_plain_text=*/true, top3, percent3, &text_bytes, &reliable);
  // With no letters at all CLD2 still answers ENGLISH (its default): that is no answer.
  if (text_bytes == 0) return out;
  if (language == CLD2::UNKNOWN_LANGUAGE || language == CLD2::TG_UNKNOWN_LANGUAGE) return out;
  std::string_view code = CLD2::LanguageCode(language);
  // "xx-…" are CLD2's pseudo languages (scripts it recognises but cannot name).
  if (code.empty() || code == "un" || code.starts_with("xx")) return out;
  out.code = std::string(code);
  out.reliable = reliable;
  return out;
}

std::string PrimaryLanguageSubtag(std::string_view lang) {
  std::string out;
  for (char c : lang) {
    if (c == '-' || c == '_') break;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

bool NamesALanguage(std::string_view lang) {
  std::string primary = PrimaryLanguageSubtag(lang);
  if (primary.empty() || primary == "und" || primary == "zxx" || primary == "mul" ||
      primary == "mis") {
    return false;
  }
  // ISO 639-2 reserves qaa-qtz for local use.
  if (primary.size() == 3 && primary[0] == 'q' && primary[1] >= 'a' && primary[1] <= 't') {
    return false;
  }
  return true;
}

}  // namespace hashlake::text
