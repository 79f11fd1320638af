#include "hashlake/source/url.h"

#include <fmt/format.h>

#include <charconv>

namespace hashlake::source {

std::string Url::HostHeader() const {
  const bool default_port = (port == 80 && !tls()) || (port == 443 && tls());
  const std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return default_port ? h : fmt::format("{}:{}", h, port);
}

std::string Url::ToString() const { return fmt::format("{}://{}{}", scheme, HostHeader(), target); }

std::string_view Url::Path() const {
  std::string_view t = target;
  return t.substr(0, t.find('?'));
}

arrow::Result<Url> ParseUrl(std::string_view text) {
  Url url;
  const auto sep = text.find("://");
  if (sep == std::string_view::npos) {
    return arrow::Status::Invalid("URL '", text, "' has no scheme (expected http://, https://, ",
                                  "ws:// or wss://)");
  }
  for (char c : text.substr(0, sep)) {
    url.scheme.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  }
  uint16_t default_port = 0;
  if (url.scheme == "http" || url.scheme == "ws") {
    default_port = 80;
  } else if (url.scheme == "https" || url.scheme == "wss") {
    default_port = 443;
  } else {
    return arrow::Status::Invalid("URL '", text, "': unsupported scheme '", url.scheme,
                                  "' (expected http, https, ws or wss)");
  }
  std::string_view rest = text.substr(sep + 3);
  if (rest.find('#') != std::string_view::npos) {
    return arrow::Status::Invalid("URL '", text, "': fragments are not allowed");
  }
  const auto slash = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, slash);
  url.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (url.target.front() == '?') url.target.insert(0, "/");
  if (authority.find('@') != std::string_view::npos) {
    return arrow::Status::Invalid("URL '", text, "': credentials in URLs are not accepted");
  }
  std::string_view port_text;
  if (authority.starts_with("[")) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      return arrow::Status::Invalid("URL '", text, "': unterminated IPv6 literal");
    }
    url.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (after.starts_with(":")) port_text = after.substr(1);
  } else {
    const auto colon = authority.rfind(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (url.host.empty()) return arrow::Status::Invalid("URL '", text, "' has no host");
  url.port = default_port;
  if (!port_text.empty()) {
    unsigned value = 0;
    auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || ptr != port_text.data() + port_text.size() || value == 0 ||
        value > 65535) {
      return arrow::Status::Invalid("URL '", text, "': bad port '", port_text, "'");
    }
    url.port = static_cast<uint16_t>(value);
  }
  return url;
}

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

void AddQueryParam(Url* url, std::string_view key, std::string_view value) {
  url->target += url->target.find('?') == std::string::npos ? '?' : '&';
  url->target += PercentEncode(key);
  url->target += '=';
  url->target += PercentEncode(value);
}

}  // namespace hashlake::source
