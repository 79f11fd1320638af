#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <arrow/result.h>

namespace hashlake::serve {

/// Decoded `name=value` pairs of a URL query string, in order. `+` and `%XX` are decoded;
/// a malformed escape is an error.
using QueryParams = std::vector<std::pair<std::string, std::string>>;
arrow::Result<QueryParams> ParseQueryString(std::string_view query);

/// A window as users write it: "500ms", "30s", "1m", "1m30s", "2h", "1d". Units are
/// ms, s, m, h, d; parts must be in decreasing unit order. Error messages quote the input.
arrow::Result<std::chrono::microseconds> ParseWindow(std::string_view text);

/// The validated query of `/api/top-hashtags` and `/api/stream`.
struct TopQuery {
  static constexpr int kMinK = 1;
  static constexpr int kMaxK = 100;
  static constexpr int kDefaultK = 10;
  static constexpr std::chrono::microseconds kDefaultWindow = std::chrono::minutes(1);
  static constexpr std::chrono::microseconds kMaxWindow = std::chrono::hours(24 * 7);

  std::chrono::microseconds window = kDefaultWindow;
  int k = kDefaultK;
};

/// Validates `window` (optional, default 1m, 0 < window <= 7d) and `k` (optional,
/// default 10, integer in 1..100). Unknown, repeated or malformed parameters are
/// `Status::Invalid` whose message is meant for the client (it becomes a 400).
arrow::Result<TopQuery> ParseTopQuery(std::string_view query);

}  // namespace hashlake::serve
