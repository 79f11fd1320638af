#include "hashlake/lake/table_properties.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>

namespace hashlake::lake {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

arrow::Result<bool> ParseBool(const std::string& key, std::string_view v) {
  std::string l = Lower(Trim(v));
  if (l == "true") return true;
  if (l == "false") return false;
  return arrow::Status::Invalid("table property ", key, " = '", v, "' is not true or false");
}

}  // namespace

arrow::Result<std::chrono::milliseconds> ParseDeltaInterval(std::string_view text) {
  std::string s = Lower(Trim(text));
  std::string_view rest = s;
  if (rest.starts_with("interval")) rest = Trim(rest.substr(8));
  int64_t n = 0;
  auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), n);
  if (ec != std::errc() || n < 0) {
    return arrow::Status::Invalid("'", text, "' is not a Delta interval (e.g. 'interval 7 days')");
  }
  std::string unit(Trim(std::string_view(ptr, rest.data() + rest.size() - ptr)));
  if (unit.size() > 1 && unit.back() == 's') unit.pop_back();
  using std::chrono::milliseconds;
  if (unit == "nanosecond") return milliseconds(n / 1000000);
  if (unit == "microsecond") return milliseconds(n / 1000);
  if (unit == "millisecond") return milliseconds(n);
  if (unit == "second") return milliseconds(n * 1000);
  if (unit == "minute") return milliseconds(n * 60 * 1000);
  if (unit == "hour") return milliseconds(n * 3600 * 1000);
  if (unit == "day") return milliseconds(n * 24 * 3600 * 1000);
  if (unit == "week") return milliseconds(n * 7 * 24 * 3600 * 1000);
  return arrow::Status::Invalid("'", text, "' has an unknown interval unit '", unit, "'");
}

arrow::Result<TableProperties> TableProperties::FromMetadata(const Metadata& metadata) {
  TableProperties p;
  const auto& c = metadata.configuration;
  auto get = [&](const char* key) -> const std::string* {
    auto it = c.find(key);
    return it == c.end() ? nullptr : &it->second;
  };
  if (const auto* v = get("delta.checkpointInterval")) {
    int64_t n = 0;
    std::string_view t = Trim(*v);
    auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
    if (ec != std::errc() || ptr != t.data() + t.size() || n <= 0) {
      return arrow::Status::Invalid("table property delta.checkpointInterval = '", *v,
                                    "' is not a positive integer");
    }
    p.checkpoint_interval = n;
  }
  auto interval = [&](const char* key, std::chrono::milliseconds* out) -> arrow::Status {
    if (const auto* v = get(key)) {
      auto parsed = ParseDeltaInterval(*v);
      if (!parsed.ok()) {
        return arrow::Status::Invalid("table property ", key, ": ", parsed.status().message());
      }
      *out = *parsed;
    }
    return arrow::Status::OK();
  };
  ARROW_RETURN_NOT_OK(interval("delta.deletedFileRetentionDuration", &p.deleted_file_retention));
  ARROW_RETURN_NOT_OK(interval("delta.logRetentionDuration", &p.log_retention));
  if (const auto* v = get("delta.enableExpiredLogCleanup")) {
    ARROW_ASSIGN_OR_RAISE(p.enable_expired_log_cleanup,
                          ParseBool("delta.enableExpiredLogCleanup", *v));
  }
  if (const auto* v = get("delta.enableInCommitTimestamps")) {
    ARROW_ASSIGN_OR_RAISE(p.in_commit_timestamps, ParseBool("delta.enableInCommitTimestamps", *v));
  }
  if (const auto* v = get("delta.appendOnly")) {
    ARROW_ASSIGN_OR_RAISE(p.append_only, ParseBool("delta.appendOnly", *v));
  }
  return p;
}

}  // namespace hashlake::lake
