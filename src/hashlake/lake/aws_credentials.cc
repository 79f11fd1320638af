#include "hashlake/lake/aws_credentials.h"

#include <arrow/status.h>
#include <simdjson.h>

#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <map>
#include <mutex>
#include <sstream>

#include "hashlake/lake/s3_http_client.h"

namespace hashlake::lake {
namespace {

using Clock = std::chrono::system_clock;
using Ini = std::map<std::string, std::map<std::string, std::string>>;

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// The AWS shared config format: [section] headers, `key = value` lines, '#'/';' comments.
// Nested (indented) sub-sections such as `s3 =` blocks are skipped by the callers' lookups.
std::optional<Ini> ReadIni(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  Ini out;
  std::string section, line;
  while (std::getline(in, line)) {
    std::string t = Trim(line);
    if (t.empty() || t[0] == '#' || t[0] == ';') continue;
    if (t.front() == '[' && t.back() == ']') {
      section = Trim(std::string_view(t).substr(1, t.size() - 2));
      out[section];
      continue;
    }
    auto eq = t.find('=');
    if (eq == std::string::npos || section.empty()) continue;
    out[section][Trim(std::string_view(t).substr(0, eq))] =
        Trim(std::string_view(t).substr(eq + 1));
  }
  return out;
}

std::optional<std::chrono::system_clock::time_point> ParseIso8601(std::string_view s) {
  std::tm tm{};
  std::istringstream in{std::string(s)};
  in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%S");
  if (in.fail()) return std::nullopt;
  return Clock::from_time_t(timegm(&tm));
}

struct Env {
  const AwsCredentialChainOptions& options;
  std::optional<std::string> Get(const std::string& name) const {
    auto v = options.getenv(name);
    if (v && v->empty()) return std::nullopt;
    return v;
  }
  std::string Home() const {
    if (options.home) return *options.home;
    return Get("HOME").value_or("");
  }
  std::string Profile() const { return Get("AWS_PROFILE").value_or("default"); }
  std::string CredentialsFile() const {
    return Get("AWS_SHARED_CREDENTIALS_FILE").value_or(Home() + "/.aws/credentials");
  }
  std::string ConfigFile() const {
    return Get("AWS_CONFIG_FILE").value_or(Home() + "/.aws/config");
  }
};

// The profile's section of the config file: `[default]` or `[profile NAME]`.
const std::map<std::string, std::string>* ConfigSection(const Ini& ini,
                                                        const std::string& profile) {
  auto it = ini.find(profile == "default" ? "default" : "profile " + profile);
  if (it == ini.end() && profile == "default") it = ini.find("profile default");
  return it == ini.end() ? nullptr : &it->second;
}

std::optional<AwsCredentials> FromSection(const std::map<std::string, std::string>& section,
                                          std::string source) {
  auto id = section.find("aws_access_key_id");
  auto secret = section.find("aws_secret_access_key");
  if (id == section.end() || secret == section.end() || id->second.empty()) return std::nullopt;
  AwsCredentials c;
  c.access_key_id = id->second;
  c.secret_access_key = secret->second;
  if (auto t = section.find("aws_session_token"); t != section.end()) c.session_token = t->second;
  c.source = std::move(source);
  return c;
}

std::optional<AwsCredentials> FromEnvironment(const Env& env) {
  auto id = env.Get("AWS_ACCESS_KEY_ID");
  auto secret = env.Get("AWS_SECRET_ACCESS_KEY");
  if (!id || !secret) return std::nullopt;
  AwsCredentials c;
  c.access_key_id = *id;
  c.secret_access_key = *secret;
  c.session_token = env.Get("AWS_SESSION_TOKEN").value_or("");
  c.source = "environment";
  return c;
}

std::optional<AwsCredentials> FromProfile(const Env& env) {
  const std::string profile = env.Profile();
  const std::string credentials_file = env.CredentialsFile();
  if (auto ini = ReadIni(credentials_file)) {
    if (auto it = ini->find(profile); it != ini->end()) {
      if (auto c = FromSection(it->second, "profile " + profile + " (" + credentials_file + ")")) {
        return c;
      }
    }
  }
  const std::string config_file = env.ConfigFile();
  if (auto ini = ReadIni(config_file)) {
    if (const auto* section = ConfigSection(*ini, profile)) {
      return FromSection(*section, "profile " + profile + " (" + config_file + ")");
    }
  }
  return std::nullopt;
}

// IMDSv2: a session token first (PUT), then the role name, then its credentials.
arrow::Result<AwsCredentials> FromInstanceMetadata(HttpClient& http, const std::string& base,
                                                   std::chrono::milliseconds timeout) {
  auto request =
      [&](std::string method, std::string path,
          std::vector<std::pair<std::string, std::string>> headers) -> arrow::Result<std::string> {
    HttpRequest r;
    r.method = std::move(method);
    r.url = base + path;
    r.headers = std::move(headers);
    r.connect_timeout = timeout;
    r.timeout = timeout;
    ARROW_ASSIGN_OR_RAISE(auto response, http.Send(r));
    if (response.status != 200) {
      return arrow::Status::IOError("instance metadata ", path, ": HTTP ", response.status);
    }
    return response.body;
  };
  ARROW_ASSIGN_OR_RAISE(auto token, request("PUT", "/latest/api/token",
                                            {{"X-aws-ec2-metadata-token-ttl-seconds", "21600"}}));
  const std::vector<std::pair<std::string, std::string>> auth = {
      {"X-aws-ec2-metadata-token", Trim(token)}};
  const std::string roles_path = "/latest/meta-data/iam/security-credentials/";
  ARROW_ASSIGN_OR_RAISE(auto roles, request("GET", roles_path, auth));
  std::string role = Trim(roles.substr(0, roles.find('\n')));
  if (role.empty()) return arrow::Status::IOError("instance metadata: no IAM role attached");
  ARROW_ASSIGN_OR_RAISE(auto body, request("GET", roles_path + role, auth));

  simdjson::dom::parser parser;
  simdjson::dom::object o;
  if (parser.parse(body).get_object().get(o) != simdjson::SUCCESS) {
    return arrow::Status::IOError("instance metadata: role credentials are not a JSON object");
  }
  auto field = [&](const char* name) -> std::string {
    std::string_view v;
    if (o[name].get_string().get(v) != simdjson::SUCCESS) return "";
    return std::string(v);
  };
  if (std::string code = field("Code"); !code.empty() && code != "Success") {
    return arrow::Status::IOError("instance metadata: role credentials code ", code);
  }
  AwsCredentials c;
  c.access_key_id = field("AccessKeyId");
  c.secret_access_key = field("SecretAccessKey");
  c.session_token = field("Token");
  if (c.access_key_id.empty() || c.secret_access_key.empty()) {
    return arrow::Status::IOError("instance metadata: role credentials lack a key");
  }
  c.expiration = ParseIso8601(field("Expiration"));
  c.source = "instance metadata (role " + role + ")";
  return c;
}

class StaticProvider final : public AwsCredentialProvider {
 public:
  explicit StaticProvider(AwsCredentials c) : credentials_(std::move(c)) {}
  arrow::Result<AwsCredentials> Get() override { return credentials_; }

