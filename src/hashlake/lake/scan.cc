#include "hashlake/lake/scan.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <variant>

#include <arrow/api.h>
#include <arrow/compute/api_vector.h>
#include <arrow/compute/cast.h>
#include <simdjson.h>
#include <parquet/arrow/reader.h>

#include "hashlake/lake/actions.h"
#include "hashlake/lake/log_store.h"
#include "hashlake/lake/partition.h"
#include "hashlake/lake/snapshot.h"

namespace hashlake::lake {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

int FindColumn(const arrow::Schema& schema, const std::string& name) {
  int exact = schema.GetFieldIndex(name);
  if (exact >= 0) return exact;
  // Delta column names are case-insensitive.
  for (int i = 0; i < schema.num_fields(); ++i) {
    if (EqualsIgnoreCase(schema.field(i)->name(), name)) return i;
  }
  return -1;
}

arrow::Result<std::shared_ptr<arrow::ChunkedArray>> Conform(
    const std::shared_ptr<arrow::ChunkedArray>& column, const arrow::Field& field,
    const std::string& file) {
  if (column->type()->Equals(*field.type(), /*check_metadata=*/false)) return column;
  arrow::compute::CastOptions options = arrow::compute::CastOptions::Unsafe(field.type());
  auto cast = arrow::compute::Cast(column, options);
  if (!cast.ok()) {
    return arrow::Status::Invalid("column '", field.name(), "' of ", file, " has type ",
                                  column->type()->ToString(), ", table schema says ",
                                  field.type()->ToString(), ": ", cast.status().message());
  }
  return cast->chunked_array();
}

/// A comparable value of a range-filtered column.
using Key = std::variant<int64_t, double, std::string>;

bool IsRangeType(const arrow::DataType& t) {
  switch (t.id()) {
    case arrow::Type::INT8: case arrow::Type::INT16: case arrow::Type::INT32:
    case arrow::Type::INT64: case arrow::Type::FLOAT: case arrow::Type::DOUBLE:
    case arrow::Type::DATE32: case arrow::Type::TIMESTAMP: case arrow::Type::STRING:
    case arrow::Type::LARGE_STRING:
      return true;
    default:
      return false;
  }
}

arrow::Result<Key> ParseKey(const arrow::DataType& t, std::string_view text) {
  switch (t.id()) {
    case arrow::Type::INT8: case arrow::Type::INT16: case arrow::Type::INT32:
    case arrow::Type::INT64: {
      int64_t v = 0;
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc() || ptr != text.data() + text.size()) {
        return arrow::Status::Invalid("'", text, "' is not an integer");
      }
      return Key(v);
    }
    case arrow::Type::FLOAT: case arrow::Type::DOUBLE: {
      std::string s(text);
      char* end = nullptr;
      double v = std::strtod(s.c_str(), &end);
      if (s.empty() || *end != '\0') return arrow::Status::Invalid("'", text, "' is not a number");
      return Key(v);
    }
    case arrow::Type::DATE32: {
      ARROW_ASSIGN_OR_RAISE(int32_t days, ParseDate(text));
      return Key(static_cast<int64_t>(days));
    }
    case arrow::Type::TIMESTAMP: {
      ARROW_ASSIGN_OR_RAISE(int64_t us, ParseUtcTimestamp(text));
      return Key(us);
    }
    default:
      return Key(std::string(text));
  }
}

/// A stats value (JSON number or string) as a Key of type `t`; nullopt when unusable.
std::optional<Key> StatKey(const arrow::DataType& t, simdjson::dom::element e) {
  if (e.is_string()) {
    std::string_view sv;
    if (e.get_string().get(sv) != simdjson::SUCCESS) return std::nullopt;
    auto k = ParseKey(t, sv);
    if (!k.ok()) return std::nullopt;
    return *k;
  }
  if (t.id() == arrow::Type::FLOAT || t.id() == arrow::Type::DOUBLE) {
    double d = 0;
    if (e.get_double().get(d) != simdjson::SUCCESS) return std::nullopt;
    return Key(d);
  }
  int64_t i = 0;
  if (e.get_int64().get(i) != simdjson::SUCCESS) return std::nullopt;
  return Key(i);
}

