#include "hashlake/schedule/pipeline.h"

#include <fmt/format.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <set>
#include <sstream>
#include <tuple>

#include "hashlake/core/atomic_file.h"

namespace hashlake::schedule {
namespace {

const std::vector<std::string> kTopKeys = {"pipeline", "params", "services", "jobs"};
const std::vector<std::string> kPipelineKeys = {"name", "data_dir", "stop_grace", "start_date"};
const std::vector<std::string> kServiceKeys = {
    "command", "shell", "env", "restart", "restart_delay", "max_restart_delay", "healthy_after"};
const std::vector<std::string> kJobKeys = {
    "command",       "shell",           "env",     "schedule",
    "interval",      "after",           "retries", "retry_delay",
    "retry_backoff", "max_retry_delay", "timeout", "kill_grace",
    "catchup",       "catchup_max",     "params",  "grid"};

// toml++ keeps a table's keys sorted; order them as the file wrote them instead.
std::vector<std::pair<std::string, const toml::node*>> InFileOrder(const toml::table* table) {
  std::vector<std::pair<std::string, const toml::node*>> out;
  if (table == nullptr) return out;
  for (const auto& [key, node] : *table) out.emplace_back(std::string(key.str()), &node);
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    const auto& x = a.second->source().begin;
    const auto& y = b.second->source().begin;
    return std::tie(x.line, x.column) < std::tie(y.line, y.column);
  });
  return out;
}

std::string Join(const std::vector<std::string>& items, std::string_view sep = ", ") {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += sep;
    out += item;
  }
  return out;
}

bool ValidName(std::string_view name) {
  if (name.empty() || name.size() > 100) return false;
  return std::all_of(name.begin(), name.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '-'; });
}

// Collects every error instead of stopping at the first, so --check lists them all.
class Errors {
 public:
  void Add(std::string message) { lines_.push_back(std::move(message)); }
  bool empty() const { return lines_.empty(); }
  arrow::Status ToStatus() const { return arrow::Status::Invalid(Join(lines_, "\n")); }

 private:
  std::vector<std::string> lines_;
};

void CheckKeys(const toml::table& table, const std::string& where,
               const std::vector<std::string>& allowed, Errors* errors) {
  for (const auto& [key, node] : table) {
    const std::string k(key.str());
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
      errors->Add(fmt::format("{}{}: unknown key (allowed: {})", where.empty() ? "" : where + ".",
                              k, Join(allowed)));
    }
  }
}

std::optional<std::string> ScalarText(const toml::node& node) {
  if (auto s = node.as_string()) return s->get();
  if (auto i = node.as_integer()) return std::to_string(i->get());
  if (auto f = node.as_floating_point()) return fmt::format("{}", f->get());
  if (auto b = node.as_boolean()) return std::string(b->get() ? "true" : "false");
  return std::nullopt;
}

std::optional<std::string> GetString(const toml::table& table, std::string_view key,
                                     const std::string& where, Errors* errors) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return std::nullopt;
  if (auto s = node->as_string()) return s->get();
  errors->Add(fmt::format("{}.{}: must be a string", where, key));
  return std::nullopt;
}

void GetDuration(const toml::table& table, std::string_view key, const std::string& where,
                 Micros* out, Errors* errors, bool allow_zero = false) {
  auto text = GetString(table, key, where, errors);
  if (!text) return;
  auto parsed = ParseDuration(*text);
  if (!parsed.ok()) {
    errors->Add(fmt::format("{}.{}: {}", where, key, parsed.status().message()));
  } else if (*parsed < Micros{0} || (!allow_zero && *parsed == Micros{0})) {
    errors->Add(fmt::format("{}.{}: must be {} (got '{}')", where, key,
                            allow_zero ? "zero or more" : "more than zero", *text));
  } else {
    *out = *parsed;
  }
}

std::optional<int64_t> GetInt(const toml::table& table, std::string_view key,
                              const std::string& where, int64_t min, int64_t max, Errors* errors) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return std::nullopt;
  auto i = node->as_integer();
  if (i == nullptr || i->get() < min || i->get() > max) {
    errors->Add(fmt::format("{}.{}: must be an integer from {} to {}", where, key, min, max));
    return std::nullopt;
  }
  return i->get();
}

