#include "hashlake/source/mastodon_source.h"

#include <fmt/format.h>

#include <cstdlib>

#include "hashlake/source/sse_parser.h"

namespace hashlake::source {

arrow::Result<std::unique_ptr<MastodonSource>> MastodonSource::Make(MastodonOptions options) {
  std::string base = options.streaming_url.empty() ? options.instance_url : options.streaming_url;
  while (base.ends_with('/')) base.pop_back();
  std::string path;
  const std::string& s = options.stream;
  const bool hashtag = s == "hashtag" || s == "hashtag:local";
  if (s == "public") {
    path = "/api/v1/streaming/public";
  } else if (s == "public:local") {
    path = "/api/v1/streaming/public/local";
  } else if (s == "public:remote") {
    path = "/api/v1/streaming/public/remote";
  } else if (s == "hashtag") {
    path = "/api/v1/streaming/hashtag";
  } else if (s == "hashtag:local") {
    path = "/api/v1/streaming/hashtag/local";
  } else {
    return arrow::Status::Invalid("mastodon: unknown stream '", s,
                                  "': use public, public:local, public:remote, hashtag or "
                                  "hashtag:local");
  }
  std::string tag = options.tag;
  if (tag.starts_with('#')) tag.erase(0, 1);
  if (hashtag && tag.empty()) {
    return arrow::Status::Invalid("mastodon: stream '", s, "' needs a tag");
  }
  ARROW_ASSIGN_OR_RAISE(Url url, ParseUrl(base + path));
  if (url.scheme != "http" && url.scheme != "https") {
    return arrow::Status::Invalid("mastodon: instance URL must be http(s), got ", base);
  }
  if (hashtag) AddQueryParam(&url, "tag", tag);
  std::string token = options.access_token;
  if (token.empty()) {
    const char* env = std::getenv(kMastodonTokenEnv);
    if (env != nullptr) token = env;
  }
  std::unique_ptr<MastodonSource> source(
      new MastodonSource(std::move(options), std::move(url), std::move(token)));
  source->Start();
  return source;
}

MastodonSource::MastodonSource(MastodonOptions options, Url url, std::string token)
    : LiveSource(options.live),
      options_(std::move(options)),
      url_(std::move(url)),
      token_(std::move(token)) {}

MastodonSource::~MastodonSource() { StopAndJoin(); }

std::string MastodonSource::Describe() const {
  return fmt::format("mastodon({} stream at {})", options_.stream, url_.HostHeader());
}

StreamResult MastodonSource::RunSession(StreamCanceller* canceller) {
  HttpRequest request;
  request.url = url_;
  request.headers.push_back({"Accept", "text/event-stream"});
  if (!token_.empty()) request.headers.push_back({"Authorization", "Bearer " + token_});
  if (!last_event_id_.empty()) request.headers.push_back({"Last-Event-ID", last_event_id_});
  SseParser parser(live_options().max_message_bytes);
  StreamResult r = RunHttpStream(
      request, live_options().timeouts,
      [&](std::string_view bytes) {
        bytes_ += bytes.size();
        const uint64_t comments = parser.comments(), oversized = parser.oversized();
        bool keep_going = true;
        parser.Feed(bytes, [&](const SseEvent& ev) {
          if (!keep_going) return;
          if (ev.event == "update") {
            keep_going = DecodeAndEmit(ev.data);
          } else {
            if (ev.event == "delete") ++deletes_;
            ++skipped_;  // deletes, edits (status.update), notifications, filters...
          }
        });
        keepalives_ += parser.comments() - comments;
        for (uint64_t i = oversized; i < parser.oversized(); ++i) {
          EmitRejected(fmt::format("oversized SSE event: data over {} bytes",
                                   live_options().max_message_bytes),
                       "");
        }
        if (!parser.last_event_id().empty()) last_event_id_ = parser.last_event_id();
        return keep_going;
      },
      canceller);
  if (auto partial = parser.TakePartial(); partial && r.end != StreamEnd::kStopped) {
    ++truncated_;
    EmitRejected(fmt::format("truncated SSE event '{}': the connection closed before its end",
                             partial->event),
                 partial->data);
  }
  return r;
}

arrow::Status MastodonSource::CheckFatal(const StreamResult& r) {
  if (r.http_status == 401 || r.http_status == 403) {
    return arrow::Status::Invalid(fmt::format(
        "mastodon: HTTP {} from {}: this stream needs an access token of that instance in {}{}",
        r.http_status, url_.HostHeader(), kMastodonTokenEnv,
        token_.empty() ? " (none is set)" : " (the one set was refused)"));
  }
  if (r.http_status == 404) {
    return arrow::Status::Invalid(fmt::format(
        "mastodon: HTTP 404 for {}: no streaming API there (is it a Mastodon instance? set "
        "the streaming URL if it lives on another host)",
        url_.ToString()));
  }
  return arrow::Status::OK();
}

}  // namespace hashlake::source
