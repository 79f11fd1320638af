#include "hashlake/lake/s3_client.h"

#include <algorithm>
#include <charconv>
#include <ctime>
#include <iomanip>
#include <random>
#include <sstream>
#include <thread>

#include "hashlake/lake/aws_credentials.h"
#include "hashlake/lake/s3_http_client.h"
#include "hashlake/lake/sigv4.h"

namespace hashlake::lake {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

constexpr int64_t kMinPartSize = 5LL << 20;

/// Attached to S3 error statuses so callers can tell a 404 from other failures.
class S3ErrorDetail final : public arrow::StatusDetail {
 public:
  S3ErrorDetail(int http_status, std::string code)
      : http_status_(http_status), code_(std::move(code)) {}
  const char* type_id() const override { return "hashlake::lake::S3ErrorDetail"; }
  std::string ToString() const override {
    return "S3 HTTP " + std::to_string(http_status_) + (code_.empty() ? "" : " " + code_);
  }
  int http_status() const { return http_status_; }

 private:
  int http_status_;
  std::string code_;
};

// ---- minimal XML: the S3 responses we read are flat, known documents ----

std::string XmlDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out.push_back(s[i]);
      continue;
    }
    auto semi = s.find(';', i);
    if (semi == std::string_view::npos) {
      out.push_back(s[i]);
      continue;
    }
    std::string_view entity = s.substr(i + 1, semi - i - 1);
    if (entity == "amp")
      out.push_back('&');
    else if (entity == "lt")
      out.push_back('<');
    else if (entity == "gt")
      out.push_back('>');
    else if (entity == "quot")
      out.push_back('"');
    else if (entity == "apos")
      out.push_back('\'');
    else if (entity.starts_with("#")) {
      unsigned cp = 0;
      bool hex = entity.size() > 1 && (entity[1] == 'x' || entity[1] == 'X');
      std::string_view digits = entity.substr(hex ? 2 : 1);
      std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
      // UTF-8 encode the code point.
      if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
      } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
      } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
      } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
      }
    } else {
      out.append(s.substr(i, semi - i + 1));
    }
    i = semi;
  }
  return out;
}

// Inner text of every <tag>...</tag> (tags without attributes), in document order.
std::vector<std::string_view> XmlElements(std::string_view xml, std::string_view tag) {
  std::vector<std::string_view> out;
  const std::string open = "<" + std::string(tag) + ">";
  const std::string close = "</" + std::string(tag) + ">";
  size_t pos = 0;
  while ((pos = xml.find(open, pos)) != std::string_view::npos) {
    size_t start = pos + open.size();
    size_t end = xml.find(close, start);
    if (end == std::string_view::npos) break;
    out.push_back(xml.substr(start, end - start));
    pos = end + close.size();
  }
  return out;
}

std::string XmlText(std::string_view xml, std::string_view tag) {
  auto all = XmlElements(xml, tag);
  return all.empty() ? std::string() : XmlDecode(all.front());
}

std::optional<int64_t> ParseTimeMs(std::string_view s, const char* format) {
  std::tm tm{};
  std::istringstream in{std::string(s)};
  in >> std::get_time(&tm, format);
  if (in.fail()) return std::nullopt;
  int64_t ms = static_cast<int64_t>(timegm(&tm)) * 1000;
  // ISO 8601 fractions: "...:30.123Z".
  if (auto dot = s.find('.'); dot != std::string_view::npos && format[1] == 'Y') {
    int frac = 0, digits = 0;
    for (size_t i = dot + 1;
         i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) && digits < 3;
         ++i, ++digits) {
      frac = frac * 10 + (s[i] - '0');
    }
    while (digits++ < 3) frac *= 10;
    ms += frac;
  }
  return ms;
}

