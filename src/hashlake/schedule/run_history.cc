#include "hashlake/schedule/run_history.h"

#include <fcntl.h>
#include <simdjson.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <unordered_map>

#include "hashlake/core/json_writer.h"

namespace hashlake::schedule {
namespace {

void Field(std::string* out, std::string_view key) {
  out->push_back(',');
  AppendJsonString(out, key);
  out->push_back(':');
}

}  // namespace

std::filesystem::path HistoryPath(const std::filesystem::path& data_dir) {
  return data_dir / "runs" / "history.jsonl";
}

std::string RunRecordToJson(const RunRecord& r) {
  std::string out = "{";
  AppendJsonString(&out, "run_id");
  out.push_back(':');
  AppendJsonString(&out, r.run_id);
  Field(&out, "job");
  AppendJsonString(&out, r.job);
  Field(&out, "task_id");
  AppendJsonString(&out, r.task_id);
  Field(&out, "flow");
  AppendJsonString(&out, r.flow);
  Field(&out, "logical_time");
  AppendJsonString(&out, FormatRfc3339(r.logical_time));
  Field(&out, "grid_index");
  out += std::to_string(r.grid_index);
  Field(&out, "attempt");
  out += std::to_string(r.attempt);
  Field(&out, "params");
  out.push_back('{');
  bool first = true;
  for (const auto& [k, v] : r.params) {
    if (!first) out.push_back(',');
    first = false;
    AppendJsonString(&out, k);
    out.push_back(':');
    AppendJsonString(&out, v);
  }
  out.push_back('}');
  Field(&out, "argv");
  out.push_back('[');
  for (size_t i = 0; i < r.argv.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendJsonString(&out, r.argv[i]);
  }
  out.push_back(']');
  Field(&out, "start");
  if (r.start)
    AppendJsonString(&out, FormatRfc3339(*r.start));
  else
    out += "null";
  Field(&out, "end");
  if (r.end)
    AppendJsonString(&out, FormatRfc3339(*r.end));
  else
    out += "null";
  if (r.start && r.end) {
    Field(&out, "duration_s");
    out += std::to_string(static_cast<double>((*r.end - *r.start).count()) / 1e6);
  }
  Field(&out, "outcome");
  AppendJsonString(&out, r.outcome);
  Field(&out, "exit_code");
  out += r.exit_code ? std::to_string(*r.exit_code) : "null";
  Field(&out, "signal");
  out += std::to_string(r.signal);
  Field(&out, "log_tail");
  AppendJsonString(&out, r.log_tail);
  Field(&out, "log_path");
  AppendJsonString(&out, r.log_path);
  Field(&out, "metrics");
  out.push_back('[');
  for (size_t i = 0; i < r.metrics.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += r.metrics[i];  // validated JSON, minified when captured
  }
  out += "]}";
  return out;
}

arrow::Result<RunRecord> ParseRunRecord(std::string_view json_line) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto error = parser.parse(json_line.data(), json_line.size()).get(doc)) {
    return arrow::Status::Invalid("run history line: ", simdjson::error_message(error));
  }
  auto string_at = [&](const char* key, std::string* out) -> arrow::Status {
    std::string_view v;
    if (doc[key].get_string().get(v)) {
      return arrow::Status::Invalid("run history line: '", key, "' missing or not a string");
    }
    *out = std::string(v);
    return arrow::Status::OK();
  };
  auto time_at = [&](const char* key) -> arrow::Result<std::optional<Timestamp>> {
    simdjson::dom::element e;
    if (doc[key].get(e) || e.is_null()) return std::optional<Timestamp>{};
    std::string_view v;
    if (e.get_string().get(v)) return arrow::Status::Invalid("run history: bad '", key, "'");
    ARROW_ASSIGN_OR_RAISE(auto t, ParseRfc3339(v));
    return std::optional<Timestamp>(t);
  };
  RunRecord r;
  ARROW_RETURN_NOT_OK(string_at("run_id", &r.run_id));
  ARROW_RETURN_NOT_OK(string_at("job", &r.job));
  ARROW_RETURN_NOT_OK(string_at("outcome", &r.outcome));
  (void)string_at("task_id", &r.task_id);
  (void)string_at("flow", &r.flow);
  (void)string_at("log_tail", &r.log_tail);
  (void)string_at("log_path", &r.log_path);
  ARROW_ASSIGN_OR_RAISE(auto logical, time_at("logical_time"));
  if (logical) r.logical_time = *logical;
  ARROW_ASSIGN_OR_RAISE(r.start, time_at("start"));
  ARROW_ASSIGN_OR_RAISE(r.end, time_at("end"));
  int64_t n = 0;
  if (!doc["grid_index"].get_int64().get(n)) r.grid_index = static_cast<int>(n);
  if (!doc["attempt"].get_int64().get(n)) r.attempt = static_cast<int>(n);
  if (!doc["exit_code"].get_int64().get(n)) r.exit_code = static_cast<int>(n);
  if (!doc["signal"].get_int64().get(n)) r.signal = static_cast<int>(n);
  simdjson::dom::object params;
  if (!doc["params"].get_object().get(params)) {
    for (auto [k, v] : params) {
      std::string_view s;
      if (!v.get_string().get(s)) r.params[std::string(k)] = std::string(s);
    }
  }
  simdjson::dom::array argv;
  if (!doc["argv"].get_array().get(argv)) {
    for (auto v : argv) {
      std::string_view s;
      if (!v.get_string().get(s)) r.argv.emplace_back(s);
    }
  }
  simdjson::dom::array metrics;
  if (!doc["metrics"].get_array().get(metrics)) {
    for (auto v : metrics) r.metrics.push_back(simdjson::minify(v));
  }
  return r;
}

