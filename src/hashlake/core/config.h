#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <arrow/result.h>
#include <arrow/status.h>

#include "hashlake/core/time.h"

namespace hashlake {

/// The type of a configuration value; values are validated against it when set.
enum class ConfigType { kString, kInt, kDouble, kBool, kDuration, kEnum, kStringList };

/// One documented configuration key: `config show` and the docs list these.
struct ConfigKey {
  std::string name;           ///< Dotted, e.g. "stream.window".
  ConfigType type = ConfigType::kString;
  std::string default_value;  ///< As a user would write it ("1m", "8080", "a,b").
  std::string description;
  std::vector<std::string> allowed;  ///< For kEnum.
  std::string env;  ///< Secrets: the environment variable the value comes from.
  int64_t min = INT64_MIN, max = INT64_MAX;  ///< For kInt.
};

/// Every key hashlake understands.
const std::vector<ConfigKey>& ConfigKeys();

/// The effective configuration: defaults, then the TOML file, then `--set` overrides,
/// then secrets from the environment. Every value is validated when set, so the typed
/// getters of a key that exists cannot fail. Not thread-safe to mutate; safe to share
/// read-only once built.
class Config {
 public:
  /// Defaults only.
  Config();

  /// Merges a TOML document (tables become dotted prefixes). An unknown key or a value
  /// of the wrong type fails with one line naming the key and what is allowed.
  arrow::Status MergeToml(std::string_view toml_text, std::string_view origin);
  arrow::Status MergeTomlFile(const std::string& path);

  /// `key=value`, as given to `--set`.
  arrow::Status SetAssignment(std::string_view assignment);
  arrow::Status Set(std::string_view key, std::string_view value);

  /// Reads secrets (keys with `env`) from the environment.
  void LoadSecretsFromEnvironment();

  std::string GetString(std::string_view key) const;
  int64_t GetInt(std::string_view key) const;
  double GetDouble(std::string_view key) const;
  bool GetBool(std::string_view key) const;
  Micros GetDuration(std::string_view key) const;
  std::vector<std::string> GetStringList(std::string_view key) const;
  bool IsSet(std::string_view key) const;  ///< Explicitly set (not the default).

  /// The effective configuration as TOML, with secrets masked as "****" and
  /// each key's origin (default, file, --set, env) as a comment.
  std::string Show() const;

 private:
  struct Value {
    std::string text;
    std::string origin;
  };
  const ConfigKey& KeyOrDie(std::string_view key) const;
  std::map<std::string, Value, std::less<>> values_;
};

}  // namespace hashlake
