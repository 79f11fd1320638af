#pragma once

#include <arrow/result.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace hashlake::source {

/// A parsed http/https/ws/wss URL, as the live sources use them. Plain value type.
struct Url {
  std::string scheme;  ///< "http", "https", "ws" or "wss" (lower case).
  std::string host;    ///< Host name or IP literal (no brackets).
  uint16_t port = 0;   ///< Explicit port, else 80 / 443 by scheme.
  std::string target;  ///< Path and query, always starting with '/'.

  /// True for https and wss.
  bool tls() const { return scheme == "https" || scheme == "wss"; }
  /// "host" when the port is the scheme's default, else "host:port" (the Host header).
  std::string HostHeader() const;
  std::string ToString() const;
  /// The path without the query.
  std::string_view Path() const;
};

/// Parses "scheme://host[:port][/path][?query]". Userinfo and fragments are refused.
arrow::Result<Url> ParseUrl(std::string_view text);

/// RFC 3986 percent-encoding of everything except unreserved characters.
std::string PercentEncode(std::string_view text);

/// Appends `key=value` (both percent-encoded) to the URL's query.
void AddQueryParam(Url* url, std::string_view key, std::string_view value);

}  // namespace hashlake::source