void GetStringMap(const toml::table& table, std::string_view key, const std::string& where,
                  std::map<std::string, std::string>* out, Errors* errors) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return;
  const toml::table* sub = node->as_table();
  if (sub == nullptr) {
    errors->Add(fmt::format("{}.{}: must be a table of name = value", where, key));
    return;
  }
  for (const auto& [k, v] : *sub) {
    auto text = ScalarText(v);
    if (!text) {
      errors->Add(
          fmt::format("{}.{}.{}: must be a string, number or boolean", where, key, k.str()));
    } else {
      (*out)[std::string(k.str())] = *text;
    }
  }
}

// `command` (an argv array) or `shell` (one string run by /bin/sh -c), exactly one.
std::vector<std::string> GetCommand(const toml::table& table, const std::string& where,
                                    Errors* errors) {
  const toml::node* command = table.get("command");
  const toml::node* shell = table.get("shell");
  if ((command == nullptr) == (shell == nullptr)) {
    errors->Add(
        fmt::format("{}: give exactly one of command (an argv array) or shell (a "
                    "string run by /bin/sh -c)",
                    where));
    return {};
  }
  if (shell != nullptr) {
    auto s = shell->as_string();
    if (s == nullptr || s->get().empty()) {
      errors->Add(fmt::format("{}.shell: must be a non-empty string", where));
      return {};
    }
    return {"/bin/sh", "-c", s->get()};
  }
  std::vector<std::string> argv;
  const toml::array* array = command->as_array();
  if (array == nullptr || array->empty()) {
    errors->Add(
        fmt::format("{}.command: must be a non-empty array of strings, e.g. "
                    "[\"hashlake\", \"lake\", \"optimize\", \"posts\"]",
                    where));
    return {};
  }
  for (const auto& element : *array) {
    auto text = ScalarText(element);
    if (!text) {
      errors->Add(fmt::format("{}.command: elements must be strings or numbers", where));
      return {};
    }
    argv.push_back(*text);
  }
  return argv;
}

using Lookup = std::function<arrow::Result<std::string>(const std::string&)>;

// Replaces {name} with lookup(name); "{{" and "}}" are literal braces.
arrow::Result<std::string> Substitute(const std::string& text, const Lookup& lookup) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      out += c;
      ++i;
      continue;
    }
    if (c != '{') {
      out += c;
      continue;
    }
    const size_t close = text.find('}', i);
    if (close == std::string::npos) {
      return arrow::Status::Invalid("unclosed '{' in '", text, "' (write {{ for a literal brace)");
    }
    ARROW_ASSIGN_OR_RAISE(auto value, lookup(text.substr(i + 1, close - i - 1)));
    out += value;
    i = close;
  }
  return out;
}

arrow::Result<std::string> Substitute(const std::string& text,
                                      const std::map<std::string, std::string>& params) {
  return Substitute(text, [&](const std::string& name) -> arrow::Result<std::string> {
    auto it = params.find(name);
    if (it == params.end()) {
      std::vector<std::string> known;
      for (const auto& [k, v] : params) known.push_back(k);
      return arrow::Status::Invalid("unknown parameter {", name, "} (known: ", Join(known), ")");
    }
    return it->second;
  });
}

