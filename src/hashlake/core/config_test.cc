#include "hashlake/core/config.h"

#include <cstdlib>

#include <gtest/gtest.h>

#include "hashlake/core/test_util.h"

namespace hashlake {
namespace {

TEST(ConfigTest, DefaultsAreTyped) {
  Config config;
  EXPECT_EQ(config.GetString("data.dir"), "./hashlake-data");
  EXPECT_EQ(config.GetDuration("stream.window"), std::chrono::minutes(1));
  EXPECT_EQ(config.GetInt("serve.port"), 8080);
  EXPECT_EQ(config.GetString("serve.host"), "127.0.0.1");
  EXPECT_FALSE(config.IsSet("serve.port"));
}

TEST(ConfigTest, TomlThenSetOverrides) {
  Config config;
  ASSERT_OK(config.MergeToml(R"(
[stream]
window = "5m"
counts_top_k = 20
[source]
files = ["a.ndjson", "b.ndjson.gz"]
speed = 10
)",
                             "hashlake.toml"));
  EXPECT_EQ(config.GetDuration("stream.window"), std::chrono::minutes(5));
  EXPECT_EQ(config.GetInt("stream.counts_top_k"), 20);
  EXPECT_EQ(config.GetStringList("source.files"),
            (std::vector<std::string>{"a.ndjson", "b.ndjson.gz"}));
  EXPECT_DOUBLE_EQ(config.GetDouble("source.speed"), 10.0);
  ASSERT_OK(config.SetAssignment("stream.window=2s"));
  EXPECT_EQ(config.GetDuration("stream.window"), std::chrono::seconds(2));
  EXPECT_TRUE(config.IsSet("stream.window"));
}

TEST(ConfigTest, ErrorsNameTheKeyAndWhatIsAllowed) {
  Config config;
  ASSERT_ERROR_CONTAINS(config.Set("stream.windw", "1m"), "unknown config key 'stream.windw'");
  ASSERT_ERROR_CONTAINS(config.Set("stream.windw", "1m"), "stream.window");
  ASSERT_ERROR_CONTAINS(config.Set("stream.window", "soon"), "stream.window: invalid value");
  ASSERT_ERROR_CONTAINS(config.Set("serve.port", "70000"), "0..65535");
  ASSERT_ERROR_CONTAINS(config.Set("source.kind", "fax"), "synth, replay");
  ASSERT_ERROR_CONTAINS(config.SetAssignment("novalue"), "key=value");
  ASSERT_ERROR_CONTAINS(config.MergeToml("[stream]\nwindw = 1", "f.toml"), "f.toml");
  ASSERT_ERROR_CONTAINS(config.MergeToml("[stream\n", "f.toml"), "f.toml:1");
}

TEST(ConfigTest, SecretsComeOnlyFromTheEnvironmentAndAreMasked) {
  Config config;
  ASSERT_ERROR_CONTAINS(config.Set("x.bearer_token", "abc"), "X_BEARER_TOKEN");
  EXPECT_NE(config.Show().find("set X_BEARER_TOKEN"), std::string::npos);
  setenv("X_BEARER_TOKEN", "super-secret-value", 1);
  config.LoadSecretsFromEnvironment();
  unsetenv("X_BEARER_TOKEN");
  EXPECT_EQ(config.GetString("x.bearer_token"), "super-secret-value");
  const std::string shown = config.Show();
  EXPECT_EQ(shown.find("super-secret-value"), std::string::npos);
  EXPECT_NE(shown.find("bearer_token = \"****\""), std::string::npos);
}

TEST(ConfigTest, ShowIsValidTomlThatLoadsBack) {
  Config config;
  ASSERT_OK(config.SetAssignment("stream.counts_top_k=7"));
  ASSERT_OK(config.SetAssignment(R"(data.dir=C:\lake "quoted")"));
  Config again;
  // Secrets are shown masked; strip them before loading back.
  std::string shown = config.Show();
  std::string kept;
  size_t start = 0;
  while (start < shown.size()) {
    size_t end = shown.find('\n', start);
    std::string line = shown.substr(start, end - start);
    if (line.find("token") == std::string::npos) kept += line + "\n";
    start = end + 1;
  }
  ASSERT_OK(again.MergeToml(kept, "shown"));
  EXPECT_EQ(again.GetInt("stream.counts_top_k"), 7);
  EXPECT_EQ(again.GetString("data.dir"), R"(C:\lake "quoted")");
}

}  // namespace
}  // namespace hashlake
