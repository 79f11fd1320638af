#include "hashlake/lake/delta_schema.h"

#include <cstdio>
#include <set>

#include <arrow/api.h>
#include <simdjson.h>

#include "hashlake/lake/json_util.h"

namespace hashlake::lake {
namespace {

arrow::Status AppendType(const arrow::DataType& type, std::string* out);

arrow::Status AppendField(const arrow::Field& field, std::string* out) {
  out->append("{\"name\":");
  AppendJsonString(out, field.name());
  out->append(",\"type\":");
  ARROW_RETURN_NOT_OK(AppendType(*field.type(), out));
  out->append(",\"nullable\":");
  out->append(field.nullable() ? "true" : "false");
  out->append(",\"metadata\":{");
  if (field.metadata() != nullptr) {
    const auto& md = *field.metadata();
    for (int64_t i = 0; i < md.size(); ++i) {
      if (i > 0) out->push_back(',');
      AppendJsonString(out, md.key(i));
      out->push_back(':');
      AppendJsonString(out, md.value(i));
    }
  }
  out->append("}}");
  return arrow::Status::OK();
}

arrow::Status AppendStruct(const arrow::FieldVector& fields, std::string* out) {
  out->append("{\"type\":\"struct\",\"fields\":[");
  std::set<std::string> seen;
  for (size_t i = 0; i < fields.size(); ++i) {
    std::string lower = fields[i]->name();
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!seen.insert(lower).second) {
      return arrow::Status::Invalid("Delta column names must be unique ignoring case: '",
                                    fields[i]->name(), "'");
    }
    if (i > 0) out->push_back(',');
    ARROW_RETURN_NOT_OK(AppendField(*fields[i], out));
  }
  out->append("]}");
  return arrow::Status::OK();
}

arrow::Status AppendType(const arrow::DataType& type, std::string* out) {
  switch (type.id()) {
    case arrow::Type::LIST:
    case arrow::Type::LARGE_LIST: {
      const auto& value_field = type.field(0);
      out->append("{\"type\":\"array\",\"elementType\":");
      ARROW_RETURN_NOT_OK(AppendType(*value_field->type(), out));
      out->append(",\"containsNull\":");
      out->append(value_field->nullable() ? "true}" : "false}");
      return arrow::Status::OK();
    }
    case arrow::Type::MAP: {
      const auto& map = static_cast<const arrow::MapType&>(type);
      out->append("{\"type\":\"map\",\"keyType\":");
      ARROW_RETURN_NOT_OK(AppendType(*map.key_type(), out));
      out->append(",\"valueType\":");
      ARROW_RETURN_NOT_OK(AppendType(*map.item_type(), out));
      out->append(",\"valueContainsNull\":");
      out->append(map.item_field()->nullable() ? "true}" : "false}");
      return arrow::Status::OK();
    }
    case arrow::Type::STRUCT:
      return AppendStruct(type.fields(), out);
    default: {
      ARROW_ASSIGN_OR_RAISE(auto name, DeltaPrimitiveTypeName(type));
      AppendJsonString(out, name);
      return arrow::Status::OK();
    }
  }
}

arrow::Result<std::shared_ptr<arrow::DataType>> ParseType(simdjson::dom::element e);

arrow::Result<std::shared_ptr<arrow::Field>> ParseField(simdjson::dom::element e) {
  simdjson::dom::object o;
  if (e.get_object().get(o) != simdjson::SUCCESS) {
    return arrow::Status::Invalid("Delta schema field is not an object");
  }
  ARROW_ASSIGN_OR_RAISE(auto name, GetString(o, "name"));
  simdjson::dom::element type_el;
  if (o.at_key("type").get(type_el) != simdjson::SUCCESS) {
    return arrow::Status::Invalid("Delta schema field '", name, "' has no type");
  }
  ARROW_ASSIGN_OR_RAISE(auto type, ParseType(type_el));
  ARROW_ASSIGN_OR_RAISE(bool nullable, GetBool(o, "nullable", true));
  std::shared_ptr<arrow::KeyValueMetadata> md;
  simdjson::dom::object md_obj;
  if (o.at_key("metadata").get_object().get(md_obj) == simdjson::SUCCESS && md_obj.size() > 0) {
    md = std::make_shared<arrow::KeyValueMetadata>();
    for (auto [key, value] : md_obj) {
      std::string_view s;
      if (value.get_string().get(s) == simdjson::SUCCESS) {
        md->Append(std::string(key), std::string(s));
      } else {
        md->Append(std::string(key), JsonMinify(value));
      }
    }
  }
  return arrow::field(name, type, nullable, md);
}

arrow::Result<std::shared_ptr<arrow::DataType>> ParsePrimitive(std::string_view name) {
  if (name == "string") return arrow::utf8();
  if (name == "long") return arrow::int64();
  if (name == "integer") return arrow::int32();
  if (name == "short") return arrow::int16();
  if (name == "byte") return arrow::int8();
  if (name == "float") return arrow::float32();
  if (name == "double") return arrow::float64();
  if (name == "boolean") return arrow::boolean();
  if (name == "binary") return arrow::binary();
  if (name == "date") return arrow::date32();
  if (name == "timestamp") return arrow::timestamp(arrow::TimeUnit::MICRO, "UTC");
  if (name == "timestamp_ntz") return arrow::timestamp(arrow::TimeUnit::MICRO);
  if (name.starts_with("decimal")) {
    int p = 0, s = 0;
    std::string text(name);
    if (std::sscanf(text.c_str(), "decimal(%d,%d)", &p, &s) == 2 ||
        std::sscanf(text.c_str(), "decimal(%d, %d)", &p, &s) == 2) {
      if (p < 1 || p > 38 || s < 0 || s > p) {
        return arrow::Status::Invalid("Delta decimal out of range: ", name);
      }
      return arrow::decimal128(p, s);
    }
  }
  return arrow::Status::NotImplemented("unsupported Delta type '", name, "'");
}

arrow::Result<std::shared_ptr<arrow::DataType>> ParseType(simdjson::dom::element e) {
  std::string_view name;
  if (e.get_string().get(name) == simdjson::SUCCESS) return ParsePrimitive(name);
  simdjson::dom::object o;
  if (e.get_object().get(o) != simdjson::SUCCESS) {
    return arrow::Status::Invalid("Delta schema type is neither a string nor an object");
  }
  ARROW_ASSIGN_OR_RAISE(auto kind, GetString(o, "type"));
  if (kind == "struct") {
    simdjson::dom::array fields;
    if (o.at_key("fields").get_array().get(fields) != simdjson::SUCCESS) {
      return arrow::Status::Invalid("Delta struct type without 'fields'");
    }
    arrow::FieldVector out;
    for (auto f : fields) {
      ARROW_ASSIGN_OR_RAISE(auto field, ParseField(f));
      out.push_back(std::move(field));
    }
    return arrow::struct_(out);
  }
  if (kind == "array") {
    simdjson::dom::element elem;
    if (o.at_key("elementType").get(elem) != simdjson::SUCCESS) {
      return arrow::Status::Invalid("Delta array type without 'elementType'");
    }
    ARROW_ASSIGN_OR_RAISE(auto elem_type, ParseType(elem));
    ARROW_ASSIGN_OR_RAISE(bool contains_null, GetBool(o, "containsNull", true));
    return arrow::list(arrow::field("element", elem_type, contains_null));
  }
  if (kind == "map") {
    simdjson::dom::element k, v;
    if (o.at_key("keyType").get(k) != simdjson::SUCCESS ||
        o.at_key("valueType").get(v) != simdjson::SUCCESS) {
      return arrow::Status::Invalid("Delta map type without 'keyType'/'valueType'");
    }
    ARROW_ASSIGN_OR_RAISE(auto key_type, ParseType(k));
    ARROW_ASSIGN_OR_RAISE(auto value_type, ParseType(v));
    ARROW_ASSIGN_OR_RAISE(bool value_null, GetBool(o, "valueContainsNull", true));
    return std::make_shared<arrow::MapType>(arrow::field("key", key_type, false),
                                            arrow::field("value", value_type, value_null));
  }
  return arrow::Status::NotImplemented("unsupported Delta type kind '", kind, "'");
}

}  // namespace