// Parameters may refer to each other ({data_dir}/lake): resolves `raw` in place, once each;
// names not in `raw` come from `base`, already resolved.
void ResolveParams(std::map<std::string, std::string>* params,
                   const std::map<std::string, std::string>& base, const std::string& where,
                   Errors* errors) {
  const std::map<std::string, std::string> raw = *params;
  std::map<std::string, std::string> done;
  std::set<std::string> active;
  std::function<arrow::Result<std::string>(const std::string&)> resolve =
      [&](const std::string& name) -> arrow::Result<std::string> {
    if (auto it = done.find(name); it != done.end()) return it->second;
    auto it = raw.find(name);
    if (it == raw.end()) {
      if (auto b = base.find(name); b != base.end()) return b->second;
      std::set<std::string> known;
      for (const auto& [k, v] : raw) known.insert(k);
      for (const auto& [k, v] : base) known.insert(k);
      return arrow::Status::Invalid("unknown parameter {", name,
                                    "} (known: ", Join({known.begin(), known.end()}), ")");
    }
    if (!active.insert(name).second) {
      return arrow::Status::Invalid("parameter {", name, "} refers to itself");
    }
    auto value = Substitute(it->second, resolve);
    active.erase(name);
    if (value.ok()) done[name] = *value;
    return value;
  };
  for (const auto& [name, value] : raw) {
    auto resolved = resolve(name);
    if (!resolved.ok()) {
      errors->Add(fmt::format("{}{}: {}", where, name, resolved.status().message()));
      active.clear();
    }
  }
  for (auto& [name, value] : *params) {
    if (auto it = done.find(name); it != done.end()) value = it->second;
  }
}

bool ProgramExists(const std::string& program) {
  if (program == "hashlake") return true;  // this binary
  if (program.find('/') != std::string::npos) return ::access(program.c_str(), X_OK) == 0;
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    if (dir.empty()) dir = ".";
    if (::access((std::filesystem::path(dir) / program).c_str(), X_OK) == 0) return true;
  }
  return false;
}

std::string SanitizeTaskPart(const std::string& text) {
  std::string out;
  for (unsigned char c : text) out += std::isalnum(c) || c == '-' ? static_cast<char>(c) : '_';
  return out;
}

void ParseRetry(const toml::table& table, const std::string& where, RetryPolicy* retry,
                Errors* errors) {
  if (auto n = GetInt(table, "retries", where, 0, 100, errors))
    retry->retries = static_cast<int>(*n);
  GetDuration(table, "retry_delay", where, &retry->delay, errors, /*allow_zero=*/true);
  GetDuration(table, "max_retry_delay", where, &retry->max_delay, errors);
  if (const toml::node* node = table.get("retry_backoff")) {
    std::optional<double> value;
    if (auto f = node->as_floating_point()) value = f->get();
    if (auto i = node->as_integer()) value = static_cast<double>(i->get());
    if (!value || *value < 1.0 || *value > 100.0) {
      errors->Add(
          fmt::format("{}.retry_backoff: must be a number from 1 (fixed delay) to 100 "
                      "(multiplier per retry)",
                      where));
    } else {
      retry->backoff = *value;
    }
  }
}

std::optional<RestartPolicy> ParseRestart(std::string_view text) {
  if (text == "always") return RestartPolicy::kAlways;
  if (text == "on-failure") return RestartPolicy::kOnFailure;
  if (text == "never") return RestartPolicy::kNever;
  return std::nullopt;
}

std::optional<Catchup> ParseCatchup(std::string_view text) {
  if (text == "none") return Catchup::kNone;
  if (text == "latest") return Catchup::kLatest;
  if (text == "all") return Catchup::kAll;
  return std::nullopt;
}

void CheckCommandParams(const std::vector<std::string>& command,
                        const std::map<std::string, std::string>& params, const std::string& where,
                        const LoadOptions& options, Errors* errors) {
  std::vector<std::string> argv;
  for (const auto& arg : command) {
    auto substituted = Substitute(arg, params);
    if (!substituted.ok()) {
      errors->Add(fmt::format("{}.command: {}", where, substituted.status().message()));
      return;
    }
    argv.push_back(*substituted);
  }
  if (options.check_programs && !argv.empty() && !ProgramExists(argv[0])) {
    errors->Add(
        fmt::format("{}.command: program '{}' not found{} (allowed: \"hashlake\", a "
                    "program on PATH, or a path to an executable)",
                    where, argv[0], argv[0].find('/') == std::string::npos ? " on PATH" : ""));
  }
}

