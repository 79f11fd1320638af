// hashlake: streaming social-media analytics in one binary. See README.md.
#include <sstream>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "hashlake/cli/command.h"
#include "hashlake/core/version.h"

namespace {

// The deepest subcommand the user named, so that errors list its own options.
const CLI::App* DeepestParsed(const CLI::App* app) {
  for (const CLI::App* sub : app->get_subcommands()) return DeepestParsed(sub);
  return app;
}

std::string AllowedOptions(const CLI::App* app) {
  std::string out;
  for (const CLI::Option* option : app->get_options()) {
    std::string name = option->get_name(false, false);
    if (name.empty() || name[0] != '-') continue;
    if (!out.empty()) out += ", ";
    out += option->get_name(false, true).substr(0, option->get_name(false, true).find(','));
  }
  return out;
}

// One line naming what was wrong and what is allowed, instead of CLI11's two.
std::string OneLineFailure(const CLI::App* root, const CLI::Error& error) {
  const CLI::App* app = DeepestParsed(root);
  std::string where = app == root ? "hashlake" : "hashlake " + app->get_name();
  if (app->get_parent() != nullptr && app->get_parent() != root) {
    where = "hashlake " + app->get_parent()->get_name() + " " + app->get_name();
  }
  if (dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr) {
    std::string what = error.what();
    const auto colon = what.find(": ");
    std::istringstream words(colon == std::string::npos ? what : what.substr(colon + 2));
    // Name the unknown options; stray values are usually just their arguments.
    std::string options, values;
    for (std::string word; words >> word;) {
      std::string& list = word[0] == '-' ? options : values;
      list += (list.empty() ? "" : " ") + word;
    }
    const std::string extras = options.empty() ? values : options;
    std::string allowed = AllowedOptions(app);
    std::string commands;
    for (const CLI::App* sub : app->get_subcommands({})) {
      commands += (commands.empty() ? "" : ", ") + sub->get_name();
    }
    if (!commands.empty()) allowed += (allowed.empty() ? "" : "; commands: ") + commands;
    return fmt::format("{}: unknown {} {} (allowed: {})\n", where,
                       options.empty() ? "argument" : "option", extras, allowed);
  }
  return fmt::format("{}: {} (see {} --help)\n", where, error.what(), where);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"hashlake: live posts -> durable log -> event-time windows -> Delta Lake -> "
               "dashboard, in one binary"};
  app.name("hashlake");
  app.set_version_flag("--version", std::string("hashlake ") + hashlake::kVersion);
  app.require_subcommand(1);
  app.failure_message(OneLineFailure);
  app.fallthrough();  // --config and --set also work after the command name

  hashlake::cli::CommandContext context;
  app.add_option("--config", context.config_path,
                 "TOML configuration file (default: ./hashlake.toml when present)")
      ->check(CLI::ExistingFile);
  app.add_option("--set", context.sets,
                 "Override one configuration key, e.g. --set stream.window=5m (repeatable; "
                 "`hashlake config show` lists the keys)")
      ->allow_extra_args(false);

  hashlake::cli::AddDemoCommand(app, context);
  hashlake::cli::AddProcessCommand(app, context);
  hashlake::cli::AddConfigCommand(app, context);
  hashlake::cli::AddLakeCommand(app, context);
  hashlake::cli::AddRunCommand(app, context);
  hashlake::cli::AddRunsCommand(app, context);
  hashlake::cli::AddAirflowCommand(app, context);
  hashlake::cli::AddRulesCommand(app, context);
  hashlake::cli::AddTopicsCommand(app, context);
  hashlake::cli::AddCollectCommand(app, context);
  hashlake::cli::AddLdaCommand(app, context);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? 0 : hashlake::cli::kExitUsage;
  }
  return context.exit_code;
}
