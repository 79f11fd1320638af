#include "hashlake/source/x_stream_source.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <cstdlib>

#include "hashlake/core/logging.h"
#include "hashlake/source/json_internal.h"
#include "hashlake/source/line_framer.h"

namespace hashlake::source {

using internal::Element;
using internal::Str;

arrow::Result<std::string> XBearerToken(const std::string& explicit_token) {
  if (!explicit_token.empty()) return explicit_token;
  const char* env = std::getenv(kXBearerTokenEnv);
  if (env == nullptr || *env == '\0') {
    return arrow::Status::Invalid(kXBearerTokenEnv,
                                  " is not set: export your X app's bearer token in it");
  }
  return std::string(env);
}

std::string XErrorSummary(std::string_view body) {
  simdjson::dom::parser parser;
  Element doc;
  std::string out;
  if (parser.parse(body.data(), body.size()).get(doc) == simdjson::SUCCESS) {
    auto add = [&](Element e) {
      std::string_view title = Str(e, "title"), detail = Str(e, "detail");
      if (detail.empty()) detail = Str(e, "message");
      if (title.empty() && detail.empty()) return;
      if (!out.empty()) out += "; ";
      out += title;
      if (!title.empty() && !detail.empty()) out += ": ";
      out += detail;
    };
    add(doc);
    if (auto errors = internal::Array(doc, "errors")) {
      for (Element e : *errors) add(e);
    }
  }
  if (out.empty()) out = std::string(body.substr(0, 200));
  for (char& c : out) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

arrow::Result<std::unique_ptr<XStreamSource>> XStreamSource::Make(XStreamOptions options) {
  ARROW_ASSIGN_OR_RAISE(std::string token, XBearerToken(options.bearer_token));
  if (options.backfill_minutes < 0 || options.backfill_minutes > 5) {
    return arrow::Status::Invalid("x: backfill_minutes must be 0..5, got ",
                                  options.backfill_minutes);
  }
  std::string base = options.base_url;
  while (base.ends_with('/')) base.pop_back();
  ARROW_ASSIGN_OR_RAISE(Url url, ParseUrl(base + "/2/tweets/search/stream"));
  if (url.scheme != "http" && url.scheme != "https") {
    return arrow::Status::Invalid("x: base_url must be http(s), got ", options.base_url);
  }
  auto add = [&](const char* key, const std::string& value) {
    if (!value.empty()) AddQueryParam(&url, key, value);
  };
  add("expansions", options.expansions);
  add("tweet.fields", options.tweet_fields);
  add("user.fields", options.user_fields);
  add("place.fields", options.place_fields);
  if (options.backfill_minutes > 0)
    add("backfill_minutes", std::to_string(options.backfill_minutes));
  std::unique_ptr<XStreamSource> source(
      new XStreamSource(std::move(options), std::move(url), std::move(token)));
  source->Start();
  return source;
}

XStreamSource::XStreamSource(XStreamOptions options, Url url, std::string token)
    : LiveSource(options.live),
      options_(std::move(options)),
      url_(std::move(url)),
      token_(std::move(token)) {}

XStreamSource::~XStreamSource() { StopAndJoin(); }

std::string XStreamSource::Describe() const {
  return fmt::format("x(filtered stream at {})", url_.HostHeader());
}

bool XStreamSource::HandleLine(std::string_view line) {
  // In-stream errors carry no "data": decide whether they announce a disconnect.
  if (line.find("\"errors\"") != std::string_view::npos &&
      line.find("\"data\"") == std::string_view::npos) {
    simdjson::dom::parser parser;
    Element doc;
    if (parser.parse(line.data(), line.size()).get(doc) == simdjson::SUCCESS) {
      bool disconnect = false;
      if (auto errors = internal::Array(doc, "errors")) {
        for (Element e : *errors) {
          if (Str(e, "title") == "operational-disconnect" || !Str(e, "disconnect_type").empty()) {
            disconnect = true;
          }
        }
      }
      ++skipped_;
      Logger("source")->warn("x: stream error: {}", XErrorSummary(line));
      return !disconnect;
    }
  }
  DecodeAndEmit(line);
  return true;
}

StreamResult XStreamSource::RunSession(StreamCanceller* canceller) {
  HttpRequest request;
  request.url = url_;
  request.headers.push_back({"Authorization", "Bearer " + token_});
  LineFramer framer(live_options().max_message_bytes);
  bool keep_open = true;
  StreamResult r = RunHttpStream(
      request, live_options().timeouts,
      [&](std::string_view bytes) {
        bytes_ += bytes.size();
        const uint64_t keepalives_before = framer.keepalives();
        framer.Feed(bytes, [&](const LineFramer::Line& line) {
          if (!keep_open) return;
          if (line.oversized) {
            EmitRejected(fmt::format("oversized record: {} bytes > limit {}", line.size,
                                     live_options().max_message_bytes),
                         line.bytes);
            return;
          }
          keep_open = HandleLine(line.bytes);
        });
        keepalives_ += framer.keepalives() - keepalives_before;
        return keep_open;
      },
      canceller);
  const std::string partial = framer.TakePartial();
  if (!partial.empty() && r.end != StreamEnd::kStopped) {
    ++truncated_;
    DecodeAndEmit(partial, /*truncated=*/true);
  }
  return r;
}

arrow::Status XStreamSource::CheckFatal(const StreamResult& r) {
  if (r.http_status == 401 || r.http_status == 403) {
    return arrow::Status::Invalid(
        fmt::format("x: HTTP {} from {}: the token in {} was refused ({})", r.http_status,
                    url_.HostHeader(), kXBearerTokenEnv, XErrorSummary(r.error_body)));
  }
  return arrow::Status::OK();
}

}  // namespace hashlake::source