bool ParseInt(std::string_view s, int64_t* out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

std::string ErrorCode(const HttpResponse& r) { return XmlText(r.body, "Code"); }

arrow::Status ErrorStatus(const std::string& what, const HttpResponse& r) {
  std::string code = ErrorCode(r);
  std::string message = XmlText(r.body, "Message");
  auto detail = std::make_shared<S3ErrorDetail>(r.status, code);
  std::string text = what + ": HTTP " + std::to_string(r.status);
  if (!code.empty()) text += " " + code;
  if (!message.empty()) text += " (" + message + ")";
  return arrow::Status(arrow::StatusCode::IOError, text, detail);
}

// Throttling and transient server trouble: worth another try.
bool Retryable(const HttpResponse& r) {
  if (r.status >= 500 || r.status == 429) return true;
  if (r.status == 400 || r.status == 403 || r.status == 409) {
    std::string code = ErrorCode(r);
    return code == "RequestTimeout" || code == "SlowDown" || code == "Throttling" ||
           code == "ThrottlingException" || code == "RequestTimeTooSkewed" ||
           code == "ConditionalRequestConflict" || code == "OperationAborted";
  }
  return false;
}

bool ParseBool(const std::string& v, bool* out) {
  if (v == "true" || v == "1") {
    *out = true;
    return true;
  }
  if (v == "false" || v == "0") {
    *out = false;
    return true;
  }
  return false;
}

}  // namespace

struct S3Client::Call {
  std::string method;
  std::string key;  // empty: the bucket itself
  std::vector<std::pair<std::string, std::string>> query;
  Headers headers;
  std::string_view body;
  bool is_data = false;  // a data upload: may use UNSIGNED-PAYLOAD
  std::string what;      // for messages: "PUT s3://bucket/key"
};

bool IsS3NotFound(const arrow::Status& status) {
  auto detail = std::dynamic_pointer_cast<S3ErrorDetail>(status.detail());
  return detail != nullptr && detail->http_status() == 404;
}

arrow::Result<S3Options> S3Options::FromUriOptions(
    std::string bucket, const std::map<std::string, std::string>& query) {
  S3Options o;
  o.bucket = std::move(bucket);
  bool region_set = false;
  for (const auto& [k, v] : query) {
    int64_t n = 0;
    if (k == "endpoint") {
      if (!v.starts_with("http://") && !v.starts_with("https://")) {
        return arrow::Status::Invalid("s3 endpoint '", v, "' must start with http:// or https://");
      }
      o.endpoint = v;
      while (!o.endpoint.empty() && o.endpoint.back() == '/') o.endpoint.pop_back();
    } else if (k == "region") {
      o.region = v;
      region_set = true;
    } else if (k == "path_style") {
      bool b = false;
      if (!ParseBool(v, &b)) return arrow::Status::Invalid("s3 path_style='", v, "'");
      o.path_style = b;
    } else if (k == "multipart_threshold" || k == "part_size" || k == "max_attempts" ||
               k == "upload_concurrency") {
      if (!ParseInt(v, &n) || n <= 0) {
        return arrow::Status::Invalid("s3 option ", k, "='", v, "' is not a positive integer");
      }
      if (k == "multipart_threshold") {
        o.multipart_threshold = n;
      } else if (k == "part_size") {
        o.part_size = n;
      } else if (k == "max_attempts") {
        o.max_attempts = static_cast<int>(std::min<int64_t>(n, 100));
      } else {
        o.upload_concurrency = static_cast<int>(std::min<int64_t>(n, 64));
      }
    } else {
      return arrow::Status::Invalid(
          "unknown s3 URI option '", k,
          "' (known: endpoint, region, path_style, multipart_threshold, part_size, "
          "max_attempts, upload_concurrency)");
    }
  }
  if (!region_set) {
    if (auto r = ResolveAwsRegion()) o.region = *r;
  }
  return o;
}

S3Client::S3Client(S3Options options, std::shared_ptr<AwsCredentialProvider> credentials,
                   std::shared_ptr<HttpClient> http)
    : options_(std::move(options)), credentials_(std::move(credentials)), http_(std::move(http)) {}

