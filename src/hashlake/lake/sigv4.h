#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hashlake/lake/aws_credentials.h"

namespace hashlake::lake {

/// x-amz-content-sha256 value that leaves the body out of the signature (allowed by S3 over
/// TLS; the body is then protected by TLS, not by the signature).
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
/// SHA-256 of the empty body, hex.
inline constexpr std::string_view kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Lowercase hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);
/// Raw (32-byte) HMAC-SHA256 of `data` under `key`.
std::string HmacSha256(std::string_view key, std::string_view data);
/// RFC 3986 percent-encoding as SigV4 wants it: unreserved characters (A-Z a-z 0-9 - . _ ~)
/// stay, everything else becomes %XY (uppercase hex); '/' stays when !encode_slash.
std::string UriEncode(std::string_view s, bool encode_slash);
/// "YYYYMMDDTHHMMSSZ" (UTC) of `t`.
std::string AmzDate(std::chrono::system_clock::time_point t);

/// One request to sign. Header names may have any case; `host` must be among them.
struct SigV4Request {
  std::string method;
  /// The path as sent on the wire, already URI-encoded (S3: each key segment encoded once).
  std::string canonical_uri = "/";
  /// Query parameters, not encoded (the signer encodes them). A valueless parameter such as
  /// `?uploads` is {"uploads", ""}.
  std::vector<std::pair<std::string, std::string>> query;
  std::vector<std::pair<std::string, std::string>> headers;
  /// Hex SHA-256 of the body, or kUnsignedPayload.
  std::string payload_hash = std::string(kEmptySha256);
};

/// How to sign: the scope, and whether to add the S3 `x-amz-content-sha256` header.
struct SigV4Scope {
  std::string region;
  std::string service;  ///< "s3", "kinesis", ...
  /// S3 requires x-amz-content-sha256 on every request; the generic test suite has none.
  bool add_content_sha256_header = true;
};

/// The signed result: the headers to send in addition to the request's own (x-amz-date,
/// x-amz-content-sha256 when asked, x-amz-security-token with temporary credentials, and
/// authorization), plus the intermediate strings for tests and diagnostics.
struct SigV4Signature {
  std::vector<std::pair<std::string, std::string>> headers_to_add;
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;      ///< hex
  std::string authorization;  ///< the Authorization header value
};

/// Signs `request` with AWS Signature Version 4 (header form, AWS4-HMAC-SHA256) at `now`.
/// Pure function; never logs anything (the secret appears only inside the HMAC).
SigV4Signature SignV4(const SigV4Request& request, const AwsCredentials& credentials,
                      const SigV4Scope& scope, std::chrono::system_clock::time_point now);

}  // namespace hashlake::lake
