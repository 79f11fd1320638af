#pragma once

#include <arrow/result.h>
#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "hashlake/source/live_source.h"
#include "hashlake/source/url.h"

namespace hashlake::source {

/// Options of the Bluesky Jetstream source. Plain struct; defaults per field.
struct BlueskyOptions {
  /// Jetstream v1 subscribe endpoint (any ws:// or wss:// URL; a query is kept).
  std::string url = "wss://jetstream2.us-east.bsky.network/subscribe";
  /// `wantedCollections`; posts only by default.
  std::vector<std::string> wanted_collections = {"app.bsky.feed.post"};
  /// `wantedDids`: only these accounts. Empty = everyone.
  std::vector<std::string> wanted_dids;
  /// First connection's cursor (unix µs, as `time_us`); 0 = live tail.
  int64_t cursor_us = 0;
  /// Reconnects resume from the last `time_us` minus this, so that nothing falls in the
  /// gap; the overlap's repeats are dropped (dedup on did/collection/rkey/rev). 2 s.
  Micros resume_overlap = std::chrono::seconds(2);
  /// Connection loop settings. `live.timeouts.idle` (default 20 s): pings are sent after
  /// half of it without traffic; no answer by then = a stall.
  LiveOptions live;
};

/// Bluesky Jetstream v1 over WebSocket: one JSON event per text message, decoded with
/// PayloadDecoder (posts from `app.bsky.feed.post` creates; everything else skipped).
/// Tracks the cursor; compression (`compress=true`, zstd with Jetstream's custom
/// dictionary) is not supported: binary frames become dead letters.
/// Threads: see LiveSource.
class BlueskySource final : public LiveSource {
 public:
  static arrow::Result<std::unique_ptr<BlueskySource>> Make(BlueskyOptions options);
  ~BlueskySource() override;

  std::string Describe() const override;
  /// The URL of the next connection (with its cursor). Connection thread or after Stop.
  Url NextUrl() const;

 private:
  BlueskySource(BlueskyOptions options, Url base);
  StreamResult RunSession(StreamCanceller* canceller) override;
  arrow::Status CheckFatal(const StreamResult& result) override;
  void HandleMessage(std::string_view message, bool text);

  BlueskyOptions options_;
  Url base_;
  bool first_connection_ = true;
  simdjson::dom::parser parser_;  // reused for every message: HandleMessage runs on one thread
};

}  // namespace hashlake::source
