#include "hashlake/source/source_factory.h"

#include <gtest/gtest.h>

#include "hashlake/source/test_util_internal.h"

namespace hashlake::source {
namespace {

TEST(SourceFactoryTest, BuildsByName) {
  SourceOptions options;
  options.name = "synth";
  options.synth.rate = 0;
  auto synth = MakeSource(options);
  ASSERT_TRUE(synth.ok()) << synth.status().ToString();
  EXPECT_EQ((*synth)->Describe(), "synth(seed=42, max rate)");

  options.name = "replay";
  options.replay.files = {testing::WriteTempFile("factory.ndjson", "\n")};
  auto replay = MakeSource(options);
  ASSERT_TRUE(replay.ok()) << replay.status().ToString();
  EXPECT_EQ((*replay)->Describe(), "replay(1 file, speed=max)");
}

TEST(SourceFactoryTest, UnknownNameListsAllowedNames) {
  SourceOptions options;
  options.name = "myspace";
  auto source = MakeSource(options);
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.status().message(),
            "unknown source 'myspace': allowed names are synth, replay, x, bluesky, mastodon");
}

TEST(SourceFactoryTest, BadOptionsAreErrors) {
  SourceOptions options;
  options.name = "replay";  // no files
  EXPECT_TRUE(MakeSource(options).status().IsInvalid());
  options.name = "synth";
  options.synth.rate = -1;
  EXPECT_TRUE(MakeSource(options).status().IsInvalid());
}

}  // namespace
}  // namespace hashlake::source