arrow::Result<std::shared_ptr<S3Client>> S3Client::Make(
    S3Options options, std::shared_ptr<AwsCredentialProvider> credentials,
    std::shared_ptr<HttpClient> http) {
  if (options.bucket.empty()) return arrow::Status::Invalid("S3 bucket name is empty");
  if (options.region.empty()) return arrow::Status::Invalid("S3 region is empty");
  if (options.part_size < kMinPartSize) {
    return arrow::Status::Invalid("S3 part_size ", options.part_size,
                                  " is below S3's minimum of 5 MiB");
  }
  if (options.multipart_threshold < options.part_size) {
    options.multipart_threshold = options.part_size;
  }
  if (options.max_attempts < 1) options.max_attempts = 1;
  if (!credentials) return arrow::Status::Invalid("S3 client needs a credential provider");
  if (!http) http = HttpClient::Make();
  std::shared_ptr<S3Client> client(
      new S3Client(std::move(options), std::move(credentials), std::move(http)));
  const S3Options& o = client->options_;
  std::string scheme = "https", authority;
  if (o.endpoint.empty()) {
    authority = "s3." + o.region + ".amazonaws.com";
  } else {
    auto sep = o.endpoint.find("://");
    scheme = o.endpoint.substr(0, sep);
    authority = o.endpoint.substr(sep + 3);
    if (auto slash = authority.find('/'); slash != std::string::npos) {
      return arrow::Status::Invalid("s3 endpoint '", o.endpoint, "' must not have a path");
    }
  }
  bool path_style = o.path_style.value_or(!o.endpoint.empty());
  if (!path_style && o.bucket.find('.') != std::string::npos && scheme == "https") {
    path_style = true;  // dotted bucket names break TLS wildcard certificates
  }
  if (path_style) {
    client->host_ = authority;
    client->base_path_ = "/" + UriEncode(o.bucket, true);
  } else {
    client->host_ = o.bucket + "." + authority;
  }
  client->scheme_host_ = scheme + "://" + client->host_;
  return client;
}

arrow::Result<HttpResponse> S3Client::Execute(const Call& call, bool* ambiguous) {
  std::string path = base_path_ + "/" + UriEncode(call.key, false);
  std::string query;
  for (const auto& [k, v] : call.query) {
    query += (query.empty() ? "?" : "&") + UriEncode(k, true);
    // A valueless sub-resource (`?uploads`) is sent bare but signed as "uploads=".
    if (!v.empty() || k != "uploads") query += "=" + UriEncode(v, true);
  }
  std::string payload_hash =
      call.is_data && options_.unsigned_payload && scheme_host_.starts_with("https://")
          ? std::string(kUnsignedPayload)
          : Sha256Hex(call.body);
  SigV4Scope scope{options_.region, "s3", true};

  std::mt19937_64 rng(std::random_device{}());
  arrow::Status last;
  for (int attempt = 0; attempt < options_.max_attempts; ++attempt) {
    if (attempt > 0) {
      retries_.fetch_add(1);
      // Full jitter: uniform in [0, min(max, base * 2^attempt)].
      int64_t cap = std::min<int64_t>(options_.max_backoff.count(), options_.base_backoff.count()
                                                                        << std::min(attempt, 20));
      std::uniform_int_distribution<int64_t> wait(0, std::max<int64_t>(cap, 1));
      std::this_thread::sleep_for(std::chrono::milliseconds(wait(rng)));
    }
    ARROW_ASSIGN_OR_RAISE(auto credentials, credentials_->Get());
    SigV4Request sr;
    sr.method = call.method;
    sr.canonical_uri = path;
    sr.query = call.query;
    sr.headers = call.headers;
    sr.headers.emplace_back("host", host_);
    sr.payload_hash = payload_hash;
    SigV4Signature sig = SignV4(sr, credentials, scope, std::chrono::system_clock::now());

    HttpRequest request;
    request.method = call.method;
    request.url = scheme_host_ + path + query;
    request.headers = sr.headers;
    for (auto& h : sig.headers_to_add) request.headers.push_back(std::move(h));
    request.body = call.body;
    request.connect_timeout = options_.connect_timeout;
    request.timeout = options_.request_timeout;
    auto response = http_->Send(request);
    if (!response.ok()) {
      // The request may or may not have reached the server.
      if (ambiguous != nullptr) *ambiguous = true;
      last = response.status();
      continue;
    }
    if (Retryable(*response)) {
      if (ambiguous != nullptr && response->status >= 500) *ambiguous = true;
      last = ErrorStatus(call.what, *response);
      continue;
    }
    return response;
  }
  return arrow::Status::IOError(call.what, ": gave up after ", options_.max_attempts,
                                " attempts: ", last.message());
}

arrow::Result<std::string> S3Client::GetObject(const std::string& key,
                                               std::optional<std::pair<int64_t, int64_t>> range) {
  Call call{"GET", key, {}, {}, {}, false, "GET s3://" + options_.bucket + "/" + key};
  if (range) {
    if (range->second <= 0) return std::string();
    call.headers.emplace_back("range", "bytes=" + std::to_string(range->first) + "-" +
                                           std::to_string(range->first + range->second - 1));
  }
  ARROW_ASSIGN_OR_RAISE(auto r, Execute(call, nullptr));
  if (range && r.status == 416) return std::string();  // past the end
  if (r.status != 200 && r.status != 206) return ErrorStatus(call.what, r);
  if (range && r.status == 200) {
    // A server that ignored Range sent everything: cut our slice out.
    if (range->first >= static_cast<int64_t>(r.body.size())) return std::string();
    return r.body.substr(static_cast<size_t>(range->first), static_cast<size_t>(range->second));
  }
  return std::move(r.body);
}

