#include "hashlake/lake/json_util.h"

#include <charconv>
#include <cmath>

#include <arrow/status.h>

namespace hashlake::lake {

void AppendJsonString(std::string* out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char c : s) {
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out->append("\\u00");
          out->push_back(kHex[(c >> 4) & 0xf]);
          out->push_back(kHex[c & 0xf]);
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

void AppendJsonDouble(std::string* out, double v) {
  if (!std::isfinite(v)) {
    out->append("null");
    return;
  }
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), v);
  std::string_view text(buf, res.ptr - buf);
  out->append(text);
  // "1e+20" and "3" are valid JSON numbers; keep integral doubles recognisably floating.
  if (text.find_first_of(".eEn") == std::string_view::npos) out->append(".0");
}

std::string JsonQuote(std::string_view s) {
  std::string out;
  AppendJsonString(&out, s);
  return out;
}

std::string JsonMinify(simdjson::dom::element e) { return simdjson::minify(e); }

arrow::Result<std::string> GetString(simdjson::dom::object o, std::string_view key,
                                     std::string fallback) {
  simdjson::dom::element e;
  if (o.at_key(key).get(e) != simdjson::SUCCESS || e.is_null()) return fallback;
  std::string_view v;
  if (e.get_string().get(v) != simdjson::SUCCESS) {
    return arrow::Status::Invalid("JSON field '", key, "' is not a string");
  }
  return std::string(v);
}

arrow::Result<int64_t> GetInt(simdjson::dom::object o, std::string_view key, int64_t fallback) {
  simdjson::dom::element e;
  if (o.at_key(key).get(e) != simdjson::SUCCESS || e.is_null()) return fallback;
  int64_t v;
  if (e.get_int64().get(v) == simdjson::SUCCESS) return v;
  uint64_t u;
  if (e.get_uint64().get(u) == simdjson::SUCCESS && u <= INT64_MAX) {
    return static_cast<int64_t>(u);
  }
  return arrow::Status::Invalid("JSON field '", key, "' is not an integer");
}

arrow::Result<bool> GetBool(simdjson::dom::object o, std::string_view key, bool fallback) {
  simdjson::dom::element e;
  if (o.at_key(key).get(e) != simdjson::SUCCESS || e.is_null()) return fallback;
  bool v;
  if (e.get_bool().get(v) != simdjson::SUCCESS) {
    return arrow::Status::Invalid("JSON field '", key, "' is not a boolean");
  }
  return v;
}

}  // namespace hashlake::lake
