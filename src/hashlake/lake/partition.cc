#include "hashlake/lake/partition.h"

#include <charconv>
#include <cstdlib>

#include <arrow/api.h>
#include <arrow/util/decimal.h>

#include "hashlake/lake/actions.h"
#include "hashlake/lake/json_util.h"

namespace hashlake::lake {
namespace {

constexpr char kHexUpper[] = "0123456789ABCDEF";

bool NeedsHiveEscape(unsigned char c) {
  if (c >= 0x01 && c <= 0x1F) return true;
  switch (c) {
    case '"': case '#': case '%': case '\'': case '*': case '/': case ':': case '=':
    case '?': case '\\': case 0x7F: case '{': case '[': case ']': case '^':
      return true;
    default:
      return false;
  }
}

int64_t TimestampToMicros(int64_t v, arrow::TimeUnit::type unit) {
  switch (unit) {
    case arrow::TimeUnit::SECOND: return v * 1000000;
    case arrow::TimeUnit::MILLI: return v * 1000;
    case arrow::TimeUnit::MICRO: return v;
    case arrow::TimeUnit::NANO: return v >= 0 ? v / 1000 : -((-v + 999) / 1000);
  }
  return v;
}

template <typename T>
arrow::Result<T> ParseNumber(std::string_view s) {
  T v{};
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) {
    return arrow::Status::Invalid("partition value '", s, "' is not a number");
  }
  return v;
}

}  // namespace

arrow::Result<std::optional<std::string>> SerializePartitionValue(const arrow::Array& array,
                                                                  int64_t row) {
  if (array.IsNull(row)) return std::nullopt;
  std::string out;
  switch (array.type_id()) {
    case arrow::Type::STRING:
      out = std::string(static_cast<const arrow::StringArray&>(array).GetView(row));
      break;
    case arrow::Type::LARGE_STRING:
      out = std::string(static_cast<const arrow::LargeStringArray&>(array).GetView(row));
      break;
    case arrow::Type::INT8:
      out = std::to_string(static_cast<const arrow::Int8Array&>(array).Value(row));
      break;
    case arrow::Type::INT16:
      out = std::to_string(static_cast<const arrow::Int16Array&>(array).Value(row));
      break;
    case arrow::Type::INT32:
      out = std::to_string(static_cast<const arrow::Int32Array&>(array).Value(row));
      break;
    case arrow::Type::INT64:
      out = std::to_string(static_cast<const arrow::Int64Array&>(array).Value(row));
      break;
    case arrow::Type::BOOL:
      out = static_cast<const arrow::BooleanArray&>(array).Value(row) ? "true" : "false";
      break;
    case arrow::Type::FLOAT: {
      out.clear();
      AppendJsonDouble(&out, static_cast<const arrow::FloatArray&>(array).Value(row));
      break;
    }
    case arrow::Type::DOUBLE: {
      out.clear();
      AppendJsonDouble(&out, static_cast<const arrow::DoubleArray&>(array).Value(row));
      break;
    }
    case arrow::Type::DATE32:
      out = FormatDate(static_cast<const arrow::Date32Array&>(array).Value(row));
      break;
    case arrow::Type::TIMESTAMP: {
      const auto& type = static_cast<const arrow::TimestampType&>(*array.type());
      int64_t us = TimestampToMicros(
          static_cast<const arrow::TimestampArray&>(array).Value(row), type.unit());
      out = FormatUtcTimestamp(us, 6);
      out[10] = ' ';
      out.pop_back();  // the trailing 'Z'
      break;
    }
    case arrow::Type::DECIMAL128: {
      out = static_cast<const arrow::Decimal128Array&>(array).FormatValue(row);
      break;
    }
    default:
      return arrow::Status::NotImplemented("cannot partition by a column of type ",
                                           array.type()->ToString());
  }
  if (out.empty()) return std::nullopt;
  return out;
}

