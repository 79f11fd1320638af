#pragma once

#include <arrow/result.h>

#include <memory>

#include "hashlake/core/post.h"
#include "hashlake/geo/area_index.h"
#include "hashlake/geo/gazetteer.h"

namespace hashlake::geo {

/// Sets a post's country_code, region and geo_source, in DESIGN.md's order:
///
/// 1. coordinates — `lat`/`lon` when geo_source is not `place` (exact coordinates):
///    AreaIndex::AtPoint → geo_source `coordinates`;
/// 2. place — the source's `country_code` (X places), with the bounding-box centre that
///    the decoders put in `lat`/`lon` for place-only posts (geo_source `place`) giving
///    the US state (point in that country's states, snapping up to kPlaceSnapKm), else
///    `place_name` through the gazetteer ("Austin, TX"); a place without a country is
///    located by its centre, else by its name → geo_source `place`;
/// 3. profile — `author_location` through the Gazetteer → geo_source `profile`;
/// 4. otherwise geo_source `none` and no area.
///
/// What the source gave is kept when it is at least as specific: a non-empty
/// `country_code` is never replaced (it is the platform's own geocoding, at a finer
/// scale than the 1:50m boundaries), and a non-empty `region` neither; we only add what
/// is missing, and a region only when the point lies in the source's country. lat, lon,
/// place_name and author_location are never changed. Resolving twice gives the same
/// result (a `profile` area is recomputed from the profile).
///
/// Thread-safe; one resolver can serve every thread.
class AreaResolver {
 public:
  /// How far a place's bounding-box centre may lie outside its country's US states
  /// (a bay, a lake, a coarse border) and still give the nearest state.
  static constexpr double kPlaceSnapKm = 50.0;

  AreaResolver(std::shared_ptr<const AreaIndex> index, std::shared_ptr<const Gazetteer> gazetteer);

  /// Loads the built-in AreaIndex and Gazetteer (about 150 ms and 60 MiB; do it once).
  static arrow::Result<AreaResolver> LoadBuiltIn();

  void Resolve(Post* post) const;

  const AreaIndex& index() const { return *index_; }
  const Gazetteer& gazetteer() const { return *gazetteer_; }

 private:
  bool ResolvePlace(Post* post) const;

  std::shared_ptr<const AreaIndex> index_;
  std::shared_ptr<const Gazetteer> gazetteer_;
};

}  // namespace hashlake::geo
