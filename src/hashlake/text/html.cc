#include "hashlake/text/html.h"

#include <cstdint>

namespace hashlake::text {
namespace {

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

struct NamedEntity {
  std::string_view name;
  uint32_t cp;
};
constexpr NamedEntity kNamed[] = {
    {"amp", '&'},      {"lt", '<'},       {"gt", '>'},        {"quot", '"'},
    {"apos", '\''},    {"nbsp", 0xA0},    {"hellip", 0x2026}, {"mdash", 0x2014},
    {"ndash", 0x2013}, {"lsquo", 0x2018}, {"rsquo", 0x2019},  {"ldquo", 0x201C},
    {"rdquo", 0x201D}, {"copy", 0xA9},    {"reg", 0xAE},      {"euro", 0x20AC},
};

// Decodes the reference starting at text[i] == '&'; returns its length or 0.
std::size_t DecodeOne(std::string_view text, std::size_t i, std::string* out) {
  const std::size_t semi = text.find(';', i + 1);
  if (semi == std::string_view::npos || semi - i > 12) return 0;
  const std::string_view body = text.substr(i + 1, semi - i - 1);
  if (body.size() >= 2 && body[0] == '#') {
    uint32_t cp = 0;
    const bool hex = body[1] == 'x' || body[1] == 'X';
    const std::string_view digits = body.substr(hex ? 2 : 1);
    if (digits.empty()) return 0;
    for (char c : digits) {
      uint32_t d;
      if (c >= '0' && c <= '9') {
        d = static_cast<uint32_t>(c - '0');
      } else if (hex && c >= 'a' && c <= 'f') {
        d = static_cast<uint32_t>(c - 'a' + 10);
      } else if (hex && c >= 'A' && c <= 'F') {
        d = static_cast<uint32_t>(c - 'A' + 10);
      } else {
        return 0;
      }
      cp = cp * (hex ? 16 : 10) + d;
      if (cp > 0x10FFFF) cp = 0x110000;  // saturate; AppendUtf8 maps it to U+FFFD
    }
    AppendUtf8(cp, out);
    return semi - i + 1;
  }
  for (const NamedEntity& e : kNamed) {
    if (body == e.name) {
      AppendUtf8(e.cp, out);
      return semi - i + 1;
    }
  }
  return 0;
}

bool TagNameIs(std::string_view tag, std::string_view name) {
  // `tag` is the text between '<' and '>', e.g. "br/", "/p", "p class=x".
  if (tag.starts_with("/")) tag.remove_prefix(1);
  if (tag.size() < name.size()) return false;
  for (std::size_t k = 0; k < name.size(); ++k) {
    char c = tag[k];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != name[k]) return false;
  }
  if (tag.size() == name.size()) return true;
  const char after = tag[name.size()];
  return after == ' ' || after == '/' || after == '\t' || after == '\n';
}

}  // namespace

std::string DecodeHtmlEntities(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == '&') {
      const std::size_t n = DecodeOne(text, i, &out);
      if (n > 0) {
        i += n;
        continue;
      }
    }
    out.push_back(text[i++]);
  }
  return out;
}

std::string HtmlToText(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  bool seen_paragraph = false;
  std::size_t i = 0;
  while (i < html.size()) {
    const char c = html[i];
    if (c == '<') {
      if (html.substr(i).starts_with("<!--")) {
        const std::size_t end = html.find("-->", i + 4);
        i = end == std::string_view::npos ? html.size() : end + 3;
        continue;
      }
      const std::size_t close = html.find('>', i + 1);
      if (close == std::string_view::npos) {  // a lone '<' is text
        out.push_back(c);
        ++i;
        continue;
      }
      const std::string_view tag = html.substr(i + 1, close - i - 1);
      i = close + 1;
      if (TagNameIs(tag, "br")) {
        out.push_back('\n');
      } else if (TagNameIs(tag, "p") && !tag.starts_with("/")) {
        if (seen_paragraph) out.push_back('\n');
        seen_paragraph = true;
      } else if ((TagNameIs(tag, "script") || TagNameIs(tag, "style")) &&
                 !tag.starts_with("/")) {
        const std::string_view name = TagNameIs(tag, "script") ? "</script" : "</style";
        const std::size_t end = html.find(name, i);
        i = end == std::string_view::npos ? html.size() : end;
      }
      continue;
    }
    if (c == '&') {
      const std::size_t n = DecodeOne(html, i, &out);
      if (n > 0) {
        i += n;
        continue;
      }
    }
    out.push_back(c);
    ++i;
  }
  return out;
}

}  // namespace hashlake::text
