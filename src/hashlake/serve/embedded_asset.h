#pragma once

#include <cstddef>
#include <span>
#include <string_view>

namespace hashlake::serve {

/// One file of the built dashboard (web/dist), compiled into the binary by
/// cmake/EmbedAssets.cmake. All pointers are to static storage.
struct EmbeddedAsset {
  const char* path;          ///< URL path, e.g. "/index.html"
  const char* content_type;  ///< e.g. "text/html; charset=utf-8"
  const unsigned char* data;
  size_t size;
  const char* etag;  ///< strong ETag with quotes: a hash of the content
};

/// The table generated at build time (see the generated embedded_assets.cc).
std::span<const EmbeddedAsset> EmbeddedAssets();

/// The asset served at `path` ("/" is "/index.html"), or nullptr.
const EmbeddedAsset* FindAsset(std::span<const EmbeddedAsset> assets, std::string_view path);

}  // namespace hashlake::serve
