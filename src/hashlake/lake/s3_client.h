#pragma once

#include <arrow/result.h>
#include <arrow/status.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hashlake::lake {

class AwsCredentialProvider;
class HttpClient;
struct HttpResponse;

/// Where and how to reach one bucket. Defaults suit AWS S3.
struct S3Options {
  std::string bucket;
  std::string region = "us-east-1";
  /// Empty: AWS (https://s3.<region>.amazonaws.com). Else the base URL of an S3-compatible
  /// server, e.g. "http://127.0.0.1:9000".
  std::string endpoint;
  /// Path-style URLs (endpoint/bucket/key) instead of virtual-hosted ones
  /// (bucket.endpoint/key). Default: path-style with a custom endpoint, virtual-hosted on AWS.
  std::optional<bool> path_style;
  /// Files at least this large are written with a multipart upload (bytes).
  int64_t multipart_threshold = 16LL << 20;
  /// Part size of multipart uploads (bytes; S3's minimum for all but the last part: 5 MiB).
  int64_t part_size = 16LL << 20;
  /// Parts of one multipart upload sent at once (each holds a part in memory).
  int upload_concurrency = 4;
  /// Attempts per request (first try included) on 5xx, 429, SlowDown, RequestTimeout and
  /// dropped connections; waits are exponential with full jitter, from base_backoff up to
  /// max_backoff.
  int max_attempts = 8;
  std::chrono::milliseconds base_backoff{100};
  std::chrono::milliseconds max_backoff{5000};
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds request_timeout{120000};
  /// Sign data uploads with UNSIGNED-PAYLOAD instead of hashing them (only over https).
  bool unsigned_payload = false;

  /// Options from an `s3://bucket/prefix?...` URI's query: endpoint, region (else
  /// AWS_REGION / AWS_DEFAULT_REGION / the profile's, else us-east-1), path_style
  /// (true|false), multipart_threshold and part_size (bytes), max_attempts,
  /// upload_concurrency. Invalid on unknown keys or bad values.
  static arrow::Result<S3Options> FromUriOptions(std::string bucket,
                                                 const std::map<std::string, std::string>& query);
};

/// One listed or HEADed object.
struct S3ObjectInfo {
  std::string key;
  int64_t size = 0;
  int64_t last_modified_ms = 0;
  std::string etag;
};

/// One ListObjectsV2 request.
struct S3ListRequest {
  std::string prefix;
  std::string delimiter;    ///< "/" groups keys below the prefix into common_prefixes
  std::string start_after;  ///< keys strictly greater (Delta log listing from a version)
  int max_keys = 1000;
};

/// All pages of a listing.
struct S3Listing {
  std::vector<S3ObjectInfo> objects;
  std::vector<std::string> common_prefixes;
};

/// A minimal S3 REST client (SigV4, path- or virtual-hosted style) with bounded retries.
/// Thread-safe. Statuses: a missing key is IOError with IsS3NotFound() true; a failed
/// `If-None-Match: *` PUT is AlreadyExists.
class S3Client {
 public:
  static arrow::Result<std::shared_ptr<S3Client>> Make(
      S3Options options, std::shared_ptr<AwsCredentialProvider> credentials,
      std::shared_ptr<HttpClient> http = nullptr);

  /// The whole object, or `length` bytes from `offset` (a ranged GET).
  arrow::Result<std::string> GetObject(const std::string& key,
                                       std::optional<std::pair<int64_t, int64_t>> range = {});
  arrow::Result<S3ObjectInfo> HeadObject(const std::string& key);
  /// PUT. With `if_none_match`, the PUT carries `If-None-Match: *` and fails with
  /// AlreadyExists when the key exists. When an attempt failed ambiguously (connection
  /// dropped, 5xx) and a retry then finds the key present, the object is read back: if it
  /// holds exactly `body`, our own earlier attempt landed and the PUT succeeded.
  arrow::Status PutObject(const std::string& key, std::string_view body, bool if_none_match);
  arrow::Status DeleteObject(const std::string& key);
  /// ListObjectsV2, following continuation tokens to the end.
  arrow::Result<S3Listing> ListObjects(const S3ListRequest& request);

  /// Multipart upload: returns the upload id.
  arrow::Result<std::string> CreateMultipartUpload(const std::string& key);
  /// Uploads part `part_number` (1-based); returns its ETag.
  arrow::Result<std::string> UploadPart(const std::string& key, const std::string& upload_id,
                                        int part_number, std::string_view body);
  /// Completes with the parts' ETags in order; `total_size` lets a retry after an ambiguous
  /// failure recognise that the completion had in fact happened.
  arrow::Status CompleteMultipartUpload(const std::string& key, const std::string& upload_id,
                                        const std::vector<std::string>& etags, int64_t total_size);
  arrow::Status AbortMultipartUpload(const std::string& key, const std::string& upload_id);

  const S3Options& options() const { return options_; }
  /// Requests retried so far (all operations), for tests and metrics.
  int64_t retries() const { return retries_.load(); }

 private:
  S3Client(S3Options options, std::shared_ptr<AwsCredentialProvider> credentials,
           std::shared_ptr<HttpClient> http);

  struct Call;
  arrow::Result<HttpResponse> Execute(const Call& call, bool* ambiguous);

  const S3Options options_;
  const std::shared_ptr<AwsCredentialProvider> credentials_;
  const std::shared_ptr<HttpClient> http_;
  std::string scheme_host_;  // "http://127.0.0.1:9000" or "https://bucket.s3..."
  std::string host_;         // Host header
  std::string base_path_;    // "/bucket" (path-style) or "" (virtual-hosted)
  std::atomic<int64_t> retries_{0};
};

/// True for the status S3Client returns for a missing key or bucket (HTTP 404).
bool IsS3NotFound(const arrow::Status& status);

}  // namespace hashlake::lake