 private:
  const AwsCredentials credentials_;
};

// Instance-metadata credentials, refreshed `margin` before they expire.
class ImdsProvider final : public AwsCredentialProvider {
 public:
  ImdsProvider(std::shared_ptr<HttpClient> http, std::string base,
               std::chrono::milliseconds timeout, std::chrono::seconds margin, AwsCredentials first)
      : http_(std::move(http)),
        base_(std::move(base)),
        timeout_(timeout),
        margin_(margin),
        cached_(std::move(first)) {}

  arrow::Result<AwsCredentials> Get() override {
    std::lock_guard<std::mutex> lock(mu_);
    if (cached_.expiration && Clock::now() + margin_ >= *cached_.expiration) {
      auto fresh = FromInstanceMetadata(*http_, base_, timeout_);
      if (fresh.ok()) {
        cached_ = std::move(*fresh);
      } else if (Clock::now() >= *cached_.expiration) {
        return fresh.status();
      }  // else keep using the still-valid ones and try again next time
    }
    return cached_;
  }

 private:
  const std::shared_ptr<HttpClient> http_;
  const std::string base_;
  const std::chrono::milliseconds timeout_;
  const std::chrono::seconds margin_;
  std::mutex mu_;
  AwsCredentials cached_;  // guarded by mu_
};

void FillDefaults(AwsCredentialChainOptions* options) {
  if (!options->getenv) {
    options->getenv = [](const std::string& name) -> std::optional<std::string> {
      const char* v = std::getenv(name.c_str());
      if (v == nullptr) return std::nullopt;
      return std::string(v);
    };
  }
}

}  // namespace

std::string AwsCredentials::Describe() const {
  return "access key " + access_key_id + " from " + source;
}

std::shared_ptr<AwsCredentialProvider> MakeStaticCredentialProvider(AwsCredentials credentials) {
  return std::make_shared<StaticProvider>(std::move(credentials));
}

arrow::Result<std::shared_ptr<AwsCredentialProvider>> MakeDefaultCredentialChain(
    AwsCredentialChainOptions options) {
  FillDefaults(&options);
  Env env{options};
  if (auto c = FromEnvironment(env)) return MakeStaticCredentialProvider(std::move(*c));
  if (auto c = FromProfile(env)) return MakeStaticCredentialProvider(std::move(*c));

  std::string imds_note;
  auto disabled = env.Get("AWS_EC2_METADATA_DISABLED");
  if (disabled && (*disabled == "true" || *disabled == "1")) {
    imds_note = "instance metadata disabled by AWS_EC2_METADATA_DISABLED";
  } else {
    std::string base = options.imds_endpoint.value_or(
        env.Get("AWS_EC2_METADATA_SERVICE_ENDPOINT").value_or("http://169.254.169.254"));
    while (!base.empty() && base.back() == '/') base.pop_back();
    auto http = options.http ? options.http : HttpClient::Make();
    auto c = FromInstanceMetadata(*http, base, options.imds_timeout);
    if (c.ok()) {
      return std::make_shared<ImdsProvider>(http, base, options.imds_timeout,
                                            options.refresh_margin, std::move(*c));
    }
    imds_note = "no instance metadata (" + c.status().message() + ")";
  }
  return arrow::Status::Invalid(
      "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and "
      "AWS_SESSION_TOKEN for temporary keys), or AWS_PROFILE with a profile in ",
      env.CredentialsFile(), " or ", env.ConfigFile(), "; ", imds_note);
}

std::optional<std::string> ResolveAwsRegion(const AwsCredentialChainOptions& given) {
  AwsCredentialChainOptions options = given;
  FillDefaults(&options);
  Env env{options};
  if (auto r = env.Get("AWS_REGION")) return r;
  if (auto r = env.Get("AWS_DEFAULT_REGION")) return r;
  if (auto ini = ReadIni(env.ConfigFile())) {
    if (const auto* section = ConfigSection(*ini, env.Profile())) {
      if (auto it = section->find("region"); it != section->end() && !it->second.empty()) {
        return it->second;
      }
    }
  }
  return std::nullopt;
}

}  // namespace hashlake::lake
