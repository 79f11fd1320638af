#pragma once

#include <arrow/result.h>

#include <cstdint>
#include <string>
#include <vector>

#include "hashlake/core/time.h"
#include "hashlake/source/url.h"

namespace hashlake::source {

/// One filtered-stream rule. `id` is set by X (empty when adding).
struct XRule {
  std::string id;
  std::string value;
  std::string tag;
};

/// What X answered to an add or delete. `errors` holds one readable line per rule X
/// refused (invalid syntax, duplicate, not found), e.g.
/// "rule '(cat': UnprocessableEntity: Rules must contain a non-negation term".
struct XRulesChange {
  std::vector<XRule> rules;  ///< Rules created (add) — with their ids.
  int64_t created = 0, not_created = 0, valid = 0, invalid = 0;  ///< Add summary.
  int64_t deleted = 0, not_deleted = 0;                          ///< Delete summary.
  std::vector<std::string> errors;
  bool ok() const { return errors.empty(); }
};

/// Client of X's filtered-stream rules endpoint, /2/tweets/search/stream/rules.
/// Stateless apart from its settings; each call is one HTTP request; thread-compatible.
class XRules {
 public:
  /// `bearer_token` empty = X_BEARER_TOKEN from the environment (error naming it if unset).
  static arrow::Result<XRules> Make(std::string base_url = "https://api.x.com",
                                    std::string bearer_token = "",
                                    Micros timeout = std::chrono::seconds(30));

  arrow::Result<std::vector<XRule>> List() const;
  /// Adds rules (`value`, optional `tag`). With `dry_run` X only validates them.
  arrow::Result<XRulesChange> Add(const std::vector<XRule>& rules, bool dry_run) const;
  arrow::Result<XRulesChange> DeleteIds(const std::vector<std::string>& ids, bool dry_run) const;
  arrow::Result<XRulesChange> DeleteValues(const std::vector<std::string>& values,
                                           bool dry_run) const;

 private:
  XRules(Url url, std::string token, Micros timeout)
      : url_(std::move(url)), token_(std::move(token)), timeout_(timeout) {}
  arrow::Result<XRulesChange> Post(const std::string& body, bool dry_run) const;

  Url url_;
  std::string token_;
  Micros timeout_;
};

}  // namespace hashlake::source
