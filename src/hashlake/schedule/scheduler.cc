#include "hashlake/schedule/scheduler.h"

#include <fmt/format.h>
#include <signal.h>
#include <simdjson.h>

#include <algorithm>
#include <fstream>

#include "hashlake/core/atomic_file.h"
#include "hashlake/core/json_writer.h"
#include "hashlake/core/logging.h"

namespace hashlake::schedule {
namespace {

constexpr std::string_view kMetricsPrefix = "HASHLAKE_METRICS ";
constexpr size_t kMaxLine = 1 << 16;

// Compact UTC time for run ids and file names: 20240501T120000Z.
std::string CompactTime(Timestamp t) {
  std::string s = FormatRfc3339(t);  // 2024-05-01T12:00:00.000000Z
  std::string out;
  for (char c : s.substr(0, 19)) {
    if (c != '-' && c != ':') out += c;
  }
  return out + "Z";
}

/// Child output: appended to a log file, its tail kept, metrics lines captured.
class OutputCapture {
 public:
  OutputCapture() = default;
  void Open(const std::filesystem::path& path, size_t tail_bytes) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    log_.open(path, std::ios::binary | std::ios::app);
    path_ = path;
    tail_bytes_ = tail_bytes;
    tail_.clear();
    metrics_.clear();
    partial_.clear();
  }
  void Feed(std::string_view chunk) {
    if (chunk.empty()) return;
    if (log_) log_.write(chunk.data(), static_cast<std::streamsize>(chunk.size())).flush();
    tail_.append(chunk);
    if (tail_.size() > tail_bytes_) tail_.erase(0, tail_.size() - tail_bytes_);
    partial_.append(chunk);
    size_t start = 0;
    for (size_t nl; (nl = partial_.find('\n', start)) != std::string::npos; start = nl + 1) {
      Line(std::string_view(partial_).substr(start, nl - start));
    }
    partial_.erase(0, start);
    if (partial_.size() > kMaxLine) partial_.clear();  // no metrics line is that long
  }
  void Finish() {
    if (!partial_.empty()) Line(partial_);
    partial_.clear();
    log_.close();
  }
  const std::string& tail() const { return tail_; }
  const std::vector<std::string>& metrics() const { return metrics_; }
  std::string path() const { return path_.string(); }

 private:
  void Line(std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.substr(0, kMetricsPrefix.size()) != kMetricsPrefix) return;
    const std::string json(line.substr(kMetricsPrefix.size()));
    simdjson::dom::element doc;
    if (parser_.parse(json).get(doc) == simdjson::SUCCESS && doc.is_object()) {
      metrics_.push_back(simdjson::minify(doc));
    } else {
      Logger("schedule")->warn("ignoring a HASHLAKE_METRICS line that is not a JSON object");
    }
  }

  std::ofstream log_;
  std::filesystem::path path_;
  size_t tail_bytes_ = 4096;
  std::string tail_;
  std::string partial_;
  std::vector<std::string> metrics_;
  simdjson::dom::parser parser_;
};

enum class ServiceState { kStarting, kRunning, kBackoff, kExited, kStopped };
std::string_view ServiceStateName(ServiceState s) {
  switch (s) {
    case ServiceState::kStarting:
      return "starting";
    case ServiceState::kRunning:
      return "running";
    case ServiceState::kBackoff:
      return "backoff";
    case ServiceState::kExited:
      return "exited";
    case ServiceState::kStopped:
      return "stopped";
  }
  return "stopped";
}

struct Service {
  ServiceSpec spec;
  std::unique_ptr<Process> process;
  ServiceState state = ServiceState::kStarting;
  int restarts = 0;
  int consecutive_failures = 0;
  Timestamp started{};
  Timestamp restart_at{};
  Timestamp since{};
  std::optional<ExitStatus> last_exit;
  OutputCapture output;
};

enum class JobState { kWaiting, kRunning, kRetryWait, kSuccess, kFailed, kUpstreamFailed };

struct JobRun {
  const JobSpec* spec = nullptr;
  std::vector<JobRunSpec> runs;  // grid points, run in order
  size_t grid_pos = 0;
  int attempt = 1;
  JobState state = JobState::kWaiting;
  std::unique_ptr<Process> process;
  RunRecord record;
  OutputCapture output;
  Timestamp started{};
  std::optional<Timestamp> term_sent;
  bool kill_sent = false;
  bool timed_out = false;
  Timestamp retry_at{};
};

