#include "hashlake/serve/query.h"

#include <array>
#include <charconv>
#include <cstdint>
#include <limits>

#include <arrow/status.h>

namespace hashlake::serve {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

arrow::Result<std::string> PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      int hi = i + 1 < text.size() ? HexValue(text[i + 1]) : -1;
      int lo = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return arrow::Status::Invalid("malformed percent-escape in query string near '",
                                      text.substr(i, 3), "'");
      }
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// Quotes user input for an error message, cut short so a huge parameter cannot make a
// huge response.
std::string Quote(std::string_view text) {
  constexpr size_t kMax = 64;
  std::string out = "'";
  out.append(text.substr(0, kMax));
  if (text.size() > kMax) out.append("...");
  out.push_back('\'');
  return out;
}

}  // namespace

arrow::Result<QueryParams> ParseQueryString(std::string_view query) {
  QueryParams params;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (part.empty()) continue;  // "a=1&&b=2" and a trailing '&' are harmless
    size_t eq = part.find('=');
    std::string_view name = part.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? std::string_view{} : part.substr(eq + 1);
    ARROW_ASSIGN_OR_RAISE(std::string decoded_name, PercentDecode(name));
    ARROW_ASSIGN_OR_RAISE(std::string decoded_value, PercentDecode(value));
    params.emplace_back(std::move(decoded_name), std::move(decoded_value));
  }
  return params;
}

arrow::Result<std::chrono::microseconds> ParseWindow(std::string_view text) {
  struct Unit {
    std::string_view suffix;
    int64_t micros;
  };
  // Longest suffix first so that "ms" is not read as "m" followed by garbage.
  static constexpr std::array<Unit, 5> kUnits = {{{"ms", 1'000},
                                                  {"d", 86'400'000'000},
                                                  {"h", 3'600'000'000},
                                                  {"m", 60'000'000},
                                                  {"s", 1'000'000}}};
  auto invalid = [&] {
    return arrow::Status::Invalid("window must be a duration such as 30s, 1m, 5m, 1h or 1m30s, got ",
                                  Quote(text));
  };
  if (text.empty()) return invalid();
  int64_t total = 0;
  int64_t last_unit = std::numeric_limits<int64_t>::max();
  std::string_view rest = text;
  while (!rest.empty()) {
    int64_t value = 0;
    auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), value);
    if (ec != std::errc() || ptr == rest.data() || value < 0) return invalid();
    rest.remove_prefix(static_cast<size_t>(ptr - rest.data()));
    const Unit* unit = nullptr;
    for (const Unit& u : kUnits) {
      if (rest.substr(0, u.suffix.size()) == u.suffix) {
        unit = &u;
        break;
      }
    }
    if (unit == nullptr || unit->micros >= last_unit) return invalid();
    rest.remove_prefix(unit->suffix.size());
    last_unit = unit->micros;
    if (value > (std::numeric_limits<int64_t>::max() - total) / unit->micros) return invalid();
    total += value * unit->micros;
  }
  return std::chrono::microseconds{total};
}

arrow::Result<TopQuery> ParseTopQuery(std::string_view query) {
  constexpr std::string_view kAllowed = "allowed: window, k";
  ARROW_ASSIGN_OR_RAISE(QueryParams params, ParseQueryString(query));
  TopQuery out;
  bool seen_window = false;
  bool seen_k = false;
  for (const auto& [name, value] : params) {
    if (name == "window") {
      if (seen_window) return arrow::Status::Invalid("parameter 'window' given more than once");
      seen_window = true;
      ARROW_ASSIGN_OR_RAISE(out.window, ParseWindow(value));
      if (out.window <= std::chrono::microseconds::zero() || out.window > TopQuery::kMaxWindow) {
        return arrow::Status::Invalid("window must be greater than 0 and at most 7d, got ",
                                      Quote(value));
      }
    } else if (name == "k") {
      if (seen_k) return arrow::Status::Invalid("parameter 'k' given more than once");
      seen_k = true;
      int k = 0;
      auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), k);
      if (value.empty() || ec != std::errc() || ptr != value.data() + value.size() ||
          k < TopQuery::kMinK || k > TopQuery::kMaxK) {
        return arrow::Status::Invalid("k must be an integer in 1..100, got ", Quote(value));
      }
      out.k = k;
    } else {
      return arrow::Status::Invalid("unknown query parameter ", Quote(name), " (", kAllowed,
                                    ")");
    }
  }
  return out;
}

}  // namespace hashlake::serve