// Groups jobs into flows and orders them; reports cycles, unknown dependencies and roots
// whose triggers differ.
void BuildFlows(Pipeline* pipeline, Errors* errors) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < pipeline->jobs.size(); ++i) index[pipeline->jobs[i].name] = i;
  bool bad_edges = false;
  for (const auto& job : pipeline->jobs) {
    for (const auto& dep : job.after) {
      if (!index.count(dep)) {
        std::vector<std::string> names;
        for (const auto& j : pipeline->jobs)
          if (j.name != job.name) names.push_back(j.name);
        errors->Add(fmt::format("jobs.{}.after: unknown job '{}' (allowed: {})", job.name, dep,
                                names.empty() ? "no other jobs" : Join(names)));
        bad_edges = true;
      } else if (dep == job.name) {
        errors->Add(fmt::format("jobs.{}.after: a job cannot run after itself", job.name));
        bad_edges = true;
      }
    }
  }
  if (bad_edges) return;
  // Cycle detection by depth-first search, reporting the cycle's path.
  std::vector<int> color(pipeline->jobs.size(), 0);
  std::vector<std::string> stack;
  bool cycle = false;
  std::function<void(size_t)> visit = [&](size_t i) {
    if (cycle) return;
    color[i] = 1;
    stack.push_back(pipeline->jobs[i].name);
    for (const auto& dep : pipeline->jobs[i].after) {
      const size_t d = index[dep];
      if (color[d] == 1) {
        auto from = std::find(stack.begin(), stack.end(), dep);
        std::vector<std::string> path(from, stack.end());
        path.push_back(dep);
        errors->Add(
            fmt::format("jobs.{}.after: dependency cycle {} (allowed: a graph without "
                        "cycles)",
                        pipeline->jobs[i].name, Join(path, " -> ")));
        cycle = true;
        return;
      }
      if (color[d] == 0) visit(d);
      if (cycle) return;
    }
    stack.pop_back();
    color[i] = 2;
  };
  for (size_t i = 0; i < pipeline->jobs.size() && !cycle; ++i) {
    if (color[i] == 0) visit(i);
  }
  if (cycle) return;
  // Connected components (edges taken both ways), in file order of their first job.
  std::vector<int> component(pipeline->jobs.size(), -1);
  std::vector<std::vector<size_t>> neighbours(pipeline->jobs.size());
  for (size_t i = 0; i < pipeline->jobs.size(); ++i) {
    for (const auto& dep : pipeline->jobs[i].after) {
      neighbours[i].push_back(index[dep]);
      neighbours[index[dep]].push_back(i);
    }
  }
  int components = 0;
  for (size_t i = 0; i < pipeline->jobs.size(); ++i) {
    if (component[i] != -1) continue;
    std::vector<size_t> todo = {i};
    component[i] = components;
    while (!todo.empty()) {
      size_t n = todo.back();
      todo.pop_back();
      for (size_t m : neighbours[n]) {
        if (component[m] == -1) {
          component[m] = components;
          todo.push_back(m);
        }
      }
    }
    ++components;
  }
  for (int c = 0; c < components; ++c) {
    std::vector<size_t> members;
    for (size_t i = 0; i < pipeline->jobs.size(); ++i) {
      if (component[i] == c) members.push_back(i);
    }
    const JobSpec* root = nullptr;
    bool ok = true;
    for (size_t i : members) {
      const JobSpec& job = pipeline->jobs[i];
      if (!job.after.empty()) continue;
      if (!job.trigger) {
        ok = false;  // reported where the job was parsed
        continue;
      }
      if (root == nullptr) {
        root = &job;
      } else if (job.schedule_text != root->schedule_text || job.catchup != root->catchup ||
                 job.catchup_max != root->catchup_max) {
        errors->Add(
            fmt::format("jobs.{}.schedule: '{}' differs from '{}' of job {}, in the same "
                        "dependency graph (allowed: one schedule and catchup per "
                        "connected group of jobs)",
                        job.name, job.schedule_text, root->schedule_text, root->name));
        ok = false;
      }
    }
    if (!ok || root == nullptr) continue;
    Flow flow{root->name, *root->trigger, root->catchup, root->catchup_max, {}};
    // Kahn's algorithm, lowest file index first, so the order is stable.
    std::set<size_t> done;
    while (done.size() < members.size()) {
      for (size_t i : members) {
        if (done.count(i)) continue;
        const auto& after = pipeline->jobs[i].after;
        if (std::all_of(after.begin(), after.end(),
                        [&](const std::string& d) { return done.count(index[d]) > 0; })) {
          done.insert(i);
          flow.jobs.push_back(pipeline->jobs[i].name);
          break;
        }
      }
    }
    pipeline->flows.push_back(std::move(flow));
  }
}

}  // namespace

