#include "hashlake/core/config.h"

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

namespace hashlake {
namespace {

#pragma GCC diagnostic push
// The key table below lists only the fields each key needs; the rest keep their defaults.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
std::vector<ConfigKey> BuildKeys() {
  using T = ConfigType;
  std::vector<ConfigKey> keys = {
      {"data.dir", T::kString, "./hashlake-data",
       "Root of the embedded log (DIR/log) and the lake (DIR/lake)."},
      {"log.level", T::kEnum, "info", "Log verbosity.",
       {"trace", "debug", "info", "warn", "error", "off"}},
      {"log.format", T::kEnum, "text", "Log line format: text for people, json for shippers.",
       {"text", "json"}},
      {"source.kind", T::kEnum, "synth", "Where posts come from.",
       {"synth", "replay", "x", "bluesky", "mastodon"}},
      {"source.stall_timeout", T::kDuration, "20s",
       "Live sources: no bytes for this long counts as a stalled stream and reconnects."},
      {"source.files", T::kStringList, "",
       "Replay: NDJSON files (optionally .gz), comma-separated in --set."},
      {"source.speed", T::kDouble, "0",
       "Replay speed relative to event time (1 = real time, 10 = ten times); 0 = as fast "
       "as possible."},
      {"source.max_record_bytes", T::kInt, "1048576",
       "Longer records are rejected as oversized.", {}, {}, 1, int64_t{1} << 30},
      {"synth.seed", T::kInt, "42", "Seed of the synthetic feed; the same seed gives the same feed."},
      {"synth.rate", T::kInt, "200", "Synthetic posts per second; 0 = as fast as possible.", {},
       {}, 0, 10'000'000},
      {"bus.url", T::kString, "",
       "The bus. Empty = the embedded log at DIR/log (log:///path?partitions=N)."},
      {"bus.partitions", T::kInt, "4", "Partitions of a new embedded log.", {}, {}, 1, 1024},
      {"stream.window", T::kDuration, "1m", "Event-time window length."},
      {"stream.slide", T::kDuration, "0s",
       "Sliding windows: a window starts every this long (must divide stream.window); 0s = "
       "tumbling."},
      {"stream.threads", T::kInt, "1", "Worker threads decoding, cleaning and locating posts.",
       {}, {}, 1, 256},
      {"stream.counts_top_k", T::kInt, "0",
       "Rows kept per window in hashtag_counts (per area in area_hashtag_counts); 0 = all.", {},
       {}, 0, 1'000'000},
      {"stream.watermark", T::kDuration, "10s",
       "Allowed lateness: a window closes when max event time seen passes its end by this."},
      {"stream.trigger", T::kDuration, "1s", "Micro-batch interval."},
      {"stream.max_batch", T::kInt, "50000", "Most records read per micro-batch.", {}, {}, 1,
       10'000'000},
      {"stream.enrich", T::kBool, "true",
       "Clean each post's text into tokens, identify its language and resolve its area; off "
       "stores posts as the source gave them (faster)."},
      {"stream.checkpoint_dir", T::kString, "",
       "The stream job's checkpoint (plans, window state); empty = DIR/checkpoints/<app_id>."},
      {"stream.app_id", T::kString, "hashlake-stream",
       "The job's id: the Delta txn appId and the bus consumer group."},
      {"lake.uri", T::kString, "",
       "Where the stream job's tables go: a directory, file://… or s3://bucket/prefix; empty "
       "= DIR/lake."},
      {"text.stopwords", T::kBool, "true",
       "Drop the stopwords of the post's language from its tokens."},
      {"text.stem", T::kBool, "false", "Snowball-stem word tokens."},
      {"text.detect_language", T::kBool, "true",
       "Identify the language (CLD2) of posts whose source gave none."},
      {"serve.host", T::kString, "127.0.0.1",
       "Address the dashboard binds; 0.0.0.0 exposes it to the network."},
      {"serve.port", T::kInt, "8080", "Dashboard port; 0 picks a free one.", {}, {}, 0, 65535},
      {"x.base_url", T::kString, "https://api.x.com", "X API base URL (tests point it elsewhere)."},
      {"x.backfill_minutes", T::kInt, "0",
       "X filtered stream: minutes of backfill after a reconnect (needs an Academic/Pro plan).",
       {}, {}, 0, 5},
      {"x.bearer_token", T::kString, "", "X API v2 bearer token.", {}, "X_BEARER_TOKEN"},
      {"bluesky.url", T::kString, "wss://jetstream2.us-east.bsky.network/subscribe",
       "Bluesky Jetstream endpoint."},
      {"bluesky.wanted_dids", T::kStringList, "",
       "Only posts of these accounts (DIDs); empty = everyone."},
      {"bluesky.cursor_us", T::kInt, "0",
       "Start from this Jetstream time_us (µs since the epoch); 0 = the live tail.", {}, {}, 0,
       INT64_MAX},
      {"bluesky.resume_overlap", T::kDuration, "2s",
       "A reconnect resumes this far before the last event seen; repeats are dropped."},
      {"mastodon.instance", T::kString, "https://mastodon.social", "Mastodon instance URL."},
      {"mastodon.streaming_url", T::kString, "",
       "Streaming API base URL when it differs from the instance's."},
      {"mastodon.stream", T::kEnum, "public", "Which timeline to stream.",
       {"public", "public:local", "public:remote", "hashtag", "hashtag:local"}},
      {"mastodon.tag", T::kString, "", "The hashtag of the hashtag streams (without '#')."},
      {"mastodon.token", T::kString, "", "Mastodon access token (optional).", {},
       "MASTODON_TOKEN"},
  };
  return keys;
}
#pragma GCC diagnostic pop

std::string AllowedKeysList() {
  std::string out;
  for (const auto& key : ConfigKeys()) {
    if (!out.empty()) out += ", ";
    out += key.name;
  }
  return out;
}

const ConfigKey* FindKey(std::string_view name) {
  for (const auto& key : ConfigKeys()) {
    if (key.name == name) return &key;
  }
  return nullptr;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

arrow::Status Validate(const ConfigKey& key, std::string_view value) {
  auto bad = [&](std::string_view allowed) {
    return arrow::Status::Invalid(key.name, ": invalid value '", value, "' (allowed: ", allowed,
                                  ")");
  };
  switch (key.type) {
    case ConfigType::kString:
    case ConfigType::kStringList:
      return arrow::Status::OK();
    case ConfigType::kInt: {
      int64_t v;
      auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
      if (ec != std::errc() || ptr != value.data() + value.size() || v < key.min || v > key.max) {
        std::string range = "an integer";
        if (key.min != INT64_MIN) range = fmt::format("an integer in {}..{}", key.min, key.max);
        return bad(range);
      }
      return arrow::Status::OK();
    }
    case ConfigType::kDouble: {
      char* end = nullptr;
      const std::string text(value);
      std::strtod(text.c_str(), &end);
      if (text.empty() || end != text.c_str() + text.size()) return bad("a number");
      return arrow::Status::OK();
    }
    case ConfigType::kBool:
      if (value != "true" && value != "false") return bad("true, false");
      return arrow::Status::OK();
    case ConfigType::kDuration:
      if (!ParseDuration(value).ok()) return bad("a duration such as 500ms, 2s, 5m, 1h, 1m30s");
      return arrow::Status::OK();
    case ConfigType::kEnum:
      for (const auto& allowed : key.allowed) {
        if (allowed == value) return arrow::Status::OK();
      }
      return bad(fmt::format("{}", fmt::join(key.allowed, ", ")));
  }
  return arrow::Status::OK();
}

// Renders a TOML node as the text a user would pass to --set.
arrow::Result<std::string> NodeToText(const std::string& key, const toml::node& node) {
  if (auto s = node.as_string()) return s->get();
  if (auto i = node.as_integer()) return std::to_string(i->get());
  if (auto f = node.as_floating_point()) return fmt::format("{}", f->get());
  if (auto b = node.as_boolean()) return std::string(b->get() ? "true" : "false");
  if (auto a = node.as_array()) {
    std::string out;
    for (const auto& element : *a) {
      ARROW_ASSIGN_OR_RAISE(auto text, NodeToText(key, element));
      if (!out.empty()) out += ",";
      out += text;
    }
    return out;
  }
  return arrow::Status::Invalid(key, ": unsupported TOML value type");
}

arrow::Status Flatten(const toml::table& table, const std::string& prefix,
                      std::vector<std::pair<std::string, std::string>>* out) {
  for (const auto& [k, node] : table) {
    const std::string name = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (const auto* sub = node.as_table()) {
      ARROW_RETURN_NOT_OK(Flatten(*sub, name, out));
    } else {
      ARROW_ASSIGN_OR_RAISE(auto text, NodeToText(name, node));
      out->emplace_back(name, std::move(text));
    }
  }
  return arrow::Status::OK();
}

// A TOML string literal, escaped by toml++ so that Show() always loads back.
std::string TomlString(const std::string& text) {
  std::ostringstream out;
  out << toml::value<std::string>(text);
  return out.str();
}

}  // namespace

const std::vector<ConfigKey>& ConfigKeys() {
  static const std::vector<ConfigKey> keys = BuildKeys();
  return keys;
}

Config::Config() {
  for (const auto& key : ConfigKeys()) values_[key.name] = {key.default_value, "default"};
}

arrow::Status Config::Set(std::string_view key, std::string_view value) {
  const ConfigKey* spec = FindKey(key);
  if (spec == nullptr) {
    return arrow::Status::Invalid("unknown config key '", key, "' (allowed: ", AllowedKeysList(),
                                  ")");
  }
  if (!spec->env.empty()) {
    return arrow::Status::Invalid(key, " is a secret: set it in the environment as ", spec->env,
                                  ", not in a file or flag");
  }
  ARROW_RETURN_NOT_OK(Validate(*spec, value));
  values_[spec->name] = {std::string(value), "--set"};
  return arrow::Status::OK();
}

arrow::Status Config::SetAssignment(std::string_view assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string_view::npos) {
    return arrow::Status::Invalid("--set expects key=value, got '", assignment, "'");
  }
  return Set(Trim(assignment.substr(0, eq)), Trim(assignment.substr(eq + 1)));
}

arrow::Status Config::MergeToml(std::string_view toml_text, std::string_view origin) {
  toml::table table;
  try {
    table = toml::parse(toml_text, origin);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    return arrow::Status::Invalid(origin, ":", where.line, ":", where.column, ": ",
                                  e.description());
  }
  std::vector<std::pair<std::string, std::string>> entries;
  ARROW_RETURN_NOT_OK(Flatten(table, "", &entries));
  for (const auto& [key, value] : entries) {
    auto status = Set(key, value);
    if (!status.ok()) return status.WithMessage(origin, ": ", status.message());
    values_[key].origin = std::string(origin);
  }
  return arrow::Status::OK();
}

arrow::Status Config::MergeTomlFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return arrow::Status::IOError("cannot read config file '", path, "'");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return MergeToml(buffer.str(), path);
}