int64_t ToMicros(int64_t v, arrow::TimeUnit::type unit) {
  switch (unit) {
    case arrow::TimeUnit::SECOND: return v * 1000000;
    case arrow::TimeUnit::MILLI: return v * 1000;
    case arrow::TimeUnit::MICRO: return v;
    case arrow::TimeUnit::NANO: return v / 1000;
  }
  return v;
}

std::optional<Key> ValueAt(const arrow::Array& a, int64_t i) {
  if (a.IsNull(i)) return std::nullopt;
  switch (a.type_id()) {
    case arrow::Type::INT8: return Key(int64_t{static_cast<const arrow::Int8Array&>(a).Value(i)});
    case arrow::Type::INT16: return Key(int64_t{static_cast<const arrow::Int16Array&>(a).Value(i)});
    case arrow::Type::INT32: return Key(int64_t{static_cast<const arrow::Int32Array&>(a).Value(i)});
    case arrow::Type::INT64: return Key(static_cast<const arrow::Int64Array&>(a).Value(i));
    case arrow::Type::FLOAT: return Key(double{static_cast<const arrow::FloatArray&>(a).Value(i)});
    case arrow::Type::DOUBLE: return Key(static_cast<const arrow::DoubleArray&>(a).Value(i));
    case arrow::Type::DATE32:
      return Key(int64_t{static_cast<const arrow::Date32Array&>(a).Value(i)});
    case arrow::Type::TIMESTAMP:
      return Key(ToMicros(static_cast<const arrow::TimestampArray&>(a).Value(i),
                          static_cast<const arrow::TimestampType&>(*a.type()).unit()));
    case arrow::Type::STRING:
      return Key(std::string(static_cast<const arrow::StringArray&>(a).GetView(i)));
    case arrow::Type::LARGE_STRING:
      return Key(std::string(static_cast<const arrow::LargeStringArray&>(a).GetView(i)));
    default: return std::nullopt;
  }
}

struct ParsedRange {
  std::string column;  // as in the table schema
  std::shared_ptr<arrow::DataType> type;
  bool is_partition = false;
  std::optional<Key> min, max;
  bool Contains(const Key& k) const { return (!min || !(k < *min)) && (!max || !(*max < k)); }
};

arrow::Result<std::vector<ParsedRange>> ParseRanges(const Snapshot& snapshot,
                                                    const std::vector<ColumnRange>& ranges) {
  std::vector<ParsedRange> out;
  for (const auto& r : ranges) {
    int i = FindColumn(*snapshot.schema, r.column);
    if (i < 0) return arrow::Status::KeyError("no column '", r.column, "' in the table");
    const auto& field = snapshot.schema->field(i);
    if (!IsRangeType(*field->type())) {
      return arrow::Status::Invalid("range filter on column '", r.column, "' of type ",
                                    field->type()->ToString(),
                                    ": only integer, floating, date, timestamp and string "
                                    "columns are supported");
    }
    ParsedRange p;
    p.column = field->name();
    p.type = field->type();
    for (const auto& pc : snapshot.metadata.partition_columns) {
      if (EqualsIgnoreCase(pc, p.column)) p.is_partition = true;
    }
    for (auto [bound, slot] : {std::pair{&r.min, &p.min}, std::pair{&r.max, &p.max}}) {
      if (!*bound) continue;
      auto k = ParseKey(*p.type, **bound);
      if (!k.ok()) {
        return arrow::Status::Invalid("range bound for column '", r.column, "': ",
                                      k.status().message());
      }
      *slot = *k;
    }
    out.push_back(std::move(p));
  }
  return out;
}

