#include "hashlake/bus/bus_url.h"

namespace hashlake::bus {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

arrow::Result<std::string> PercentDecode(std::string_view s, std::string_view url) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size()) {
      return arrow::Status::Invalid("bus URL '", url, "' has a truncated %-escape");
    }
    int hi = HexValue(s[i + 1]);
    int lo = HexValue(s[i + 2]);
    if (hi < 0 || lo < 0) {
      return arrow::Status::Invalid("bus URL '", url, "' has a bad %-escape '", s.substr(i, 3),
                                    "'");
    }
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

}  // namespace

arrow::Result<BusUrl> ParseBusUrl(std::string_view url) {
  const std::size_t sep = url.find("://");
  if (sep == std::string_view::npos || sep == 0) {
    return arrow::Status::Invalid("bus URL '", url,
                                  "' has no scheme (expected e.g. log:///path/to/topic)");
  }
  BusUrl out;
  out.scheme = std::string(url.substr(0, sep));
  std::string_view rest = url.substr(sep + 3);
  std::string_view query;
  if (std::size_t q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  ARROW_ASSIGN_OR_RAISE(out.path, PercentDecode(rest, url));
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view item = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (item.empty()) continue;
    std::size_t eq = item.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      return arrow::Status::Invalid("bus URL '", url, "': query item '", item,
                                    "' is not key=value");
    }
    ARROW_ASSIGN_OR_RAISE(std::string key, PercentDecode(item.substr(0, eq), url));
    ARROW_ASSIGN_OR_RAISE(std::string value, PercentDecode(item.substr(eq + 1), url));
    out.query.emplace_back(std::move(key), std::move(value));
  }
  return out;
}

}  // namespace hashlake::bus
