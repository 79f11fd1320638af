#include "hashlake/geo/area_index.h"

#include <geos_c.h>
#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "hashlake/geo/built_in_data.h"

namespace hashlake::geo {
namespace {

constexpr int kRows = 180;  // 1° cells
constexpr int kCols = 360;
constexpr double kEarthRadiusKm = 6371.0;
constexpr double kKmPerDegree = 111.2;

// GEOS contexts are not thread-safe (they hold the geometry factory and the last error),
// so each thread that looks up makes its own, kept until the thread ends.
struct ThreadGeos {
  GEOSContextHandle_t handle = GEOS_init_r();
  ~ThreadGeos() { GEOS_finish_r(handle); }
};

GEOSContextHandle_t ThreadContext() {
  thread_local ThreadGeos geos;
  return geos.handle;
}

double HaversineKm(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kRad = std::numbers::pi / 180;
  const double dlat = (lat2 - lat1) * kRad, dlon = (lon2 - lon1) * kRad;
  const double a =
      std::sin(dlat / 2) * std::sin(dlat / 2) +
      std::cos(lat1 * kRad) * std::cos(lat2 * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(a)));
}

int RowOf(double lat) { return std::clamp(static_cast<int>(std::floor(lat + 90)), 0, kRows - 1); }
int ColOf(double lon) { return std::clamp(static_cast<int>(std::floor(lon + 180)), 0, kCols - 1); }

}  // namespace

struct AreaIndex::Impl {
  struct Part {
    GEOSGeometry* geometry = nullptr;
    const GEOSPreparedGeometry* prepared = nullptr;
    uint32_t area = 0;
    double min_lon = 0, min_lat = 0, max_lon = 0, max_lat = 0;
  };

  GEOSContextHandle_t load_context = GEOS_init_r();
  std::vector<Area> areas;
  std::vector<Part> parts;
  std::vector<std::vector<uint32_t>> cells = std::vector<std::vector<uint32_t>>(kRows * kCols);

  ~Impl() {
    for (Part& p : parts) {
      GEOSPreparedGeom_destroy_r(load_context, p.prepared);
      GEOSGeom_destroy_r(load_context, p.geometry);
    }
    GEOS_finish_r(load_context);
  }

  arrow::Status AddPolygon(uint32_t area, simdjson::dom::array rings);
  void BuildCells();

  // The first part accepted by `wanted` that contains the point, else the nearest such
  // part within `snap_km`; -1 when none.
  template <typename Wanted>
  int64_t Find(double lat, double lon, double snap_km, Wanted wanted) const;
};