/// False when `file` provably holds no row inside `range`.
bool MayMatch(const ParsedRange& range, const AddFile& file, simdjson::dom::parser& parser) {
  if (range.is_partition) {
    for (const auto& [k, v] : file.partition_values) {
      if (!EqualsIgnoreCase(k, range.column)) continue;
      if (!v || v->empty()) return false;  // null never lies in a range
      auto key = ParseKey(*range.type, *v);
      return !key.ok() || range.Contains(*key);
    }
    return true;
  }
  if (file.stats.empty()) return true;
  simdjson::dom::object stats;
  if (parser.parse(file.stats).get_object().get(stats) != simdjson::SUCCESS) return true;
  auto lookup = [&](const char* section) -> std::optional<simdjson::dom::element> {
    simdjson::dom::object o;
    if (stats[section].get_object().get(o) != simdjson::SUCCESS) return std::nullopt;
    for (auto [key, value] : o) {
      if (EqualsIgnoreCase(key, range.column)) return value;
    }
    return std::nullopt;
  };
  int64_t records = -1, nulls = -1;
  if (stats["numRecords"].get_int64().get(records) != simdjson::SUCCESS) records = -1;
  if (auto n = lookup("nullCount"); n && n->get_int64().get(nulls) != simdjson::SUCCESS) nulls = -1;
  if (records >= 0 && nulls == records) return false;  // all null (or empty)
  auto min_el = lookup("minValues");
  auto max_el = lookup("maxValues");
  std::optional<Key> file_min = min_el ? StatKey(*range.type, *min_el) : std::nullopt;
  std::optional<Key> file_max = max_el ? StatKey(*range.type, *max_el) : std::nullopt;
  if (range.min && file_max && *file_max < *range.min) return false;
  if (range.max && file_min && *range.max < *file_min) return false;
  return true;
}

arrow::Result<std::shared_ptr<arrow::Table>> FilterRows(const std::shared_ptr<arrow::Table>& t,
                                                        const std::vector<ParsedRange>& ranges) {
  if (ranges.empty() || t->num_rows() == 0) return t;
  std::vector<std::shared_ptr<arrow::Array>> columns;
  for (const auto& r : ranges) {
    auto column = t->GetColumnByName(r.column);
    if (column == nullptr) return arrow::Status::KeyError("no column '", r.column, "' read");
    ARROW_ASSIGN_OR_RAISE(auto flat, arrow::Concatenate(column->chunks()));
    columns.push_back(std::move(flat));
  }
  arrow::Int64Builder indices;
  for (int64_t i = 0; i < t->num_rows(); ++i) {
    bool keep = true;
    for (size_t c = 0; keep && c < ranges.size(); ++c) {
      auto v = ValueAt(*columns[c], i);
      keep = v && ranges[c].Contains(*v);
    }
    if (keep) ARROW_RETURN_NOT_OK(indices.Append(i));
  }
  if (indices.length() == t->num_rows()) return t;
  ARROW_ASSIGN_OR_RAISE(auto idx, indices.Finish());
  ARROW_ASSIGN_OR_RAISE(auto taken, arrow::compute::Take(t, idx));
  return taken.table();
}

}  // namespace

arrow::Result<std::vector<AddFile>> PruneFiles(const Snapshot& snapshot,
                                               const std::vector<ColumnRange>& ranges) {
  ARROW_ASSIGN_OR_RAISE(auto parsed, ParseRanges(snapshot, ranges));
  simdjson::dom::parser parser;
  std::vector<AddFile> out;
  for (const auto& f : snapshot.files) {
    bool keep = std::all_of(parsed.begin(), parsed.end(),
                            [&](const ParsedRange& r) { return MayMatch(r, f, parser); });
    if (keep) out.push_back(f);
  }
  return out;
}

