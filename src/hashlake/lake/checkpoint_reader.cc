#include "hashlake/lake/checkpoint_reader.h"

#include <arrow/api.h>
#include <parquet/arrow/reader.h>

#include "hashlake/lake/log_store.h"

namespace hashlake::lake {
namespace {

/// Typed, null-aware access to the fields of one checkpoint struct column.
class Row {
 public:
  Row(const arrow::StructArray& s, int64_t i) : s_(s), i_(i) {}

  const arrow::Array* Child(std::string_view name) const {
    auto child = s_.GetFieldByName(std::string(name));
    if (child == nullptr || child->IsNull(i_)) return nullptr;
    return child.get();
  }

  std::optional<std::string> Str(std::string_view name) const {
    const auto* a = Child(name);
    return a ? StrAt(*a, i_) : std::nullopt;
  }
  std::optional<int64_t> Int(std::string_view name) const {
    const auto* a = Child(name);
    if (a == nullptr) return std::nullopt;
    switch (a->type_id()) {
      case arrow::Type::INT32: return static_cast<const arrow::Int32Array&>(*a).Value(i_);
      case arrow::Type::INT64: return static_cast<const arrow::Int64Array&>(*a).Value(i_);
      default: return std::nullopt;
    }
  }
  std::optional<bool> Bool(std::string_view name) const {
    const auto* a = Child(name);
    if (a == nullptr || a->type_id() != arrow::Type::BOOL) return std::nullopt;
    return static_cast<const arrow::BooleanArray&>(*a).Value(i_);
  }
  PartitionValues Map(std::string_view name) const {
    PartitionValues out;
    const auto* a = Child(name);
    if (a == nullptr || a->type_id() != arrow::Type::MAP) return out;
    const auto& m = static_cast<const arrow::MapArray&>(*a);
    for (int64_t j = m.value_offset(i_); j < m.value_offset(i_ + 1); ++j) {
      auto key = StrAt(*m.keys(), j);
      if (key) out.emplace(*key, StrAt(*m.items(), j));
    }
    return out;
  }
  std::vector<std::string> List(std::string_view name) const {
    std::vector<std::string> out;
    const auto* a = Child(name);
    if (a == nullptr || a->type_id() != arrow::Type::LIST) return out;
    const auto& l = static_cast<const arrow::ListArray&>(*a);
    for (int64_t j = l.value_offset(i_); j < l.value_offset(i_ + 1); ++j) {
      auto v = StrAt(*l.values(), j);
      if (v) out.push_back(*v);
    }
    return out;
  }
  std::optional<Row> Struct(std::string_view name) const {
    const auto* a = Child(name);
    if (a == nullptr || a->type_id() != arrow::Type::STRUCT) return std::nullopt;
    return Row(static_cast<const arrow::StructArray&>(*a), i_);
  }

 private:
  static std::optional<std::string> StrAt(const arrow::Array& a, int64_t i) {
    if (a.IsNull(i)) return std::nullopt;
    switch (a.type_id()) {
      case arrow::Type::STRING:
        return std::string(static_cast<const arrow::StringArray&>(a).GetView(i));
      case arrow::Type::LARGE_STRING:
        return std::string(static_cast<const arrow::LargeStringArray&>(a).GetView(i));
      default: return std::nullopt;
    }
  }

