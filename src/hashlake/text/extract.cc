#include "hashlake/text/extract.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "hashlake/text/normalize.h"

namespace hashlake::text {
namespace {

constexpr UChar32 kFullwidthNumberSign = 0xFF03;
constexpr UChar32 kFullwidthAt = 0xFF20;

// Decodes the code point at `i` (U+FFFD for bad bytes) and advances `i`.
UChar32 Next(std::string_view s, std::size_t* i) {
  UChar32 c;
  int32_t pos = static_cast<int32_t>(*i);
  U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), pos, static_cast<int32_t>(s.size()), c);
  *i = static_cast<std::size_t>(pos);
  return c < 0 ? 0xFFFD : c;
}

// The code point ending just before `i`, or -1 at the start.
UChar32 Prev(std::string_view s, std::size_t i) {
  if (i == 0) return -1;
  UChar32 c;
  int32_t pos = static_cast<int32_t>(i);
  U8_PREV(reinterpret_cast<const uint8_t*>(s.data()), 0, pos, c);
  return c < 0 ? 0xFFFD : c;
}

bool IsLetterOrMark(UChar32 c) {
  return (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_M_MASK)) != 0;
}

// twitter-text's hashtag_special_chars: joiners and script-specific connectors.
bool IsHashtagSpecial(UChar32 c) {
  switch (c) {
    case '_': case 0x200C: case 0x200D: case 0xA67E: case 0x05BE: case 0x05F3:
    case 0x05F4: case 0xFF5E: case 0x301C: case 0x309B: case 0x309C: case 0x30A0:
    case 0x30FB: case 0x3003: case 0x0F0B: case 0x0F0C: case 0x00B7:
      return true;
    default:
      return false;
  }
}

bool IsHashtagChar(UChar32 c) {
  return (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_M_MASK | U_GC_ND_MASK)) != 0 ||
         IsHashtagSpecial(c);
}

bool IsAsciiAlnum(UChar32 c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool IsHandleChar(UChar32 c) { return IsAsciiAlnum(c) || c == '_'; }

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char a = s[i];
    if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
    if (a != prefix[i]) return false;
  }
  return true;
}

bool Overlaps(const Entity& e, const std::vector<Entity>& spans) {
  for (const Entity& u : spans) {
    if (e.begin < u.end && u.begin < e.end) return true;
  }
  return false;
}

template <typename F>
std::vector<std::string> Values(std::vector<Entity> entities, F transform) {
  std::vector<std::string> out;
  out.reserve(entities.size());
  for (Entity& e : entities) out.push_back(transform(std::move(e.value)));
  return out;
}

}  // namespace

std::vector<Entity> ExtractUrlEntities(std::string_view text) {
  std::vector<Entity> out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t scheme_len = 0;
    const char c = text[i];
    if (c == 'h' || c == 'H') {
      if (StartsWithIgnoreCase(text.substr(i), "https://")) {
        scheme_len = 8;
      } else if (StartsWithIgnoreCase(text.substr(i), "http://")) {
        scheme_len = 7;
      }
    } else if ((c == 'w' || c == 'W') && StartsWithIgnoreCase(text.substr(i), "www.")) {
      scheme_len = 4;
    }
    // A URL starts at a word boundary: "xhttp://" is not one.
    if (scheme_len == 0 || IsHandleChar(Prev(text, i))) {
      ++i;
      continue;
    }
    std::size_t end = i + scheme_len;
    while (end < text.size()) {
      const unsigned char b = static_cast<unsigned char>(text[end]);
      if (b <= 0x20 || b == '<' || b == '>' || b == '"' || b == '`' || b == 0x7F) break;
      if (b >= 0x80) {
        // Stop at Unicode spaces and punctuation such as '「' or '、'; keep letters.
        std::size_t j = end;
        const UChar32 cp = Next(text, &j);
        if (u_isUWhiteSpace(cp) || (U_GET_GC_MASK(cp) & (U_GC_P_MASK | U_GC_S_MASK))) break;
        end = j;
        continue;
      }
      ++end;
    }
    // Trailing punctuation belongs to the sentence; a ')' only when unbalanced.
    while (end > i + scheme_len) {
      const char last = text[end - 1];
      if (last == '.' || last == ',' || last == ';' || last == ':' || last == '!' ||
          last == '?' || last == '\'' || last == '*') {
        --end;
        continue;
      }
      if (last == ')' || last == ']' || last == '}') {
        const char open = last == ')' ? '(' : last == ']' ? '[' : '{';
        int balance = 0;
        for (std::size_t k = i; k < end; ++k) {
          if (text[k] == open) ++balance;
          if (text[k] == last) --balance;
        }
        if (balance < 0) {
          --end;
          continue;
        }
      }
      break;
    }
    if (end == i + scheme_len) {  // "http://" alone is not a URL
      i = end;
      continue;
    }
    out.push_back(Entity{std::string(text.substr(i, end - i)), i, end});
    i = end;
  }
  return out;
}

std::vector<Entity> ExtractHashtagEntities(std::string_view text) {
  return ExtractHashtagEntities(text, nullptr);
}

