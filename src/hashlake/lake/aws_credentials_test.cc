#include "hashlake/lake/aws_credentials.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>

#include "hashlake/lake/s3_test_server.h"

namespace hashlake::lake {
namespace {

namespace fs = std::filesystem;
using testing::TestHttpServer;
using testing::TestRequest;
using testing::TestResponse;

class CredentialChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = fs::temp_directory_path() /
            ("hashlake_aws_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(home_);
    fs::create_directories(home_ / ".aws");
    env_["AWS_EC2_METADATA_DISABLED"] = "true";
  }
  void TearDown() override { fs::remove_all(home_); }

  AwsCredentialChainOptions Options() {
    AwsCredentialChainOptions o;
    o.getenv = [this](const std::string& name) -> std::optional<std::string> {
      auto it = env_.find(name);
      if (it == env_.end()) return std::nullopt;
      return it->second;
    };
    o.home = home_.string();
    o.imds_timeout = std::chrono::milliseconds(500);
    return o;
  }
  void Write(const std::string& rel, const std::string& text) {
    std::ofstream(home_ / rel) << text;
  }

  fs::path home_;
  std::map<std::string, std::string> env_;
};

TEST_F(CredentialChainTest, EnvironmentFirst) {
  env_["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  env_["AWS_SECRET_ACCESS_KEY"] = "secret-env";
  env_["AWS_SESSION_TOKEN"] = "token-env";
  Write(".aws/credentials", "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = x\n");
  auto chain = MakeDefaultCredentialChain(Options());
  ASSERT_TRUE(chain.ok()) << chain.status();
  auto c = (*chain)->Get();
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->access_key_id, "AKIDENV");
  EXPECT_EQ(c->secret_access_key, "secret-env");
  EXPECT_EQ(c->session_token, "token-env");
  EXPECT_EQ(c->source, "environment");
  EXPECT_EQ(c->Describe().find("secret-env"), std::string::npos);
}

TEST_F(CredentialChainTest, ProfileFromCredentialsFile) {
  Write(".aws/credentials",
        "# comment\n[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s1\n\n"
        "[work]\naws_access_key_id=AKIDWORK\naws_secret_access_key=s2\naws_session_token = t2\n");
  {
    auto c = (*MakeDefaultCredentialChain(Options()))->Get();
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->access_key_id, "AKIDDEFAULT");
    EXPECT_EQ(c->session_token, "");
  }
  env_["AWS_PROFILE"] = "work";
  auto c = (*MakeDefaultCredentialChain(Options()))->Get();
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->access_key_id, "AKIDWORK");
  EXPECT_EQ(c->secret_access_key, "s2");
  EXPECT_EQ(c->session_token, "t2");
  EXPECT_NE(c->source.find("profile work"), std::string::npos);
}

TEST_F(CredentialChainTest, ProfileFromConfigFileAndRegion) {
  Write(".aws/config",
        "[default]\nregion = eu-west-1\n[profile ci]\nregion = ap-south-1\n"
        "aws_access_key_id = AKIDCFG\naws_secret_access_key = s3\n");
  env_["AWS_PROFILE"] = "ci";
  auto chain = MakeDefaultCredentialChain(Options());
  ASSERT_TRUE(chain.ok()) << chain.status();
  EXPECT_EQ((*chain)->Get()->access_key_id, "AKIDCFG");
  EXPECT_EQ(ResolveAwsRegion(Options()), "ap-south-1");
  env_.erase("AWS_PROFILE");
  EXPECT_EQ(ResolveAwsRegion(Options()), "eu-west-1");
  env_["AWS_DEFAULT_REGION"] = "us-west-2";
  EXPECT_EQ(ResolveAwsRegion(Options()), "us-west-2");
  env_["AWS_REGION"] = "us-east-2";
  EXPECT_EQ(ResolveAwsRegion(Options()), "us-east-2");
}

TEST_F(CredentialChainTest, FileLocationsFromEnvironment) {
  Write("creds.ini", "[default]\naws_access_key_id = AKIDMOVED\naws_secret_access_key = s\n");
  env_["AWS_SHARED_CREDENTIALS_FILE"] = (home_ / "creds.ini").string();
  EXPECT_EQ((*MakeDefaultCredentialChain(Options()))->Get()->access_key_id, "AKIDMOVED");
}