arrow::Result<S3ObjectInfo> S3Client::HeadObject(const std::string& key) {
  Call call{"HEAD", key, {}, {}, {}, false, "HEAD s3://" + options_.bucket + "/" + key};
  ARROW_ASSIGN_OR_RAISE(auto r, Execute(call, nullptr));
  if (r.status != 200) return ErrorStatus(call.what, r);
  S3ObjectInfo info;
  info.key = key;
  if (!ParseInt(r.Header("content-length"), &info.size)) {
    return arrow::Status::IOError(call.what, ": no Content-Length in the response");
  }
  info.last_modified_ms =
      ParseTimeMs(r.Header("last-modified"), "%a, %d %b %Y %H:%M:%S").value_or(0);
  info.etag = r.Header("etag");
  return info;
}

arrow::Status S3Client::PutObject(const std::string& key, std::string_view body,
                                  bool if_none_match) {
  Call call{"PUT", key, {}, {}, body, !if_none_match, "PUT s3://" + options_.bucket + "/" + key};
  call.headers.emplace_back("content-type", "application/octet-stream");
  if (if_none_match) call.headers.emplace_back("if-none-match", "*");
  bool ambiguous = false;
  ARROW_ASSIGN_OR_RAISE(auto r, Execute(call, &ambiguous));
  if (r.status == 200) return arrow::Status::OK();
  if (if_none_match && r.status == 412) {
    if (ambiguous) {
      // An earlier attempt may have been ours and landed: the object then holds our bytes.
      auto existing = GetObject(key);
      if (existing.ok() && *existing == body) return arrow::Status::OK();
    }
    return arrow::Status::AlreadyExists("s3://", options_.bucket, "/", key, " already exists");
  }
  return ErrorStatus(call.what, r);
}

arrow::Status S3Client::DeleteObject(const std::string& key) {
  Call call{"DELETE", key, {}, {}, {}, false, "DELETE s3://" + options_.bucket + "/" + key};
  ARROW_ASSIGN_OR_RAISE(auto r, Execute(call, nullptr));
  if (r.status == 204 || r.status == 200 || r.status == 404) return arrow::Status::OK();
  return ErrorStatus(call.what, r);
}

arrow::Result<S3Listing> S3Client::ListObjects(const S3ListRequest& request) {
  S3Listing out;
  std::string token;
  while (true) {
    Call call{"GET",
              "",
              {{"list-type", "2"}},
              {},
              {},
              false,
              "LIST s3://" + options_.bucket + "/" + request.prefix};
    if (!request.prefix.empty()) call.query.emplace_back("prefix", request.prefix);
    if (!request.delimiter.empty()) call.query.emplace_back("delimiter", request.delimiter);
    if (!request.start_after.empty()) call.query.emplace_back("start-after", request.start_after);
    if (!token.empty()) call.query.emplace_back("continuation-token", token);
    call.query.emplace_back("max-keys", std::to_string(request.max_keys));
    std::sort(call.query.begin(), call.query.end());
    ARROW_ASSIGN_OR_RAISE(auto r, Execute(call, nullptr));
    if (r.status != 200) return ErrorStatus(call.what, r);
    for (std::string_view c : XmlElements(r.body, "Contents")) {
      S3ObjectInfo info;
      info.key = XmlText(c, "Key");
      if (!ParseInt(XmlText(c, "Size"), &info.size)) {
        return arrow::Status::IOError(call.what, ": bad <Size> for '", info.key, "'");
      }
      info.last_modified_ms =
          ParseTimeMs(XmlText(c, "LastModified"), "%Y-%m-%dT%H:%M:%S").value_or(0);
      info.etag = XmlText(c, "ETag");
      out.objects.push_back(std::move(info));
    }
    for (std::string_view p : XmlElements(r.body, "CommonPrefixes")) {
      out.common_prefixes.push_back(XmlText(p, "Prefix"));
    }
    if (XmlText(r.body, "IsTruncated") != "true") break;
    token = XmlText(r.body, "NextContinuationToken");
    if (token.empty()) {
      return arrow::Status::IOError(call.what, ": truncated listing without a continuation token");
    }
  }
  return out;
}

