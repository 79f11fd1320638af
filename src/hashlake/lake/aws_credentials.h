#pragma once

#include <arrow/result.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace hashlake::lake {

class HttpClient;

/// An AWS access key pair, with a session token for temporary credentials. Holds secrets:
/// never log it (Describe() prints the key id and the source only).
struct AwsCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  ///< empty for long-term keys
  /// When temporary credentials stop working (instance metadata); nullopt: never.
  std::optional<std::chrono::system_clock::time_point> expiration;
  /// Where they came from: "environment", "profile <name> (<file>)", "instance metadata".
  std::string source;

  /// "AKIA... from environment" — safe to log.
  std::string Describe() const;
};

/// Where the credential chain looks. Defaults read the real process environment and
/// $HOME; tests substitute `getenv` and `home`.
struct AwsCredentialChainOptions {
  /// Environment lookup (nullopt: unset). Default: std::getenv.
  std::function<std::optional<std::string>(const std::string&)> getenv;
  /// Home directory for ~/.aws/{credentials,config}; default $HOME.
  std::optional<std::string> home;
  /// Instance metadata (IMDSv2) base URL. Default http://169.254.169.254, or
  /// AWS_EC2_METADATA_SERVICE_ENDPOINT. Disabled by AWS_EC2_METADATA_DISABLED=true.
  std::optional<std::string> imds_endpoint;
  /// Per-request limit for instance metadata: off EC2 the chain fails after about this long.
  std::chrono::milliseconds imds_timeout{1000};
  /// Refresh temporary credentials this long before they expire.
  std::chrono::seconds refresh_margin{300};
  /// HTTP client for instance metadata; default a new one.
  std::shared_ptr<HttpClient> http;
};

/// A source of credentials. Thread-safe; Get() may block on instance metadata when the
/// cached temporary credentials are about to expire.
class AwsCredentialProvider {
 public:
  virtual ~AwsCredentialProvider() = default;
  virtual arrow::Result<AwsCredentials> Get() = 0;
};

/// Fixed credentials (tests, or keys from a config file).
std::shared_ptr<AwsCredentialProvider> MakeStaticCredentialProvider(AwsCredentials credentials);

/// The standard chain, first match wins:
///  1. environment: AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN);
///  2. profile AWS_PROFILE (default "default") in AWS_SHARED_CREDENTIALS_FILE
///     (default ~/.aws/credentials), then in AWS_CONFIG_FILE (default ~/.aws/config,
///     section `[profile NAME]` or `[default]`);
///  3. EC2 instance metadata v2 (PUT /latest/api/token, then GET the role's credentials),
///     refreshed before they expire.
/// Resolves once now: with nothing found the result is an Invalid status whose one line
/// names the variables to set.
arrow::Result<std::shared_ptr<AwsCredentialProvider>> MakeDefaultCredentialChain(
    AwsCredentialChainOptions options = {});

/// The region: AWS_REGION, else AWS_DEFAULT_REGION, else `region` of the profile in the
/// config file; nullopt when none is set.
std::optional<std::string> ResolveAwsRegion(const AwsCredentialChainOptions& options = {});

}  // namespace hashlake::lake