arrow::Result<std::string> DeltaPrimitiveTypeName(const arrow::DataType& type) {
  switch (type.id()) {
    case arrow::Type::STRING:
    case arrow::Type::LARGE_STRING:
    case arrow::Type::STRING_VIEW: return "string";
    case arrow::Type::INT64: return "long";
    case arrow::Type::INT32: return "integer";
    case arrow::Type::INT16: return "short";
    case arrow::Type::INT8: return "byte";
    case arrow::Type::FLOAT: return "float";
    case arrow::Type::DOUBLE: return "double";
    case arrow::Type::BOOL: return "boolean";
    case arrow::Type::BINARY:
    case arrow::Type::LARGE_BINARY:
    case arrow::Type::BINARY_VIEW: return "binary";
    case arrow::Type::DATE32: return "date";
    case arrow::Type::TIMESTAMP: {
      const auto& ts = static_cast<const arrow::TimestampType&>(type);
      // A tz-naive timestamp is timestamp_ntz (the table then needs feature timestampNtz).
      return ts.timezone().empty() ? "timestamp_ntz" : "timestamp";
    }
    case arrow::Type::DECIMAL128: {
      const auto& d = static_cast<const arrow::Decimal128Type&>(type);
      return "decimal(" + std::to_string(d.precision()) + "," + std::to_string(d.scale()) + ")";
    }
    default:
      return arrow::Status::NotImplemented("Arrow type ", type.ToString(),
                                           " has no Delta equivalent");
  }
}

arrow::Result<std::string> ToDeltaSchemaString(const arrow::Schema& schema) {
  std::string out;
  ARROW_RETURN_NOT_OK(AppendStruct(schema.fields(), &out));
  return out;
}

arrow::Result<std::shared_ptr<arrow::Schema>> FromDeltaSchemaString(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto err = parser.parse(json.data(), json.size()).get(root); err) {
    return arrow::Status::Invalid("Delta schemaString is not JSON: ", simdjson::error_message(err));
  }
  ARROW_ASSIGN_OR_RAISE(auto type, ParseType(root));
  if (type->id() != arrow::Type::STRUCT) {
    return arrow::Status::Invalid("Delta schemaString must be a struct");
  }
  return arrow::schema(type->fields());
}

}  // namespace hashlake::lake
