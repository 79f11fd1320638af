#include "hashlake/serve/embedded_asset.h"

namespace hashlake::serve {

const EmbeddedAsset* FindAsset(std::span<const EmbeddedAsset> assets, std::string_view path) {
  if (path == "/") path = "/index.html";
  // A handful of files: a linear scan is faster than building an index.
  for (const EmbeddedAsset& asset : assets) {
    if (path == asset.path) return &asset;
  }
  return nullptr;
}

}  // namespace hashlake::serve
