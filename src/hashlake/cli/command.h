#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <arrow/result.h>

#include "hashlake/core/config.h"

namespace hashlake::cli {

/// Exit codes shared by every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  ///< The work failed (I/O, network…).
inline constexpr int kExitUsage = 2;    ///< A bad flag, config key or value.

/// Options every command accepts, and where a command leaves its exit code.
struct CommandContext {
  std::string config_path;           ///< --config; ./hashlake.toml when present
  std::vector<std::string> sets;     ///< --set key=value, in order
  int exit_code = kExitOk;
};

/// The effective configuration: defaults, the TOML file, --set, then the environment.
arrow::Result<Config> LoadConfig(const CommandContext& context);

/// A command's flags that stand for configuration keys (`--window 2s` is
/// `--set stream.window=2s`), applied after the file and `--set`, in the order given.
/// Owned through a shared_ptr by the command's callback, so it outlives parsing.
class ConfigFlags {
 public:
  explicit ConfigFlags(CLI::App* command) : command_(command) {}

  void Bind(const std::string& flag, const std::string& key, const std::string& help);
  /// `--file PATH` (repeatable): replay files; implies source.kind = replay unless set.
  void BindReplayFiles();
  /// The configuration with these flags applied.
  arrow::Result<Config> Load(const CommandContext& context) const;

 private:
  CLI::App* command_;
  std::vector<std::pair<std::string, std::string>> sets_;
  std::vector<std::string> files_;
};

/// SIGINT and SIGTERM ask long-running commands to stop gracefully (finish the batch in
/// flight, commit, exit 0); StopRequested() tells them so.
void InstallStopSignals();
bool StopRequested();

/// Prints "hashlake: <message>" as one line on stderr.
void PrintError(const std::string& message);
/// Prints each line of a multi-line status as its own "hashlake: <file>: <line>".
void PrintErrors(const std::string& file, const arrow::Status& status);

/// The path of the running hashlake binary ("hashlake" when it cannot be read).
std::string SelfBinary();

void AddDemoCommand(CLI::App& root, CommandContext& context);
void AddProcessCommand(CLI::App& root, CommandContext& context);
void AddConfigCommand(CLI::App& root, CommandContext& context);
void AddLakeCommand(CLI::App& root, CommandContext& context);
void AddRunCommand(CLI::App& root, CommandContext& context);
void AddRunsCommand(CLI::App& root, CommandContext& context);
void AddAirflowCommand(CLI::App& root, CommandContext& context);
void AddRulesCommand(CLI::App& root, CommandContext& context);
void AddTopicsCommand(CLI::App& root, CommandContext& context);
void AddCollectCommand(CLI::App& root, CommandContext& context);
void AddLdaCommand(CLI::App& root, CommandContext& context);

}  // namespace hashlake::cli