struct FlowRun {
  Timestamp logical{};
  std::map<std::string, JobRun> jobs;
};

struct FlowState {
  Flow flow;
  Timestamp next_tick{};
  std::deque<Timestamp> pending;
  std::optional<FlowRun> active;
};

bool Terminal(JobState s) {
  return s == JobState::kSuccess || s == JobState::kFailed || s == JobState::kUpstreamFailed;
}

}  // namespace

struct Scheduler::Impl {
  Pipeline pipeline;
  const Clock& clock;
  ProcessRunner& runner;
  SchedulerOptions options;
  std::unique_ptr<RunHistory> history;
  std::vector<Service> services;
  std::deque<FlowState> flows;   // a deque: FlowRun holds move-only children
  std::deque<RunRecord> recent;  // finished runs, newest last
  bool started = false;
  bool stopping = false;
  bool killed = false;
  Timestamp stop_deadline{};
  bool changed = true;
  Timestamp last_status_write{};

  Impl(Pipeline p, const Clock& c, ProcessRunner& r, SchedulerOptions o)
      : pipeline(std::move(p)), clock(c), runner(r), options(std::move(o)) {}

  std::filesystem::path RunsDir() const { return pipeline.data_dir / "runs"; }

  ProcessSpec SpecFor(const std::vector<std::string>& argv,
                      const std::map<std::string, std::string>& env) const {
    ProcessSpec spec;
    spec.argv = argv;
    if (!spec.argv.empty() && spec.argv[0] == "hashlake") spec.argv[0] = options.hashlake_binary;
    spec.env = env;
    spec.cwd = options.cwd;
    return spec;
  }

  // Keeps the last `recent_runs` finished runs for status.json.
  void Remember(const RunRecord& record) {
    if (!record.finished()) return;
    recent.push_back(record);
    while (recent.size() > options.recent_runs) recent.pop_front();
  }

  arrow::Status Record(const RunRecord& record) {
    Remember(record);
    changed = true;
    return history->Append(record);
  }

  // ---- services ----

  void StartService(Service& s, Timestamp now) {
    s.output.Open(RunsDir() / "services" / (s.spec.name + ".log"), options.log_tail_bytes);
    auto process = runner.Start(SpecFor(s.spec.command, s.spec.env));
    s.since = now;
    changed = true;
    if (!process.ok()) {
      s.output.Feed("hashlake: " + process.status().message() + "\n");
      s.last_exit = ExitStatus{127, 0};
      ScheduleRestart(s, now, /*failed=*/true);
      return;
    }
    s.process = std::move(*process);
    s.started = now;
    s.state = ServiceState::kRunning;
    Logger("schedule")->info("service {} started (pid {})", s.spec.name, s.process->pid());
  }

  void ScheduleRestart(Service& s, Timestamp now, bool failed) {
    const bool restart = !stopping && (s.spec.restart == RestartPolicy::kAlways ||
                                       (s.spec.restart == RestartPolicy::kOnFailure && failed));
    if (!restart) {
      s.state = stopping ? ServiceState::kStopped : ServiceState::kExited;
      return;
    }
    if (now - s.started >= s.spec.healthy_after) s.consecutive_failures = 0;
    RetryPolicy backoff{0, s.spec.restart_delay, 2.0, s.spec.max_restart_delay};
    const Micros delay = backoff.DelayBefore(s.consecutive_failures + 1);
    ++s.consecutive_failures;
    s.state = ServiceState::kBackoff;
    s.restart_at = now + delay;
    Logger("schedule")
        ->warn("service {} exited ({}); restarting in {}", s.spec.name,
               s.last_exit ? s.last_exit->exit_code : -1, FormatDuration(delay));
  }

  void TickService(Service& s, Timestamp now) {
    if (s.process) {
      s.output.Feed(s.process->ReadOutput());
      if (auto status = s.process->Poll()) {
        s.output.Feed(s.process->ReadOutput());
        s.last_exit = *status;
        s.process.reset();
        s.since = now;
        changed = true;
        ScheduleRestart(s, now, !status->ok());
      }
    }
    if (s.state == ServiceState::kBackoff && !stopping && now >= s.restart_at) {
      ++s.restarts;
      StartService(s, now);
    }
  }

