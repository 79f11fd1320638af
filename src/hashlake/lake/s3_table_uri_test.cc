// s3:// table URIs: joining table names onto a lake URI, URI options, and resolution.
#include <gtest/gtest.h>

#include <cstdlib>

#include "hashlake/lake/log_store.h"
#include "hashlake/lake/s3_client.h"
#include "hashlake/lake/table_uri.h"

namespace hashlake::lake {
namespace {

TEST(S3TableUriTest, JoinKeepsTheQueryLast) {
  EXPECT_EQ(JoinTableUri("s3://b/lake?endpoint=http://127.0.0.1:9000&region=us-east-1", "posts"),
            "s3://b/lake/posts?endpoint=http://127.0.0.1:9000&region=us-east-1");
  EXPECT_EQ(JoinTableUri("s3://b/lake/", "posts"), "s3://b/lake/posts");
  EXPECT_EQ(JoinTableUri("s3://b", "posts"), "s3://b/posts");
  EXPECT_EQ(JoinTableUri("/data/lake/", "posts"), "/data/lake/posts");
  EXPECT_EQ(JoinTableUri("file:///data/lake", "hashtag_counts"),
            "file:///data/lake/hashtag_counts");
  auto parsed = ParseTableUri(JoinTableUri("s3://b/lake?region=eu-west-1", "posts"));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->root, "b/lake/posts");
  EXPECT_EQ(parsed->options.at("region"), "eu-west-1");
}

TEST(S3TableUriTest, UriOptions) {
  auto o = S3Options::FromUriOptions("b", {{"endpoint", "http://127.0.0.1:9000/"},
                                           {"region", "eu-west-1"},
                                           {"path_style", "false"},
                                           {"multipart_threshold", "8388608"},
                                           {"part_size", "5242880"},
                                           {"max_attempts", "3"}});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->endpoint, "http://127.0.0.1:9000");
  EXPECT_EQ(o->region, "eu-west-1");
  EXPECT_EQ(o->path_style, false);
  EXPECT_EQ(o->multipart_threshold, 8LL << 20);
  EXPECT_EQ(o->part_size, 5LL << 20);
  EXPECT_EQ(o->max_attempts, 3);
  EXPECT_TRUE(S3Options::FromUriOptions("b", {{"bogus", "1"}}).status().IsInvalid());
  EXPECT_TRUE(S3Options::FromUriOptions("b", {{"endpoint", "ftp://x"}}).status().IsInvalid());
  EXPECT_TRUE(S3Options::FromUriOptions("b", {{"part_size", "-5"}}).status().IsInvalid());
  EXPECT_TRUE(S3Options::FromUriOptions("b", {{"path_style", "maybe"}}).status().IsInvalid());
}

TEST(S3TableUriTest, ResolvesToAnS3StoreWithEnvironmentCredentials) {
  ::setenv("AWS_ACCESS_KEY_ID", "AKIDTEST", 1);
  ::setenv("AWS_SECRET_ACCESS_KEY", "secret", 1);
  auto resolved = ResolveTableUri("s3://bucket/lake/posts?endpoint=http://127.0.0.1:1&region=x");
  ::unsetenv("AWS_ACCESS_KEY_ID");
  ::unsetenv("AWS_SECRET_ACCESS_KEY");
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_EQ(resolved->root, "s3://bucket/lake/posts");
  ASSERT_NE(resolved->store, nullptr);
  // Paths outside the bucket are refused before any request.
  EXPECT_TRUE(resolved->store->ReadFile("s3://other/x").status().IsInvalid());
  // Bad options fail whatever the environment holds.
  EXPECT_TRUE(ResolveTableUri("s3://bucket/x?bogus=1").status().IsInvalid());
  // Too-small parts are refused (S3's minimum is 5 MiB).
  ::setenv("AWS_ACCESS_KEY_ID", "AKIDTEST", 1);
  ::setenv("AWS_SECRET_ACCESS_KEY", "secret", 1);
  auto small = ResolveTableUri("s3://bucket/x?part_size=1024");
  ::unsetenv("AWS_ACCESS_KEY_ID");
  ::unsetenv("AWS_SECRET_ACCESS_KEY");
  EXPECT_TRUE(small.status().IsInvalid()) << small.status();
}

}  // namespace
}  // namespace hashlake::lake
