#include <fmt/core.h>

#include "hashlake/cli/command.h"

namespace hashlake::cli {

void AddConfigCommand(CLI::App& root, CommandContext& context) {
  auto* config = root.add_subcommand("config", "Inspect the configuration");
  config->require_subcommand(1);
  auto* show = config->add_subcommand(
      "show", "Print the effective configuration as TOML (secrets masked), with each key's "
              "description and origin");
  show->callback([&context] {
    auto loaded = LoadConfig(context);
    if (!loaded.ok()) {
      PrintError(loaded.status().message());
      context.exit_code = kExitUsage;
      return;
    }
    fmt::print("{}", loaded->Show());
  });
}

}  // namespace hashlake::cli