  // ---- flows and jobs ----

  void Missed(FlowState& f, Timestamp tick) {
    switch (f.flow.catchup) {
      case Catchup::kNone:
        Logger("schedule")
            ->info("flow {}: skipping missed tick {}", f.flow.name, FormatRfc3339(tick));
        break;
      case Catchup::kLatest:
        f.pending.clear();
        f.pending.push_back(tick);
        break;
      case Catchup::kAll:
        f.pending.push_back(tick);
        while (f.pending.size() > static_cast<size_t>(f.flow.catchup_max)) f.pending.pop_front();
        break;
    }
  }

  void BeginFlowRun(FlowState& f, Timestamp logical) {
    FlowRun run;
    run.logical = logical;
    for (const auto& name : f.flow.jobs) {
      JobRun job;
      job.spec = pipeline.FindJob(name);
      job.runs = ExpandRuns(*job.spec);
      run.jobs.emplace(name, std::move(job));
    }
    f.active = std::move(run);
    changed = true;
  }

  RunRecord NewRecord(const FlowState& f, const JobRun& job) const {
    const JobRunSpec& point = job.runs[job.grid_pos];
    RunRecord r;
    r.job = job.spec->name;
    r.task_id = point.task_id;
    r.flow = f.flow.name;
    r.logical_time = f.active->logical;
    r.grid_index = point.grid_index;
    r.attempt = job.attempt;
    r.params = point.params;
    r.argv = point.argv;
    r.run_id =
        fmt::format("{}-{}-g{}-a{}", r.job, CompactTime(r.logical_time), r.grid_index, r.attempt);
    return r;
  }

  arrow::Status StartAttempt(FlowState& f, JobRun& job, Timestamp now) {
    job.record = NewRecord(f, job);
    job.record.start = now;
    job.record.outcome = "running";
    job.output.Open(RunsDir() / "logs" / (job.record.run_id + ".log"), options.log_tail_bytes);
    job.record.log_path = job.output.path();
    auto env = job.runs[job.grid_pos].env;
    env["HASHLAKE_RUN_ID"] = job.record.run_id;
    env["HASHLAKE_LOGICAL_TIME"] = FormatRfc3339(job.record.logical_time);
    env["HASHLAKE_ATTEMPT"] = std::to_string(job.attempt);
    job.started = now;
    job.term_sent.reset();
    job.kill_sent = false;
    job.timed_out = false;
    auto process = runner.Start(SpecFor(job.record.argv, env));
    if (!process.ok()) {
      job.output.Feed("hashlake: " + process.status().message() + "\n");
      return Finish(f, job, now, ExitStatus{127, 0});
    }
    job.process = std::move(*process);
    job.state = JobState::kRunning;
    Logger("schedule")->info("run {} started (pid {})", job.record.run_id, job.process->pid());
    return Record(job.record);
  }

  arrow::Status Finish(FlowState& f, JobRun& job, Timestamp now, ExitStatus status) {
    job.output.Finish();
    job.process.reset();
    RunRecord& r = job.record;
    r.end = now;
    r.exit_code = status.exit_code;
    r.signal = status.signal;
    r.log_tail = job.output.tail();
    r.metrics = job.output.metrics();
    if (job.timed_out) {
      r.outcome = "timeout";
    } else if (status.ok()) {
      r.outcome = "success";
    } else if (stopping && job.term_sent) {
      r.outcome = "interrupted";
    } else {
      r.outcome = "failed";
    }
    Logger("schedule")->info("run {} {} (exit {})", r.run_id, r.outcome, status.exit_code);
    ARROW_RETURN_NOT_OK(Record(r));
    if (status.ok() && !job.timed_out) {
      ++job.grid_pos;
      job.attempt = 1;
      if (job.grid_pos == job.runs.size()) {
        job.state = JobState::kSuccess;
        return arrow::Status::OK();
      }
      if (stopping) {
        job.state = JobState::kFailed;
        return arrow::Status::OK();
      }
      return StartAttempt(f, job, now);
    }
    if (!stopping && job.attempt <= job.spec->retry.retries) {
      job.retry_at = now + job.spec->retry.DelayBefore(job.attempt);
      ++job.attempt;
      job.state = JobState::kRetryWait;
    } else {
      job.state = JobState::kFailed;
    }
    return arrow::Status::OK();
  }

