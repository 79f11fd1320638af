#include "hashlake/geo/gazetteer.h"

#include <gtest/gtest.h>

#include "hashlake/geo/geo_test_util.h"

namespace hashlake::geo {
namespace {

std::string Match(std::string_view location) {
  auto area = testing::BuiltInResolver().gazetteer().Match(location);
  if (!area) return "none";
  return area->region.empty() ? area->country_code : area->region;
}

TEST(GazetteerTest, CityWithCountryOrState) {
  EXPECT_EQ(Match("Paris, France"), "FR");
  EXPECT_EQ(Match("Paris, TX"), "US-TX");
  EXPECT_EQ(Match("Paris, Texas"), "US-TX");
  EXPECT_EQ(Match("Austin, TX"), "US-TX");
  EXPECT_EQ(Match("London, England"), "GB");
  EXPECT_EQ(Match("London, Ontario"), "CA");
  EXPECT_EQ(Match("Mumbai, India"), "IN");
  EXPECT_EQ(Match("Atlanta, Georgia"), "US-GA");  // the state, not the country
  EXPECT_EQ(Match("Toronto, CA"), "CA");          // CA as Canada: there is no Toronto, California
  EXPECT_EQ(Match("San Diego, CA"), "US-CA");
  EXPECT_EQ(Match("Springfield, IL"), "US-IL");
  EXPECT_EQ(Match("Milano, Lombardia"), "IT");
}

TEST(GazetteerTest, BareCitiesTakeTheMostProminent) {
  EXPECT_EQ(Match("London"), "GB");
  EXPECT_EQ(Match("Paris"), "FR");
  EXPECT_EQ(Match("Mumbai"), "IN");
  EXPECT_EQ(Match("Denver"), "US-CO");
  EXPECT_EQ(Match("berlin"), "DE");
  EXPECT_EQ(Match("NYC"), "US-NY");
  EXPECT_EQ(Match("Roma"), "IT");
}

TEST(GazetteerTest, CountriesStatesAndRegions) {
  EXPECT_EQ(Match("United Kingdom"), "GB");
  EXPECT_EQ(Match("UK"), "GB");
  EXPECT_EQ(Match("Italia"), "IT");
  EXPECT_EQ(Match("Deutschland"), "DE");
  EXPECT_EQ(Match("USA"), "US");
  EXPECT_EQ(Match("California"), "US-CA");
  EXPECT_EQ(Match("Texas, USA"), "US-TX");
  EXPECT_EQ(Match("Georgia, USA"), "US-GA");
  EXPECT_EQ(Match("UttarPradesh"), "IN");  // a GeoNames region name, spaces ignored
}

TEST(GazetteerTest, FlagsAndOtherScripts) {
  EXPECT_EQ(Match("🇧🇷 São Paulo"), "BR");
  EXPECT_EQ(Match("Sao Paulo"), "BR");
  EXPECT_EQ(Match("🇯🇵"), "JP");
  EXPECT_EQ(Match("東京"), "JP");
  EXPECT_EQ(Match("Москва"), "RU");
  EXPECT_EQ(Match("Россия"), "RU");
  EXPECT_EQ(Match("日本"), "JP");
  EXPECT_EQ(Match("Köln"), "DE");
}

TEST(GazetteerTest, WordsInsideLongerText) {
  EXPECT_EQ(Match("living in Berlin"), "DE");
  EXPECT_EQ(Match("Greater London area"), "GB");
}

TEST(GazetteerTest, NotPlaces) {
  EXPECT_EQ(Match("somewhere over the rainbow"), "none");
  EXPECT_EQ(Match("Earth"), "none");  // a village in Texas, but nobody means it
  EXPECT_EQ(Match("she/her"), "none");
  EXPECT_EQ(Match("everywhere"), "none");
  EXPECT_EQ(Match(""), "none");
  EXPECT_EQ(Match("   ,,, // "), "none");
  EXPECT_EQ(Match("\xff\xfe\xfd"), "none");
}

TEST(GazetteerTest, MatchInCountryPrefersThatCountry) {
  const Gazetteer& g = testing::BuiltInResolver().gazetteer();
  auto area = g.MatchInCountry("Paris", "US");
  ASSERT_TRUE(area.has_value());
  EXPECT_EQ(area->country_code, "US");  // one of the US Parises, not France
  EXPECT_FALSE(area->region.empty());
  EXPECT_FALSE(g.MatchInCountry("nowhere at all", "US").has_value());
}

}  // namespace
}  // namespace hashlake::geo
