#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <arrow/result.h>

#include "hashlake/core/time.h"

namespace hashlake {

/// Where a post came from. Written to the lake as the lower-case name.
enum class SourceKind { kX, kBluesky, kMastodon, kReplay, kSynth };

/// How a post's area was resolved (DESIGN.md: coordinates > place > profile > none).
enum class GeoSource { kNone, kCoordinates, kPlace, kProfile };

std::string_view ToString(SourceKind kind);
std::string_view ToString(GeoSource geo);
arrow::Result<SourceKind> ParseSourceKind(std::string_view name);
arrow::Result<GeoSource> ParseGeoSource(std::string_view name);

/// The one normalized record every source produces and every stage consumes.
/// On the bus it travels as one JSON object (`ToJson`) with `schema_version`.
struct Post {
  static constexpr int kSchemaVersion = 1;

  std::string id;  ///< Unique within `source`; the bus key is the author or this.
  SourceKind source = SourceKind::kSynth;
  Timestamp created_at{};   ///< Event time, UTC.
  Timestamp ingested_at{};  ///< When hashlake first saw it.
  std::string author_id;
  std::string author_handle;
  /// The author's free-text profile location ("Paris, France"), as the source gave it;
  /// empty when none. geo/ resolves it to an area when the post has no coordinates or place.
  std::string author_location;
  std::string lang;  ///< BCP-47 as given by the source; empty when unknown.
  std::string text;
  std::vector<std::string> hashtags;  ///< Without '#', NFKC + case-folded.
  std::vector<std::string> mentions;
  std::vector<std::string> urls;
  std::string reply_to;   ///< Empty when not a reply.
  std::string repost_of;  ///< Empty when not a repost.
  std::string country_code;  ///< ISO 3166-1 alpha-2, upper case; empty when unknown.
  std::string region;
  std::string place_name;
  std::optional<double> lat;
  std::optional<double> lon;
  GeoSource geo_source = GeoSource::kNone;
  int64_t like_count = 0;
  int64_t repost_count = 0;

  bool operator==(const Post&) const = default;
};

/// Serializes to the bus format: one compact JSON object, keys as in DESIGN.md.
std::string ToJson(const Post& post);

/// Parses the bus format. Unknown keys are ignored (forward compatibility);
/// a missing `id` or `created_at`, or a wrong type, is an Invalid status.
arrow::Result<Post> PostFromJson(std::string_view json);

}  // namespace hashlake