TEST_F(CredentialChainTest, MissingCredentialsIsOneLineNamingTheVariables) {
  auto chain = MakeDefaultCredentialChain(Options());
  ASSERT_FALSE(chain.ok());
  EXPECT_TRUE(chain.status().IsInvalid());
  const std::string& m = chain.status().message();
  EXPECT_NE(m.find("AWS_ACCESS_KEY_ID"), std::string::npos) << m;
  EXPECT_NE(m.find("AWS_SECRET_ACCESS_KEY"), std::string::npos) << m;
  EXPECT_NE(m.find("AWS_PROFILE"), std::string::npos) << m;
  EXPECT_EQ(m.find('\n'), std::string::npos) << m;
}

TEST_F(CredentialChainTest, IncompleteEnvironmentFallsThrough) {
  env_["AWS_ACCESS_KEY_ID"] = "AKIDONLY";  // no secret: not usable
  EXPECT_FALSE(MakeDefaultCredentialChain(Options()).ok());
}

// IMDSv2 as EC2 serves it: token by PUT (with a TTL header), then every GET needs the token.
struct FakeImds {
  std::string expiration = "2099-01-01T00:00:00Z";
  std::string key_id = "ASIAIMDS";
  int token_puts = 0;
  int credential_gets = 0;

  TestResponse operator()(const TestRequest& r) {
    if (r.Path() == "/latest/api/token") {
      if (r.method != "PUT" || !r.headers.count("x-aws-ec2-metadata-token-ttl-seconds")) {
        return {400, {}, "token needs PUT with a TTL"};
      }
      ++token_puts;
      return {200, {}, "TOKEN-123"};
    }
    auto t = r.headers.find("x-aws-ec2-metadata-token");
    if (t == r.headers.end() || t->second != "TOKEN-123") return {401, {}, ""};
    if (r.Path() == "/latest/meta-data/iam/security-credentials/") {
      return {200, {}, "hashlake-role\n"};
    }
    if (r.Path() == "/latest/meta-data/iam/security-credentials/hashlake-role") {
      ++credential_gets;
      return {200,
              {},
              R"({"Code":"Success","Type":"AWS-HMAC","AccessKeyId":")" + key_id +
                  R"(","SecretAccessKey":"imds-secret","Token":"imds-token","Expiration":")" +
                  expiration + R"("})"};
    }
    return {404, {}, ""};
  }
};

TEST_F(CredentialChainTest, InstanceMetadataV2) {
  FakeImds imds;
  TestHttpServer server([&](const TestRequest& r) { return imds(r); });
  env_.erase("AWS_EC2_METADATA_DISABLED");
  env_["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = server.url();
  auto chain = MakeDefaultCredentialChain(Options());
  ASSERT_TRUE(chain.ok()) << chain.status();
  auto c = (*chain)->Get();
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->access_key_id, "ASIAIMDS");
  EXPECT_EQ(c->secret_access_key, "imds-secret");
  EXPECT_EQ(c->session_token, "imds-token");
  ASSERT_TRUE(c->expiration.has_value());
  EXPECT_EQ(c->source, "instance metadata (role hashlake-role)");
  EXPECT_EQ(imds.token_puts, 1);
  // Far from expiry: served from the cache.
  ASSERT_TRUE((*chain)->Get().ok());
  EXPECT_EQ(imds.credential_gets, 1);
}

TEST_F(CredentialChainTest, InstanceMetadataRefreshesBeforeExpiry) {
  FakeImds imds;
  imds.expiration = "2000-01-01T00:00:00Z";  // already inside the refresh margin
  TestHttpServer server([&](const TestRequest& r) { return imds(r); });
  env_.erase("AWS_EC2_METADATA_DISABLED");
  auto options = Options();
  options.imds_endpoint = server.url();
  auto chain = MakeDefaultCredentialChain(options);
  ASSERT_TRUE(chain.ok()) << chain.status();
  imds.key_id = "ASIAFRESH";
  imds.expiration = "2099-01-01T00:00:00Z";
  auto c = (*chain)->Get();
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->access_key_id, "ASIAFRESH");
  EXPECT_EQ(imds.credential_gets, 2);
}

TEST_F(CredentialChainTest, UnreachableInstanceMetadataFailsFast) {
  std::string dead_url;
  {
    TestHttpServer dead([](const TestRequest&) { return TestResponse{}; });
    dead_url = dead.url();
  }
  env_.erase("AWS_EC2_METADATA_DISABLED");
  auto options = Options();
  options.imds_endpoint = dead_url;  // nothing listens there any more
  auto start = std::chrono::steady_clock::now();
  auto chain = MakeDefaultCredentialChain(options);
  EXPECT_FALSE(chain.ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  EXPECT_NE(chain.status().message().find("instance metadata"), std::string::npos);
}

}  // namespace
}  // namespace hashlake::lake
