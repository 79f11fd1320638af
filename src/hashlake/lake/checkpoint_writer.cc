#include "hashlake/lake/checkpoint_writer.h"

#include <cstdio>

#include <arrow/api.h>
#include <arrow/io/memory.h>
#include <parquet/arrow/writer.h>
#include <parquet/properties.h>

#include "hashlake/core/version.h"
#include "hashlake/lake/log_store.h"
#include "hashlake/lake/snapshot.h"
#include "hashlake/lake/table_properties.h"

namespace hashlake::lake {
namespace {

using arrow::field;

std::shared_ptr<arrow::DataType> StringMap() { return arrow::map(arrow::utf8(), arrow::utf8()); }

std::shared_ptr<arrow::Schema> CheckpointSchema() {
  auto txn = arrow::struct_({field("appId", arrow::utf8()), field("version", arrow::int64()),
                             field("lastUpdated", arrow::int64())});
  auto add = arrow::struct_({field("path", arrow::utf8()), field("partitionValues", StringMap()),
                             field("size", arrow::int64()),
                             field("modificationTime", arrow::int64()),
                             field("dataChange", arrow::boolean()), field("stats", arrow::utf8()),
                             field("tags", StringMap())});
  auto remove = arrow::struct_(
      {field("path", arrow::utf8()), field("deletionTimestamp", arrow::int64()),
       field("dataChange", arrow::boolean()), field("extendedFileMetadata", arrow::boolean()),
       field("partitionValues", StringMap()), field("size", arrow::int64())});
  auto format = arrow::struct_({field("provider", arrow::utf8()), field("options", StringMap())});
  auto metadata = arrow::struct_(
      {field("id", arrow::utf8()), field("name", arrow::utf8()),
       field("description", arrow::utf8()), field("format", format),
       field("schemaString", arrow::utf8()),
       field("partitionColumns", arrow::list(field("element", arrow::utf8()))),
       field("configuration", StringMap()), field("createdTime", arrow::int64())});
  auto protocol = arrow::struct_(
      {field("minReaderVersion", arrow::int32()), field("minWriterVersion", arrow::int32()),
       field("readerFeatures", arrow::list(field("element", arrow::utf8()))),
       field("writerFeatures", arrow::list(field("element", arrow::utf8())))});
  return arrow::schema({field("txn", txn), field("add", add), field("remove", remove),
                        field("metaData", metadata), field("protocol", protocol)});
}

arrow::Status Str(arrow::ArrayBuilder* b, const std::optional<std::string>& v) {
  auto* s = static_cast<arrow::StringBuilder*>(b);
  return v ? s->Append(*v) : s->AppendNull();
}
arrow::Status Long(arrow::ArrayBuilder* b, std::optional<int64_t> v) {
  auto* s = static_cast<arrow::Int64Builder*>(b);
  return v ? s->Append(*v) : s->AppendNull();
}
arrow::Status Int(arrow::ArrayBuilder* b, int32_t v) {
  return static_cast<arrow::Int32Builder*>(b)->Append(v);
}
arrow::Status Bool(arrow::ArrayBuilder* b, std::optional<bool> v) {
  auto* s = static_cast<arrow::BooleanBuilder*>(b);
  return v ? s->Append(*v) : s->AppendNull();
}
arrow::Status Map(arrow::ArrayBuilder* b, const PartitionValues& m) {
  auto* mb = static_cast<arrow::MapBuilder*>(b);
  ARROW_RETURN_NOT_OK(mb->Append());
  for (const auto& [k, v] : m) {
    ARROW_RETURN_NOT_OK(Str(mb->key_builder(), k));
    ARROW_RETURN_NOT_OK(Str(mb->item_builder(), v));
  }
  return arrow::Status::OK();
}
arrow::Status Map(arrow::ArrayBuilder* b, const std::map<std::string, std::string>& m) {
  PartitionValues pv(m.begin(), m.end());
  return Map(b, pv);
}
arrow::Status List(arrow::ArrayBuilder* b, const std::vector<std::string>& v) {
  auto* lb = static_cast<arrow::ListBuilder*>(b);
  ARROW_RETURN_NOT_OK(lb->Append());
  for (const auto& s : v) ARROW_RETURN_NOT_OK(Str(lb->value_builder(), s));
  return arrow::Status::OK();
}

/// One checkpoint column: a struct builder that gets a value on rows of its action kind and
/// a null on every other row.
class Column {
 public:
  static arrow::Result<Column> Make(const std::shared_ptr<arrow::DataType>& type) {
    std::unique_ptr<arrow::ArrayBuilder> b;
    ARROW_RETURN_NOT_OK(arrow::MakeBuilder(arrow::default_memory_pool(), type, &b));
    return Column(std::move(b));
  }
  arrow::StructBuilder* get() { return static_cast<arrow::StructBuilder*>(builder_.get()); }
  arrow::ArrayBuilder* f(int i) { return get()->field_builder(i); }

