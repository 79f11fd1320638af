// `hashlake rules add|list|delete`: the X filtered stream's rules
// (/2/tweets/search/stream/rules). The token comes from X_BEARER_TOKEN only.

#include <fmt/core.h>

#include <memory>
#include <string>
#include <vector>

#include "hashlake/cli/command.h"
#include "hashlake/source/x_rules.h"

namespace hashlake::cli {
namespace {

struct RulesFlags {
  std::string api_url = "https://api.x.com";
  std::vector<std::string> values;
  std::vector<std::string> ids;
  std::string tag;
  bool dry_run = false;
};

/// Prints what X answered; refused rules go to stderr and make the exit code non-zero.
void Report(const source::XRulesChange& change, bool dry_run, const char* verb,
            CommandContext& context) {
  const char* prefix = dry_run ? "dry run: " : "";
  if (std::string(verb) == "add") {
    for (const source::XRule& rule : change.rules) {
      fmt::print("{}{}\t{}\t{}\n", prefix, rule.id.empty() ? "-" : rule.id, rule.value, rule.tag);
    }
    fmt::print("{}{} created, {} not created ({} valid, {} invalid)\n", prefix, change.created,
               change.not_created, change.valid, change.invalid);
  } else {
    fmt::print("{}{} deleted, {} not deleted\n", prefix, change.deleted, change.not_deleted);
  }
  for (const std::string& error : change.errors) PrintError(error);
  if (!change.ok()) context.exit_code = kExitFailure;
}

/// Runs `action` with a rules client; errors become one line and exit code 1.
template <class Action>
void WithRules(const RulesFlags& flags, CommandContext& context, Action action) {
  auto rules = source::XRules::Make(flags.api_url);
  if (!rules.ok()) {
    PrintError(rules.status().message());
    context.exit_code = rules.status().IsInvalid() ? kExitUsage : kExitFailure;
    return;
  }
  arrow::Status status = action(*rules);
  if (!status.ok()) {
    PrintError(status.message());
    context.exit_code = kExitFailure;
  }
}

}  // namespace

void AddRulesCommand(CLI::App& root, CommandContext& context) {
  auto flags = std::make_shared<RulesFlags>();
  auto* rules = root.add_subcommand(
      "rules", "Manage the X filtered stream's rules (token from X_BEARER_TOKEN)");
  rules->require_subcommand(1);
  auto add_url = [&](CLI::App* app) {
    app->add_option("--api-url", flags->api_url, "X API root")->capture_default_str();
  };

  auto* list = rules->add_subcommand("list", "List the rules: id, value, tag");
  add_url(list);
  list->callback([flags, &context] {
    WithRules(*flags, context, [](const source::XRules& client) -> arrow::Status {
      ARROW_ASSIGN_OR_RAISE(auto rules, client.List());
      for (const source::XRule& rule : rules) {
        fmt::print("{}\t{}\t{}\n", rule.id, rule.value, rule.tag);
      }
      if (rules.empty()) fmt::print("no rules\n");
      return arrow::Status::OK();
    });
  });

  auto* add = rules->add_subcommand("add", "Add rules (each VALUE is one rule)");
  add->add_option("values", flags->values, "rule values, e.g. '#bluesky lang:en'")->required();
  add->add_option("--tag", flags->tag, "a tag for every added rule");
  add->add_flag("--dry-run", flags->dry_run, "only validate the rules (X's dry_run)");
  add_url(add);
  add->callback([flags, &context] {
    WithRules(*flags, context, [&](const source::XRules& client) -> arrow::Status {
      std::vector<source::XRule> rules;
      for (const std::string& value : flags->values) rules.push_back({"", value, flags->tag});
      ARROW_ASSIGN_OR_RAISE(auto change, client.Add(rules, flags->dry_run));
      Report(change, flags->dry_run, "add", context);
      return arrow::Status::OK();
    });
  });

  auto* del = rules->add_subcommand("delete", "Delete rules by --id or by --value");
  del->add_option("--id", flags->ids, "rule ids (repeatable)");
  del->add_option("--value", flags->values, "rule values (repeatable)");
  del->add_flag("--dry-run", flags->dry_run, "only check what would be deleted");
  add_url(del);
  del->callback([flags, &context] {
    if (flags->ids.empty() == flags->values.empty()) {
      PrintError("rules delete: give --id ID... or --value VALUE... (one of them)");
      context.exit_code = kExitUsage;
      return;
    }
    WithRules(*flags, context, [&](const source::XRules& client) -> arrow::Status {
      ARROW_ASSIGN_OR_RAISE(auto change, flags->ids.empty()
                                             ? client.DeleteValues(flags->values, flags->dry_run)
                                             : client.DeleteIds(flags->ids, flags->dry_run));
      Report(change, flags->dry_run, "delete", context);
      return arrow::Status::OK();
    });
  });
}

}  // namespace hashlake::cli