arrow::Status AreaIndex::Impl::AddPolygon(uint32_t area, simdjson::dom::array rings) {
  GEOSContextHandle_t h = load_context;
  std::vector<GEOSGeometry*> linear_rings;
  std::vector<double> xy;
  Part part;
  part.area = area;
  part.min_lon = part.min_lat = 1e9;
  part.max_lon = part.max_lat = -1e9;
  for (simdjson::dom::element ring : rings) {
    simdjson::dom::array flat;
    if (ring.get_array().get(flat) != simdjson::SUCCESS) {
      return arrow::Status::Invalid("geo data: a ring is not an array");
    }
    xy.clear();
    for (simdjson::dom::element v : flat) {
      int64_t q;
      if (v.get_int64().get(q) != simdjson::SUCCESS) {
        return arrow::Status::Invalid("geo data: a coordinate is not an integer");
      }
      xy.push_back(static_cast<double>(q) * 1e-4);
    }
    const size_t n = xy.size() / 2;
    if (n < 4) continue;         // degenerate after quantization
    if (linear_rings.empty()) {  // the shell bounds the part
      for (size_t i = 0; i < n; ++i) {
        part.min_lon = std::min(part.min_lon, xy[2 * i]);
        part.max_lon = std::max(part.max_lon, xy[2 * i]);
        part.min_lat = std::min(part.min_lat, xy[2 * i + 1]);
        part.max_lat = std::max(part.max_lat, xy[2 * i + 1]);
      }
    }
    GEOSCoordSequence* seq = GEOSCoordSeq_copyFromBuffer_r(h, xy.data(), static_cast<unsigned>(n),
                                                           /*hasZ=*/0, /*hasM=*/0);
    GEOSGeometry* lr = seq ? GEOSGeom_createLinearRing_r(h, seq) : nullptr;
    if (!lr) {
      for (GEOSGeometry* g : linear_rings) GEOSGeom_destroy_r(h, g);
      return arrow::Status::Invalid("geo data: GEOS refused a ring");
    }
    linear_rings.push_back(lr);
  }
  if (linear_rings.empty()) return arrow::Status::OK();
  part.geometry = GEOSGeom_createPolygon_r(h, linear_rings[0], linear_rings.data() + 1,
                                           static_cast<unsigned>(linear_rings.size() - 1));
  if (!part.geometry) return arrow::Status::Invalid("geo data: GEOS refused a polygon");
  part.prepared = GEOSPrepare_r(h, part.geometry);
  if (!part.prepared) {
    GEOSGeom_destroy_r(h, part.geometry);
    return arrow::Status::Invalid("geo data: GEOS could not prepare a polygon");
  }
  // Prepared geometries build their point-location and distance indexes on first use;
  // doing it here makes later lookups read-only, hence safe from many threads.
  GEOSGeometry* probe = GEOSGeom_createPointFromXY_r(h, part.min_lon, part.min_lat);
  GEOSPreparedIntersects_r(h, part.prepared, probe);
  if (GEOSCoordSequence* nearest = GEOSPreparedNearestPoints_r(h, part.prepared, probe)) {
    GEOSCoordSeq_destroy_r(h, nearest);
  }
  GEOSGeom_destroy_r(h, probe);
  parts.push_back(part);
  return arrow::Status::OK();
}

void AreaIndex::Impl::BuildCells() {
  for (uint32_t i = 0; i < parts.size(); ++i) {
    const Part& p = parts[i];
    for (int r = RowOf(p.min_lat); r <= RowOf(p.max_lat); ++r) {
      for (int c = ColOf(p.min_lon); c <= ColOf(p.max_lon); ++c) cells[r * kCols + c].push_back(i);
    }
  }
  // US states (us-atlas 10m) are finer than the countries (50m) that overlap them at
  // the borders: test them first so that they win.
  for (auto& cell : cells) {
    std::stable_partition(cell.begin(), cell.end(),
                          [&](uint32_t i) { return !areas[parts[i].area].region.empty(); });
    cell.shrink_to_fit();
  }
}

template <typename Wanted>
int64_t AreaIndex::Impl::Find(double lat, double lon, double snap_km, Wanted wanted) const {
  if (!std::isfinite(lat) || !std::isfinite(lon) || lat < -90 || lat > 90 || lon < -180 ||
      lon > 180) {
    return -1;
  }
  GEOSContextHandle_t h = ThreadContext();
  GEOSGeometry* point = GEOSGeom_createPointFromXY_r(h, lon, lat);
  if (!point) return -1;
  int64_t found = -1;
  for (uint32_t i : cells[RowOf(lat) * kCols + ColOf(lon)]) {
    const Part& p = parts[i];
    if (lon < p.min_lon || lon > p.max_lon || lat < p.min_lat || lat > p.max_lat) continue;
    if (!wanted(p)) continue;
    if (GEOSPreparedIntersects_r(h, p.prepared, point) == 1) {  // on the boundary counts
      found = i;
      break;
    }
  }
  if (found < 0 && snap_km > 0) {
    const double dlat = snap_km / kKmPerDegree;
    const double dlon =
        snap_km / (kKmPerDegree * std::max(std::cos(lat * std::numbers::pi / 180), 0.01));
    double best_km = snap_km;
    std::vector<uint32_t> seen;
    for (int r = RowOf(lat - dlat); r <= RowOf(lat + dlat); ++r) {
      for (int c = ColOf(lon - dlon); c <= ColOf(lon + dlon); ++c) {
        for (uint32_t i : cells[r * kCols + c]) {
          const Part& p = parts[i];
          if (lon + dlon < p.min_lon || lon - dlon > p.max_lon || lat + dlat < p.min_lat ||
              lat - dlat > p.max_lat || !wanted(p)) {
            continue;
          }
          if (std::find(seen.begin(), seen.end(), i) != seen.end()) continue;
          seen.push_back(i);
          GEOSCoordSequence* nearest = GEOSPreparedNearestPoints_r(h, p.prepared, point);
          if (!nearest) continue;
          double x = 0, y = 0;
          GEOSCoordSeq_getXY_r(h, nearest, 0, &x, &y);  // 0: the point on the polygon
          GEOSCoordSeq_destroy_r(h, nearest);
          const double km = HaversineKm(lat, lon, y, x);
          if (km <= best_km) {
            best_km = km;
            found = i;
          }
        }
      }
    }
  }
  GEOSGeom_destroy_r(h, point);
  return found;
}