 private:
  explicit Column(std::unique_ptr<arrow::ArrayBuilder> b) : builder_(std::move(b)) {}
  std::unique_ptr<arrow::ArrayBuilder> builder_;
};

}  // namespace

std::string LastCheckpointJson(const CheckpointInfo& info) {
  return "{\"version\":" + std::to_string(info.version) + ",\"size\":" +
         std::to_string(info.size) + ",\"sizeInBytes\":" + std::to_string(info.size_in_bytes) +
         ",\"numOfAddFiles\":" + std::to_string(info.num_add_files) + "}";
}

arrow::Result<CheckpointInfo> WriteCheckpoint(LogStore& store, const Snapshot& snapshot,
                                              std::chrono::system_clock::time_point now) {
  if (snapshot.version < 0) return arrow::Status::Invalid("cannot checkpoint an empty snapshot");
  ARROW_RETURN_NOT_OK(CheckReadable(snapshot));
  ARROW_ASSIGN_OR_RAISE(auto props, TableProperties::FromMetadata(snapshot.metadata));
  int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  int64_t tombstone_cutoff = now_ms - props.deleted_file_retention.count();

  auto schema = CheckpointSchema();
  std::vector<Column> columns;
  for (const auto& f : schema->fields()) {
    ARROW_ASSIGN_OR_RAISE(auto c, Column::Make(f->type()));
    columns.push_back(std::move(c));
  }
  enum { kTxn, kAdd, kRemove, kMeta, kProtocol };
  int64_t rows = 0;
  // Starts a row whose only non-null column is `which`.
  auto begin_row = [&](int which) -> arrow::Status {
    for (int i = 0; i < static_cast<int>(columns.size()); ++i) {
      if (i != which) ARROW_RETURN_NOT_OK(columns[i].get()->AppendNull());
    }
    ++rows;
    return columns[which].get()->Append();
  };

  {
    const auto& p = snapshot.protocol;
    ARROW_RETURN_NOT_OK(begin_row(kProtocol));
    auto& c = columns[kProtocol];
    ARROW_RETURN_NOT_OK(Int(c.f(0), p.min_reader_version));
    ARROW_RETURN_NOT_OK(Int(c.f(1), p.min_writer_version));
    // Feature lists exist only at reader 3 / writer 7.
    if (p.min_reader_version >= 3) {
      ARROW_RETURN_NOT_OK(List(c.f(2), p.reader_features));
    } else {
      ARROW_RETURN_NOT_OK(c.f(2)->AppendNull());
    }
    if (p.min_writer_version >= 7) {
      ARROW_RETURN_NOT_OK(List(c.f(3), p.writer_features));
    } else {
      ARROW_RETURN_NOT_OK(c.f(3)->AppendNull());
    }
  }
  {
    const auto& m = snapshot.metadata;
    ARROW_RETURN_NOT_OK(begin_row(kMeta));
    auto& c = columns[kMeta];
    ARROW_RETURN_NOT_OK(Str(c.f(0), m.id));
    ARROW_RETURN_NOT_OK(Str(c.f(1), m.name.empty() ? std::nullopt : std::optional(m.name)));
    ARROW_RETURN_NOT_OK(
        Str(c.f(2), m.description.empty() ? std::nullopt : std::optional(m.description)));
    auto* format = static_cast<arrow::StructBuilder*>(c.f(3));
    ARROW_RETURN_NOT_OK(format->Append());
    ARROW_RETURN_NOT_OK(Str(format->field_builder(0), m.format_provider));
    ARROW_RETURN_NOT_OK(Map(format->field_builder(1), m.format_options));
    ARROW_RETURN_NOT_OK(Str(c.f(4), m.schema_string));
    ARROW_RETURN_NOT_OK(List(c.f(5), m.partition_columns));
    ARROW_RETURN_NOT_OK(Map(c.f(6), m.configuration));
    ARROW_RETURN_NOT_OK(Long(c.f(7), m.created_time_ms));
  }
  for (const auto& [app, t] : snapshot.txns) {
    ARROW_RETURN_NOT_OK(begin_row(kTxn));
    auto& c = columns[kTxn];
    ARROW_RETURN_NOT_OK(Str(c.f(0), t.app_id));
    ARROW_RETURN_NOT_OK(Long(c.f(1), t.version));
    ARROW_RETURN_NOT_OK(Long(c.f(2), t.last_updated_ms));
  }
  for (const auto& a : snapshot.files) {
    ARROW_RETURN_NOT_OK(begin_row(kAdd));
    auto& c = columns[kAdd];
    ARROW_RETURN_NOT_OK(Str(c.f(0), a.path));
    ARROW_RETURN_NOT_OK(Map(c.f(1), a.partition_values));
    ARROW_RETURN_NOT_OK(Long(c.f(2), a.size));
    ARROW_RETURN_NOT_OK(Long(c.f(3), a.modification_time_ms));
    // Checkpoints hold the table state, not a change: dataChange is false (as Spark writes).
    ARROW_RETURN_NOT_OK(Bool(c.f(4), false));
    ARROW_RETURN_NOT_OK(Str(c.f(5), a.stats.empty() ? std::nullopt : std::optional(a.stats)));
    if (a.tags.empty()) {
      ARROW_RETURN_NOT_OK(c.f(6)->AppendNull());
    } else {
      ARROW_RETURN_NOT_OK(Map(c.f(6), a.tags));
    }
  }
  for (const auto& r : snapshot.tombstones) {
    if (r.deletion_timestamp_ms.value_or(0) <= tombstone_cutoff) continue;  // expired
    ARROW_RETURN_NOT_OK(begin_row(kRemove));
    auto& c = columns[kRemove];
    ARROW_RETURN_NOT_OK(Str(c.f(0), r.path));
    ARROW_RETURN_NOT_OK(Long(c.f(1), r.deletion_timestamp_ms));
    ARROW_RETURN_NOT_OK(Bool(c.f(2), false));
    ARROW_RETURN_NOT_OK(Bool(c.f(3), r.extended_file_metadata));
    if (r.partition_values) {
      ARROW_RETURN_NOT_OK(Map(c.f(4), *r.partition_values));
    } else {
      ARROW_RETURN_NOT_OK(c.f(4)->AppendNull());
    }
    ARROW_RETURN_NOT_OK(Long(c.f(5), r.size));
  }

  arrow::ArrayVector arrays;
  for (auto& c : columns) {
    std::shared_ptr<arrow::Array> a;
    ARROW_RETURN_NOT_OK(c.get()->Finish(&a));
    arrays.push_back(std::move(a));
  }
  auto table = arrow::Table::Make(schema, arrays, rows);
  ARROW_RETURN_NOT_OK(table->Validate());
  auto writer_props = parquet::WriterProperties::Builder()
                          .compression(arrow::Compression::ZSTD)
                          ->created_by(std::string("hashlake/") + kVersion)
                          ->build();
  ARROW_ASSIGN_OR_RAISE(auto sink, arrow::io::BufferOutputStream::Create());
  ARROW_RETURN_NOT_OK(parquet::arrow::WriteTable(*table, arrow::default_memory_pool(), sink,
                                                 /*chunk_size=*/1 << 20, writer_props));
  ARROW_ASSIGN_OR_RAISE(auto buffer, sink->Finish());

  char name[64];
  std::snprintf(name, sizeof(name), "%020lld.checkpoint.parquet",
                static_cast<long long>(snapshot.version));
  std::string log_dir = snapshot.table_root + "/_delta_log";
  ARROW_RETURN_NOT_OK(store.Put(log_dir + "/" + name, buffer->ToString()));
  CheckpointInfo info;
  info.version = snapshot.version;
  info.size = rows;
  info.size_in_bytes = buffer->size();
  info.num_add_files = static_cast<int64_t>(snapshot.files.size());
  ARROW_RETURN_NOT_OK(store.Put(log_dir + "/_last_checkpoint", LastCheckpointJson(info)));
  return info;
}

arrow::Result<int64_t> CleanupExpiredLogs(LogStore& store, const Snapshot& snapshot,
                                          std::chrono::system_clock::time_point now) {
  ARROW_ASSIGN_OR_RAISE(auto props, TableProperties::FromMetadata(snapshot.metadata));
  int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  int64_t cutoff = now_ms - props.log_retention.count();
  std::string log_dir = snapshot.table_root + "/_delta_log";
  ARROW_ASSIGN_OR_RAISE(auto checkpoints, ListCompleteCheckpoints(store, snapshot.table_root));
  ARROW_ASSIGN_OR_RAISE(auto entries, store.List(log_dir));
  auto version_of = [](const std::string& n) -> std::optional<int64_t> {
    if (n.size() < 21 || n[20] != '.') return std::nullopt;
    int64_t v = 0;
    for (int i = 0; i < 20; ++i) {
      if (n[i] < '0' || n[i] > '9') return std::nullopt;
      v = v * 10 + (n[i] - '0');
    }
    return v;
  };
  std::map<int64_t, int64_t> commit_mtime;
  for (const auto& e : entries) {
    auto v = version_of(e.name);
    if (v && e.name.size() == 25 && e.name.ends_with(".json")) commit_mtime[*v] = e.modification_time_ms;
  }
  // The newest checkpoint at or below the snapshot whose commit has expired: every version
  // before it can go, and the table stays readable from it on.
  std::optional<int64_t> boundary;
  for (int64_t c : checkpoints) {
    if (c > snapshot.version) break;
    auto it = commit_mtime.find(c);
    if (it != commit_mtime.end() && it->second <= cutoff) boundary = c;
  }
  if (!boundary) return 0;
  int64_t deleted = 0;
  for (const auto& e : entries) {
    if (e.is_dir) continue;
    auto v = version_of(e.name);
    if (!v || *v >= *boundary || e.modification_time_ms > cutoff) continue;
    // A compacted file "<from>.<to>.compacted.json" goes only when its range is all below.
    if (e.name.ends_with(".compacted.json")) {
      auto to = version_of(e.name.substr(21));
      if (!to || *to >= *boundary) continue;
    }
    ARROW_RETURN_NOT_OK(store.Delete(log_dir + "/" + e.name));
    ++deleted;
  }
  return deleted;
}

}  // namespace hashlake::lake