void Config::LoadSecretsFromEnvironment() {
  for (const auto& key : ConfigKeys()) {
    if (key.env.empty()) continue;
    if (const char* value = std::getenv(key.env.c_str()); value != nullptr && *value != '\0') {
      values_[key.name] = {value, "env " + key.env};
    }
  }
}

const ConfigKey& Config::KeyOrDie(std::string_view key) const {
  const ConfigKey* spec = FindKey(key);
  if (spec == nullptr) {
    // A typo in hashlake's own code, not user input: fail loudly in tests.
    fmt::print(stderr, "internal error: unknown config key '{}'\n", key);
    std::abort();
  }
  return *spec;
}

std::string Config::GetString(std::string_view key) const {
  KeyOrDie(key);
  return values_.find(key)->second.text;
}

int64_t Config::GetInt(std::string_view key) const {
  const std::string text = GetString(key);
  int64_t v = 0;
  std::from_chars(text.data(), text.data() + text.size(), v);
  return v;
}

double Config::GetDouble(std::string_view key) const { return std::stod(GetString(key)); }

bool Config::GetBool(std::string_view key) const { return GetString(key) == "true"; }

Micros Config::GetDuration(std::string_view key) const {
  return ParseDuration(GetString(key)).ValueOr(Micros{0});
}