AreaIndex::AreaIndex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AreaIndex::~AreaIndex() = default;

arrow::Result<std::shared_ptr<const AreaIndex>> AreaIndex::LoadBuiltIn() {
  ARROW_ASSIGN_OR_RAISE(auto doc, internal::ParseBuiltInGeoData());
  return FromBuiltInDocument(*doc);
}

arrow::Result<std::shared_ptr<const AreaIndex>> AreaIndex::FromBuiltInDocument(
    const internal::BuiltInGeoDocument& built_in) {
  const simdjson::dom::element doc = built_in.root;
  simdjson::dom::array areas;
  if (doc["areas"].get_array().get(areas) != simdjson::SUCCESS) {
    return arrow::Status::Invalid("geo: the built-in data has no 'areas'");
  }
  auto impl = std::make_unique<Impl>();
  for (simdjson::dom::element a : areas) {
    std::string_view country, region;
    simdjson::dom::array polygons;
    if (a["c"].get_string().get(country) != simdjson::SUCCESS ||
        a["r"].get_string().get(region) != simdjson::SUCCESS ||
        a["p"].get_array().get(polygons) != simdjson::SUCCESS) {
      return arrow::Status::Invalid("geo: malformed area in the built-in data");
    }
    const auto area = static_cast<uint32_t>(impl->areas.size());
    impl->areas.push_back(Area{std::string(country), std::string(region)});
    for (simdjson::dom::element polygon : polygons) {
      simdjson::dom::array rings;
      if (polygon.get_array().get(rings) != simdjson::SUCCESS) {
        return arrow::Status::Invalid("geo: malformed polygon in the built-in data");
      }
      ARROW_RETURN_NOT_OK(impl->AddPolygon(area, rings));
    }
  }
  impl->BuildCells();
  return std::shared_ptr<const AreaIndex>(new AreaIndex(std::move(impl)));
}

std::optional<Area> AreaIndex::AtPoint(double lat, double lon) const {
  const int64_t i = impl_->Find(lat, lon, kSnapKm, [](const Impl::Part&) { return true; });
  if (i < 0) return std::nullopt;
  return impl_->areas[impl_->parts[i].area];
}

std::optional<Area> AreaIndex::AtPointInCountry(double lat, double lon,
                                                std::string_view country_code,
                                                double snap_km) const {
  const int64_t i = impl_->Find(lat, lon, snap_km, [&](const Impl::Part& p) {
    return impl_->areas[p.area].country_code == country_code;
  });
  if (i < 0) return std::nullopt;
  return impl_->areas[impl_->parts[i].area];
}

size_t AreaIndex::polygon_count() const { return impl_->parts.size(); }

}  // namespace hashlake::geo
