#include "hashlake/geo/area_resolver.h"

#include <gtest/gtest.h>

#include "hashlake/geo/geo_test_util.h"

namespace hashlake::geo {
namespace {

Post Resolved(Post p) {
  testing::BuiltInResolver().Resolve(&p);
  return p;
}

TEST(AreaResolverTest, CoordinatesComeFirst) {
  Post p;
  p.lat = 39.7392;
  p.lon = -104.9903;
  p.geo_source = GeoSource::kCoordinates;
  p.author_location = "Paris, France";
  const Post r = Resolved(p);
  EXPECT_EQ(r.country_code, "US");
  EXPECT_EQ(r.region, "US-CO");
  EXPECT_EQ(r.geo_source, GeoSource::kCoordinates);
  EXPECT_EQ(r.lat, p.lat);  // never moved
}

TEST(AreaResolverTest, SourceCountryIsKeptAndOnlyCompleted) {
  Post p;  // coordinates on the Detroit side, but X's place says Canada: keep Canada
  p.lat = 42.3314;
  p.lon = -83.0458;
  p.geo_source = GeoSource::kCoordinates;
  p.country_code = "CA";
  Post r = Resolved(p);
  EXPECT_EQ(r.country_code, "CA");
  EXPECT_EQ(r.region, "");
  EXPECT_EQ(r.geo_source, GeoSource::kCoordinates);
  p.country_code = "US";  // same country: the state is added
  r = Resolved(p);
  EXPECT_EQ(r.region, "US-MI");
  p.region = "US-OH";  // a region from the source is never replaced
  EXPECT_EQ(Resolved(p).region, "US-OH");
}

TEST(AreaResolverTest, CoordinatesAtSeaFallBackToThePlace) {
  Post p;
  p.lat = 30.0;
  p.lon = -40.0;
  p.geo_source = GeoSource::kCoordinates;
  p.country_code = "PT";
  const Post r = Resolved(p);
  EXPECT_EQ(r.country_code, "PT");
  EXPECT_EQ(r.geo_source, GeoSource::kPlace);
}

TEST(AreaResolverTest, PlaceWithBoundingBoxCentreGetsTheState) {
  Post p;  // X place "Chicago, IL": bbox centre out in Lake Michigan
  p.country_code = "US";
  p.place_name = "Chicago, IL";
  p.lat = 41.88;
  p.lon = -87.55;
  p.geo_source = GeoSource::kPlace;
  Post r = Resolved(p);
  EXPECT_EQ(r.country_code, "US");
  EXPECT_EQ(r.region, "US-IL");
  EXPECT_EQ(r.geo_source, GeoSource::kPlace);
}

TEST(AreaResolverTest, PlaceWithoutBoundingBox) {
  Post p;
  p.country_code = "US";
  p.place_name = "Austin, TX";
  p.geo_source = GeoSource::kPlace;
  Post r = Resolved(p);
  EXPECT_EQ(r.region, "US-TX");
  EXPECT_EQ(r.geo_source, GeoSource::kPlace);
  p.country_code = "FR";  // outside the US: the country only
  p.place_name = "Paris, France";
  r = Resolved(p);
  EXPECT_EQ(r.country_code, "FR");
  EXPECT_EQ(r.region, "");
  // A place with only a name.
  p.country_code.clear();
  p.place_name = "Denver, CO";
  r = Resolved(p);
  EXPECT_EQ(r.country_code, "US");
  EXPECT_EQ(r.region, "US-CO");
  EXPECT_EQ(r.geo_source, GeoSource::kPlace);
}

TEST(AreaResolverTest, PlaceComesBeforeProfile) {
  Post p;
  p.country_code = "DE";
  p.place_name = "Berlin, Germany";
  p.lat = 52.5;
  p.lon = 13.4;
  p.geo_source = GeoSource::kPlace;
  p.author_location = "Tokyo";
  const Post r = Resolved(p);
  EXPECT_EQ(r.country_code, "DE");
  EXPECT_EQ(r.geo_source, GeoSource::kPlace);
}

TEST(AreaResolverTest, ProfileLocationLast) {
  Post p;
  p.author_location = "Austin, TX";
  Post r = Resolved(p);
  EXPECT_EQ(r.country_code, "US");
  EXPECT_EQ(r.region, "US-TX");
  EXPECT_EQ(r.geo_source, GeoSource::kProfile);
  EXPECT_EQ(Resolved(r), r);                         // idempotent
  r.author_location = "somewhere over the rainbow";  // a changed profile is re-read
  r = Resolved(r);
  EXPECT_EQ(r.country_code, "");
  EXPECT_EQ(r.region, "");
  EXPECT_EQ(r.geo_source, GeoSource::kNone);
}

TEST(AreaResolverTest, NothingToGoOn) {
  Post p;
  const Post r = Resolved(p);
  EXPECT_EQ(r.country_code, "");
  EXPECT_EQ(r.geo_source, GeoSource::kNone);
  Post bad;  // bad coordinates fall through to the profile
  bad.lat = std::numeric_limits<double>::quiet_NaN();
  bad.lon = 2.0;
  bad.geo_source = GeoSource::kCoordinates;
  bad.author_location = "Москва";
  const Post rb = Resolved(bad);
  EXPECT_EQ(rb.country_code, "RU");
  EXPECT_EQ(rb.geo_source, GeoSource::kProfile);
}

}  // namespace
}  // namespace hashlake::geo