std::vector<std::string> Config::GetStringList(std::string_view key) const {
  std::vector<std::string> out;
  const std::string text = GetString(key);
  size_t start = 0;
  while (start <= text.size() && !text.empty()) {
    const size_t comma = text.find(',', start);
    const auto item = Trim(std::string_view(text).substr(start, comma - start));
    if (!item.empty()) out.emplace_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

bool Config::IsSet(std::string_view key) const {
  KeyOrDie(key);
  return values_.find(key)->second.origin != "default";
}

std::string Config::Show() const {
  std::string out;
  std::string section;
  for (const auto& key : ConfigKeys()) {
    const auto dot = key.name.find('.');
    const std::string table = key.name.substr(0, dot);
    if (table != section) {
      out += fmt::format("{}[{}]\n", out.empty() ? "" : "\n", table);
      section = table;
    }
    const auto& value = values_.find(key.name)->second;
    std::string shown;
    if (!key.env.empty()) {
      shown = value.text.empty() ? "\"\"" : "\"****\"";
    } else if (key.type == ConfigType::kInt || key.type == ConfigType::kDouble ||
               key.type == ConfigType::kBool) {
      shown = value.text;
    } else if (key.type == ConfigType::kStringList) {
      shown = "[";
      const auto items = GetStringList(key.name);
      for (size_t i = 0; i < items.size(); ++i) {
        shown += fmt::format("{}{}", i ? ", " : "", TomlString(items[i]));
      }
      shown += "]";
    } else {
      shown = TomlString(value.text);
    }
    std::string origin = value.origin;
    if (!key.env.empty() && value.text.empty()) origin = "set " + key.env + " to provide it";
    out += fmt::format("{} = {}  # {} ({})\n", key.name.substr(dot + 1), shown, key.description,
                       origin);
  }
  return out;
}

}  // namespace hashlake
