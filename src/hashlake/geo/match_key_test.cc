#include "hashlake/geo/match_key.h"

#include <gtest/gtest.h>

namespace hashlake::geo {
namespace {

TEST(MatchKeyTest, IgnoresCaseAccentsSpacesAndPunctuation) {
  EXPECT_EQ(MatchKey("São Paulo"), "saopaulo");
  EXPECT_EQ(MatchKey("SAO-PAULO"), "saopaulo");
  EXPECT_EQ(MatchKey("U.S.A."), "usa");
  EXPECT_EQ(MatchKey("Zürich"), MatchKey("zurich"));
  EXPECT_EQ(MatchKey("STRASSE"), MatchKey("straße"));  // full case folding
  EXPECT_EQ(MatchKey("🇧🇷 Rio"), "rio");
  EXPECT_EQ(MatchKey("Москва"), "москва");
  EXPECT_EQ(MatchKey("東京"), "東京");
  EXPECT_EQ(MatchKey("Ｔｏｋｙｏ"), "tokyo");  // fullwidth (NFKD)
  EXPECT_EQ(MatchKey(""), "");
  EXPECT_EQ(MatchKey("\xff\xfe"), "");  // ill-formed UTF-8 is dropped, not a crash
}

}  // namespace
}  // namespace hashlake::geo