  arrow::Status TickJob(FlowState& f, JobRun& job, Timestamp now) {
    switch (job.state) {
      case JobState::kWaiting: {
        bool ready = true;
        bool upstream_failed = false;
        for (const auto& dep : job.spec->after) {
          const JobState s = f.active->jobs.at(dep).state;
          if (s == JobState::kFailed || s == JobState::kUpstreamFailed) upstream_failed = true;
          if (s != JobState::kSuccess) ready = false;
        }
        if (upstream_failed) {
          job.state = JobState::kUpstreamFailed;
          RunRecord r = NewRecord(f, job);
          r.end = now;
          r.outcome = "upstream_failed";
          return Record(r);
        }
        if (ready && !stopping) return StartAttempt(f, job, now);
        return arrow::Status::OK();
      }
      case JobState::kRetryWait:
        if (!stopping && now >= job.retry_at) return StartAttempt(f, job, now);
        if (stopping) job.state = JobState::kFailed;
        return arrow::Status::OK();
      case JobState::kRunning: {
        job.output.Feed(job.process->ReadOutput());
        if (auto status = job.process->Poll()) {
          job.output.Feed(job.process->ReadOutput());
          return Finish(f, job, now, *status);
        }
        const auto& timeout = job.spec->timeout;
        if (timeout && !job.term_sent && now - job.started >= *timeout) {
          Logger("schedule")
              ->warn("run {} timed out after {}: SIGTERM", job.record.run_id,
                     FormatDuration(*timeout));
          job.timed_out = true;
          job.term_sent = now;
          job.process->Signal(SIGTERM);
        } else if (job.timed_out && !job.kill_sent &&
                   now - *job.term_sent >= job.spec->kill_grace) {
          job.kill_sent = true;
          job.process->Signal(SIGKILL);
        }
        return arrow::Status::OK();
      }
      default:
        return arrow::Status::OK();
    }
  }

  arrow::Status TickFlow(FlowState& f, Timestamp now) {
    if (!stopping) {
      std::vector<Timestamp> due;
      while (f.next_tick <= now) {
        due.push_back(f.next_tick);
        f.next_tick = f.flow.trigger.Next(f.next_tick);
      }
      for (size_t i = 0; i < due.size(); ++i) {
        const bool current = i + 1 == due.size() && !f.active && f.pending.empty();
        if (current) {
          f.pending.push_back(due[i]);
        } else {
          Missed(f, due[i]);
        }
      }
      if (!f.active && !f.pending.empty()) {
        const Timestamp logical = f.pending.front();
        f.pending.pop_front();
        BeginFlowRun(f, logical);
      }
    }
    if (!f.active) return arrow::Status::OK();
    for (const auto& name : f.flow.jobs) {
      ARROW_RETURN_NOT_OK(TickJob(f, f.active->jobs.at(name), now));
    }
    bool done = true;
    bool any_running = false;
    for (const auto& [name, job] : f.active->jobs) {
      if (!Terminal(job.state)) done = false;
      if (job.process) any_running = true;
    }
    if (done || (stopping && !any_running)) {
      f.active.reset();
      changed = true;
      // A run that ended while the next tick was pending starts in the same tick.
      if (!stopping && !f.pending.empty()) return TickFlow(f, now);
    }
    return arrow::Status::OK();
  }

  bool AnyChild() const {
    for (const auto& s : services) {
      if (s.process) return true;
    }
    for (const auto& f : flows) {
      if (!f.active) continue;
      for (const auto& [name, job] : f.active->jobs) {
        if (job.process) return true;
      }
    }
    return false;
  }

  void SignalAll(int signo) {
    for (auto& s : services) {
      if (s.process) s.process->Signal(signo);
    }
    for (auto& f : flows) {
      if (!f.active) continue;
      for (auto& [name, job] : f.active->jobs) {
        if (!job.process) continue;
        if (!job.term_sent) job.term_sent = clock.Now();
        job.process->Signal(signo);
      }
    }
  }