std::vector<Entity> ExtractHashtagEntities(std::string_view text,
                                           const std::vector<Entity>* known_urls) {
  std::vector<Entity> out;
  std::vector<Entity> found_urls;  // computed at the first candidate, unless known
  const std::vector<Entity>* urls = known_urls;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t start = i;
    const UChar32 c = Next(text, &i);
    if (c != '#' && c != kFullwidthNumberSign) continue;
    const UChar32 before = Prev(text, start);
    // Variation selectors are marks, but an emoji's "❤️" may end right before a tag.
    if (before >= 0 && before != 0xFE0E && before != 0xFE0F &&
        (IsHashtagChar(before) || before == '&')) {
      continue;
    }
    std::size_t j = i;
    std::size_t tag_end = i;
    bool has_alpha = false;
    bool keycap = false;
    bool first = true;
    while (j < text.size()) {
      std::size_t k = j;
      const UChar32 d = Next(text, &k);
      if (first && (d == 0xFE0F || d == 0x20E3)) {  // #️⃣ is an emoji, not a tag
        keycap = true;
        break;
      }
      first = false;
      if (!IsHashtagChar(d)) break;
      if (IsLetterOrMark(d)) has_alpha = true;
      j = k;
      tag_end = k;
    }
    if (keycap || !has_alpha) continue;
    // "#foo#bar" and "#foo://" are not hashtags.
    const std::string_view rest = text.substr(tag_end);
    if (rest.starts_with("#") || rest.starts_with("\xEF\xBC\x83") || rest.starts_with("://")) {
      i = tag_end;
      continue;
    }
    Entity e{std::string(text.substr(i, tag_end - i)), start, tag_end};
    if (urls == nullptr) {
      found_urls = ExtractUrlEntities(text);
      urls = &found_urls;
    }
    if (!Overlaps(e, *urls)) out.push_back(std::move(e));
    i = tag_end;
  }
  return out;
}

std::vector<std::string> ExtractHashtags(std::string_view text) {
  return Values(ExtractHashtagEntities(text),
                [](std::string v) { return NormalizeHashtag(v); });
}

std::vector<Entity> ExtractMentionEntities(std::string_view text) {
  return ExtractMentionEntities(text, nullptr);
}

std::vector<Entity> ExtractMentionEntities(std::string_view text,
                                           const std::vector<Entity>* known_urls) {
  std::vector<Entity> out;
  std::vector<Entity> found_urls;  // computed at the first candidate, unless known
  const std::vector<Entity>* urls = known_urls;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t start = i;
    const UChar32 c = Next(text, &i);
    if (c != '@' && c != kFullwidthAt) continue;
    const UChar32 before = Prev(text, start);
    if (IsHandleChar(before) || before == '!' || before == '#' || before == '$' ||
        before == '%' || before == '&' || before == '*' || before == '@' ||
        before == kFullwidthAt) {
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && IsHandleChar(static_cast<unsigned char>(text[j]))) ++j;
    const std::size_t base_len = j - i;
    if (base_len == 0) continue;
    std::size_t end = j;
    bool federated = false;
    // Bluesky handles ("alice.bsky.social") and fediverse accounts ("bob@host.tld").
    auto take_domain = [&](std::size_t from) -> std::size_t {
      std::size_t p = from;
      std::size_t last_good = from;
      while (p < text.size()) {
        std::size_t q = p;
        while (q < text.size() &&
               (IsAsciiAlnum(static_cast<unsigned char>(text[q])) || text[q] == '-')) {
          ++q;
        }
        if (q == p) break;
        last_good = q;
        if (q < text.size() && text[q] == '.' && q + 1 < text.size() &&
            IsAsciiAlnum(static_cast<unsigned char>(text[q + 1]))) {
          p = q + 1;
          continue;
        }
        break;
      }
      return last_good;
    };
    if (end + 1 < text.size() && text[end] == '.' &&
        IsAsciiAlnum(static_cast<unsigned char>(text[end + 1]))) {
      end = take_domain(end + 1);
      federated = true;
    }
    if (end + 1 < text.size() && text[end] == '@' &&
        IsAsciiAlnum(static_cast<unsigned char>(text[end + 1]))) {
      const std::size_t domain_end = take_domain(end + 1);
      if (text.substr(end + 1, domain_end - end - 1).find('.') != std::string_view::npos) {
        end = domain_end;
        federated = true;
      }
    }
    if (!federated) {
      if (base_len > 20) {
        i = j;
        continue;
      }
      const std::string_view rest = text.substr(end);
      if (rest.starts_with("@") || rest.starts_with("\xEF\xBC\xA0") || rest.starts_with("://")) {
        i = j;
        continue;
      }
    }
    Entity e{std::string(text.substr(i, end - i)), start, end};
    if (urls == nullptr) {
      found_urls = ExtractUrlEntities(text);
      urls = &found_urls;
    }
    if (!Overlaps(e, *urls)) out.push_back(std::move(e));
    i = end;
  }
  return out;
}

std::vector<std::string> ExtractMentions(std::string_view text) {
  return Values(ExtractMentionEntities(text), [](std::string v) { return v; });
}

std::vector<std::string> ExtractUrls(std::string_view text) {
  return Values(ExtractUrlEntities(text), [](std::string v) { return v; });
}

}  // namespace hashlake::text