arrow::Result<std::shared_ptr<arrow::Array>> MakePartitionColumn(
    const std::shared_ptr<arrow::DataType>& type, const std::optional<std::string>& value,
    int64_t length) {
  if (!value.has_value() || value->empty()) return arrow::MakeArrayOfNull(type, length);
  const std::string& s = *value;
  std::shared_ptr<arrow::Scalar> scalar;
  switch (type->id()) {
    case arrow::Type::STRING: scalar = std::make_shared<arrow::StringScalar>(s); break;
    case arrow::Type::LARGE_STRING: scalar = std::make_shared<arrow::LargeStringScalar>(s); break;
    case arrow::Type::BINARY: scalar = std::make_shared<arrow::BinaryScalar>(s); break;
    case arrow::Type::INT8: {
      ARROW_ASSIGN_OR_RAISE(auto v, ParseNumber<int8_t>(s));
      scalar = std::make_shared<arrow::Int8Scalar>(v);
      break;
    }
    case arrow::Type::INT16: {
      ARROW_ASSIGN_OR_RAISE(auto v, ParseNumber<int16_t>(s));
      scalar = std::make_shared<arrow::Int16Scalar>(v);
      break;
    }
    case arrow::Type::INT32: {
      ARROW_ASSIGN_OR_RAISE(auto v, ParseNumber<int32_t>(s));
      scalar = std::make_shared<arrow::Int32Scalar>(v);
      break;
    }
    case arrow::Type::INT64: {
      ARROW_ASSIGN_OR_RAISE(auto v, ParseNumber<int64_t>(s));
      scalar = std::make_shared<arrow::Int64Scalar>(v);
      break;
    }
    case arrow::Type::FLOAT: {
      ARROW_ASSIGN_OR_RAISE(auto v, ParseNumber<float>(s));
      scalar = std::make_shared<arrow::FloatScalar>(v);
      break;
    }
    case arrow::Type::DOUBLE: {
      ARROW_ASSIGN_OR_RAISE(auto v, ParseNumber<double>(s));
      scalar = std::make_shared<arrow::DoubleScalar>(v);
      break;
    }
    case arrow::Type::BOOL: {
      if (s != "true" && s != "false") {
        return arrow::Status::Invalid("partition value '", s, "' is not a boolean");
      }
      scalar = std::make_shared<arrow::BooleanScalar>(s == "true");
      break;
    }
    case arrow::Type::DATE32: {
      ARROW_ASSIGN_OR_RAISE(auto v, ParseDate(s));
      scalar = std::make_shared<arrow::Date32Scalar>(v);
      break;
    }
    case arrow::Type::TIMESTAMP: {
      ARROW_ASSIGN_OR_RAISE(auto us, ParseUtcTimestamp(s));
      ARROW_ASSIGN_OR_RAISE(scalar, arrow::MakeScalar(arrow::timestamp(arrow::TimeUnit::MICRO,
          static_cast<const arrow::TimestampType&>(*type).timezone()), us));
      ARROW_ASSIGN_OR_RAISE(scalar, scalar->CastTo(type));
      break;
    }
    case arrow::Type::DECIMAL128: {
      const auto& dt = static_cast<const arrow::Decimal128Type&>(*type);
      arrow::Decimal128 d;
      int32_t precision = 0, scale = 0;
      ARROW_RETURN_NOT_OK(arrow::Decimal128::FromString(s, &d, &precision, &scale));
      ARROW_ASSIGN_OR_RAISE(d, d.Rescale(scale, dt.scale()));
      scalar = std::make_shared<arrow::Decimal128Scalar>(d, type);
      break;
    }
    default:
      return arrow::Status::NotImplemented("partition column of type ", type->ToString());
  }
  return arrow::MakeArrayFromScalar(*scalar, length);
}

std::string HiveEscape(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char ch : value) {
    auto c = static_cast<unsigned char>(ch);
    if (NeedsHiveEscape(c)) {
      out.push_back('%');
      out.push_back(kHexUpper[c >> 4]);
      out.push_back(kHexUpper[c & 0xF]);
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

std::string PartitionDirName(std::string_view column, const std::optional<std::string>& value) {
  std::string out = HiveEscape(column);
  out.push_back('=');
  out += value.has_value() ? HiveEscape(*value) : std::string("__HIVE_DEFAULT_PARTITION__");
  return out;
}

std::string UriEncodePath(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (char ch : path) {
    auto c = static_cast<unsigned char>(ch);
    bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '_' || c == '.' || c == '~' || c == '/' || c == '=';
    if (keep) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHexUpper[c >> 4]);
      out.push_back(kHexUpper[c & 0xF]);
    }
  }
  return out;
}

std::string UriDecodePath(std::string_view path) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(path.size());
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '%' && i + 2 < path.size()) {
      int hi = hex(path[i + 1]), lo = hex(path[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(path[i]);
  }
  return out;
}

}  // namespace hashlake::lake
