#include "hashlake/cli/command.h"

#include <atomic>
#include <csignal>

#include <filesystem>
#include <sstream>

#include <fmt/core.h>

namespace hashlake::cli {
namespace {

std::atomic<bool> g_stop_requested{false};
extern "C" void OnStopSignal(int) { g_stop_requested.store(true); }

}  // namespace

void InstallStopSignals() {
  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);
}

bool StopRequested() { return g_stop_requested.load(); }


arrow::Result<Config> LoadConfig(const CommandContext& context) {
  Config config;
  std::string path = context.config_path;
  if (path.empty() && std::filesystem::exists("hashlake.toml")) path = "hashlake.toml";
  if (!path.empty()) ARROW_RETURN_NOT_OK(config.MergeTomlFile(path));
  for (const auto& assignment : context.sets) ARROW_RETURN_NOT_OK(config.SetAssignment(assignment));
  config.LoadSecretsFromEnvironment();
  return config;
}

void ConfigFlags::Bind(const std::string& flag, const std::string& key, const std::string& help) {
  command_->add_option_function<std::string>(
      flag, [this, key](const std::string& value) { sets_.emplace_back(key, value); },
      help + " (config key " + key + ")");
}

void ConfigFlags::BindReplayFiles() {
  command_->add_option("--file", files_, "Replay this NDJSON file (.gz too); repeatable")
      ->allow_extra_args(false)
      ->check(CLI::ExistingFile);
}

arrow::Result<Config> ConfigFlags::Load(const CommandContext& context) const {
  ARROW_ASSIGN_OR_RAISE(auto config, LoadConfig(context));
  for (const auto& [key, value] : sets_) ARROW_RETURN_NOT_OK(config.Set(key, value));
  if (!files_.empty()) {
    std::string joined;
    for (const auto& file : files_) joined += (joined.empty() ? "" : ",") + file;
    ARROW_RETURN_NOT_OK(config.Set("source.files", joined));
    if (!config.IsSet("source.kind")) ARROW_RETURN_NOT_OK(config.Set("source.kind", "replay"));
  }
  return config;
}

void PrintError(const std::string& message) { fmt::print(stderr, "hashlake: {}\n", message); }

void PrintErrors(const std::string& file, const arrow::Status& status) {
  std::istringstream lines(status.message());
  for (std::string line; std::getline(lines, line);) PrintError(file + ": " + line);
}

std::string SelfBinary() {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("hashlake") : self.string();
}

}  // namespace hashlake::cli
