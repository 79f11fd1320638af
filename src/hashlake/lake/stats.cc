#include "hashlake/lake/stats.h"

#include <cmath>
#include <limits>
#include <optional>
#include <string_view>

#include <arrow/api.h>

#include "hashlake/lake/actions.h"
#include "hashlake/lake/json_util.h"

namespace hashlake::lake {
namespace {

/// Running statistics of one leaf or struct column; min/max are JSON text.
struct ColumnStats {
  int64_t null_count = 0;
  std::optional<std::string> min_json;
  std::optional<std::string> max_json;
  std::vector<std::pair<std::string, ColumnStats>> children;  // struct fields
  bool is_struct = false;
};

template <typename T>
struct Bounds {
  std::optional<T> min, max;
  void Add(const T& v) {
    if (!min || v < *min) min = v;
    if (!max || *max < v) max = v;
  }
};

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

int64_t ToMicros(int64_t v, arrow::TimeUnit::type unit, bool round_up) {
  switch (unit) {
    case arrow::TimeUnit::SECOND: return v * 1000000;
    case arrow::TimeUnit::MILLI: return v * 1000;
    case arrow::TimeUnit::MICRO: return v;
    case arrow::TimeUnit::NANO: return round_up ? -FloorDiv(-v, 1000) : FloorDiv(v, 1000);
  }
  return v;
}

// Truncates to `kStatsStringPrefixLength` code points; returns whether anything was cut.
bool TruncateUtf8(std::string_view s, std::string* out) {
  size_t pos = 0;
  int chars = 0;
  while (pos < s.size() && chars < kStatsStringPrefixLength) {
    auto c = static_cast<unsigned char>(s[pos]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    pos += len;
    ++chars;
  }
  if (pos >= s.size()) {
    out->assign(s);
    return false;
  }
  out->assign(s.substr(0, pos));
  return true;
}

template <typename ArrayT, typename Fn>
void ForEachValid(const arrow::ChunkedArray& column, Fn&& fn) {
  for (const auto& chunk : column.chunks()) {
    const auto& arr = static_cast<const ArrayT&>(*chunk);
    for (int64_t i = 0; i < arr.length(); ++i) {
      if (!arr.IsNull(i)) fn(arr, i);
    }
  }
}

template <typename ArrayT>
void IntegerStats(const arrow::ChunkedArray& column, ColumnStats* st) {
  Bounds<int64_t> b;
  ForEachValid<ArrayT>(column, [&](const ArrayT& a, int64_t i) {
    b.Add(static_cast<int64_t>(a.Value(i)));
  });
  if (b.min) {
    st->min_json = std::to_string(*b.min);
    st->max_json = std::to_string(*b.max);
  }
}

template <typename ArrayT>
void FloatStats(const arrow::ChunkedArray& column, ColumnStats* st) {
  Bounds<double> b;
  ForEachValid<ArrayT>(column, [&](const ArrayT& a, int64_t i) {
    double v = static_cast<double>(a.Value(i));
    if (!std::isnan(v)) b.Add(v);
  });
  if (b.min && std::isfinite(*b.min) && std::isfinite(*b.max)) {
    st->min_json.emplace();
    st->max_json.emplace();
    AppendJsonDouble(&*st->min_json, *b.min);
    AppendJsonDouble(&*st->max_json, *b.max);
  }
}

template <typename ArrayT>
void StringStats(const arrow::ChunkedArray& column, ColumnStats* st) {
  Bounds<std::string_view> b;
  ForEachValid<ArrayT>(column, [&](const ArrayT& a, int64_t i) { b.Add(a.GetView(i)); });
  if (!b.min) return;
  std::string min, max;
  TruncateUtf8(*b.min, &min);
  if (TruncateUtf8(*b.max, &max)) max += "\xF4\x8F\xBF\xBF";  // U+10FFFF: above the prefix
  st->min_json = JsonQuote(min);
  st->max_json = JsonQuote(max);
}

void LeafStats(const arrow::ChunkedArray& column, ColumnStats* st) {
  switch (column.type()->id()) {
    case arrow::Type::INT8: return IntegerStats<arrow::Int8Array>(column, st);
    case arrow::Type::INT16: return IntegerStats<arrow::Int16Array>(column, st);
    case arrow::Type::INT32: return IntegerStats<arrow::Int32Array>(column, st);
    case arrow::Type::INT64: return IntegerStats<arrow::Int64Array>(column, st);
    case arrow::Type::FLOAT: return FloatStats<arrow::FloatArray>(column, st);
    case arrow::Type::DOUBLE: return FloatStats<arrow::DoubleArray>(column, st);
    case arrow::Type::STRING: return StringStats<arrow::StringArray>(column, st);
    case arrow::Type::LARGE_STRING: return StringStats<arrow::LargeStringArray>(column, st);
    case arrow::Type::DATE32: {
      Bounds<int32_t> b;
      ForEachValid<arrow::Date32Array>(
          column, [&](const arrow::Date32Array& a, int64_t i) { b.Add(a.Value(i)); });
      if (b.min) {
        st->min_json = JsonQuote(FormatDate(*b.min));
        st->max_json = JsonQuote(FormatDate(*b.max));
      }
      return;
    }
    case arrow::Type::TIMESTAMP: {
      auto unit = static_cast<const arrow::TimestampType&>(*column.type()).unit();
      Bounds<int64_t> b;
      ForEachValid<arrow::TimestampArray>(
          column, [&](const arrow::TimestampArray& a, int64_t i) { b.Add(a.Value(i)); });
      if (b.min) {
        int64_t min_ms = FloorDiv(ToMicros(*b.min, unit, false), 1000);
        int64_t max_us = ToMicros(*b.max, unit, true);
        int64_t max_ms = -FloorDiv(-max_us, 1000);  // ceil: still an upper bound at ms
        st->min_json = JsonQuote(FormatUtcTimestamp(min_ms * 1000, 3));
        st->max_json = JsonQuote(FormatUtcTimestamp(max_ms * 1000, 3));
      }
      return;
    }
    case arrow::Type::DECIMAL128: {
      std::optional<arrow::Decimal128> min, max;
      ForEachValid<arrow::Decimal128Array>(
          column, [&](const arrow::Decimal128Array& a, int64_t i) {
            arrow::Decimal128 v(a.GetValue(i));
            if (!min || v < *min) min = v;
            if (!max || *max < v) max = v;
          });
      if (min) {
        int32_t scale = static_cast<const arrow::Decimal128Type&>(*column.type()).scale();
        st->min_json = min->ToString(scale);
        st->max_json = max->ToString(scale);
      }
      return;
    }
    default:
      return;  // booleans, binary, lists, maps: nullCount only
  }
}

ColumnStats Collect(const arrow::ChunkedArray& column) {
  ColumnStats st;
  st.null_count = column.null_count();
  if (column.type()->id() == arrow::Type::STRUCT) {
    st.is_struct = true;
    const auto& type = *column.type();
    for (int f = 0; f < type.num_fields(); ++f) {
      arrow::ArrayVector children;
      for (const auto& chunk : column.chunks()) {
        // Flatten folds the parent's validity into the child, as Spark counts nulls.
        auto flat = static_cast<const arrow::StructArray&>(*chunk).GetFlattenedField(f);
        if (flat.ok()) children.push_back(*flat);
      }
      arrow::ChunkedArray child(children, type.field(f)->type());
      st.children.emplace_back(type.field(f)->name(), Collect(child));
    }
    return st;
  }
  LeafStats(column, &st);
  return st;
}

enum class Which { kMin, kMax, kNulls };

// Appends `"name":value` for one column; returns false when there is nothing to append.
bool AppendStat(const std::string& name, const ColumnStats& st, Which which, std::string* out) {
  std::string value;
  if (st.is_struct) {
    value.push_back('{');
    bool any = false;
    for (const auto& [child_name, child] : st.children) {
      std::string part;
      if (!AppendStat(child_name, child, which, &part)) continue;
      if (any) value.push_back(',');
      value += part;
      any = true;
    }
    value.push_back('}');
    if (!any) return false;
  } else if (which == Which::kNulls) {
    value = std::to_string(st.null_count);
  } else {
    const auto& v = which == Which::kMin ? st.min_json : st.max_json;
    if (!v) return false;
    value = *v;
  }
  AppendJsonString(out, name);
  out->push_back(':');
  *out += value;
  return true;
}

}  // namespace

arrow::Result<std::string> ComputeStatsJson(const arrow::Table& data) {
  std::vector<std::pair<std::string, ColumnStats>> columns;
  for (int c = 0; c < data.num_columns(); ++c) {
    columns.emplace_back(data.schema()->field(c)->name(), Collect(*data.column(c)));
  }
  std::string out = "{\"numRecords\":" + std::to_string(data.num_rows());
  const std::pair<const char*, Which> sections[] = {
      {"minValues", Which::kMin}, {"maxValues", Which::kMax}, {"nullCount", Which::kNulls}};
  for (const auto& [key, which] : sections) {
    out += ",\"";
    out += key;
    out += "\":{";
    bool any = false;
    for (const auto& [name, st] : columns) {
      std::string part;
      if (!AppendStat(name, st, which, &part)) continue;
      if (any) out.push_back(',');
      out += part;
      any = true;
    }
    out.push_back('}');
  }
  out.push_back('}');
  return out;
}

}  // namespace hashlake::lake
