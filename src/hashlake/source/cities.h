#pragma once

#include <span>
#include <string_view>

namespace hashlake::source {

/// A world city for synthetic geo-tagged posts: center, a radius that keeps points
/// inside the urban area, and its ISO 3166-1 alpha-2 country code.
struct City {
  std::string_view name;
  std::string_view country_code;
  double lat;
  double lon;
  double radius_deg;
};

/// The built-in list (about 50 cities on every continent). Static, thread-safe.
std::span<const City> WorldCities();

}  // namespace hashlake::source