Micros RetryPolicy::DelayBefore(int retry_number) const {
  const double factor = std::pow(backoff, std::max(0, retry_number - 1));
  const double micros = static_cast<double>(delay.count()) * factor;
  if (!std::isfinite(micros) || micros >= static_cast<double>(max_delay.count())) return max_delay;
  return Micros{static_cast<int64_t>(micros)};
}

std::string_view CatchupName(Catchup catchup) {
  switch (catchup) {
    case Catchup::kNone:
      return "none";
    case Catchup::kLatest:
      return "latest";
    case Catchup::kAll:
      return "all";
  }
  return "none";
}

std::string_view RestartPolicyName(RestartPolicy policy) {
  switch (policy) {
    case RestartPolicy::kAlways:
      return "always";
    case RestartPolicy::kOnFailure:
      return "on-failure";
    case RestartPolicy::kNever:
      return "never";
  }
  return "never";
}

const JobSpec* Pipeline::FindJob(std::string_view name) const {
  for (const auto& job : jobs) {
    if (job.name == name) return &job;
  }
  return nullptr;
}

std::vector<JobRunSpec> ExpandRuns(const JobSpec& job) {
  // Odometer over the grid axes; one point when there is no grid.
  std::vector<size_t> position(job.grid.size(), 0);
  std::vector<JobRunSpec> runs;
  while (true) {
    JobRunSpec run;
    run.job = job.name;
    run.grid_index = static_cast<int>(runs.size());
    run.params = job.params;
    run.task_id = job.name;
    for (size_t axis = 0; axis < job.grid.size(); ++axis) {
      const auto& [key, values] = job.grid[axis];
      run.params[key] = values[position[axis]];
      run.task_id += "__" + SanitizeTaskPart(key) + "_" + SanitizeTaskPart(values[position[axis]]);
    }
    for (const auto& arg : job.command) {
      // Validated at load: substitution cannot fail here.
      run.argv.push_back(Substitute(arg, run.params).ValueOr(arg));
    }
    run.env = job.env;
    run.env["HASHLAKE_JOB"] = job.name;
    for (const auto& [key, value] : run.params) {
      std::string name = "HASHLAKE_PARAM_";
      for (unsigned char c : key)
        name += std::isalnum(c) ? static_cast<char>(std::toupper(c)) : '_';
      run.env[name] = value;
    }
    runs.push_back(std::move(run));
    size_t axis = job.grid.size();
    while (axis > 0) {
      --axis;
      if (++position[axis] < job.grid[axis].second.size()) break;
      position[axis] = 0;
      if (axis == 0) return runs;
    }
    if (job.grid.empty()) return runs;
  }
}

