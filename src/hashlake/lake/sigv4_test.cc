// SigV4 against published vectors: the AWS aws-sig-v4-test-suite (service "service",
// 2015-08-30T12:36:00Z) and the S3 API reference "Examples: Signature Calculations"
// (examplebucket, 2013-05-24T00:00:00Z).
#include "hashlake/lake/sigv4.h"

#include <gtest/gtest.h>

namespace hashlake::lake {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::sys_days;

const auto kSuiteTime = sys_days{std::chrono::year{2015} / 8 / 30} + hours(12) + minutes(36);
const auto kS3Time = sys_days{std::chrono::year{2013} / 5 / 24};

AwsCredentials SuiteCredentials() {
  return {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", std::nullopt, "test"};
}
AwsCredentials S3Credentials() {
  return {"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "", std::nullopt,
          "test"};
}
const SigV4Scope kSuiteScope{"us-east-1", "service", /*add_content_sha256_header=*/false};
const SigV4Scope kS3Scope{"us-east-1", "s3", true};

SigV4Request SuiteGet(std::vector<std::pair<std::string, std::string>> query = {}) {
  SigV4Request r;
  r.method = "GET";
  r.canonical_uri = "/";
  r.query = std::move(query);
  r.headers = {{"Host", "example.amazonaws.com"}};
  return r;
}

TEST(SigV4Test, Primitives) {
  EXPECT_EQ(Sha256Hex(""), kEmptySha256);
  EXPECT_EQ(Sha256Hex("Welcome to Amazon S3."),
            "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  EXPECT_EQ(UriEncode("a b/c~d$", true), "a%20b%2Fc~d%24");
  EXPECT_EQ(UriEncode("date=2024-05-01/part 1.parquet", false),
            "date%3D2024-05-01/part%201.parquet");
  EXPECT_EQ(UriEncode("\xc3\xbc", true), "%C3%BC");
  EXPECT_EQ(AmzDate(kSuiteTime), "20150830T123600Z");
}

TEST(SigV4Test, SuiteGetVanilla) {
  auto s = SignV4(SuiteGet(), SuiteCredentials(), kSuiteScope, kSuiteTime);
  EXPECT_EQ(s.canonical_request,
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
            "host;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(s.string_to_sign,
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
  EXPECT_EQ(s.authorization,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=host;x-amz-date, "
            "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST(SigV4Test, SuiteGetVanillaQueryOrderKeyCase) {
  auto s = SignV4(SuiteGet({{"Param2", "value2"}, {"Param1", "value1"}}), SuiteCredentials(),
                  kSuiteScope, kSuiteTime);
  EXPECT_EQ(s.canonical_request.substr(0, s.canonical_request.find("\nhost")),
            "GET\n/\nParam1=value1&Param2=value2");
  EXPECT_EQ(s.string_to_sign.substr(s.string_to_sign.rfind('\n') + 1),
            "816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0");
  EXPECT_EQ(s.signature, "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
}

TEST(SigV4Test, SuiteGetVanillaQueryOrderValue) {
  auto s = SignV4(SuiteGet({{"Param1", "value2"}, {"Param1", "value1"}}), SuiteCredentials(),
                  kSuiteScope, kSuiteTime);
  EXPECT_EQ(s.signature, "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694");
}

TEST(SigV4Test, SuiteGetUnreserved) {
  SigV4Request r = SuiteGet();
  r.canonical_uri =
      "/" + UriEncode("-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", false);
  auto s = SignV4(r, SuiteCredentials(), kSuiteScope, kSuiteTime);
  EXPECT_EQ(s.signature, "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f");
}

TEST(SigV4Test, SuitePostXWwwFormUrlencoded) {
  SigV4Request r;
  r.method = "POST";
  r.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
               {"Host", "example.amazonaws.com"}};
  r.payload_hash = Sha256Hex("Param1=value1");
  EXPECT_EQ(r.payload_hash, "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
  auto s = SignV4(r, SuiteCredentials(), kSuiteScope, kSuiteTime);
  EXPECT_EQ(s.canonical_request,
            "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\n"
            "host:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
            "content-type;host;x-amz-date\n"
            "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
  EXPECT_EQ(s.string_to_sign.substr(s.string_to_sign.rfind('\n') + 1),
            "42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281");
  EXPECT_EQ(s.authorization,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date, "
            "Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
}

TEST(SigV4Test, SuiteHeaderValuesAreTrimmedAndCollapsed) {
  SigV4Request r = SuiteGet();
  r.headers.emplace_back("My-Header1", "  value1  ");
  r.headers.emplace_back("My-Header2", "  \"a   b   c\"  ");
  auto s = SignV4(r, SuiteCredentials(), kSuiteScope, kSuiteTime);
  EXPECT_NE(s.canonical_request.find("my-header1:value1\nmy-header2:\"a b c\"\n"),
            std::string::npos)
      << s.canonical_request;
}

TEST(SigV4Test, S3GetObjectWithRange) {
  SigV4Request r;
  r.method = "GET";
  r.canonical_uri = "/test.txt";
  r.headers = {{"Host", "examplebucket.s3.amazonaws.com"}, {"Range", "bytes=0-9"}};
  auto s = SignV4(r, S3Credentials(), kS3Scope, kS3Time);
  EXPECT_EQ(s.authorization,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SigV4Test, S3PutObject) {
  SigV4Request r;
  r.method = "PUT";
  r.canonical_uri = "/" + UriEncode("test$file.text", false);
  r.headers = {{"Host", "examplebucket.s3.amazonaws.com"},
               {"Date", "Fri, 24 May 2013 00:00:00 GMT"},
               {"x-amz-storage-class", "REDUCED_REDUNDANCY"}};
  r.payload_hash = Sha256Hex("Welcome to Amazon S3.");
  auto s = SignV4(r, S3Credentials(), kS3Scope, kS3Time);
  EXPECT_EQ(r.canonical_uri, "/test%24file.text");
  EXPECT_EQ(s.string_to_sign.substr(s.string_to_sign.rfind('\n') + 1),
            "9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d");
  EXPECT_EQ(s.signature, "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
  EXPECT_NE(s.authorization.find(
                "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class"),
            std::string::npos);
}

TEST(SigV4Test, S3GetBucketLifecycle) {
  SigV4Request r;
  r.method = "GET";
  r.query = {{"lifecycle", ""}};
  r.headers = {{"Host", "examplebucket.s3.amazonaws.com"}};
  auto s = SignV4(r, S3Credentials(), kS3Scope, kS3Time);
  EXPECT_EQ(s.signature, "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
}

TEST(SigV4Test, S3ListObjects) {
  SigV4Request r;
  r.method = "GET";
  r.query = {{"prefix", "J"}, {"max-keys", "2"}};
  r.headers = {{"Host", "examplebucket.s3.amazonaws.com"}};
  auto s = SignV4(r, S3Credentials(), kS3Scope, kS3Time);
  EXPECT_EQ(s.string_to_sign.substr(s.string_to_sign.rfind('\n') + 1),
            "df57d21db20da04d7fa30298dd4488ba3a2b47ca3a489c74750e0f1e7df1b9b7");
  EXPECT_EQ(s.signature, "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

TEST(SigV4Test, SessionTokenIsSentAndSigned) {
  AwsCredentials c = S3Credentials();
  c.session_token = "FQoGZXIvYXdzEXAMPLE";
  SigV4Request r;
  r.method = "HEAD";
  r.canonical_uri = "/key.pdf";
  r.headers = {{"Host", "examplebucket.s3.amazonaws.com"}};
  auto with = SignV4(r, c, kS3Scope, kS3Time);
  auto without = SignV4(r, S3Credentials(), kS3Scope, kS3Time);
  bool sent = false;
  for (const auto& [n, v] : with.headers_to_add) {
    if (n == "x-amz-security-token") sent = v == "FQoGZXIvYXdzEXAMPLE";
  }
  EXPECT_TRUE(sent);
  EXPECT_NE(with.authorization.find(
                "SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,"),
            std::string::npos);
  EXPECT_NE(with.signature, without.signature);
  EXPECT_EQ(with.authorization.find(c.secret_access_key), std::string::npos);
}

TEST(SigV4Test, UnsignedPayloadIsDeclared) {
  SigV4Request r;
  r.method = "PUT";
  r.canonical_uri = "/big.parquet";
  r.headers = {{"Host", "examplebucket.s3.amazonaws.com"}};
  r.payload_hash = std::string(kUnsignedPayload);
  auto s = SignV4(r, S3Credentials(), kS3Scope, kS3Time);
  EXPECT_TRUE(s.canonical_request.ends_with("\nUNSIGNED-PAYLOAD"));
  EXPECT_NE(s.canonical_request.find("x-amz-content-sha256:UNSIGNED-PAYLOAD\n"), std::string::npos);
}

}  // namespace
}  // namespace hashlake::lake
