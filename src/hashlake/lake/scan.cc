#include "hashlake/lake/scan.h"

#include <algorithm>
#include <cctype>

#include <arrow/api.h>
#include <arrow/compute/cast.h>
#include <parquet/arrow/reader.h>

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

}  // namespace

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
  auto out_schema = arrow::schema(out_fields);
  const auto& partition_columns = snapshot.metadata.partition_columns;
  auto is_partition = [&](const std::string& name) {
    return std::any_of(partition_columns.begin(), partition_columns.end(),
                       [&](const std::string& p) { return EqualsIgnoreCase(p, name); });
  };

  std::vector<std::shared_ptr<arrow::Table>> pieces;
  int64_t rows = 0;
  for (const auto& file : snapshot.files) {
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
    std::vector<int> out_to_file(out_fields.size(), -1);
    for (size_t i = 0; i < out_fields.size(); ++i) {
      if (is_partition(out_fields[i]->name())) continue;
      int idx = FindColumn(*file_schema, out_fields[i]->name());
      if (idx < 0) continue;
      out_to_file[i] = idx;
    }
    int64_t num_rows = reader->parquet_reader()->metadata()->num_rows();
    std::vector<std::shared_ptr<arrow::ChunkedArray>> columns(out_fields.size());
    for (size_t i = 0; i < out_fields.size(); ++i) {
      const auto& field = *out_fields[i];
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
    pieces.push_back(arrow::Table::Make(out_schema, columns, num_rows));
    rows += num_rows;
  }
  if (pieces.empty()) return arrow::Table::MakeEmpty(out_schema);
  ARROW_ASSIGN_OR_RAISE(auto table, arrow::ConcatenateTables(pieces));
  if (options.limit && table->num_rows() > *options.limit) {
    table = table->Slice(0, *options.limit);
  }
  return table;
}

}  // namespace hashlake::lake