arrow::Result<std::unique_ptr<RunHistory>> RunHistory::Open(const std::filesystem::path& path) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) {
    return arrow::Status::IOError("cannot create ", path.parent_path().string(), ": ",
                                  ec.message());
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    return arrow::Status::IOError("cannot open run history ", path.string(), ": ",
                                  std::strerror(errno));
  }
  // A torn line left by a crash would glue onto the next record: end it first.
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (in && in.tellg() > 0) {
    in.seekg(-1, std::ios::end);
    char last = 0;
    in.get(last);
    if (last != '\n') (void)!::write(fd, "\n", 1);
  }
  return std::unique_ptr<RunHistory>(new RunHistory(path, fd));
}

RunHistory::~RunHistory() {
  if (fd_ >= 0) ::close(fd_);
}

arrow::Status RunHistory::Append(const RunRecord& record) {
  std::string line = RunRecordToJson(record);
  line.push_back('\n');
  size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return arrow::Status::IOError("cannot append to ", path_.string(), ": ",
                                    std::strerror(errno));
    }
    done += static_cast<size_t>(n);
  }
  if (::fdatasync(fd_) != 0) {
    return arrow::Status::IOError("cannot sync ", path_.string(), ": ", std::strerror(errno));
  }
  return arrow::Status::OK();
}

arrow::Result<std::vector<RunRecord>> RunHistory::Load() const { return ReadRunHistory(path_); }

arrow::Result<std::vector<RunRecord>> ReadRunHistory(const std::filesystem::path& path) {
  std::vector<RunRecord> runs;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (!std::filesystem::exists(path)) return runs;
    return arrow::Status::IOError("cannot read run history ", path.string());
  }
  std::unordered_map<std::string, size_t> index;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    auto record = ParseRunRecord(line);
    if (!record.ok()) continue;  // a torn line from a crash mid-append
    auto [it, inserted] = index.emplace(record->run_id, runs.size());
    if (inserted) {
      runs.push_back(std::move(*record));
    } else {
      runs[it->second] = std::move(*record);
    }
  }
  return runs;
}

}  // namespace hashlake::schedule
