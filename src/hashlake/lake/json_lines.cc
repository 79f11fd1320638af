#include "hashlake/lake/json_lines.h"

#include <string>

#include <arrow/api.h>

#include "hashlake/lake/actions.h"
#include "hashlake/lake/delta_schema.h"
#include "hashlake/lake/delta_table.h"
#include "hashlake/lake/json_util.h"
#include "hashlake/lake/time_travel.h"

namespace hashlake::lake {
namespace {

std::string Base64(std::string_view in) {
  static constexpr char kTable[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out.push_back(kTable[(n >> s) & 63]);
  }
  if (i + 1 == in.size()) {
    uint32_t n = uint8_t(in[i]) << 16;
    out.push_back(kTable[(n >> 18) & 63]);
    out.push_back(kTable[(n >> 12) & 63]);
    out += "==";
  } else if (i + 2 == in.size()) {
    uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    out.push_back(kTable[(n >> 18) & 63]);
    out.push_back(kTable[(n >> 12) & 63]);
    out.push_back(kTable[(n >> 6) & 63]);
    out.push_back('=');
  }
  return out;
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

arrow::Status AppendValue(const arrow::Array& a, int64_t i, std::string* out);

template <typename ListT>
arrow::Status AppendList(const arrow::Array& a, int64_t i, std::string* out) {
  const auto& l = static_cast<const ListT&>(a);
  out->push_back('[');
  for (auto j = l.value_offset(i); j < l.value_offset(i + 1); ++j) {
    if (j > l.value_offset(i)) out->push_back(',');
    ARROW_RETURN_NOT_OK(AppendValue(*l.values(), j, out));
  }
  out->push_back(']');
  return arrow::Status::OK();
}

arrow::Status AppendValue(const arrow::Array& a, int64_t i, std::string* out) {
  if (a.IsNull(i)) {
    out->append("null");
    return arrow::Status::OK();
  }
  switch (a.type_id()) {
    case arrow::Type::BOOL:
      out->append(static_cast<const arrow::BooleanArray&>(a).Value(i) ? "true" : "false");
      break;
    case arrow::Type::INT8: *out += std::to_string(static_cast<const arrow::Int8Array&>(a).Value(i)); break;
    case arrow::Type::INT16: *out += std::to_string(static_cast<const arrow::Int16Array&>(a).Value(i)); break;
    case arrow::Type::INT32: *out += std::to_string(static_cast<const arrow::Int32Array&>(a).Value(i)); break;
    case arrow::Type::INT64: *out += std::to_string(static_cast<const arrow::Int64Array&>(a).Value(i)); break;
    case arrow::Type::UINT8: *out += std::to_string(static_cast<const arrow::UInt8Array&>(a).Value(i)); break;
    case arrow::Type::UINT16: *out += std::to_string(static_cast<const arrow::UInt16Array&>(a).Value(i)); break;
    case arrow::Type::UINT32: *out += std::to_string(static_cast<const arrow::UInt32Array&>(a).Value(i)); break;
    case arrow::Type::UINT64: *out += std::to_string(static_cast<const arrow::UInt64Array&>(a).Value(i)); break;
    case arrow::Type::FLOAT: AppendJsonDouble(out, static_cast<const arrow::FloatArray&>(a).Value(i)); break;
    case arrow::Type::DOUBLE: AppendJsonDouble(out, static_cast<const arrow::DoubleArray&>(a).Value(i)); break;
    case arrow::Type::STRING: AppendJsonString(out, static_cast<const arrow::StringArray&>(a).GetView(i)); break;
    case arrow::Type::LARGE_STRING: AppendJsonString(out, static_cast<const arrow::LargeStringArray&>(a).GetView(i)); break;
    case arrow::Type::BINARY: AppendJsonString(out, Base64(static_cast<const arrow::BinaryArray&>(a).GetView(i))); break;
    case arrow::Type::LARGE_BINARY: AppendJsonString(out, Base64(static_cast<const arrow::LargeBinaryArray&>(a).GetView(i))); break;
    case arrow::Type::DATE32: AppendJsonString(out, FormatDate(static_cast<const arrow::Date32Array&>(a).Value(i))); break;
    case arrow::Type::TIMESTAMP: {
      const auto& type = static_cast<const arrow::TimestampType&>(*a.type());
      int64_t v = static_cast<const arrow::TimestampArray&>(a).Value(i);
      int64_t us = v;
      switch (type.unit()) {
        case arrow::TimeUnit::SECOND: us = v * 1000000; break;
        case arrow::TimeUnit::MILLI: us = v * 1000; break;
        case arrow::TimeUnit::MICRO: break;
        case arrow::TimeUnit::NANO: us = FloorDiv(v, 1000); break;
      }
      std::string text = FormatUtcTimestamp(us, 6);
      if (type.timezone().empty()) text.pop_back();
      AppendJsonString(out, text);
      break;
    }
    case arrow::Type::DECIMAL128: out->append(static_cast<const arrow::Decimal128Array&>(a).FormatValue(i)); break;
    case arrow::Type::LIST: return AppendList<arrow::ListArray>(a, i, out);
    case arrow::Type::LARGE_LIST: return AppendList<arrow::LargeListArray>(a, i, out);
    case arrow::Type::STRUCT: {
      const auto& s = static_cast<const arrow::StructArray&>(a);
      out->push_back('{');
      for (int f = 0; f < s.num_fields(); ++f) {
        if (f > 0) out->push_back(',');
        AppendJsonString(out, s.type()->field(f)->name());
        out->push_back(':');
        ARROW_RETURN_NOT_OK(AppendValue(*s.field(f), i, out));
      }
      out->push_back('}');
      break;
    }
    case arrow::Type::MAP: {
      const auto& m = static_cast<const arrow::MapArray&>(a);
      bool string_keys = m.keys()->type_id() == arrow::Type::STRING;
      out->push_back(string_keys ? '{' : '[');
      for (auto j = m.value_offset(i); j < m.value_offset(i + 1); ++j) {
        if (j > m.value_offset(i)) out->push_back(',');
        if (string_keys) {
          ARROW_RETURN_NOT_OK(AppendValue(*m.keys(), j, out));
          out->push_back(':');
          ARROW_RETURN_NOT_OK(AppendValue(*m.items(), j, out));
        } else {
          out->push_back('[');
          ARROW_RETURN_NOT_OK(AppendValue(*m.keys(), j, out));
          out->push_back(',');
          ARROW_RETURN_NOT_OK(AppendValue(*m.items(), j, out));
          out->push_back(']');
        }
      }
      out->push_back(string_keys ? '}' : ']');
      break;
    }
    case arrow::Type::DICTIONARY: {
      const auto& d = static_cast<const arrow::DictionaryArray&>(a);
      return AppendValue(*d.dictionary(), d.GetValueIndex(i), out);
    }
    default: {
      ARROW_ASSIGN_OR_RAISE(auto scalar, a.GetScalar(i));
      AppendJsonString(out, scalar->ToString());
    }
  }
  return arrow::Status::OK();
}

}  // namespace

arrow::Status WriteRowsAsJsonLines(const arrow::Table& table, std::ostream& out) {
  ARROW_ASSIGN_OR_RAISE(auto combined, table.CombineChunksToBatch());
  std::string line;
  std::vector<std::string> keys;
  for (const auto& f : table.schema()->fields()) keys.push_back(JsonQuote(f->name()) + ":");
  for (int64_t row = 0; row < combined->num_rows(); ++row) {
    line.clear();
    line.push_back('{');
    for (int c = 0; c < combined->num_columns(); ++c) {
      if (c > 0) line.push_back(',');
      line += keys[c];
      ARROW_RETURN_NOT_OK(AppendValue(*combined->column(c), row, &line));
    }
    line += "}\n";
    out << line;
  }
  out.flush();
  if (!out) return arrow::Status::IOError("failed writing JSON lines");
  return arrow::Status::OK();
}

arrow::Status WriteDescribeJson(const TableInfo& info, std::ostream& out) {
  std::string s = "{\n  \"path\": " + JsonQuote(info.path);
  s += ",\n  \"id\": " + JsonQuote(info.id);
  s += ",\n  \"version\": " + std::to_string(info.version);
  s += ",\n  \"protocol\": {\"minReaderVersion\": " +
       std::to_string(info.protocol.min_reader_version) +
       ", \"minWriterVersion\": " + std::to_string(info.protocol.min_writer_version) + "}";
  s += ",\n  \"created_time\": ";
  s += info.created_time_ms ? JsonQuote(FormatUtcTimestamp(*info.created_time_ms * 1000, 3))
                            : std::string("null");
  s += ",\n  \"columns\": [";
  for (int i = 0; info.schema && i < info.schema->num_fields(); ++i) {
    const auto& f = info.schema->field(i);
    auto delta_type = DeltaPrimitiveTypeName(*f->type());
    s += i > 0 ? ",\n    " : "\n    ";
    s += "{\"name\": " + JsonQuote(f->name()) + ", \"type\": " +
         JsonQuote(delta_type.ok() ? *delta_type : f->type()->ToString()) +
         ", \"nullable\": " + (f->nullable() ? "true" : "false") + "}";
  }
  s += "\n  ]";
  s += ",\n  \"partition_columns\": [";
  for (size_t i = 0; i < info.partition_columns.size(); ++i) {
    s += (i > 0 ? ", " : "") + JsonQuote(info.partition_columns[i]);
  }
  s += "]";
  s += ",\n  \"configuration\": {";
  bool first = true;
  for (const auto& [k, v] : info.configuration) {
    s += (first ? "" : ", ") + JsonQuote(k) + ": " + JsonQuote(v);
    first = false;
  }
  s += "}";
  s += ",\n  \"num_files\": " + std::to_string(info.num_files);
  s += ",\n  \"total_bytes\": " + std::to_string(info.total_bytes);
  s += ",\n  \"num_rows\": " + std::to_string(info.num_rows);
  s += ",\n  \"checkpoint_version\": " +
       (info.checkpoint_version ? std::to_string(*info.checkpoint_version) : "null");
  s += ",\n  \"txn_versions\": {";
  first = true;
  for (const auto& [k, v] : info.txn_versions) {
    s += (first ? "" : ", ") + JsonQuote(k) + ": " + std::to_string(v);
    first = false;
  }
  s += "}\n}\n";
  out << s;
  out.flush();
  if (!out) return arrow::Status::IOError("failed writing describe output");
  return arrow::Status::OK();
}

arrow::Status WriteHistoryJsonLines(const std::vector<CommitEntry>& commits, std::ostream& out) {
  for (auto it = commits.rbegin(); it != commits.rend(); ++it) {
    std::string line = "{\"version\":" + std::to_string(it->version) + ",\"timestamp\":" +
                       JsonQuote(FormatUtcTimestamp(it->timestamp_ms * 1000, 3));
    if (it->commit_info) {
      const auto& c = *it->commit_info;
      if (!c.operation.empty()) line += ",\"operation\":" + JsonQuote(c.operation);
      line += ",\"operationParameters\":{";
      bool first = true;
      for (const auto& [k, v] : c.operation_parameters) {
        if (!first) line += ",";
        first = false;
        line += JsonQuote(k) + ":" + v;
      }
      line += "}";
      if (!c.engine_info.empty()) line += ",\"engineInfo\":" + JsonQuote(c.engine_info);
      if (c.read_version) line += ",\"readVersion\":" + std::to_string(*c.read_version);
      if (c.is_blind_append) {
        line += std::string(",\"isBlindAppend\":") + (*c.is_blind_append ? "true" : "false");
      }
      if (c.timestamp_ms) line += ",\"commitInfoTimestamp\":" + std::to_string(*c.timestamp_ms);
      for (const auto& [k, v] : c.extra) line += "," + JsonQuote(k) + ":" + v;
    }
    line += "}\n";
    out << line;
  }
  return out.good() ? arrow::Status::OK() : arrow::Status::IOError("cannot write history");
}

}  // namespace hashlake::lake
