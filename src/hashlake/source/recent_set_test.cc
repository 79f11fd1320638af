#include "hashlake/source/recent_set.h"

#include <gtest/gtest.h>

namespace hashlake::source {
namespace {

TEST(RecentSetTest, DropsRepeatsAndForgetsTheOldest) {
  RecentSet set(3);
  EXPECT_TRUE(set.Insert("a"));
  EXPECT_TRUE(set.Insert("b"));
  EXPECT_FALSE(set.Insert("a"));
  EXPECT_TRUE(set.Insert("c"));
  EXPECT_TRUE(set.Insert("d"));  // evicts "a"
  EXPECT_EQ(set.size(), 3u);
  EXPECT_FALSE(set.Contains("a"));
  EXPECT_TRUE(set.Contains("b"));
  EXPECT_TRUE(set.Insert("a"));
  EXPECT_FALSE(set.Insert("d"));
}

}  // namespace
}  // namespace hashlake::source
