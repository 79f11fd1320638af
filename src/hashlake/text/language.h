#pragma once

#include <string>
#include <string_view>

namespace hashlake::text {

/// The result of DetectLanguage.
struct DetectedLanguage {
  /// CLD2's code: ISO 639-1 where the language has one ("en", "ja"), else ISO 639-2 or
  /// CLD2's own ("haw", "zh-Hant"); "und" when CLD2 found nothing.
  std::string code = "und";
  /// CLD2's is_reliable: enough text, and one clear winner.
  bool reliable = false;

  bool operator==(const DetectedLanguage&) const = default;
};

/// The language of a post's text, by CLD2 (plain-text mode). URLs and @mentions are
/// blanked first (they are not words of any language); hashtags stay (they usually are).
/// Ill-formed UTF-8 bytes are blanked too (CLD2 requires valid UTF-8). Thread-safe.
DetectedLanguage DetectLanguage(std::string_view text);

/// The primary subtag of a BCP-47 tag, lower-cased: "pt-BR" -> "pt", "zh_Hant" -> "zh",
/// "EN" -> "en".
std::string PrimaryLanguageSubtag(std::string_view lang);

/// False for tags that name no language: "", "und", "zxx" (no linguistic content),
/// "mul", "mis", and the private-use range "qaa".."qtz", where X puts its pseudo codes
/// ("qme" media only, "qht" hashtags only, "qam" mentions only, "qct" cashtags, "qst"
/// very short).
bool NamesALanguage(std::string_view lang);

}  // namespace hashlake::text
