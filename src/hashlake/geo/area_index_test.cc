#include "hashlake/geo/area_index.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <thread>
#include <vector>

#include "hashlake/geo/geo_test_util.h"

namespace hashlake::geo {
namespace {

const AreaIndex& Index() { return testing::BuiltInResolver().index(); }

std::string At(double lat, double lon) {
  auto area = Index().AtPoint(lat, lon);
  if (!area) return "none";
  return area->region.empty() ? area->country_code : area->region;
}

TEST(AreaIndexTest, LoadsEveryCountryAndState) {
  EXPECT_GT(Index().polygon_count(), 1000u);
  EXPECT_EQ(At(48.8566, 2.3522), "FR");     // Paris
  EXPECT_EQ(At(-23.5505, -46.6333), "BR");  // São Paulo
  EXPECT_EQ(At(35.6762, 139.6503), "JP");   // Tokyo
  EXPECT_EQ(At(-33.8688, 151.2093), "AU");  // Sydney
  EXPECT_EQ(At(18.4655, -66.1057), "PR");   // San Juan: a territory, its own ISO country
  EXPECT_EQ(At(42.6629, 21.1655), "XK");    // Pristina: Kosovo has no ISO numeric id
}

TEST(AreaIndexTest, BothSidesOfABorder) {
  EXPECT_EQ(At(48.5734, 7.7521), "FR");        // Strasbourg
  EXPECT_EQ(At(48.5700, 7.8160), "DE");        // Kehl, across the Rhine
  EXPECT_EQ(At(31.7619, -106.4850), "US-TX");  // El Paso
  EXPECT_EQ(At(31.6904, -106.4245), "MX");     // Ciudad Juárez
  EXPECT_EQ(At(42.3314, -83.0458), "US-MI");   // Detroit
  EXPECT_EQ(At(42.3000, -83.0100), "CA");      // Windsor, Ontario
  EXPECT_EQ(At(45.0, -93.2650), "US-MN");      // Minneapolis
  EXPECT_EQ(At(44.9778, -93.2650), "US-MN");
}

TEST(AreaIndexTest, UsStates) {
  EXPECT_EQ(At(39.7392, -104.9903), "US-CO");  // Denver
  EXPECT_EQ(At(21.3069, -157.8583), "US-HI");  // Honolulu
  EXPECT_EQ(At(61.2181, -149.9003), "US-AK");  // Anchorage
  EXPECT_EQ(At(38.9072, -77.0369), "US-DC");   // Washington
  EXPECT_EQ(At(40.7128, -74.0060), "US-NY");   // New York
  EXPECT_EQ(At(34.0522, -118.2437), "US-CA");  // Los Angeles
}

TEST(AreaIndexTest, OceanIsNone) {
  EXPECT_EQ(At(30.0, -40.0), "none");  // mid-Atlantic
  EXPECT_EQ(At(0.0, -150.0), "none");  // Pacific
  EXPECT_EQ(At(-40.0, 80.0), "none");  // Indian Ocean
  EXPECT_EQ(At(0.0, 0.0), "none");     // "Null Island", a classic bad default
}

TEST(AreaIndexTest, CoastalPointsSnapWithinFiveKm) {
  // Off Marseille, about 2 km out to sea from the 50m coastline: in no polygon
  // (AtPointInCountry without snapping says so) but snapped to France.
  EXPECT_FALSE(Index().AtPointInCountry(43.2784, 5.3406, "FR", 0).has_value());
  EXPECT_EQ(At(43.2784, 5.3406), "FR");
  // Far enough out, nothing.
  EXPECT_EQ(At(43.0, 5.3), "none");  // ~30 km south of Marseille
}

TEST(AreaIndexTest, BadCoordinatesAreNone) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(At(nan, 2.0), "none");
  EXPECT_EQ(At(48.0, nan), "none");
  EXPECT_EQ(At(91.0, 0.0), "none");
  EXPECT_EQ(At(-91.0, 0.0), "none");
  EXPECT_EQ(At(10.0, 181.0), "none");
  EXPECT_EQ(At(10.0, -181.0), "none");
  EXPECT_EQ(At(inf, 0.0), "none");
  EXPECT_EQ(At(0.0, -inf), "none");
  // The extremes themselves are valid and must not crash.
  At(90.0, 180.0);
  At(-90.0, -180.0);
}

TEST(AreaIndexTest, AtPointInCountryOnlyConsidersThatCountry) {
  // A point in Lake Michigan, 20 km off Chicago: the nearest US state within 50 km.
  auto area = Index().AtPointInCountry(41.88, -87.40, "US", 50.0);
  ASSERT_TRUE(area.has_value());
  EXPECT_EQ(area->country_code, "US");
  EXPECT_TRUE(area->region == "US-IL" || area->region == "US-IN") << area->region;
  // Kehl asked as "FR": the French side of the Rhine is under 50 km away.
  area = Index().AtPointInCountry(48.5700, 7.8160, "FR", 50.0);
  ASSERT_TRUE(area.has_value());
  EXPECT_EQ(area->country_code, "FR");
  EXPECT_FALSE(Index().AtPointInCountry(48.5700, 7.8160, "JP", 50.0).has_value());
  EXPECT_FALSE(Index().AtPointInCountry(std::nan(""), 7.8, "FR", 50.0).has_value());
}

TEST(AreaIndexTest, ConcurrentLookupsAgreeWithSerialOnes) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> lat(-60, 75), lon(-180, 180);
  std::vector<std::pair<double, double>> points(4000);
  for (auto& p : points) p = {lat(rng), lon(rng)};
  std::vector<std::optional<Area>> serial;
  for (auto [a, b] : points) serial.push_back(Index().AtPoint(a, b));
  std::vector<std::thread> threads;
  std::vector<int> mismatches(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = 0; i < points.size(); ++i) {
        const size_t j = (i * 7 + t * 131) % points.size();
        mismatches[t] += Index().AtPoint(points[j].first, points[j].second) != serial[j];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
  int land = 0;
  for (const auto& s : serial) land += s.has_value();
  // About 29% of the Earth is land; between 60°S and 75°N rather more.
  EXPECT_GT(land, 1000);
  EXPECT_LT(land, 2000);
}

}  // namespace
}  // namespace hashlake::geo
