#pragma once

#include <arrow/result.h>

#include <memory>
#include <string>

#include "hashlake/source/live_source.h"
#include "hashlake/source/url.h"

namespace hashlake::source {

/// The environment variable holding the X API bearer token.
inline constexpr char kXBearerTokenEnv[] = "X_BEARER_TOKEN";

/// Options of the X API v2 filtered stream. Plain struct; defaults per field.
struct XStreamOptions {
  /// API root; tests point it at http://127.0.0.1:PORT. api.twitter.com works too.
  std::string base_url = "https://api.x.com";
  /// Empty = read X_BEARER_TOKEN from the environment (the CLI never takes it elsewhere).
  std::string bearer_token;
  /// Query parameters of GET /2/tweets/search/stream: what is needed to fill a Post
  /// (author, place with country code / full name / bbox, user location, lang,
  /// entities, created_at, public_metrics, referenced tweets).
  std::string expansions = "author_id,geo.place_id,referenced_tweets.id";
  std::string tweet_fields =
      "created_at,lang,entities,geo,public_metrics,referenced_tweets,author_id,"
      "conversation_id,in_reply_to_user_id,possibly_sensitive";
  std::string user_fields = "username,name,location,verified";
  std::string place_fields = "country_code,full_name,geo,name,place_type,country";
  /// Minutes of missed posts to recover after a disconnect (0-5; Pro/Enterprise only). 0 = off.
  int backfill_minutes = 0;
  /// Connection loop settings; `live.timeouts.idle` (20 s) is the stall limit.
  LiveOptions live;
};

/// X API v2 filtered stream (GET /2/tweets/search/stream): one JSON object per "\r\n",
/// blank keep-alive lines, in-stream `errors` objects (an operational-disconnect ends the
/// connection and it reconnects at once), reconnects on X's documented schedule, and
/// 401/403 as a fatal error naming X_BEARER_TOKEN. Rules are managed with XRules.
/// Threads: see LiveSource.
class XStreamSource final : public LiveSource {
 public:
  /// Fails when no token is set (one line naming X_BEARER_TOKEN) or base_url is bad.
  static arrow::Result<std::unique_ptr<XStreamSource>> Make(XStreamOptions options);
  ~XStreamSource() override;

  std::string Describe() const override;
  /// The stream URL with its query (what is requested).

 private:
  XStreamSource(XStreamOptions options, Url url, std::string token);
  StreamResult RunSession(StreamCanceller* canceller) override;
  arrow::Status CheckFatal(const StreamResult& result) override;
  /// Handles one stream line; false ends the connection (operational disconnect).
  bool HandleLine(std::string_view line);

  XStreamOptions options_;
  Url url_;
  std::string token_;
};

/// Reads X_BEARER_TOKEN (or returns `explicit_token` when non-empty); a one-line
/// Invalid status naming the variable when neither is set.
arrow::Result<std::string> XBearerToken(const std::string& explicit_token);

/// One line from an X error response body: `title: detail` of its errors, or the body.
std::string XErrorSummary(std::string_view body);

}  // namespace hashlake::source
