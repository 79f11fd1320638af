#include "hashlake/lake/delta_table.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <set>

#include <arrow/api.h>
#include <arrow/compute/api_vector.h>
#include <arrow/compute/cast.h>
#include <parquet/arrow/writer.h>
#include <parquet/arrow/reader.h>
#include <parquet/properties.h>

#include "hashlake/core/version.h"
#include "hashlake/lake/delta_schema.h"
#include "hashlake/lake/json_util.h"
#include "hashlake/lake/log_store.h"
#include "hashlake/lake/partition.h"
#include "hashlake/lake/stats.h"
#include "hashlake/lake/table_properties.h"
#include "hashlake/lake/table_uri.h"
#include "hashlake/lake/uuid.h"

namespace hashlake::lake {
namespace {

constexpr char kConflictDetailType[] = "hashlake::lake::CommitConflict";

class CommitConflictDetail final : public arrow::StatusDetail {
 public:
  const char* type_id() const override { return kConflictDetailType; }
  std::string ToString() const override { return "Delta commit conflict"; }
};

template <typename... Args>
arrow::Status ConflictError(Args&&... args) {
  return arrow::Status::Invalid(std::forward<Args>(args)...)
      .WithDetail(std::make_shared<CommitConflictDetail>());
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string NormalizePath(const std::string& path) {
  if (path.starts_with("file://")) {
    auto uri = ParseTableUri(path);
    if (uri.ok()) return uri->root;
  }
  // Roots of other stores ("s3://bucket/prefix") are theirs to interpret.
  if (path.find("://") != std::string::npos) return path;
  std::string p = std::filesystem::absolute(std::filesystem::path(path)).lexically_normal();
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool FieldHasMetadata(const arrow::Field& field, const std::string& key) {
  if (field.metadata() && field.metadata()->Contains(key)) return true;
  for (const auto& child : field.type()->fields()) {
    if (FieldHasMetadata(*child, key)) return true;
  }
  return false;
}

bool SchemaHasMetadata(const arrow::Schema& schema, const std::string& key) {
  return std::any_of(schema.fields().begin(), schema.fields().end(),
                     [&](const auto& f) { return FieldHasMetadata(*f, key); });
}

bool HasConstraints(const Snapshot& s) {
  return std::any_of(s.metadata.configuration.begin(), s.metadata.configuration.end(),
                     [](const auto& kv) { return kv.first.starts_with("delta.constraints."); });
}

/// Writer features hashlake honours: appendOnly and inCommitTimestamp are implemented;
/// the others need no work from an appending/compacting writer unless the table uses them
/// (checked below).
constexpr const char* kSupportedWriterFeatures[] = {
    "appendOnly", "invariants", "checkConstraints", "changeDataFeed", "generatedColumns",
    "timestampNtz", "inCommitTimestamp", "vacuumProtocolCheck"};

arrow::Status CheckWritable(const Snapshot& s) {
  ARROW_RETURN_NOT_OK(CheckReadable(s));
  const auto& p = s.protocol;
  std::vector<std::string> unsupported;
  if (p.min_writer_version == 7) {
    for (const auto& f : p.writer_features) {
      if (std::none_of(std::begin(kSupportedWriterFeatures), std::end(kSupportedWriterFeatures),
                       [&](const char* k) { return f == k; })) {
        unsupported.push_back(f);
      }
    }
  } else if (p.min_writer_version == 5) {
    unsupported.push_back("columnMapping");
  } else if (p.min_writer_version == 6) {
    unsupported.push_back("identityColumns");
  } else if (p.min_writer_version > 7) {
    unsupported.push_back("writer version " + std::to_string(p.min_writer_version));
  }
  if (!unsupported.empty()) {
    std::string features;
    for (const auto& f : unsupported) features += (features.empty() ? "" : ", ") + f;
    return arrow::Status::NotImplemented("table ", s.table_root, " needs Delta writer version ",
                                         p.min_writer_version, " with feature(s) [", features,
                                         "], which hashlake does not write");
  }
  for (const auto& field : s.schema->fields()) {
    if (FieldHasMetadata(*field, "delta.invariants")) {
      return arrow::Status::NotImplemented("column '", field->name(),
                                           "' has a delta.invariants expression, which "
                                           "hashlake cannot evaluate; refusing to write");
    }
  }
  if (HasConstraints(s)) {
    return arrow::Status::NotImplemented("table ", s.table_root,
                                         " has CHECK constraints (delta.constraints.*), which "
                                         "hashlake cannot evaluate; refusing to write");
  }
  if (SchemaHasMetadata(*s.schema, "delta.generationExpression")) {
    return arrow::Status::NotImplemented("table ", s.table_root,
                                         " has generated columns, which hashlake cannot "
                                         "compute; refusing to write");
  }
  return arrow::Status::OK();
}

bool HasNtzTimestamp(const arrow::DataType& type) {
  if (type.id() == arrow::Type::TIMESTAMP &&
      static_cast<const arrow::TimestampType&>(type).timezone().empty()) {
    return true;
  }
  return std::any_of(type.fields().begin(), type.fields().end(),
                     [](const auto& f) { return HasNtzTimestamp(*f->type()); });
}

/// The protocol a new table needs: r1/w2 unless it uses table features.
arrow::Result<Protocol> ProtocolFor(const arrow::Schema& schema,
                                    const std::map<std::string, std::string>& configuration) {
  Metadata m;
  m.configuration = configuration;
  ARROW_ASSIGN_OR_RAISE(auto props, TableProperties::FromMetadata(m));
  bool ntz = std::any_of(schema.fields().begin(), schema.fields().end(),
                         [](const auto& f) { return HasNtzTimestamp(*f->type()); });
  if (!ntz && !props.in_commit_timestamps) return Protocol{1, 2, {}, {}};
  Protocol p{ntz ? 3 : 1, 7, {}, {}};
  if (ntz) p.reader_features.push_back("timestampNtz");
  if (props.append_only) p.writer_features.push_back("appendOnly");
  if (props.in_commit_timestamps) p.writer_features.push_back("inCommitTimestamp");
  if (ntz) p.writer_features.push_back("timestampNtz");
  return p;
}

/// `data` reordered and cast to `schema`; absent nullable columns become null.
arrow::Result<std::shared_ptr<arrow::Table>> ConformToSchema(const arrow::Table& data,
                                                             const arrow::Schema& schema) {
  for (const auto& f : data.schema()->fields()) {
    bool known = std::any_of(schema.fields().begin(), schema.fields().end(),
                             [&](const auto& s) { return EqualsIgnoreCase(s->name(), f->name()); });
    if (!known) {
      return arrow::Status::Invalid("column '", f->name(), "' is not in the table schema");
    }
  }
  std::vector<std::shared_ptr<arrow::ChunkedArray>> columns;
  for (const auto& field : schema.fields()) {
    int idx = data.schema()->GetFieldIndex(field->name());
    for (int i = 0; idx < 0 && i < data.num_columns(); ++i) {
      if (EqualsIgnoreCase(data.schema()->field(i)->name(), field->name())) idx = i;
    }
    std::shared_ptr<arrow::ChunkedArray> column;
    if (idx < 0) {
      ARROW_ASSIGN_OR_RAISE(auto nulls, arrow::MakeArrayOfNull(field->type(), data.num_rows()));
      column = std::make_shared<arrow::ChunkedArray>(nulls);
    } else {
      column = data.column(idx);
      if (!column->type()->Equals(*field->type(), false)) {
        auto cast = arrow::compute::Cast(column, field->type());
        if (!cast.ok()) {
          return arrow::Status::Invalid("column '", field->name(), "' has type ",
                                        column->type()->ToString(), "; the table needs ",
                                        field->type()->ToString(), ": ",
                                        cast.status().message());
        }
        column = cast->chunked_array();
      }
    }
    if (!field->nullable() && column->null_count() > 0) {
      return arrow::Status::Invalid("column '", field->name(), "' is not nullable but has ",
                                    column->null_count(), " null(s)");
    }
    columns.push_back(std::move(column));
  }
  return arrow::Table::Make(arrow::schema(schema.fields()), columns, data.num_rows());
}

std::string EngineInfo() { return std::string("hashlake/") + kVersion; }

arrow::Status CheckPartitionColumns(const arrow::Schema& schema,
                                    const std::vector<std::string>& partition_columns) {
  for (const auto& p : partition_columns) {
    auto field = schema.GetFieldByName(p);
    if (field == nullptr) {
      return arrow::Status::Invalid("partition column '", p, "' is not in the schema");
    }
    switch (field->type()->id()) {
      case arrow::Type::LIST: case arrow::Type::LARGE_LIST: case arrow::Type::MAP:
      case arrow::Type::STRUCT: case arrow::Type::BINARY: case arrow::Type::LARGE_BINARY:
        return arrow::Status::Invalid("cannot partition by column '", p, "' of type ",
                                      field->type()->ToString());
      default: break;
    }
  }
  if (!schema.fields().empty() &&
      partition_columns.size() >= static_cast<size_t>(schema.num_fields())) {
    return arrow::Status::Invalid("at least one column must not be a partition column");
  }
  return arrow::Status::OK();
}

bool SameColumns(const arrow::Schema& a, const arrow::Schema& b) {
  if (a.num_fields() != b.num_fields()) return false;
  for (int i = 0; i < a.num_fields(); ++i) {
    if (a.field(i)->name() != b.field(i)->name()) return false;
    // Compare as Delta sees them: string and large_string are both "string", etc.
    auto ta = ToDeltaSchemaString(arrow::Schema({a.field(i)->WithMetadata(nullptr)}));
    auto tb = ToDeltaSchemaString(arrow::Schema({b.field(i)->WithMetadata(nullptr)}));
    if (!ta.ok() || !tb.ok() || *ta != *tb) return false;
  }
  return true;
}

arrow::Result<std::string> SerializeCommit(const std::vector<Action>& actions) {
  std::string text;
  for (const auto& a : actions) {
    ARROW_ASSIGN_OR_RAISE(auto line, ActionToJson(a));
    text += line;
    text.push_back('\n');
  }
  return text;
}

}  // namespace

bool IsCommitConflict(const arrow::Status& status) {
  return !status.ok() && status.detail() != nullptr &&
         std::string_view(status.detail()->type_id()) == kConflictDetailType;
}

std::optional<int64_t> LatestTxnVersion(const Snapshot& snapshot, const std::string& app_id) {
  return snapshot.TxnVersion(app_id);
}

arrow::Result<std::unique_ptr<DeltaTable>> DeltaTable::Open(const std::string& path,
                                                            std::shared_ptr<LogStore> store) {
  if (store == nullptr) store = MakeLocalLogStore();
  std::string root = NormalizePath(path);
  ARROW_ASSIGN_OR_RAISE(auto snapshot, lake::LoadSnapshot(*store, root));
  return std::unique_ptr<DeltaTable>(new DeltaTable(root, std::move(store), std::move(snapshot)));
}

arrow::Result<std::unique_ptr<DeltaTable>> DeltaTable::Create(
    const std::string& path, const arrow::Schema& schema,
    const std::vector<std::string>& partition_columns,
    const std::map<std::string, std::string>& configuration, std::shared_ptr<LogStore> store) {
  if (store == nullptr) store = MakeLocalLogStore();
  std::string root = NormalizePath(path);
  ARROW_RETURN_NOT_OK(CheckPartitionColumns(schema, partition_columns));
  ARROW_ASSIGN_OR_RAISE(auto schema_string, ToDeltaSchemaString(schema));
  if (SchemaHasMetadata(schema, "delta.invariants")) {
    return arrow::Status::NotImplemented("column invariants are not supported");
  }
  ARROW_ASSIGN_OR_RAISE(auto protocol, ProtocolFor(schema, configuration));
  int64_t now = NowMs();
  CommitInfo info;
  info.timestamp_ms = now;
  if (std::find(protocol.writer_features.begin(), protocol.writer_features.end(),
                "inCommitTimestamp") != protocol.writer_features.end()) {
    info.extra["inCommitTimestamp"] = std::to_string(now);
  }
  info.operation = "CREATE TABLE";
  std::string partition_by = "[";
  for (size_t i = 0; i < partition_columns.size(); ++i) {
    if (i > 0) partition_by += ",";
    partition_by += JsonQuote(partition_columns[i]);
  }
  partition_by += "]";
  info.operation_parameters = {{"isManaged", "\"false\""},
                               {"partitionBy", JsonQuote(partition_by)}};
  info.engine_info = EngineInfo();
  Metadata metadata;
  metadata.id = NewUuid();
  metadata.schema_string = schema_string;
  metadata.partition_columns = partition_columns;
  metadata.configuration = configuration;
  metadata.created_time_ms = now;
  ARROW_ASSIGN_OR_RAISE(auto text,
                        SerializeCommit({info, std::move(protocol), std::move(metadata)}));
  ARROW_RETURN_NOT_OK(store->CreateDirs(root + "/_delta_log"));
  ARROW_RETURN_NOT_OK(store->PutIfAbsent(CommitPath(root, 0), text));
  return Open(root, std::move(store));
}

arrow::Result<std::unique_ptr<DeltaTable>> DeltaTable::OpenOrCreate(
    const std::string& path, const arrow::Schema& schema,
    const std::vector<std::string>& partition_columns,
    const std::map<std::string, std::string>& configuration, std::shared_ptr<LogStore> store) {
  if (store == nullptr) store = MakeLocalLogStore();
  std::string root = NormalizePath(path);
  ARROW_ASSIGN_OR_RAISE(auto entries, store->List(root + "/_delta_log"));
  bool has_log = std::any_of(entries.begin(), entries.end(), [](const FileEntry& e) {
    return e.name.size() > 20 && e.name[0] >= '0' && e.name[0] <= '9';
  });
  std::unique_ptr<DeltaTable> table;
  if (!has_log) {
    auto created = Create(root, schema, partition_columns, configuration, store);
    if (created.ok()) return created;
    if (!created.status().IsAlreadyExists()) return created.status();
    // Another writer created it first: fall through and check it matches.
  }
  ARROW_ASSIGN_OR_RAISE(table, Open(root, store));
  const Snapshot& s = table->latest_;
  if (!SameColumns(*s.schema, schema) || s.metadata.partition_columns != partition_columns) {
    return arrow::Status::Invalid("existing table ", root, " has schema ", s.schema->ToString(),
                                  " partitioned by ", s.metadata.partition_columns.size(),
                                  " column(s); expected ", schema.ToString());
  }
  return table;
}

arrow::Result<Snapshot> DeltaTable::LoadSnapshot(std::optional<int64_t> version) {
  ARROW_RETURN_NOT_OK(UpdateSnapshot(*store_, &latest_));
  if (!version || *version == latest_.version) return latest_;
  return lake::LoadSnapshot(*store_, path_, version);
}

arrow::Result<std::vector<AddFile>> DeltaTable::WriteFiles(const arrow::Table& data,
                                                           bool data_change) {
  const auto& partition_columns = latest_.metadata.partition_columns;
  std::vector<int> partition_idx;
  std::vector<int> data_idx;
  for (int i = 0; i < data.num_columns(); ++i) {
    const auto& name = data.schema()->field(i)->name();
    if (std::find(partition_columns.begin(), partition_columns.end(), name) !=
        partition_columns.end()) {
      partition_idx.push_back(i);
    } else {
      data_idx.push_back(i);
    }
  }
  ARROW_ASSIGN_OR_RAISE(auto file_columns, data.SelectColumns(data_idx));

  // Group rows by their serialized partition values (ordered, so output is deterministic).
  using Key = std::vector<std::optional<std::string>>;
  std::map<Key, std::vector<int64_t>> groups;
  if (partition_idx.empty()) {
    groups[Key{}];
  } else {
    std::vector<std::shared_ptr<arrow::Array>> flat;
    for (int i : partition_idx) {
      ARROW_ASSIGN_OR_RAISE(auto combined, arrow::Concatenate(data.column(i)->chunks()));
      flat.push_back(std::move(combined));
    }
    for (int64_t row = 0; row < data.num_rows(); ++row) {
      Key key;
      for (const auto& array : flat) {
        ARROW_ASSIGN_OR_RAISE(auto v, SerializePartitionValue(*array, row));
        key.push_back(std::move(v));
      }
      groups[std::move(key)].push_back(row);
    }
  }

  auto props = parquet::WriterProperties::Builder()
                   .compression(arrow::Compression::ZSTD)
                   ->created_by(EngineInfo())
                   ->build();
  auto arrow_props = parquet::ArrowWriterProperties::Builder()
                         .coerce_timestamps(arrow::TimeUnit::MICRO)
                         ->build();
  std::vector<AddFile> adds;
  for (const auto& [key, rows] : groups) {
    std::shared_ptr<arrow::Table> part = file_columns;
    if (groups.size() > 1) {
      arrow::Int64Builder builder;
      ARROW_RETURN_NOT_OK(builder.AppendValues(rows));
      ARROW_ASSIGN_OR_RAISE(auto indices, builder.Finish());
      ARROW_ASSIGN_OR_RAISE(auto taken, arrow::compute::Take(file_columns, indices));
      part = taken.table();
    }
    std::string rel_dir;
    AddFile add;
    for (size_t i = 0; i < partition_idx.size(); ++i) {
      const auto& column = data.schema()->field(partition_idx[i])->name();
      rel_dir += PartitionDirName(column, key[i]) + "/";
      add.partition_values.emplace(column, key[i]);
    }
    std::string rel_path = rel_dir + "part-00000-" + NewUuid() + ".zstd.parquet";
    std::string abs_path = path_ + "/" + rel_path;
    if (!rel_dir.empty()) ARROW_RETURN_NOT_OK(store_->CreateDirs(path_ + "/" + rel_dir));
    ARROW_ASSIGN_OR_RAISE(auto out, store_->OpenForWrite(abs_path));
    auto written = parquet::arrow::WriteTable(*part, arrow::default_memory_pool(), out,
                                              parquet::DEFAULT_MAX_ROW_GROUP_LENGTH, props,
                                              arrow_props);
    auto closed = out->Close();
    ARROW_RETURN_NOT_OK(written);
    ARROW_RETURN_NOT_OK(closed);
    ARROW_ASSIGN_OR_RAISE(auto entry, store_->Stat(abs_path));
    add.path = UriEncodePath(rel_path);
    add.size = entry.size;
    add.modification_time_ms = entry.modification_time_ms;
    add.data_change = data_change;
    ARROW_ASSIGN_OR_RAISE(add.stats, ComputeStatsJson(*part));
    adds.push_back(std::move(add));
  }
  return adds;
}

namespace {

// True when `snapshot` holds every marker's txn at its version or later; false when it
// holds none; an error when only some (a commit must be all or nothing).
arrow::Result<bool> TxnsCommitted(const Snapshot& snapshot,
                                  const std::vector<CommitOptions::TxnMarker>& markers,
                                  const std::string& path) {
  size_t done = 0;
  for (const auto& marker : markers) {
    const auto version = snapshot.TxnVersion(marker.app_id);
    if (version && *version >= marker.version) ++done;
  }
  if (done == 0) return false;
  if (done == markers.size()) return true;
  return arrow::Status::Invalid("table ", path, " already holds some of this commit's txn ",
                                "markers but not all: split the commit by app id");
}

}  // namespace

arrow::Result<CommitResult> DeltaTable::Append(const arrow::Table& data,
                                               const CommitOptions& options) {
  ARROW_RETURN_NOT_OK(UpdateSnapshot(*store_, &latest_));
  ARROW_RETURN_NOT_OK(CheckWritable(latest_));
  ARROW_ASSIGN_OR_RAISE(bool done, TxnsCommitted(latest_, options.txns, path_));
  if (done) return CommitResult{latest_.version, true, {}, {}};
  ARROW_ASSIGN_OR_RAISE(auto conformed, ConformToSchema(data, *latest_.schema));
  std::vector<AddFile> adds;
  if (conformed->num_rows() > 0) {
    ARROW_ASSIGN_OR_RAISE(adds, WriteFiles(*conformed, /*data_change=*/true));
  }
  std::vector<Action> body;
  for (auto& add : adds) body.push_back(std::move(add));
  return CommitLoop(latest_.version, std::move(body), {}, options, /*blind_append=*/true);
}

arrow::Result<CommitResult> DeltaTable::Commit(int64_t read_version, std::vector<AddFile> adds,
                                               std::vector<RemoveFile> removes,
                                               const CommitOptions& options) {
  ARROW_RETURN_NOT_OK(UpdateSnapshot(*store_, &latest_));
  ARROW_RETURN_NOT_OK(CheckWritable(latest_));
  if (read_version < 0 || read_version > latest_.version) {
    return arrow::Status::Invalid("read version ", read_version, " of ", path_,
                                  " does not exist (latest is ", latest_.version, ")");
  }
  ARROW_ASSIGN_OR_RAISE(auto props, TableProperties::FromMetadata(latest_.metadata));
  if (props.append_only) {
    for (const auto& r : removes) {
      if (r.data_change) {
        return arrow::Status::Invalid("table ", path_,
                                      " is append-only (delta.appendOnly): cannot remove ",
                                      r.path);
      }
    }
  }
  ARROW_ASSIGN_OR_RAISE(bool done, TxnsCommitted(latest_, options.txns, path_));
  if (done) return CommitResult{latest_.version, true, {}, {}};
  std::vector<Action> body;
  for (auto& r : removes) body.push_back(r);
  for (auto& a : adds) body.push_back(std::move(a));
  bool blind = removes.empty();
  return CommitLoop(read_version, std::move(body), removes, options, blind);
}

arrow::Result<int64_t> DeltaTable::InCommitTimestamp() {
  // Monotonic: max(now, previous commit's inCommitTimestamp + 1).
  int64_t now = NowMs();
  std::optional<CommitInfo> previous;
  auto it = latest_.commit_infos.find(latest_.version);
  if (it != latest_.commit_infos.end()) {
    previous = it->second;
  } else {
    ARROW_ASSIGN_OR_RAISE(auto text, store_->ReadFile(CommitPath(path_, latest_.version)));
    ARROW_ASSIGN_OR_RAISE(auto actions, ParseCommitFile(text, CommitPath(path_, latest_.version)));
    for (auto& a : actions) {
      if (auto* c = std::get_if<CommitInfo>(&a)) previous = std::move(*c);
    }
  }
  if (previous) {
    auto ict = previous->extra.find("inCommitTimestamp");
    if (ict != previous->extra.end()) {
      int64_t prev = std::strtoll(ict->second.c_str(), nullptr, 10);
      now = std::max(now, prev + 1);
    }
  }
  return now;
}

arrow::Result<CommitResult> DeltaTable::CommitLoop(int64_t read_version, std::vector<Action> body,
                                                   const std::vector<RemoveFile>& removes,
                                                   const CommitOptions& options,
                                                   bool blind_append) {
  std::set<std::string> removed_paths;
  for (const auto& r : removes) removed_paths.insert(UriDecodePath(r.path));
  // Checks one commit made by another writer after our read version. Returns a result when
  // that commit already holds our txn, an error on a conflict, nullopt to go on.
  auto check_winner = [&](int64_t v,
                          const std::vector<Action>& winner) -> arrow::Result<std::optional<CommitResult>> {
    for (const auto& a : winner) {
      if (std::holds_alternative<Protocol>(a)) {
        return ConflictError("concurrent commit ", v, " changed the protocol of ", path_);
      }
      if (std::holds_alternative<Metadata>(a)) {
        return ConflictError("concurrent commit ", v, " changed the metadata of ", path_);
      }
      if (const auto* r = std::get_if<RemoveFile>(&a)) {
        if (removed_paths.count(UriDecodePath(r->path))) {
          return ConflictError("concurrent commit ", v, " already removed ", r->path,
                               ", which this ", options.operation, " also removes (", path_,
                               ")");
        }
      }
    }
    // The winner wrote txns of our app_ids: all of ours already done means this commit
    // was made before (by us, before a crash, or by a twin); anything else is a conflict.
    size_t done = 0, touched = 0;
    for (const auto& marker : options.txns) {
      for (const auto& a : winner) {
        const auto* t = std::get_if<Txn>(&a);
        if (t == nullptr || t->app_id != marker.app_id) continue;
        ++touched;
        if (t->version >= marker.version) ++done;
      }
    }
    if (touched == 0) return std::optional<CommitResult>();
    if (done == options.txns.size()) {
      return std::optional<CommitResult>(CommitResult{v, true, {}, {}});
    }
    return ConflictError("concurrent commit ", v, " of ", path_,
                         " wrote txn versions of the same app ids (another writer of "
                         "the same stream partitions?)");
  };
  // Commits made between our read and the snapshot we hold count as winners too.
  if (!removes.empty()) {
    for (int64_t v = read_version + 1; v <= latest_.version; ++v) {
      ARROW_ASSIGN_OR_RAISE(auto text, store_->ReadFile(CommitPath(path_, v)));
      ARROW_ASSIGN_OR_RAISE(auto winner, ParseCommitFile(text, CommitPath(path_, v)));
      ARROW_ASSIGN_OR_RAISE(auto done, check_winner(v, winner));
      if (done) return *done;
    }
    std::set<std::string> live;
    for (const auto& f : latest_.files) live.insert(UriDecodePath(f.path));
    for (const auto& p : removed_paths) {
      if (!live.count(p)) {
        return ConflictError("file ", p, " is not live in ", path_, " version ",
                             latest_.version);
      }
    }
  }

  int attempts = std::max(1, options.max_commit_attempts);
  for (int attempt = 0; attempt < attempts; ++attempt) {
    int64_t version = latest_.version + 1;
    ARROW_ASSIGN_OR_RAISE(auto props, TableProperties::FromMetadata(latest_.metadata));
    CommitInfo info;
    info.timestamp_ms = NowMs();
    info.extra = options.commit_info_extra;
    if (props.in_commit_timestamps) {
      ARROW_ASSIGN_OR_RAISE(int64_t ict, InCommitTimestamp());
      info.timestamp_ms = ict;
      info.extra["inCommitTimestamp"] = std::to_string(ict);
    }
    info.operation = options.operation;
    info.operation_parameters = options.operation_parameters;
    info.read_version = blind_append ? latest_.version : read_version;
    info.is_blind_append = blind_append;
    info.engine_info = EngineInfo();
    std::vector<Action> actions;
    actions.reserve(body.size() + 2);
    actions.push_back(std::move(info));
    for (const auto& marker : options.txns) {
      actions.push_back(Txn{marker.app_id, marker.version, NowMs()});
    }
    for (const auto& a : body) actions.push_back(a);
    ARROW_ASSIGN_OR_RAISE(auto text, SerializeCommit(actions));
    auto put = store_->PutIfAbsent(CommitPath(path_, version), text);
    if (put.ok()) {
      ARROW_RETURN_NOT_OK(ApplyCommit(version, actions, &latest_));
      CommitResult result{version, false, {}, {}};
      PostCommit(options, &result);
      return result;
    }
    if (!put.IsAlreadyExists()) return put;
    // Lost the race: read the winners and check they do not conflict with this commit.
    for (int64_t v = latest_.version + 1;; ++v) {
      auto winner_text = store_->ReadFile(CommitPath(path_, v));
      if (!winner_text.ok()) break;  // no such version (yet): retry at it
      ARROW_ASSIGN_OR_RAISE(auto winner, ParseCommitFile(*winner_text, CommitPath(path_, v)));
      ARROW_ASSIGN_OR_RAISE(auto done, check_winner(v, winner));
      ARROW_RETURN_NOT_OK(ApplyCommit(v, winner, &latest_));
      if (done) return *done;  // our data files stay unreferenced (orphans)
    }
  }
  return ConflictError("gave up committing to ", path_, " after ", attempts,
                       " attempts: every version was taken by a concurrent writer");
}

void DeltaTable::PostCommit(const CommitOptions& options, CommitResult* result) {
  if (!options.auto_checkpoint) return;
  auto props = TableProperties::FromMetadata(latest_.metadata);
  if (!props.ok()) {
    result->maintenance_status = props.status();
    return;
  }
  if (latest_.version <= 0 || latest_.version % props->checkpoint_interval != 0) return;
  auto checkpoint = WriteCheckpoint(*store_, latest_);
  if (!checkpoint.ok()) {
    result->maintenance_status = checkpoint.status();
    return;
  }
  result->checkpoint_version = checkpoint->version;
  latest_.checkpoint_version = checkpoint->version;
  if (props->enable_expired_log_cleanup) {
    auto cleaned = CleanupExpiredLogs(*store_, latest_);
    if (!cleaned.ok()) result->maintenance_status = cleaned.status();
  }
}

arrow::Result<CheckpointInfo> DeltaTable::Checkpoint() {
  ARROW_RETURN_NOT_OK(UpdateSnapshot(*store_, &latest_));
  ARROW_ASSIGN_OR_RAISE(auto info, WriteCheckpoint(*store_, latest_));
  latest_.checkpoint_version = info.version;
  return info;
}

arrow::Result<TableInfo> Describe(LogStore& store, const Snapshot& snapshot) {
  TableInfo info;
  info.path = snapshot.table_root;
  info.version = snapshot.version;
  info.schema = snapshot.schema;
  info.partition_columns = snapshot.metadata.partition_columns;
  info.configuration = snapshot.metadata.configuration;
  info.protocol = snapshot.protocol;
  info.id = snapshot.metadata.id;
  info.created_time_ms = snapshot.metadata.created_time_ms;
  info.checkpoint_version = snapshot.checkpoint_version;
  for (const auto& [app, txn] : snapshot.txns) info.txn_versions[app] = txn.version;
  simdjson::dom::parser parser;
  for (const auto& f : snapshot.files) {
    ++info.num_files;
    info.total_bytes += f.size;
    int64_t rows = -1;
    simdjson::dom::object stats;
    if (!f.stats.empty() && parser.parse(f.stats).get_object().get(stats) == simdjson::SUCCESS) {
      auto n = GetInt(stats, "numRecords", -1);
      if (n.ok()) rows = *n;
    }
    if (rows < 0) {
      ARROW_ASSIGN_OR_RAISE(auto file,
                            store.OpenForRead(snapshot.table_root + "/" + UriDecodePath(f.path)));
      ARROW_ASSIGN_OR_RAISE(auto reader,
                            parquet::arrow::OpenFile(file, arrow::default_memory_pool()));
      rows = reader->parquet_reader()->metadata()->num_rows();
    }
    info.num_rows += rows;
  }
  return info;
}

}  // namespace hashlake::lake
