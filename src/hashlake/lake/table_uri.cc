#include "hashlake/lake/table_uri.h"

#include <filesystem>

#include "hashlake/lake/aws_credentials.h"
#include "hashlake/lake/log_store.h"
#include "hashlake/lake/partition.h"
#include "hashlake/lake/s3_client.h"
#include "hashlake/lake/s3_log_store.h"

namespace hashlake::lake {
namespace {

std::string NormalizeLocal(std::string_view path) {
  std::string p =
      std::filesystem::absolute(std::filesystem::path(std::string(path))).lexically_normal();
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

}  // namespace

arrow::Result<TableUri> ParseTableUri(std::string_view uri) {
  if (uri.empty()) return arrow::Status::Invalid("empty table URI");
  TableUri out;
  auto sep = uri.find("://");
  if (sep == std::string_view::npos) {
    out.scheme = "file";
    out.root = NormalizeLocal(uri);
    return out;
  }
  out.scheme = std::string(uri.substr(0, sep));
  std::string_view rest = uri.substr(sep + 3);
  if (out.scheme == "file") {
    if (!rest.starts_with("/")) {
      return arrow::Status::Invalid("file URI '", uri, "' must be file:///absolute/path");
    }
    out.root = NormalizeLocal(UriDecodePath(rest));
    return out;
  }
  if (out.scheme == "s3") {
    std::string_view query;
    if (auto q = rest.find('?'); q != std::string_view::npos) {
      query = rest.substr(q + 1);
      rest = rest.substr(0, q);
    }
    while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
    if (rest.empty() || rest.front() == '/') {
      return arrow::Status::Invalid("s3 URI '", uri, "' has no bucket");
    }
    out.root = std::string(rest);
    while (!query.empty()) {
      auto amp = query.find('&');
      std::string_view kv = query.substr(0, amp);
      auto eq = kv.find('=');
      if (eq == std::string_view::npos) {
        return arrow::Status::Invalid("s3 URI '", uri, "' has a parameter without '=': ", kv);
      }
      out.options[UriDecodePath(kv.substr(0, eq))] = UriDecodePath(kv.substr(eq + 1));
      query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    }
    return out;
  }
  return arrow::Status::Invalid("unsupported table URI scheme '", out.scheme, "' in '", uri,
                                "' (use a path, file:// or s3://)");
}

std::string JoinTableUri(std::string_view lake_uri, std::string_view name) {
  std::string_view query;
  if (lake_uri.starts_with("s3://")) {
    if (auto q = lake_uri.find('?'); q != std::string_view::npos) {
      query = lake_uri.substr(q);
      lake_uri = lake_uri.substr(0, q);
    }
  }
  while (lake_uri.size() > 1 && lake_uri.back() == '/') lake_uri.remove_suffix(1);
  while (!name.empty() && name.front() == '/') name.remove_prefix(1);
  return std::string(lake_uri) + "/" + std::string(name) + std::string(query);
}

arrow::Result<ResolvedTable> ResolveTableUri(std::string_view uri) {
  ARROW_ASSIGN_OR_RAISE(auto parsed, ParseTableUri(uri));
  if (parsed.scheme == "file") return ResolvedTable{MakeLocalLogStore(), parsed.root};
  if (parsed.scheme == "s3") {
    const std::string& root = parsed.root;  // "bucket/prefix"
    std::string bucket = root.substr(0, root.find('/'));
    ARROW_ASSIGN_OR_RAISE(auto options, S3Options::FromUriOptions(bucket, parsed.options));
    ARROW_ASSIGN_OR_RAISE(auto credentials, MakeDefaultCredentialChain());
    ARROW_ASSIGN_OR_RAISE(auto client, S3Client::Make(std::move(options), credentials));
    ARROW_ASSIGN_OR_RAISE(auto store, MakeS3LogStore(std::move(client)));
    return ResolvedTable{std::move(store), "s3://" + root};
  }
  return arrow::Status::NotImplemented("table URI '", uri, "': the ", parsed.scheme,
                                       " storage backend is not part of this build yet");
}

}  // namespace hashlake::lake
