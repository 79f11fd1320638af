#include "hashlake/source/url.h"

#include <gtest/gtest.h>

namespace hashlake::source {
namespace {

TEST(UrlTest, ParsesSchemesPortsAndTargets) {
  auto u = ParseUrl("wss://jetstream2.us-east.bsky.network/subscribe");
  ASSERT_TRUE(u.ok());
  EXPECT_TRUE(u->tls());
  EXPECT_EQ(u->port, 443);
  EXPECT_EQ(u->target, "/subscribe");
  EXPECT_EQ(u->HostHeader(), "jetstream2.us-east.bsky.network");

  u = ParseUrl("HTTP://127.0.0.1:8080?x=1");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->scheme, "http");
  EXPECT_EQ(u->port, 8080);
  EXPECT_EQ(u->target, "/?x=1");
  EXPECT_EQ(u->Path(), "/");
  EXPECT_EQ(u->ToString(), "http://127.0.0.1:8080/?x=1");

  u = ParseUrl("ws://[::1]:9000/a");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->HostHeader(), "[::1]:9000");
}

TEST(UrlTest, RefusesBadUrls) {
  EXPECT_FALSE(ParseUrl("api.x.com/2").ok());
  EXPECT_FALSE(ParseUrl("ftp://host/").ok());
  EXPECT_FALSE(ParseUrl("http://:80/").ok());
  EXPECT_FALSE(ParseUrl("http://host:99999/").ok());
  EXPECT_FALSE(ParseUrl("http://host:8x/").ok());
  EXPECT_FALSE(ParseUrl("http://user:pw@host/").ok());
  EXPECT_FALSE(ParseUrl("http://host/#frag").ok());
}

TEST(UrlTest, AddsEncodedQueryParameters) {
  auto u = ParseUrl("https://api.x.com/2/tweets/search/stream");
  ASSERT_TRUE(u.ok());
  AddQueryParam(&*u, "tweet.fields", "created_at,lang");
  AddQueryParam(&*u, "q", "a b/é");
  EXPECT_EQ(u->target, "/2/tweets/search/stream?tweet.fields=created_at%2Clang&q=a%20b%2F%C3%A9");
}

}  // namespace
}  // namespace hashlake::source
