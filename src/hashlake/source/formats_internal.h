#pragma once

// One decoder per wire format, called by PayloadDecoder once it has recognized the
// payload. Each appends Posts or Rejected records to `ctx`.

#include <string>
#include <string_view>
#include <vector>

#include "hashlake/core/bus_message.h"
#include "hashlake/source/json_internal.h"

namespace hashlake::source::internal {

struct DecodeContext {
  Timestamp now{};
  std::vector<Record>* out = nullptr;
  uint64_t posts = 0;
  uint64_t rejected = 0;
  uint64_t skipped = 0;

  void Emit(Post post) {
    post.ingested_at = now;
    out->emplace_back(std::in_place_type<Post>, std::move(post));
    ++posts;
  }
  void Reject(std::string reason, std::string payload) {
    // emplace with in_place_type: push_back(Rejected{...}) trips GCC 12's
    // -Wmaybe-uninitialized on the variant's storage.
    Rejected& r = std::get<Rejected>(out->emplace_back(std::in_place_type<Rejected>));
    r.source = SourceKind::kReplay;
    r.reason = std::move(reason);
    r.payload = std::move(payload);
    r.at = now;
    ++rejected;
  }
  void Skip() { ++skipped; }
};

/// Keeps the first occurrence of each value, in order.
void Dedup(std::vector<std::string>* values);

bool IsXV1Status(Element e);
void DecodeXV1Status(Element e, DecodeContext* ctx);
bool IsActivityStreams(Element e);
void DecodeActivityStreams(Element e, DecodeContext* ctx);
bool IsXV2(Element e);
void DecodeXV2(Element e, DecodeContext* ctx);
bool IsJetstream(Element e);
void DecodeJetstream(Element e, DecodeContext* ctx);
bool IsMastodonStatus(Element e);
void DecodeMastodonStatus(Element e, DecodeContext* ctx);

}  // namespace hashlake::source::internal
