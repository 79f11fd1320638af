#pragma once

#include <arrow/result.h>

#include <memory>
#include <string>

#include "hashlake/source/live_source.h"
#include "hashlake/source/url.h"

namespace hashlake::source {

/// The environment variable holding an optional Mastodon access token.
inline constexpr char kMastodonTokenEnv[] = "MASTODON_TOKEN";

/// Options of the Mastodon streaming source. Plain struct; defaults per field.
struct MastodonOptions {
  /// The instance, e.g. https://mastodon.social (tests: http://127.0.0.1:PORT).
  std::string instance_url = "https://mastodon.social";
  /// Where the streaming API lives when not on the instance URL (the instance's
  /// `urls.streaming_api`); empty = instance_url. Redirects are followed either way.
  std::string streaming_url;
  /// "public", "public:local", "public:remote", "hashtag" or "hashtag:local".
  std::string stream = "public";
  /// The tag (without '#') of the hashtag streams.
  std::string tag;
  /// Empty = MASTODON_TOKEN from the environment; none at all is fine where the
  /// instance allows anonymous streaming.
  std::string access_token;
  /// Connection loop settings. Mastodon sends a `:thump` comment about every 15 s;
  /// the default stall limit (`live.timeouts.idle`) is 20 s.
  LiveOptions live;
};

/// Mastodon streaming over HTTP server-sent events: `update` events' Status JSON become
/// posts (HTML content turned into text by PayloadDecoder); `delete` events are counted
/// (LiveStats::deletes and SourceStats::skipped); other events are skipped. Reconnects
/// with backoff and sends Last-Event-ID when the server gave event ids.
/// Threads: see LiveSource.
class MastodonSource final : public LiveSource {
 public:
  static arrow::Result<std::unique_ptr<MastodonSource>> Make(MastodonOptions options);
  ~MastodonSource() override;

  std::string Describe() const override;

 private:
  MastodonSource(MastodonOptions options, Url url, std::string token);
  StreamResult RunSession(StreamCanceller* canceller) override;
  arrow::Status CheckFatal(const StreamResult& result) override;

  MastodonOptions options_;
  Url url_;
  std::string token_;
  std::string last_event_id_;  // connection thread only
};

}  // namespace hashlake::source