  const arrow::StructArray& s_;
  int64_t i_;
};

std::map<std::string, std::string> NonNull(const PartitionValues& m) {
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : m) {
    if (v) out.emplace(k, *v);
  }
  return out;
}

std::optional<DeletionVectorRef> Dv(const Row& row) {
  auto dv = row.Struct("deletionVector");
  if (!dv) return std::nullopt;
  DeletionVectorRef out;
  out.storage_type = dv->Str("storageType").value_or("");
  out.path_or_inline_dv = dv->Str("pathOrInlineDv").value_or("");
  out.offset = dv->Int("offset");
  out.size_in_bytes = dv->Int("sizeInBytes").value_or(0);
  out.cardinality = dv->Int("cardinality").value_or(0);
  return out;
}

arrow::Status ConvertRow(std::string_view column, const Row& row, std::vector<Action>* out) {
  if (column == "add") {
    AddFile a;
    a.path = row.Str("path").value_or("");
    if (a.path.empty()) return arrow::Status::Invalid("checkpoint add without path");
    a.partition_values = row.Map("partitionValues");
    a.size = row.Int("size").value_or(0);
    a.modification_time_ms = row.Int("modificationTime").value_or(0);
    a.data_change = row.Bool("dataChange").value_or(false);
    a.stats = row.Str("stats").value_or("");
    a.tags = NonNull(row.Map("tags"));
    a.deletion_vector = Dv(row);
    out->push_back(std::move(a));
  } else if (column == "remove") {
    RemoveFile r;
    r.path = row.Str("path").value_or("");
    if (r.path.empty()) return arrow::Status::Invalid("checkpoint remove without path");
    r.deletion_timestamp_ms = row.Int("deletionTimestamp");
    r.data_change = row.Bool("dataChange").value_or(false);
    r.extended_file_metadata = row.Bool("extendedFileMetadata");
    r.size = row.Int("size");
    if (row.Child("partitionValues") != nullptr) r.partition_values = row.Map("partitionValues");
    r.deletion_vector = Dv(row);
    out->push_back(std::move(r));
  } else if (column == "metaData") {
    Metadata m;
    m.id = row.Str("id").value_or("");
    m.name = row.Str("name").value_or("");
    m.description = row.Str("description").value_or("");
    if (auto format = row.Struct("format")) {
      m.format_provider = format->Str("provider").value_or("parquet");
      m.format_options = NonNull(format->Map("options"));
    }
    m.schema_string = row.Str("schemaString").value_or("");
    m.partition_columns = row.List("partitionColumns");
    m.configuration = NonNull(row.Map("configuration"));
    m.created_time_ms = row.Int("createdTime");
    out->push_back(std::move(m));
  } else if (column == "protocol") {
    Protocol p;
    p.min_reader_version = static_cast<int32_t>(row.Int("minReaderVersion").value_or(1));
    p.min_writer_version = static_cast<int32_t>(row.Int("minWriterVersion").value_or(2));
    p.reader_features = row.List("readerFeatures");
    p.writer_features = row.List("writerFeatures");
    out->push_back(std::move(p));
  } else if (column == "txn") {
    Txn t;
    t.app_id = row.Str("appId").value_or("");
    if (t.app_id.empty()) return arrow::Status::Invalid("checkpoint txn without appId");
    t.version = row.Int("version").value_or(0);
    t.last_updated_ms = row.Int("lastUpdated");
    out->push_back(std::move(t));
  }
  return arrow::Status::OK();
}

}  // namespace

arrow::Result<std::vector<Action>> ReadCheckpointPart(LogStore& store, const std::string& path) {
  ARROW_ASSIGN_OR_RAISE(auto file, store.OpenForRead(path));
  ARROW_ASSIGN_OR_RAISE(auto reader, parquet::arrow::OpenFile(file, arrow::default_memory_pool()));
  std::shared_ptr<arrow::Schema> schema;
  ARROW_RETURN_NOT_OK(reader->GetSchema(&schema));
  std::vector<Action> out;
  for (const char* name : {"protocol", "metaData", "txn", "add", "remove"}) {
    int index = schema->GetFieldIndex(name);
    if (index < 0) continue;
    std::shared_ptr<arrow::ChunkedArray> column;
    ARROW_RETURN_NOT_OK(reader->ReadColumn(index, &column));
    if (column->type()->id() != arrow::Type::STRUCT) {
      return arrow::Status::Invalid("checkpoint column '", name, "' is not a struct in ", path);
    }
    for (const auto& chunk : column->chunks()) {
      const auto& s = static_cast<const arrow::StructArray&>(*chunk);
      for (int64_t i = 0; i < s.length(); ++i) {
        if (s.IsNull(i)) continue;
        auto st = ConvertRow(name, Row(s, i), &out);
        if (!st.ok()) return st.WithMessage(st.message(), " (", path, ")");
      }
    }
  }
  return out;
}

}  // namespace hashlake::lake
