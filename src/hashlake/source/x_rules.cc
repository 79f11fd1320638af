#include "hashlake/source/x_rules.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <simdjson.h>

#include "hashlake/core/json_writer.h"
#include "hashlake/source/http_stream_client.h"
#include "hashlake/source/json_internal.h"
#include "hashlake/source/x_stream_source.h"

namespace hashlake::source {
namespace {

using internal::Element;
using internal::Str;

arrow::Status HttpFailure(const Url& url, const HttpResponse& response) {
  if (response.status == 401 || response.status == 403) {
    return arrow::Status::Invalid(fmt::format(
        "x rules: HTTP {} from {}: the token in {} was "
        "refused ({})",
        response.status, url.HostHeader(), kXBearerTokenEnv, XErrorSummary(response.body)));
  }
  return arrow::Status::IOError(fmt::format("x rules: HTTP {} from {}: {}", response.status,
                                            url.ToString(), XErrorSummary(response.body)));
}

int64_t Int(Element e, std::string_view key) {
  auto v = internal::Field(e, key);
  int64_t i = 0;
  if (v && v->get_int64().get(i) == simdjson::SUCCESS) return i;
  return 0;
}

std::vector<XRule> ParseRules(Element doc) {
  std::vector<XRule> rules;
  if (auto data = internal::Array(doc, "data")) {
    for (Element e : *data) {
      rules.push_back(
          {internal::IdStr(e, "id"), std::string(Str(e, "value")), std::string(Str(e, "tag"))});
    }
  }
  return rules;
}

/// "rule 'value': Title: detail1; detail2" for each refused rule.
std::vector<std::string> RuleErrors(Element doc) {
  std::vector<std::string> out;
  auto errors = internal::Array(doc, "errors");
  if (!errors) return out;
  for (Element e : *errors) {
    std::string line;
    std::string_view value = Str(e, "value");
    std::string id = internal::IdStr(e, "id");
    if (!value.empty()) {
      line = fmt::format("rule '{}'", value);
    } else if (!id.empty()) {
      line = fmt::format("rule id {}", id);
    } else {
      line = "request";
    }
    line += ": ";
    line += Str(e, "title").empty() ? std::string_view("error") : Str(e, "title");
    std::vector<std::string> details;
    if (auto d = internal::Array(e, "details")) {
      for (Element x : *d) {
        std::string_view s;
        if (x.get_string().get(s) == simdjson::SUCCESS) details.emplace_back(s);
      }
    }
    if (details.empty() && !Str(e, "detail").empty()) details.emplace_back(Str(e, "detail"));
    if (!details.empty()) line += ": " + fmt::format("{}", fmt::join(details, "; "));
    if (!id.empty() && !value.empty()) line += fmt::format(" (existing id {})", id);
    out.push_back(std::move(line));
  }
  return out;
}

}  // namespace

arrow::Result<XRules> XRules::Make(std::string base_url, std::string bearer_token, Micros timeout) {
  ARROW_ASSIGN_OR_RAISE(std::string token, XBearerToken(bearer_token));
  while (base_url.ends_with('/')) base_url.pop_back();
  ARROW_ASSIGN_OR_RAISE(Url url, ParseUrl(base_url + "/2/tweets/search/stream/rules"));
  return XRules(std::move(url), std::move(token), timeout);
}

arrow::Result<std::vector<XRule>> XRules::List() const {
  HttpRequest request;
  request.url = url_;
  request.headers.push_back({"Authorization", "Bearer " + token_});
  ARROW_ASSIGN_OR_RAISE(HttpResponse response, HttpFetch(request, timeout_));
  if (response.status != 200) return HttpFailure(url_, response);
  simdjson::dom::parser parser;
  Element doc;
  if (parser.parse(response.body).get(doc) != simdjson::SUCCESS || !doc.is_object()) {
    return arrow::Status::IOError("x rules: the list response is not a JSON object");
  }
  return ParseRules(doc);
}

arrow::Result<XRulesChange> XRules::Post(const std::string& body, bool dry_run) const {
  HttpRequest request;
  request.method = "POST";
  request.url = url_;
  if (dry_run) AddQueryParam(&request.url, "dry_run", "true");
  request.headers.push_back({"Authorization", "Bearer " + token_});
  request.headers.push_back({"Content-Type", "application/json"});
  request.body = body;
  ARROW_ASSIGN_OR_RAISE(HttpResponse response, HttpFetch(request, timeout_));
  simdjson::dom::parser parser;
  Element doc;
  const bool json = parser.parse(response.body).get(doc) == simdjson::SUCCESS && doc.is_object();
  // X answers invalid rules with 400 and an errors array: those are results, not failures.
  if (response.status / 100 != 2 && !(json && internal::Array(doc, "errors") &&
                                      response.status != 401 && response.status != 403)) {
    return HttpFailure(url_, response);
  }
  if (!json) return arrow::Status::IOError("x rules: the response is not a JSON object");
  XRulesChange change;
  change.rules = ParseRules(doc);
  change.errors = RuleErrors(doc);
  if (auto meta = internal::Object(doc, "meta")) {
    if (auto summary = internal::Object(*meta, "summary")) {
      change.created = Int(*summary, "created");
      change.not_created = Int(*summary, "not_created");
      change.valid = Int(*summary, "valid");
      change.invalid = Int(*summary, "invalid");
      change.deleted = Int(*summary, "deleted");
      change.not_deleted = Int(*summary, "not_deleted");
    }
  }
  return change;
}

arrow::Result<XRulesChange> XRules::Add(const std::vector<XRule>& rules, bool dry_run) const {
  if (rules.empty()) return arrow::Status::Invalid("x rules: nothing to add");
  std::string body;
  JsonWriter w(&body);
  w.BeginObject();
  w.Key("add");
  w.BeginArray();
  for (const XRule& rule : rules) {
    w.BeginObject();
    w.Key("value");
    w.String(rule.value);
    if (!rule.tag.empty()) {
      w.Key("tag");
      w.String(rule.tag);
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return Post(body, dry_run);
}

namespace {
std::string DeleteBody(const char* key, const std::vector<std::string>& items) {
  std::string body;
  JsonWriter w(&body);
  w.BeginObject();
  w.Key("delete");
  w.BeginObject();
  w.Key(key);
  w.BeginArray();
  for (const std::string& item : items) w.String(item);
  w.EndArray();
  w.EndObject();
  w.EndObject();
  return body;
}
}  // namespace

arrow::Result<XRulesChange> XRules::DeleteIds(const std::vector<std::string>& ids,
                                              bool dry_run) const {
  if (ids.empty()) return arrow::Status::Invalid("x rules: no rule ids to delete");
  return Post(DeleteBody("ids", ids), dry_run);
}

arrow::Result<XRulesChange> XRules::DeleteValues(const std::vector<std::string>& values,
                                                 bool dry_run) const {
  if (values.empty()) return arrow::Status::Invalid("x rules: no rule values to delete");
  return Post(DeleteBody("values", values), dry_run);
}

}  // namespace hashlake::source