arrow::Result<Pipeline> ParsePipeline(std::string_view toml_text,
                                      const std::filesystem::path& source,
                                      const LoadOptions& options) {
  toml::table root;
  try {
    root = toml::parse(toml_text, source.string());
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    return arrow::Status::Invalid(source.string(), ":", where.line, ":", where.column, ": ",
                                  e.description());
  }
  Errors errors;
  Pipeline pipeline;
  pipeline.source = source;
  CheckKeys(root, "", kTopKeys, &errors);

  if (const toml::node* node = root.get("pipeline")) {
    if (const toml::table* table = node->as_table()) {
      CheckKeys(*table, "pipeline", kPipelineKeys, &errors);
      if (auto name = GetString(*table, "name", "pipeline", &errors)) {
        if (ValidName(*name)) {
          pipeline.name = *name;
        } else {
          errors.Add("pipeline.name: must be 1-100 letters, digits, '_' or '-'");
        }
      }
      if (auto dir = GetString(*table, "data_dir", "pipeline", &errors)) pipeline.data_dir = *dir;
      GetDuration(*table, "stop_grace", "pipeline", &pipeline.stop_grace, &errors);
      if (auto date = GetString(*table, "start_date", "pipeline", &errors)) {
        if (ParseRfc3339(*date + "T00:00:00Z").ok()) {
          pipeline.start_date = *date;
        } else {
          errors.Add(
              fmt::format("pipeline.start_date: '{}' is not a date (allowed: YYYY-MM-DD)", *date));
        }
      }
    } else {
      errors.Add("pipeline: must be a table");
    }
  }
  if (options.data_dir) pipeline.data_dir = *options.data_dir;
  pipeline.params["data_dir"] = pipeline.data_dir.string();
  GetStringMap(root, "params", "", &pipeline.params, &errors);
  ResolveParams(&pipeline.params, {}, "params.", &errors);

  if (const toml::node* node = root.get("services")) {
    const toml::table* services = node->as_table();
    if (services == nullptr) errors.Add("services: must be a table of [services.NAME]");
    for (const auto& [key, node_ptr] : InFileOrder(services)) {
      const toml::node& value = *node_ptr;
      ServiceSpec service;
      service.name = key;
      const std::string where = "services." + service.name;
      const toml::table* table = value.as_table();
      if (!ValidName(service.name)) {
        errors.Add(where + ": the name must be 1-100 letters, digits, '_' or '-'");
      }
      if (table == nullptr) {
        errors.Add(where + ": must be a table");
        continue;
      }
      CheckKeys(*table, where, kServiceKeys, &errors);
      const auto command = GetCommand(*table, where, &errors);
      CheckCommandParams(command, pipeline.params, where, options, &errors);
      for (const auto& arg : command) {
        service.command.push_back(Substitute(arg, pipeline.params).ValueOr(arg));
      }
      GetStringMap(*table, "env", where, &service.env, &errors);
      if (auto restart = GetString(*table, "restart", where, &errors)) {
        if (auto policy = ParseRestart(*restart)) {
          service.restart = *policy;
        } else {
          errors.Add(fmt::format("{}.restart: '{}' (allowed: always, on-failure, never)", where,
                                 *restart));
        }
      }
      GetDuration(*table, "restart_delay", where, &service.restart_delay, &errors);
      GetDuration(*table, "max_restart_delay", where, &service.max_restart_delay, &errors);
      GetDuration(*table, "healthy_after", where, &service.healthy_after, &errors);
      pipeline.services.push_back(std::move(service));
    }
  }

  if (const toml::node* node = root.get("jobs")) {
    const toml::table* jobs = node->as_table();
    if (jobs == nullptr) errors.Add("jobs: must be a table of [jobs.NAME]");
    for (const auto& [key, node_ptr] : InFileOrder(jobs)) {
      const toml::node& value = *node_ptr;
      JobSpec job;
      job.name = key;
      const std::string where = "jobs." + job.name;
      const toml::table* table = value.as_table();
      if (!ValidName(job.name)) {
        errors.Add(where + ": the name must be 1-100 letters, digits, '_' or '-'");
      }
      if (table == nullptr) {
        errors.Add(where + ": must be a table");
        continue;
      }
      CheckKeys(*table, where, kJobKeys, &errors);
      job.command = GetCommand(*table, where, &errors);
      GetStringMap(*table, "env", where, &job.env, &errors);
      job.params = pipeline.params;
      std::map<std::string, std::string> own;
      GetStringMap(*table, "params", where, &own, &errors);
      ResolveParams(&own, pipeline.params, where + ".params.", &errors);
      for (const auto& [k, v] : own) job.params[k] = v;
      if (const toml::node* grid = table->get("grid")) {
        const toml::table* axes = grid->as_table();
        if (axes == nullptr) errors.Add(where + ".grid: must be a table of name = [values]");
        size_t points = 1;
        for (const auto& [axis, values_ptr] : InFileOrder(axes)) {
          const toml::node& values = *values_ptr;
          const toml::array* array = values.as_array();
          std::vector<std::string> texts;
          for (const auto& v : array ? *array : toml::array{}) {
            if (auto t = ScalarText(v)) texts.push_back(*t);
          }
          if (array == nullptr || texts.empty() || texts.size() != array->size()) {
            errors.Add(fmt::format("{}.grid.{}: must be a non-empty array of strings or numbers",
                                   where, axis));
            continue;
          }
          points *= texts.size();
          job.grid.emplace_back(axis, std::move(texts));
        }
        if (points > 1000) {
          errors.Add(
              fmt::format("{}.grid: {} combinations (allowed: at most 1000)", where, points));
        }
      }
      // Every run sets the grid's parameters: the first values stand for them here.
      auto checked = job.params;
      for (const auto& [axis, values] : job.grid) checked[axis] = values.front();
      CheckCommandParams(job.command, checked, where, options, &errors);
      if (const toml::node* after = table->get("after")) {
        const toml::array* array = after->as_array();
        if (array == nullptr) errors.Add(where + ".after: must be an array of job names");
        for (const auto& dep : array ? *array : toml::array{}) {
          if (auto s = dep.as_string()) {
            job.after.push_back(s->get());
          } else {
            errors.Add(where + ".after: must be an array of job names");
          }
        }
      }
      const auto schedule = GetString(*table, "schedule", where, &errors);
      const auto interval = GetString(*table, "interval", where, &errors);
      if (!job.after.empty()) {
        for (const char* k : {"schedule", "interval", "catchup", "catchup_max"}) {
          if (table->contains(k)) {
            errors.Add(
                fmt::format("{}.{}: not allowed on a job with `after` (it runs when the "
                            "jobs it follows succeed, on their schedule)",
                            where, k));
          }
        }
      } else if (schedule && interval) {
        errors.Add(where + ": give schedule (cron) or interval, not both");
      } else if (schedule) {
        job.schedule_text = *schedule;
        auto trigger = Trigger::FromCron(*schedule);
        if (trigger.ok()) {
          job.trigger = *trigger;
        } else {
          errors.Add(fmt::format("{}.schedule: {}", where, trigger.status().message()));
        }
      } else if (interval) {
        job.schedule_text = *interval;
        auto parsed = ParseDuration(*interval);
        auto trigger =
            parsed.ok() ? Trigger::Every(*parsed) : arrow::Result<Trigger>(parsed.status());
        if (trigger.ok()) {
          job.trigger = *trigger;
        } else {
          errors.Add(fmt::format("{}.interval: {}", where, trigger.status().message()));
        }
      } else if (table->contains("command") || table->contains("shell")) {
        errors.Add(where +
                   ": needs schedule (a cron expression), interval (e.g. \"10m\") or "
                   "after (a list of jobs)");
      }
      ParseRetry(*table, where, &job.retry, &errors);
      if (table->contains("timeout")) {
        Micros timeout{0};
        GetDuration(*table, "timeout", where, &timeout, &errors);
        if (timeout > Micros{0}) job.timeout = timeout;
      }
      GetDuration(*table, "kill_grace", where, &job.kill_grace, &errors);
      if (auto catchup = GetString(*table, "catchup", where, &errors)) {
        if (auto policy = ParseCatchup(*catchup)) {
          job.catchup = *policy;
        } else {
          errors.Add(fmt::format("{}.catchup: '{}' (allowed: none, latest, all)", where, *catchup));
        }
      }
      if (auto max = GetInt(*table, "catchup_max", where, 1, 10000, &errors)) {
        job.catchup_max = static_cast<int>(*max);
      }
      pipeline.jobs.push_back(std::move(job));
    }
  }
  if (pipeline.services.empty() && pipeline.jobs.empty()) {
    errors.Add("pipeline has no [services.NAME] and no [jobs.NAME] (allowed: at least one)");
  }
  if (errors.empty()) BuildFlows(&pipeline, &errors);
  if (!errors.empty()) return errors.ToStatus();
  return pipeline;
}

arrow::Result<Pipeline> LoadPipeline(const std::filesystem::path& path,
                                     const LoadOptions& options) {
  auto text = ReadWholeFile(path);
  if (!text.ok()) {
    return arrow::Status::IOError("cannot read pipeline file ", path.string(), ": ",
                                  text.status().message());
  }
  return ParsePipeline(*text, path, options);
}

}  // namespace hashlake::schedule