  void WriteStatus(Timestamp now) {
    // Also every few seconds, so that service log tails and "updated" stay fresh.
    if (!changed && now - last_status_write < std::chrono::seconds{5}) return;
    changed = false;
    last_status_write = now;
    auto status = WriteFileAtomically(RunsDir() / "status.json", StatusJson());
    if (!status.ok()) Logger("schedule")->warn("cannot write status.json: {}", status.message());
  }

  std::string StatusJson() const {
    std::string out;
    JsonWriter w(&out);
    w.BeginObject();
    w.Key("pipeline");
    w.String(pipeline.name);
    w.Key("source");
    w.String(pipeline.source.string());
    w.Key("state");
    w.String(!started ? "starting" : stopping ? (AnyChild() ? "stopping" : "stopped") : "running");
    w.Key("updated");
    w.String(FormatRfc3339(clock.Now()));
    w.Key("services");
    w.BeginArray();
    for (const auto& s : services) {
      w.BeginObject();
      w.Key("name");
      w.String(s.spec.name);
      w.Key("state");
      w.String(ServiceStateName(s.state));
      w.Key("pid");
      if (s.process)
        w.Int(s.process->pid());
      else
        w.Null();
      w.Key("restarts");
      w.Int(s.restarts);
      w.Key("since");
      w.String(FormatRfc3339(s.since));
      w.Key("last_exit_code");
      if (s.last_exit)
        w.Int(s.last_exit->exit_code);
      else
        w.Null();
      w.Key("restart_policy");
      w.String(RestartPolicyName(s.spec.restart));
      w.Key("log_tail");
      w.String(s.output.tail());
      w.EndObject();
    }
    w.EndArray();
    w.Key("flows");
    w.BeginArray();
    for (const auto& f : flows) {
      w.BeginObject();
      w.Key("name");
      w.String(f.flow.name);
      w.Key("trigger");
      w.String(f.flow.trigger.Describe());
      w.Key("catchup");
      w.String(CatchupName(f.flow.catchup));
      w.Key("jobs");
      w.BeginArray();
      for (const auto& j : f.flow.jobs) w.String(j);
      w.EndArray();
      w.Key("next_run");
      w.String(FormatRfc3339(f.next_tick));
      w.Key("pending");
      w.Int(static_cast<int64_t>(f.pending.size()));
      w.Key("running");
      if (f.active)
        w.String(FormatRfc3339(f.active->logical));
      else
        w.Null();
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    // recent_runs holds raw record JSON, so it is spliced in rather than re-encoded.
    out.pop_back();
    out += ",\"recent_runs\":[";
    bool first = true;
    for (auto it = recent.rbegin(); it != recent.rend(); ++it) {
      if (!first) out += ',';
      first = false;
      out += RunRecordToJson(*it);
    }
    out += "]}";
    return out;
  }
};

Scheduler::Scheduler(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Scheduler::~Scheduler() = default;

arrow::Result<std::unique_ptr<Scheduler>> Scheduler::Make(Pipeline pipeline, const Clock& clock,
                                                          ProcessRunner& runner,
                                                          SchedulerOptions options) {
  auto impl = std::make_unique<Impl>(std::move(pipeline), clock, runner, std::move(options));
  for (const auto& spec : impl->pipeline.services) {
    Service s;
    s.spec = spec;
    impl->services.push_back(std::move(s));
  }
  for (const auto& flow : impl->pipeline.flows) impl->flows.push_back(FlowState{flow, {}, {}, {}});
  return std::unique_ptr<Scheduler>(new Scheduler(std::move(impl)));
}

arrow::Status Scheduler::Start() {
  Impl& m = *impl_;
  if (m.started) return arrow::Status::Invalid("scheduler already started");
  ARROW_ASSIGN_OR_RAISE(m.history, RunHistory::Open(HistoryPath(m.pipeline.data_dir)));
  ARROW_ASSIGN_OR_RAISE(auto runs, m.history->Load());
  const Timestamp now = m.clock.Now();
  std::map<std::string, Timestamp> last_tick;
  for (auto& r : runs) {
    auto [it, inserted] = last_tick.emplace(r.flow, r.logical_time);
    if (!inserted) it->second = std::max(it->second, r.logical_time);
    if (r.outcome == "running") {
      // The previous scheduler died with this run in flight.
      r.outcome = "abandoned";
      r.end = now;
      ARROW_RETURN_NOT_OK(m.history->Append(r));
    }
    m.Remember(r);
  }
  for (auto& f : m.flows) {
    auto it = last_tick.find(f.flow.name);
    if (it != last_tick.end() && f.flow.catchup != Catchup::kNone) {
      // Bounded: a 1s interval over a long downtime must not spin for ever.
      Timestamp t = f.flow.trigger.Next(it->second);
      for (int steps = 0; t <= now && steps < 10'000'000; ++steps) {
        m.Missed(f, t);
        t = f.flow.trigger.Next(t);
      }
      if (!f.pending.empty()) {
        Logger("schedule")
            ->info("flow {}: catching up {} missed run(s)", f.flow.name, f.pending.size());
      }
    }
    f.next_tick = f.flow.trigger.Next(now);
  }
  for (auto& s : m.services) m.StartService(s, now);
  m.started = true;
  m.changed = true;
  return Tick();
}

arrow::Status Scheduler::Tick() {
  Impl& m = *impl_;
  const Timestamp now = m.clock.Now();
  // Before polling, so that children killed here are reaped in this same tick.
  if (m.stopping && !m.killed && now >= m.stop_deadline && m.AnyChild()) {
    Logger("schedule")
        ->warn("children still running after {}: SIGKILL", FormatDuration(m.pipeline.stop_grace));
    m.killed = true;
    m.SignalAll(SIGKILL);
  }
  for (auto& s : m.services) m.TickService(s, now);
  arrow::Status result;
  for (auto& f : m.flows) {
    auto status = m.TickFlow(f, now);
    if (!status.ok() && result.ok()) result = status;  // keep the others running
  }
  m.WriteStatus(now);
  return result;
}

void Scheduler::RequestStop() {
  Impl& m = *impl_;
  if (m.stopping) return;
  m.stopping = true;
  m.changed = true;
  m.stop_deadline = m.clock.Now() + m.pipeline.stop_grace;
  for (auto& s : m.services) {
    if (s.state == ServiceState::kBackoff || s.state == ServiceState::kStarting) {
      s.state = ServiceState::kStopped;
    }
  }
  m.SignalAll(SIGTERM);
}

bool Scheduler::Stopped() const { return impl_->stopping && !impl_->AnyChild(); }

std::string Scheduler::StatusJson() const { return impl_->StatusJson(); }

std::filesystem::path Scheduler::runs_dir() const { return impl_->RunsDir(); }

arrow::Result<std::string> ReadPipelineStatus(const std::filesystem::path& data_dir,
                                              size_t recent_runs) {
  ARROW_ASSIGN_OR_RAISE(auto runs, ReadRunHistory(HistoryPath(data_dir)));
  std::string recent = "[";
  size_t count = 0;
  for (auto it = runs.rbegin(); it != runs.rend() && count < recent_runs; ++it, ++count) {
    if (count > 0) recent += ',';
    recent += RunRecordToJson(*it);
  }
  recent += "]";
  const auto status_path = data_dir / "runs" / "status.json";
  std::string base;
  if (std::filesystem::exists(status_path)) {
    ARROW_ASSIGN_OR_RAISE(base, ReadWholeFile(status_path));
    simdjson::dom::parser parser;
    simdjson::dom::object doc;
    if (parser.parse(base).get(doc) != simdjson::SUCCESS) {
      return arrow::Status::Invalid(status_path.string(), " is not a JSON object");
    }
    std::string out = "{";
    for (auto [key, value] : doc) {
      if (key == "recent_runs") continue;
      if (out.size() > 1) out += ',';
      AppendJsonString(&out, key);
      out += ':';
      out += simdjson::minify(value);
    }
    return out + ",\"recent_runs\":" + recent + "}";
  }
  return "{\"state\":\"not running\",\"services\":[],\"flows\":[],\"recent_runs\":" + recent + "}";
}

}  // namespace hashlake::schedule
