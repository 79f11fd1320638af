#pragma once

#include <arrow/result.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hashlake::bus {

/// A bus URL split into parts: `scheme://path?k=v&k2=v2`. `path` keeps everything between
/// "://" and "?" (for `log:///abs/dir` it is "/abs/dir", for `log://rel/dir` "rel/dir"),
/// percent-decoded; query keys and values are percent-decoded, in order, duplicates kept.
struct BusUrl {
  std::string scheme;
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
};

/// Errors (Invalid) for a missing scheme, bad percent escapes or a query item without '='.
arrow::Result<BusUrl> ParseBusUrl(std::string_view url);

}  // namespace hashlake::bus
