#pragma once

// Small read helpers over simdjson's DOM shared by the payload decoders. Every helper
// tolerates a missing key, a null and a wrong type: payloads are untrusted input.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <simdjson.h>

namespace hashlake::source::internal {

using Element = simdjson::dom::element;

/// The value at `key` when `e` is an object holding a non-null value there.
inline std::optional<Element> Field(Element e, std::string_view key) {
  Element v;
  if (!e.is_object() || e.at_key(key).get(v) != simdjson::SUCCESS || v.is_null()) {
    return std::nullopt;
  }
  return v;
}

inline std::optional<Element> Object(Element e, std::string_view key) {
  auto v = Field(e, key);
  if (!v || !v->is_object()) return std::nullopt;
  return v;
}

inline std::optional<simdjson::dom::array> Array(Element e, std::string_view key) {
  auto v = Field(e, key);
  simdjson::dom::array a;
  if (!v || v->get_array().get(a) != simdjson::SUCCESS) return std::nullopt;
  return a;
}

/// The string at `key`, or "" when absent or not a string.
inline std::string_view Str(Element e, std::string_view key) {
  auto v = Field(e, key);
  std::string_view s;
  if (!v || v->get_string().get(s) != simdjson::SUCCESS) return {};
  return s;
}

/// A string or an integer as decimal text (ids come as both), or "".
inline std::string IdStr(std::optional<Element> v) {
  if (!v) return {};
  std::string_view s;
  if (v->get_string().get(s) == simdjson::SUCCESS) return std::string(s);
  int64_t i;
  if (v->get_int64().get(i) == simdjson::SUCCESS) return std::to_string(i);
  uint64_t u;
  if (v->get_uint64().get(u) == simdjson::SUCCESS) return std::to_string(u);
  return {};
}
inline std::string IdStr(Element e, std::string_view key) { return IdStr(Field(e, key)); }

/// An integer from a number or a numeric string, or `fallback`.
inline int64_t Int(Element e, std::string_view key, int64_t fallback = 0) {
  auto v = Field(e, key);
  if (!v) return fallback;
  int64_t i;
  if (v->get_int64().get(i) == simdjson::SUCCESS) return i;
  double d;
  if (v->get_double().get(d) == simdjson::SUCCESS) return static_cast<int64_t>(d);
  std::string_view s;
  if (v->get_string().get(s) == simdjson::SUCCESS) {
    int64_t out = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return fallback;
      out = out * 10 + (c - '0');
    }
    return s.empty() ? fallback : out;
  }
  return fallback;
}

inline std::optional<double> Number(Element e) {
  double d;
  if (e.get_double().get(d) == simdjson::SUCCESS) return d;  // also converts integers
  return std::nullopt;
}

/// Compact JSON of an element: the dead-letter payload of one bad item in a page.
inline std::string Minified(Element e) { return simdjson::minify(e); }

/// "a,b,c" from an object's keys (at most 12), for "unrecognized payload" reasons.
inline std::string KeyList(Element e) {
  simdjson::dom::object obj;
  if (e.get_object().get(obj) != simdjson::SUCCESS) {
    switch (e.type()) {
      case simdjson::dom::element_type::ARRAY: return "(an array)";
      case simdjson::dom::element_type::STRING: return "(a string)";
      case simdjson::dom::element_type::NULL_VALUE: return "(null)";
      case simdjson::dom::element_type::BOOL: return "(a boolean)";
      default: return "(a number)";
    }
  }
  std::string out;
  int n = 0;
  for (auto field : obj) {
    if (n == 12) {
      out += ",...";
      break;
    }
    if (n++ > 0) out += ',';
    out += field.key;
  }
  return out.empty() ? "(none)" : out;
}

}  // namespace hashlake::source::internal