arrow::Result<std::shared_ptr<arrow::Table>> Scan(LogStore& store, const Snapshot& snapshot,
                                                  const ScanOptions& options) {
  ARROW_RETURN_NOT_OK(CheckReadable(snapshot));
  const auto& table_schema = *snapshot.schema;
  arrow::FieldVector out_fields;
  if (options.columns.empty()) {
    out_fields = table_schema.fields();
  } else {
    for (const auto& name : options.columns) {
      int i = FindColumn(table_schema, name);
      if (i < 0) return arrow::Status::KeyError("no column '", name, "' in the table");
      out_fields.push_back(table_schema.field(i));
    }
  }
  ARROW_ASSIGN_OR_RAISE(auto ranges, ParseRanges(snapshot, options.ranges));
  // Range columns are read even when not requested, filtered on, then dropped.
  arrow::FieldVector read_fields = out_fields;
  for (const auto& r : ranges) {
    bool present = std::any_of(read_fields.begin(), read_fields.end(),
                               [&](const auto& f) { return f->name() == r.column; });
    if (!present) read_fields.push_back(table_schema.GetFieldByName(r.column));
  }
  auto out_schema = arrow::schema(out_fields);
  auto read_schema = arrow::schema(read_fields);
  std::vector<AddFile> pruned;
  const std::vector<AddFile>* files = &snapshot.files;
  if (!ranges.empty()) {
    ARROW_ASSIGN_OR_RAISE(pruned, PruneFiles(snapshot, options.ranges));
    files = &pruned;
  }
  const auto& partition_columns = snapshot.metadata.partition_columns;
  auto is_partition = [&](const std::string& name) {
    return std::any_of(partition_columns.begin(), partition_columns.end(),
                       [&](const std::string& p) { return EqualsIgnoreCase(p, name); });
  };

  std::vector<std::shared_ptr<arrow::Table>> pieces;
  int64_t rows = 0;
  for (const auto& file : *files) {
    if (options.limit && rows >= *options.limit) break;
    std::string path = snapshot.table_root + "/" + UriDecodePath(file.path);
    ARROW_ASSIGN_OR_RAISE(auto input, store.OpenForRead(path));
    auto reader_result = parquet::arrow::OpenFile(input, arrow::default_memory_pool());
    if (!reader_result.ok()) {
      return reader_result.status().WithMessage("cannot open data file ", path, ": ",
                                                reader_result.status().message());
    }
    auto reader = std::move(*reader_result);
    std::shared_ptr<arrow::Schema> file_schema;
    ARROW_RETURN_NOT_OK(reader->GetSchema(&file_schema));
    std::vector<int> out_to_file(read_fields.size(), -1);
    for (size_t i = 0; i < read_fields.size(); ++i) {
      if (is_partition(read_fields[i]->name())) continue;
      int idx = FindColumn(*file_schema, read_fields[i]->name());
      if (idx < 0) continue;
      out_to_file[i] = idx;
    }
    int64_t num_rows = reader->parquet_reader()->metadata()->num_rows();
    std::vector<std::shared_ptr<arrow::ChunkedArray>> columns(read_fields.size());
    for (size_t i = 0; i < read_fields.size(); ++i) {
      const auto& field = *read_fields[i];
      if (is_partition(field.name())) {
        std::optional<std::string> value;
        for (const auto& [k, v] : file.partition_values) {
          if (EqualsIgnoreCase(k, field.name())) value = v;
        }
        auto array = MakePartitionColumn(field.type(), value, num_rows);
        if (!array.ok()) {
          return array.status().WithMessage("partition column '", field.name(), "' of ",
                                            file.path, ": ", array.status().message());
        }
        columns[i] = std::make_shared<arrow::ChunkedArray>(*array);
      } else if (out_to_file[i] < 0) {
        ARROW_ASSIGN_OR_RAISE(auto nulls, arrow::MakeArrayOfNull(field.type(), num_rows));
        columns[i] = std::make_shared<arrow::ChunkedArray>(nulls);
      } else {
        std::shared_ptr<arrow::ChunkedArray> column;
        ARROW_RETURN_NOT_OK(reader->ReadColumn(out_to_file[i], &column));
        ARROW_ASSIGN_OR_RAISE(columns[i], Conform(column, field, path));
      }
    }
    std::shared_ptr<arrow::Table> piece = arrow::Table::Make(read_schema, columns, num_rows);
    if (!ranges.empty()) {
      ARROW_ASSIGN_OR_RAISE(piece, FilterRows(piece, ranges));
      if (read_fields.size() != out_fields.size()) {
        std::vector<int> keep(out_fields.size());
        for (size_t i = 0; i < keep.size(); ++i) keep[i] = static_cast<int>(i);
        ARROW_ASSIGN_OR_RAISE(piece, piece->SelectColumns(keep));
      }
    }
    rows += piece->num_rows();
    pieces.push_back(std::move(piece));
  }
  if (pieces.empty()) return arrow::Table::MakeEmpty(out_schema);
  ARROW_ASSIGN_OR_RAISE(auto table, arrow::ConcatenateTables(pieces));
  if (options.limit && table->num_rows() > *options.limit) {
    table = table->Slice(0, *options.limit);
  }
  return table;
}

}  // namespace hashlake::lake
