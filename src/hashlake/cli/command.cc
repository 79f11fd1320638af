#include "hashlake/cli/command.h"

#include <filesystem>

#include <fmt/core.h>

namespace hashlake::cli {

arrow::Result<Config> LoadConfig(const CommandContext& context) {
  Config config;
  std::string path = context.config_path;
  if (path.empty() && std::filesystem::exists("hashlake.toml")) path = "hashlake.toml";
  if (!path.empty()) ARROW_RETURN_NOT_OK(config.MergeTomlFile(path));
  for (const auto& assignment : context.sets) ARROW_RETURN_NOT_OK(config.SetAssignment(assignment));
  config.LoadSecretsFromEnvironment();
  return config;
}

void PrintError(const std::string& message) { fmt::print(stderr, "hashlake: {}\n", message); }

}  // namespace hashlake::cli