arrow::Result<std::string> S3Client::CreateMultipartUpload(const std::string& key) {
  Call call{"POST",
            key,
            {{"uploads", ""}},
            {},
            {},
            false,
            "CreateMultipartUpload s3://" + options_.bucket + "/" + key};
  call.headers.emplace_back("content-type", "application/octet-stream");
  bool ambiguous = false;
  ARROW_ASSIGN_OR_RAISE(auto r, Execute(call, &ambiguous));
  if (r.status != 200) return ErrorStatus(call.what, r);
  std::string id = XmlText(r.body, "UploadId");
  if (id.empty()) return arrow::Status::IOError(call.what, ": no UploadId in the response");
  if (ambiguous) {
    // An earlier attempt may have started an upload whose answer we never saw. Data file
    // keys are unique, so any other upload in progress for this key is ours: abort it rather
    // than leave it (and its storage cost) behind. Best effort.
    Call list{"GET",
              "",
              {{"prefix", key}, {"uploads", ""}},
              {},
              {},
              false,
              "ListMultipartUploads s3://" + options_.bucket + "/" + key};
    auto uploads = Execute(list, nullptr);
    if (uploads.ok() && uploads->status == 200) {
      for (std::string_view u : XmlElements(uploads->body, "Upload")) {
        std::string other = XmlText(u, "UploadId");
        if (XmlText(u, "Key") == key && other != id) (void)AbortMultipartUpload(key, other);
      }
    }
  }
  return id;
}

arrow::Result<std::string> S3Client::UploadPart(const std::string& key,
                                                const std::string& upload_id, int part_number,
                                                std::string_view body) {
  Call call{"PUT",
            key,
            {{"partNumber", std::to_string(part_number)}, {"uploadId", upload_id}},
            {},
            body,
            true,
            "UploadPart " + std::to_string(part_number) + " s3://" + options_.bucket + "/" + key};
  ARROW_ASSIGN_OR_RAISE(auto r, Execute(call, nullptr));
  if (r.status != 200) return ErrorStatus(call.what, r);
  std::string etag = r.Header("etag");
  if (etag.empty()) return arrow::Status::IOError(call.what, ": no ETag in the response");
  return etag;
}

arrow::Status S3Client::CompleteMultipartUpload(const std::string& key,
                                                const std::string& upload_id,
                                                const std::vector<std::string>& etags,
                                                int64_t total_size) {
  std::string xml = "<CompleteMultipartUpload>";
  for (size_t i = 0; i < etags.size(); ++i) {
    xml += "<Part><PartNumber>" + std::to_string(i + 1) + "</PartNumber><ETag>" + etags[i] +
           "</ETag></Part>";
  }
  xml += "</CompleteMultipartUpload>";
  Call call{"POST",
            key,
            {{"uploadId", upload_id}},
            {},
            xml,
            false,
            "CompleteMultipartUpload s3://" + options_.bucket + "/" + key};
  call.headers.emplace_back("content-type", "application/xml");
  bool ambiguous = false;
  // S3 may answer 200 with an <Error> body when completion fails late: retry those too.
  for (int attempt = 0; attempt < 3; ++attempt) {
    ARROW_ASSIGN_OR_RAISE(auto r, Execute(call, &ambiguous));
    if (r.status == 200 && r.body.find("<Error>") == std::string::npos) {
      return arrow::Status::OK();
    }
    if (r.status == 200) {
      ambiguous = true;
      continue;
    }
    if (r.status == 404 && ambiguous) {
      // NoSuchUpload after an ambiguous try: it completed if the object has our size.
      auto head = HeadObject(key);
      if (head.ok() && head->size == total_size) return arrow::Status::OK();
    }
    return ErrorStatus(call.what, r);
  }
  return arrow::Status::IOError(call.what, ": failed after repeated in-body errors");
}

arrow::Status S3Client::AbortMultipartUpload(const std::string& key, const std::string& upload_id) {
  Call call{"DELETE",
            key,
            {{"uploadId", upload_id}},
            {},
            {},
            false,
            "AbortMultipartUpload s3://" + options_.bucket + "/" + key};
  ARROW_ASSIGN_OR_RAISE(auto r, Execute(call, nullptr));
  if (r.status == 204 || r.status == 200 || r.status == 404) return arrow::Status::OK();
  return ErrorStatus(call.what, r);
}

}  // namespace hashlake::lake
