#include "hashlake/lake/actions.h"

#include <charconv>
#include <chrono>
#include <cstdio>

#include <arrow/status.h>

#include "hashlake/lake/json_util.h"

namespace hashlake::lake {
namespace {

void AppendStringMap(std::string* out, const std::map<std::string, std::string>& m) {
  out->push_back('{');
  bool first = true;
  for (const auto& [k, v] : m) {
    if (!first) out->push_back(',');
    first = false;
    AppendJsonString(out, k);
    out->push_back(':');
    AppendJsonString(out, v);
  }
  out->push_back('}');
}

void AppendPartitionValues(std::string* out, const PartitionValues& m) {
  out->push_back('{');
  bool first = true;
  for (const auto& [k, v] : m) {
    if (!first) out->push_back(',');
    first = false;
    AppendJsonString(out, k);
    out->push_back(':');
    if (v.has_value()) {
      AppendJsonString(out, *v);
    } else {
      out->append("null");
    }
  }
  out->push_back('}');
}

void AppendStringArray(std::string* out, const std::vector<std::string>& v) {
  out->push_back('[');
  for (size_t i = 0; i < v.size(); ++i) {
    if (i > 0) out->push_back(',');
    AppendJsonString(out, v[i]);
  }
  out->push_back(']');
}

void AppendInt(std::string* out, std::string_view key, int64_t v) {
  out->push_back(',');
  AppendJsonString(out, key);
  out->push_back(':');
  out->append(std::to_string(v));
}

void AppendDv(std::string* out, const DeletionVectorRef& dv) {
  out->append(",\"deletionVector\":{\"storageType\":");
  AppendJsonString(out, dv.storage_type);
  out->append(",\"pathOrInlineDv\":");
  AppendJsonString(out, dv.path_or_inline_dv);
  if (dv.offset) AppendInt(out, "offset", *dv.offset);
  AppendInt(out, "sizeInBytes", dv.size_in_bytes);
  AppendInt(out, "cardinality", dv.cardinality);
  out->push_back('}');
}

arrow::Status CheckJsonText(std::string_view text, std::string_view what) {
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  if (auto err = parser.parse(text.data(), text.size()).get(e); err) {
    return arrow::Status::Invalid("commitInfo field '", what, "' is not valid JSON: ",
                                  simdjson::error_message(err));
  }
  return arrow::Status::OK();
}

struct Writer {
  std::string* out;
  arrow::Status operator()(const Protocol& p) {
    out->append("{\"protocol\":{\"minReaderVersion\":");
    out->append(std::to_string(p.min_reader_version));
    out->append(",\"minWriterVersion\":");
    out->append(std::to_string(p.min_writer_version));
    if (p.min_reader_version >= 3) {
      out->append(",\"readerFeatures\":");
      AppendStringArray(out, p.reader_features);
    }
    if (p.min_writer_version >= 7) {
      out->append(",\"writerFeatures\":");
      AppendStringArray(out, p.writer_features);
    }
    out->append("}}");
    return arrow::Status::OK();
  }
  arrow::Status operator()(const Metadata& m) {
    out->append("{\"metaData\":{\"id\":");
    AppendJsonString(out, m.id);
    if (!m.name.empty()) {
      out->append(",\"name\":");
      AppendJsonString(out, m.name);
    }
    if (!m.description.empty()) {
      out->append(",\"description\":");
      AppendJsonString(out, m.description);
    }
    out->append(",\"format\":{\"provider\":");
    AppendJsonString(out, m.format_provider);
    out->append(",\"options\":");
    AppendStringMap(out, m.format_options);
    out->append("},\"schemaString\":");
    AppendJsonString(out, m.schema_string);
    out->append(",\"partitionColumns\":");
    AppendStringArray(out, m.partition_columns);
    out->append(",\"configuration\":");
    AppendStringMap(out, m.configuration);
    if (m.created_time_ms) AppendInt(out, "createdTime", *m.created_time_ms);
    out->append("}}");
    return arrow::Status::OK();
  }
  arrow::Status operator()(const AddFile& a) {
    out->append("{\"add\":{\"path\":");
    AppendJsonString(out, a.path);
    out->append(",\"partitionValues\":");
    AppendPartitionValues(out, a.partition_values);
    AppendInt(out, "size", a.size);
    AppendInt(out, "modificationTime", a.modification_time_ms);
    out->append(",\"dataChange\":");
    out->append(a.data_change ? "true" : "false");
    if (!a.stats.empty()) {
      out->append(",\"stats\":");
      AppendJsonString(out, a.stats);
    }
    if (!a.tags.empty()) {
      out->append(",\"tags\":");
      AppendStringMap(out, a.tags);
    }
    if (a.deletion_vector) AppendDv(out, *a.deletion_vector);
    out->append("}}");
    return arrow::Status::OK();
  }
  arrow::Status operator()(const RemoveFile& r) {
    out->append("{\"remove\":{\"path\":");
    AppendJsonString(out, r.path);
    if (r.deletion_timestamp_ms) AppendInt(out, "deletionTimestamp", *r.deletion_timestamp_ms);
    out->append(",\"dataChange\":");
    out->append(r.data_change ? "true" : "false");
    if (r.extended_file_metadata) {
      out->append(",\"extendedFileMetadata\":");
      out->append(*r.extended_file_metadata ? "true" : "false");
    }
    if (r.partition_values) {
      out->append(",\"partitionValues\":");
      AppendPartitionValues(out, *r.partition_values);
    }
    if (r.size) AppendInt(out, "size", *r.size);
    if (r.deletion_vector) AppendDv(out, *r.deletion_vector);
    out->append("}}");
    return arrow::Status::OK();
  }
  arrow::Status operator()(const Txn& t) {
    out->append("{\"txn\":{\"appId\":");
    AppendJsonString(out, t.app_id);
    AppendInt(out, "version", t.version);
    if (t.last_updated_ms) AppendInt(out, "lastUpdated", *t.last_updated_ms);
    out->append("}}");
    return arrow::Status::OK();
  }
  arrow::Status operator()(const CommitInfo& c) {
    out->append("{\"commitInfo\":{");
    bool first = true;
    auto key = [&](std::string_view k) {
      if (!first) out->push_back(',');
      first = false;
      AppendJsonString(out, k);
      out->push_back(':');
    };
    if (c.timestamp_ms) {
      key("timestamp");
      out->append(std::to_string(*c.timestamp_ms));
    }
    if (!c.operation.empty()) {
      key("operation");
      AppendJsonString(out, c.operation);
    }
    if (!c.operation_parameters.empty()) {
      key("operationParameters");
      out->push_back('{');
      bool first_param = true;
      for (const auto& [k, v] : c.operation_parameters) {
        ARROW_RETURN_NOT_OK(CheckJsonText(v, k));
        if (!first_param) out->push_back(',');
        first_param = false;
        AppendJsonString(out, k);
        out->push_back(':');
        out->append(v);
      }
      out->push_back('}');
    }
    if (c.read_version) {
      key("readVersion");
      out->append(std::to_string(*c.read_version));
    }
    if (c.is_blind_append) {
      key("isBlindAppend");
      out->append(*c.is_blind_append ? "true" : "false");
    }
    if (!c.engine_info.empty()) {
      key("engineInfo");
      AppendJsonString(out, c.engine_info);
    }
    for (const auto& [k, v] : c.extra) {
      ARROW_RETURN_NOT_OK(CheckJsonText(v, k));
      key(k);
      out->append(v);
    }
    out->append("}}");
    return arrow::Status::OK();
  }
};

arrow::Result<std::map<std::string, std::string>> ParseStringMap(simdjson::dom::object o,
                                                                 std::string_view key) {
  std::map<std::string, std::string> out;
  simdjson::dom::element e;
  if (o.at_key(key).get(e) != simdjson::SUCCESS || e.is_null()) return out;
  simdjson::dom::object m;
  if (e.get_object().get(m) != simdjson::SUCCESS) {
    return arrow::Status::Invalid("'", key, "' is not an object");
  }
  for (auto [k, v] : m) {
    std::string_view s;
    if (v.get_string().get(s) == simdjson::SUCCESS) {
      out.emplace(std::string(k), std::string(s));
    } else if (!v.is_null()) {
      out.emplace(std::string(k), JsonMinify(v));
    }
  }
  return out;
}

arrow::Result<PartitionValues> ParsePartitionValues(simdjson::dom::object o) {
  PartitionValues out;
  simdjson::dom::element e;
  if (o.at_key("partitionValues").get(e) != simdjson::SUCCESS || e.is_null()) return out;
  simdjson::dom::object m;
  if (e.get_object().get(m) != simdjson::SUCCESS) {
    return arrow::Status::Invalid("'partitionValues' is not an object");
  }
  for (auto [k, v] : m) {
    std::string_view s;
    if (v.is_null()) {
      out.emplace(std::string(k), std::nullopt);
    } else if (v.get_string().get(s) == simdjson::SUCCESS) {
      out.emplace(std::string(k), std::string(s));
    } else {
      return arrow::Status::Invalid("partition value of '", k, "' is not a string");
    }
  }
  return out;
}

arrow::Result<std::vector<std::string>> ParseStringArray(simdjson::dom::object o,
                                                         std::string_view key) {
  std::vector<std::string> out;
  simdjson::dom::element e;
  if (o.at_key(key).get(e) != simdjson::SUCCESS || e.is_null()) return out;
  simdjson::dom::array a;
  if (e.get_array().get(a) != simdjson::SUCCESS) {
    return arrow::Status::Invalid("'", key, "' is not an array");
  }
  for (auto v : a) {
    std::string_view s;
    if (v.get_string().get(s) != simdjson::SUCCESS) {
      return arrow::Status::Invalid("'", key, "' holds a non-string");
    }
    out.emplace_back(s);
  }
  return out;
}

arrow::Result<std::optional<int64_t>> GetOptInt(simdjson::dom::object o, std::string_view key) {
  simdjson::dom::element e;
  if (o.at_key(key).get(e) != simdjson::SUCCESS || e.is_null()) return std::nullopt;
  ARROW_ASSIGN_OR_RAISE(int64_t v, GetInt(o, key));
  return v;
}

arrow::Result<std::optional<DeletionVectorRef>> ParseDv(simdjson::dom::object o) {
  simdjson::dom::object dv;
  if (o.at_key("deletionVector").get_object().get(dv) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  DeletionVectorRef out;
  ARROW_ASSIGN_OR_RAISE(out.storage_type, GetString(dv, "storageType"));
  ARROW_ASSIGN_OR_RAISE(out.path_or_inline_dv, GetString(dv, "pathOrInlineDv"));
  ARROW_ASSIGN_OR_RAISE(out.offset, GetOptInt(dv, "offset"));
  ARROW_ASSIGN_OR_RAISE(out.size_in_bytes, GetInt(dv, "sizeInBytes"));
  ARROW_ASSIGN_OR_RAISE(out.cardinality, GetInt(dv, "cardinality"));
  return out;
}

arrow::Result<Action> ParseAdd(simdjson::dom::object o) {
  AddFile a;
  ARROW_ASSIGN_OR_RAISE(a.path, GetString(o, "path"));
  if (a.path.empty()) return arrow::Status::Invalid("add action without path");
  ARROW_ASSIGN_OR_RAISE(a.partition_values, ParsePartitionValues(o));
  ARROW_ASSIGN_OR_RAISE(a.size, GetInt(o, "size"));
  ARROW_ASSIGN_OR_RAISE(a.modification_time_ms, GetInt(o, "modificationTime"));
  ARROW_ASSIGN_OR_RAISE(a.data_change, GetBool(o, "dataChange", true));
  ARROW_ASSIGN_OR_RAISE(a.stats, GetString(o, "stats"));
  ARROW_ASSIGN_OR_RAISE(a.tags, ParseStringMap(o, "tags"));
  ARROW_ASSIGN_OR_RAISE(a.deletion_vector, ParseDv(o));
  return a;
}

arrow::Result<Action> ParseRemove(simdjson::dom::object o) {
  RemoveFile r;
  ARROW_ASSIGN_OR_RAISE(r.path, GetString(o, "path"));
  if (r.path.empty()) return arrow::Status::Invalid("remove action without path");
  ARROW_ASSIGN_OR_RAISE(r.deletion_timestamp_ms, GetOptInt(o, "deletionTimestamp"));
  ARROW_ASSIGN_OR_RAISE(r.data_change, GetBool(o, "dataChange", true));
  simdjson::dom::element e;
  if (o.at_key("extendedFileMetadata").get(e) == simdjson::SUCCESS && !e.is_null()) {
    ARROW_ASSIGN_OR_RAISE(bool v, GetBool(o, "extendedFileMetadata", false));
    r.extended_file_metadata = v;
  }
  if (o.at_key("partitionValues").get(e) == simdjson::SUCCESS && !e.is_null()) {
    ARROW_ASSIGN_OR_RAISE(r.partition_values, ParsePartitionValues(o));
  }
  ARROW_ASSIGN_OR_RAISE(r.size, GetOptInt(o, "size"));
  ARROW_ASSIGN_OR_RAISE(r.deletion_vector, ParseDv(o));
  return r;
}

arrow::Result<Action> ParseMetadata(simdjson::dom::object o) {
  Metadata m;
  ARROW_ASSIGN_OR_RAISE(m.id, GetString(o, "id"));
  ARROW_ASSIGN_OR_RAISE(m.name, GetString(o, "name"));
  ARROW_ASSIGN_OR_RAISE(m.description, GetString(o, "description"));
  simdjson::dom::object format;
  if (o.at_key("format").get_object().get(format) == simdjson::SUCCESS) {
    ARROW_ASSIGN_OR_RAISE(m.format_provider, GetString(format, "provider", "parquet"));
    ARROW_ASSIGN_OR_RAISE(m.format_options, ParseStringMap(format, "options"));
  }
  ARROW_ASSIGN_OR_RAISE(m.schema_string, GetString(o, "schemaString"));
  ARROW_ASSIGN_OR_RAISE(m.partition_columns, ParseStringArray(o, "partitionColumns"));
  ARROW_ASSIGN_OR_RAISE(m.configuration, ParseStringMap(o, "configuration"));
  ARROW_ASSIGN_OR_RAISE(m.created_time_ms, GetOptInt(o, "createdTime"));
  return m;
}

arrow::Result<Action> ParseProtocol(simdjson::dom::object o) {
  Protocol p;
  ARROW_ASSIGN_OR_RAISE(int64_t r, GetInt(o, "minReaderVersion", 1));
  ARROW_ASSIGN_OR_RAISE(int64_t w, GetInt(o, "minWriterVersion", 2));
  p.min_reader_version = static_cast<int32_t>(r);
  p.min_writer_version = static_cast<int32_t>(w);
  ARROW_ASSIGN_OR_RAISE(p.reader_features, ParseStringArray(o, "readerFeatures"));
  ARROW_ASSIGN_OR_RAISE(p.writer_features, ParseStringArray(o, "writerFeatures"));
  return p;
}

arrow::Result<Action> ParseTxn(simdjson::dom::object o) {
  Txn t;
  ARROW_ASSIGN_OR_RAISE(t.app_id, GetString(o, "appId"));
  ARROW_ASSIGN_OR_RAISE(t.version, GetInt(o, "version"));
  ARROW_ASSIGN_OR_RAISE(t.last_updated_ms, GetOptInt(o, "lastUpdated"));
  return t;
}

arrow::Result<Action> ParseCommitInfo(simdjson::dom::object o) {
  CommitInfo c;
  for (auto [key, value] : o) {
    if (key == "timestamp") {
      ARROW_ASSIGN_OR_RAISE(c.timestamp_ms, GetOptInt(o, "timestamp"));
    } else if (key == "operation") {
      ARROW_ASSIGN_OR_RAISE(c.operation, GetString(o, "operation"));
    } else if (key == "engineInfo") {
      ARROW_ASSIGN_OR_RAISE(c.engine_info, GetString(o, "engineInfo"));
    } else if (key == "readVersion") {
      ARROW_ASSIGN_OR_RAISE(c.read_version, GetOptInt(o, "readVersion"));
    } else if (key == "isBlindAppend" && !value.is_null()) {
      ARROW_ASSIGN_OR_RAISE(bool v, GetBool(o, "isBlindAppend", false));
      c.is_blind_append = v;
    } else if (key == "operationParameters") {
      simdjson::dom::object params;
      if (value.get_object().get(params) == simdjson::SUCCESS) {
        for (auto [pk, pv] : params) c.operation_parameters.emplace(pk, JsonMinify(pv));
      }
    } else {
      c.extra.emplace(std::string(key), JsonMinify(value));
    }
  }
  return c;
}

// Civil-date helpers (Howard Hinnant's algorithms via <chrono>).
int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

bool ParseDigits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

}  // namespace

std::string DeletionVectorRef::UniqueId() const {
  std::string id = storage_type + path_or_inline_dv;
  if (offset) id += "@" + std::to_string(*offset);
  return id;
}

arrow::Result<std::string> ActionToJson(const Action& action) {
  std::string out;
  ARROW_RETURN_NOT_OK(std::visit(Writer{&out}, action));
  return out;
}

arrow::Result<std::optional<Action>> ParseAction(simdjson::dom::element line) {
  simdjson::dom::object o;
  if (line.get_object().get(o) != simdjson::SUCCESS) {
    return arrow::Status::Invalid("log line is not a JSON object");
  }
  for (auto [key, value] : o) {
    simdjson::dom::object body;
    if (value.get_object().get(body) != simdjson::SUCCESS) continue;
    if (key == "add") return ParseAdd(body);
    if (key == "remove") return ParseRemove(body);
    if (key == "metaData") return ParseMetadata(body);
    if (key == "protocol") return ParseProtocol(body);
    if (key == "txn") return ParseTxn(body);
    if (key == "commitInfo") return ParseCommitInfo(body);
  }
  return std::nullopt;
}

arrow::Result<std::vector<Action>> ParseCommitFile(std::string_view text, std::string_view what) {
  std::vector<Action> out;
  simdjson::dom::parser parser;
  size_t line_no = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    simdjson::dom::element e;
    if (auto err = parser.parse(line.data(), line.size()).get(e); err) {
      return arrow::Status::Invalid(what, " line ", line_no, ": ", simdjson::error_message(err));
    }
    auto parsed = ParseAction(e);
    if (!parsed.ok()) {
      return parsed.status().WithMessage(what, " line ", line_no, ": ",
                                         parsed.status().message());
    }
    if (parsed->has_value()) out.push_back(std::move(**parsed));
  }
  return out;
}

std::string FormatUtcTimestamp(int64_t micros, int fraction_digits) {
  using namespace std::chrono;
  int64_t secs = FloorDiv(micros, 1000000);
  int64_t frac = micros - secs * 1000000;
  int64_t days = FloorDiv(secs, 86400);
  int64_t sod = secs - days * 86400;
  year_month_day ymd{sys_days{std::chrono::days{days}}};
  char buf[64];
  int n = std::snprintf(buf, sizeof(buf), "%04d-%02u-%02uT%02d:%02d:%02d",
                        static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                        static_cast<unsigned>(ymd.day()), static_cast<int>(sod / 3600),
                        static_cast<int>(sod / 60 % 60), static_cast<int>(sod % 60));
  std::string out(buf, n);
  if (fraction_digits == 3) {
    std::snprintf(buf, sizeof(buf), ".%03d", static_cast<int>(frac / 1000));
    out += buf;
  } else if (fraction_digits == 6) {
    std::snprintf(buf, sizeof(buf), ".%06d", static_cast<int>(frac));
    out += buf;
  }
  out += 'Z';
  return out;
}

std::string FormatDate(int32_t days) {
  using namespace std::chrono;
  year_month_day ymd{sys_days{std::chrono::days{days}}};
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

arrow::Result<int32_t> ParseDate(std::string_view text) {
  using namespace std::chrono;
  int y, m, d;
  if (text.size() < 10 || !ParseDigits(text, 0, 4, &y) || text[4] != '-' ||
      !ParseDigits(text, 5, 2, &m) || text[7] != '-' || !ParseDigits(text, 8, 2, &d)) {
    return arrow::Status::Invalid("not a date (yyyy-MM-dd): '", text, "'");
  }
  year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return arrow::Status::Invalid("invalid date: '", text, "'");
  return static_cast<int32_t>(sys_days{ymd}.time_since_epoch().count());
}

arrow::Result<int64_t> ParseUtcTimestamp(std::string_view text) {
  ARROW_ASSIGN_OR_RAISE(int32_t days, ParseDate(text));
  auto bad = [&]() { return arrow::Status::Invalid("not a timestamp: '", text, "'"); };
  int h = 0, mi = 0, s = 0;
  size_t pos = 10;
  int64_t frac_us = 0;
  int64_t offset_s = 0;
  if (pos < text.size()) {
    if (text[pos] != ' ' && text[pos] != 'T') return bad();
    if (!ParseDigits(text, pos + 1, 2, &h) || text.size() < pos + 9 || text[pos + 3] != ':' ||
        !ParseDigits(text, pos + 4, 2, &mi) || text[pos + 6] != ':' ||
        !ParseDigits(text, pos + 7, 2, &s)) {
      return bad();
    }
    pos += 9;
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      int digits = 0;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        if (digits < 6) frac_us = frac_us * 10 + (text[pos] - '0');
        ++digits;
        ++pos;
      }
      if (digits == 0) return bad();
      for (int i = digits; i < 6; ++i) frac_us *= 10;
    }
    if (pos < text.size()) {
      if (text[pos] == 'Z' && pos + 1 == text.size()) {
        pos++;
      } else if ((text[pos] == '+' || text[pos] == '-') && text.size() == pos + 6 &&
                 text[pos + 3] == ':') {
        int oh, om;
        if (!ParseDigits(text, pos + 1, 2, &oh) || !ParseDigits(text, pos + 4, 2, &om)) {
          return bad();
        }
        offset_s = (oh * 3600 + om * 60) * (text[pos] == '+' ? 1 : -1);
      } else {
        return bad();
      }
    }
  }
  if (h > 23 || mi > 59 || s > 60) return bad();
  int64_t secs = static_cast<int64_t>(days) * 86400 + h * 3600 + mi * 60 + s - offset_s;
  return secs * 1000000 + frac_us;
}

}  // namespace hashlake::lake
