#pragma once

#include <string>
#include <string_view>

namespace hashlake::text {

/// Plain text from the small HTML subset that Mastodon and other fediverse servers
/// put in a status' `content`: tags are dropped, `<br>` becomes "\n", a paragraph
/// boundary (`</p><p>`) becomes "\n", character references (&amp; &#39; &#x1F600; and
/// the common named ones) are decoded; unknown references are kept as written.
/// Not a general HTML parser: comments and <script>/<style> bodies are dropped
/// without further care. Pure, thread-safe.
std::string HtmlToText(std::string_view html);

/// Decodes character references in `text` (used by HtmlToText; also for X's
/// "&amp;" in v1.1 `text`).
std::string DecodeHtmlEntities(std::string_view text);

}  // namespace hashlake::text
