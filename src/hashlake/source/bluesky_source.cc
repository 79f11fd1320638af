#include "hashlake/source/bluesky_source.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>

#include "hashlake/source/json_internal.h"
#include "hashlake/source/line_reader.h"
#include "hashlake/source/websocket_client.h"

namespace hashlake::source {

using internal::Element;
using internal::Str;

arrow::Result<std::unique_ptr<BlueskySource>> BlueskySource::Make(BlueskyOptions options) {
  ARROW_ASSIGN_OR_RAISE(Url base, ParseUrl(options.url));
  if (base.scheme != "ws" && base.scheme != "wss") {
    return arrow::Status::Invalid("bluesky: url must be ws:// or wss://, got ", options.url);
  }
  if (options.resume_overlap < Micros{0}) {
    return arrow::Status::Invalid("bluesky: resume_overlap must be >= 0");
  }
  for (const std::string& c : options.wanted_collections)
    AddQueryParam(&base, "wantedCollections", c);
  for (const std::string& d : options.wanted_dids) AddQueryParam(&base, "wantedDids", d);
  std::unique_ptr<BlueskySource> source(new BlueskySource(std::move(options), std::move(base)));
  source->Start();
  return source;
}

BlueskySource::BlueskySource(BlueskyOptions options, Url base)
    : LiveSource(options.live), options_(std::move(options)), base_(std::move(base)) {
  cursor_us_ = options_.cursor_us;
}

BlueskySource::~BlueskySource() { StopAndJoin(); }

std::string BlueskySource::Describe() const {
  return fmt::format("bluesky(jetstream at {})", base_.HostHeader());
}

Url BlueskySource::NextUrl() const {
  Url url = base_;
  const int64_t cursor = cursor_us_.load();
  if (cursor > 0) {
    // The first connection uses the given cursor as is; resumes rewind by the overlap.
    const int64_t from = first_connection_ ? cursor : cursor - options_.resume_overlap.count();
    AddQueryParam(&url, "cursor", std::to_string(std::max<int64_t>(from, 1)));
  }
  return url;
}

void BlueskySource::HandleMessage(std::string_view message, bool text) {
  bytes_ += message.size();
  if (!text) {
    EmitRejected(
        "binary WebSocket message: Jetstream compression (zstd with a custom "
        "dictionary) is not supported",
        message);
    return;
  }
  const std::size_t limit = live_options().max_message_bytes;
  if (message.size() > limit) {
    EmitRejected(fmt::format("oversized record: {} bytes > limit {}", message.size(), limit),
                 message.substr(0, LineReader::kOversizedPrefixBytes));
    return;
  }
  // Read the keys that order and identify the event; the decoder does the rest.
  Element doc;
  if (parser_.parse(message.data(), message.size()).get(doc) == simdjson::SUCCESS &&
      doc.is_object()) {
    const std::string_view did = Str(doc, "did");
    const std::string_view kind = Str(doc, "kind");
    int64_t time_us = 0;
    if (auto t = internal::Field(doc, "time_us")) {
      if (t->get_int64().get(time_us) != simdjson::SUCCESS) time_us = 0;
    }
    std::string key;
    if (auto commit = internal::Object(doc, "commit")) {
      key = fmt::format("{}|{}|{}|{}|{}", did, Str(*commit, "collection"), Str(*commit, "rkey"),
                        Str(*commit, "rev"), Str(*commit, "operation"));
    } else {
      key = fmt::format("{}|{}|{}", did, kind, time_us);
    }
    if (!did.empty() && !recent_events().Insert(key)) {
      ++duplicates_;
      return;
    }
    if (time_us > cursor_us_.load()) cursor_us_ = time_us;
  }
  DecodeAndEmit(message);
}

StreamResult BlueskySource::RunSession(StreamCanceller* canceller) {
  const Url url = NextUrl();
  first_connection_ = false;
  WebSocketOptions ws;
  ws.timeouts = live_options().timeouts;
  // Reading stops only far above the record limit: an oversized event must become a dead
  // letter, not a dropped connection that the cursor would replay forever.
  ws.max_message_bytes = std::max<std::size_t>(16 << 20, 2 * live_options().max_message_bytes);
  return RunWebSocket(
      url, ws,
      [&](std::string_view message, bool text) {
        HandleMessage(message, text);
        return true;
      },
      canceller);
}

arrow::Status BlueskySource::CheckFatal(const StreamResult& r) {
  // Jetstream answers 400 to a bad query (an unknown collection NSID, a malformed DID):
  // retrying cannot fix it.
  if (r.http_status == 400) {
    return arrow::Status::Invalid(fmt::format("bluesky: HTTP 400 from {}: {}", base_.HostHeader(),
                                              r.error_body.substr(0, 200)));
  }
  return arrow::Status::OK();
}

}  // namespace hashlake::source
