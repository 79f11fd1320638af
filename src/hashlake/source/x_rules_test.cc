#include "hashlake/source/x_rules.h"

#include <gtest/gtest.h>

#include "hashlake/source/test_server_internal.h"

namespace hashlake::source {
namespace {

using testing::Response;
using testing::ScriptedHttpServer;
using testing::ScriptedReply;

std::string Body(const std::string& request) {
  return request.substr(request.find("\r\n\r\n") + 4);
}

TEST(XRulesTest, ListsRules) {
  ScriptedHttpServer server([](int, const std::string&) {
    return ScriptedReply{
        Response(200, R"({"data":[{"id":"1165037377523306498","value":"dog has:images",)"
                      R"("tag":"dog pictures"},{"id":"2","value":"#bluesky"}],)"
                      R"("meta":{"sent":"2019-08-29T01:12:10.729Z","result_count":2}})")};
  });
  auto rules = XRules::Make(server.base_url(), "tok");
  ASSERT_TRUE(rules.ok());
  auto list = rules->List();
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, "1165037377523306498");
  EXPECT_EQ((*list)[0].value, "dog has:images");
  EXPECT_EQ((*list)[0].tag, "dog pictures");
  EXPECT_EQ((*list)[1].tag, "");
  const std::string request = server.requests().at(0);
  EXPECT_EQ(request.rfind("GET /2/tweets/search/stream/rules HTTP/1.1\r\n", 0), 0u);
  EXPECT_NE(request.find("Authorization: Bearer tok\r\n"), std::string::npos);
}

TEST(XRulesTest, AddWithDryRunReportsInvalidAndDuplicateRules) {
  ScriptedHttpServer server([](int, const std::string&) {
    return ScriptedReply{Response(
        400,
        R"({"meta":{"sent":"2024-01-01T00:00:00.000Z","summary":{"created":1,"not_created":2,)"
        R"("valid":2,"invalid":1}},"data":[{"id":"7","value":"#hashlake","tag":"h"}],)"
        R"("errors":[{"value":"(cat","details":["Rules must contain a non-negation term"],)"
        R"("title":"UnprocessableEntity","type":"https://api.twitter.com/2/problems/invalid-rules"},)"
        R"({"value":"dog","id":"12","title":"DuplicateRule",)"
        R"("type":"https://api.twitter.com/2/problems/duplicate-rules"}]})")};
  });
  auto rules = XRules::Make(server.base_url(), "tok");
  ASSERT_TRUE(rules.ok());
  auto change = rules->Add({{"", "#hashlake", "h"}, {"", "(cat", ""}, {"", "dog", ""}}, true);
  ASSERT_TRUE(change.ok()) << change.status().ToString();
  EXPECT_FALSE(change->ok());
  EXPECT_EQ(change->created, 1);
  EXPECT_EQ(change->not_created, 2);
  EXPECT_EQ(change->invalid, 1);
  ASSERT_EQ(change->rules.size(), 1u);
  EXPECT_EQ(change->rules[0].id, "7");
  EXPECT_EQ(change->errors,
            (std::vector<std::string>{
                "rule '(cat': UnprocessableEntity: Rules must contain a non-negation term",
                "rule 'dog': DuplicateRule (existing id 12)"}));
  const std::string request = server.requests().at(0);
  EXPECT_EQ(request.rfind("POST /2/tweets/search/stream/rules?dry_run=true HTTP/1.1", 0), 0u);
  EXPECT_EQ(Body(request),
            R"({"add":[{"value":"#hashlake","tag":"h"},{"value":"(cat"},{"value":"dog"}]})");
}

TEST(XRulesTest, DeletesByIdAndValue) {
  ScriptedHttpServer server([](int, const std::string&) {
    return ScriptedReply{
        Response(200, R"({"meta":{"sent":"x","summary":{"deleted":1,"not_deleted":0}}})")};
  });
  auto rules = XRules::Make(server.base_url(), "tok");
  ASSERT_TRUE(rules.ok());
  auto by_id = rules->DeleteIds({"7"}, false);
  ASSERT_TRUE(by_id.ok());
  EXPECT_EQ(by_id->deleted, 1);
  EXPECT_TRUE(by_id->ok());
  auto by_value = rules->DeleteValues({"#a b"}, false);
  ASSERT_TRUE(by_value.ok());
  const auto requests = server.requests();
  EXPECT_EQ(Body(requests.at(0)), R"({"delete":{"ids":["7"]}})");
  EXPECT_EQ(Body(requests.at(1)), R"({"delete":{"values":["#a b"]}})");
  EXPECT_TRUE(rules->DeleteIds({}, false).status().IsInvalid());
}

TEST(XRulesTest, BadTokenAndServerErrors) {
  ScriptedHttpServer server([](int i, const std::string&) {
    if (i == 0) {
      return ScriptedReply{Response(403, R"({"title":"Forbidden","detail":"Client Forbidden"})")};
    }
    return ScriptedReply{Response(500, "<html>oops</html>", "text/html")};
  });
  auto rules = XRules::Make(server.base_url(), "tok");
  ASSERT_TRUE(rules.ok());
  auto list = rules->List();
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.status().message(),
            "x rules: HTTP 403 from 127.0.0.1:" + std::to_string(server.port()) +
                ": the token in X_BEARER_TOKEN was refused (Forbidden: Client Forbidden)");
  auto add = rules->Add({{"", "a", ""}}, false);
  ASSERT_FALSE(add.ok());
  EXPECT_TRUE(add.status().IsIOError());
  EXPECT_NE(add.status().message().find("HTTP 500"), std::string::npos);
}

}  // namespace
}  // namespace hashlake::source
