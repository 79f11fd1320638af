#pragma once

#include <arrow/result.h>

#include <memory>
#include <optional>
#include <string_view>

#include "hashlake/geo/area.h"

namespace hashlake::geo {

namespace internal {
struct BuiltInGeoDocument;
}  // namespace internal

/// Point → area over the built-in boundaries: Natural Earth 1:50m countries, with the
/// United States replaced by the Census states (us-atlas 10m), so US points also get
/// their state. Polygons are GEOS prepared geometries found through a 1° grid: a lookup
/// tests only the polygons whose bounding box covers the point's cell.
///
/// Thread-safe: every lazily built GEOS index is built during Load, lookups only read
/// it, and each calling thread uses a GEOS context of its own.
class AreaIndex {
 public:
  /// Sea points at most this far from land (great-circle distance to the nearest
  /// boundary point) snap to that country: the 50m coastlines are simplified by up to
  /// a few km, which otherwise loses harbours, beaches and piers.
  static constexpr double kSnapKm = 5.0;

  /// Loads the boundaries compiled into the library (no files are read). About 50 ms;
  /// call once and share the index.
  static arrow::Result<std::shared_ptr<const AreaIndex>> LoadBuiltIn();
  /// The same from a document already parsed (AreaResolver shares it with the Gazetteer).
  static arrow::Result<std::shared_ptr<const AreaIndex>> FromBuiltInDocument(
      const internal::BuiltInGeoDocument& doc);

  ~AreaIndex();
  AreaIndex(const AreaIndex&) = delete;
  AreaIndex& operator=(const AreaIndex&) = delete;

  /// The area containing (lat, lon) in degrees (WGS84), or, for a point in the sea,
  /// the nearest land within kSnapKm. nullopt for open sea, Antarctica's ice shelves
  /// beyond the coast, and NaN, infinite or out-of-range (|lat| > 90, |lon| > 180)
  /// coordinates. Where boundaries overlap (finer US states against the coarser
  /// countries around them), the US state wins.
  std::optional<Area> AtPoint(double lat, double lon) const;

  /// Like AtPoint but only among the areas of `country_code`, snapping up to
  /// `snap_km`: for a place whose country is known and whose bounding-box centre may
  /// fall in a bay or just across a border. nullopt when that country has no area here.
  std::optional<Area> AtPointInCountry(double lat, double lon, std::string_view country_code,
                                       double snap_km) const;

  /// Number of polygons (all parts of all areas).
  size_t polygon_count() const;

 private:
  struct Impl;
  explicit AreaIndex(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace hashlake::geo
