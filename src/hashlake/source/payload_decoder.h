#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hashlake/core/bus_message.h"
#include "hashlake/core/time.h"

namespace hashlake::source {

/// Counts kept by a PayloadDecoder. `posts` + `rejected` are the records appended;
/// `skipped` are well-formed events that are not posts (a Bluesky like, a Mastodon
/// `delete`, an X keep-alive error message); `blank` are empty lines and SSE comments.
struct DecodeCounts {
  uint64_t posts = 0;
  uint64_t rejected = 0;
  uint64_t skipped = 0;
  uint64_t blank = 0;
};

/// Turns one wire payload (one NDJSON line, one SSE line, one WebSocket message or
/// one whole JSON document) into records. The format is detected per payload:
/// X API v1.1 (status, timeline array, search response, Gnip Activity Streams),
/// X API v2 (stream message or page, with `includes` joined), Bluesky Jetstream,
/// Mastodon (status, timeline array, SSE `event:`/`data:` lines, WebSocket message),
/// and hashlake's own bus JSON (`schema_version`). See source/README.md.
///
/// Not thread-safe: it owns a reusable parser and the current SSE event name.
class PayloadDecoder {
 public:
  /// `clock` (not owned, must outlive the decoder) stamps `ingested_at` and
  /// `Rejected::at`.
  explicit PayloadDecoder(const Clock* clock);
  ~PayloadDecoder();
  PayloadDecoder(const PayloadDecoder&) = delete;
  PayloadDecoder& operator=(const PayloadDecoder&) = delete;

  /// Decodes `payload` and appends its records to `out`. Never fails: bad input
  /// becomes `Rejected` records. `truncated` marks a last line that had no newline,
  /// so that its rejection says so.
  void Decode(std::string_view payload, std::vector<Record>* out, bool truncated = false);

  /// Rejects `payload` with `reason` (used by readers for oversized records).
  void Reject(std::string reason, std::string payload, std::vector<Record>* out);

  const DecodeCounts& counts() const { return counts_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  DecodeCounts counts_;
};

}  // namespace hashlake::source
