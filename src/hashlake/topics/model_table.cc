#include "hashlake/topics/model_table.h"

#include <chrono>

#include <arrow/api.h>

#include "hashlake/core/json_writer.h"
#include "hashlake/lake/delta_table.h"
#include "hashlake/lake/scan.h"
#include "hashlake/lake/table_uri.h"

namespace hashlake::topics {

std::shared_ptr<arrow::Schema> TopicModelsSchema() {
  return arrow::schema({
      arrow::field("version", arrow::int64(), false),
      arrow::field("created_at", arrow::timestamp(arrow::TimeUnit::MICRO, "UTC"), false),
      arrow::field("model", arrow::utf8(), false),
      arrow::field("k", arrow::int32(), false),
      arrow::field("params", arrow::utf8()),
      arrow::field("top_terms", arrow::utf8()),
      arrow::field("metrics", arrow::utf8()),
      arrow::field("model_path", arrow::utf8()),
      arrow::field("tag", arrow::utf8()),
  });
}

std::string TopTermsJson(const TopicModel& model, int32_t n) {
  std::string out;
  JsonWriter json(&out);
  json.BeginArray();
  for (int32_t k = 0; k < model.num_topics; ++k) {
    json.BeginArray();
    for (const auto& [w, phi] : model.TopWords(k, n)) {
      json.BeginArray();
      json.String(model.vocab[w]);
      json.Double(phi);
      json.EndArray();
    }
    json.EndArray();
  }
  json.EndArray();
  return out;
}

arrow::Result<int64_t> AppendModelRecord(const std::string& table_uri, const ModelRecord& record) {
  ARROW_ASSIGN_OR_RAISE(auto resolved, lake::ResolveTableUri(table_uri));
  ARROW_ASSIGN_OR_RAISE(auto table, lake::DeltaTable::OpenOrCreate(resolved.root, *TopicModelsSchema(),
                                                                   {}, {}, resolved.store));
  ARROW_ASSIGN_OR_RAISE(auto snapshot, table->LoadSnapshot());
  lake::ScanOptions scan;
  scan.columns = {"version"};
  ARROW_ASSIGN_OR_RAISE(auto existing, lake::Scan(table->store(), snapshot, scan));
  int64_t version = 1;
  for (const auto& chunk : existing->column(0)->chunks()) {
    const auto& versions = static_cast<const arrow::Int64Array&>(*chunk);
    for (int64_t i = 0; i < versions.length(); ++i) {
      if (!versions.IsNull(i)) version = std::max(version, versions.Value(i) + 1);
    }
  }
  const int64_t now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  ARROW_ASSIGN_OR_RAISE(auto builder, arrow::RecordBatchBuilder::Make(TopicModelsSchema(),
                                                                      arrow::default_memory_pool()));
  ARROW_RETURN_NOT_OK(builder->GetFieldAs<arrow::Int64Builder>(0)->Append(version));
  ARROW_RETURN_NOT_OK(builder->GetFieldAs<arrow::TimestampBuilder>(1)->Append(now_us));
  ARROW_RETURN_NOT_OK(builder->GetFieldAs<arrow::StringBuilder>(2)->Append(record.model));
  ARROW_RETURN_NOT_OK(builder->GetFieldAs<arrow::Int32Builder>(3)->Append(record.k));
  ARROW_RETURN_NOT_OK(builder->GetFieldAs<arrow::StringBuilder>(4)->Append(record.params_json));
  ARROW_RETURN_NOT_OK(builder->GetFieldAs<arrow::StringBuilder>(5)->Append(record.top_terms_json));
  ARROW_RETURN_NOT_OK(builder->GetFieldAs<arrow::StringBuilder>(6)->Append(record.metrics_json));
  ARROW_RETURN_NOT_OK(builder->GetFieldAs<arrow::StringBuilder>(7)->Append(record.model_path));
  ARROW_RETURN_NOT_OK(builder->GetFieldAs<arrow::StringBuilder>(8)->Append(record.tag));
  ARROW_ASSIGN_OR_RAISE(auto batch, builder->Flush());
  ARROW_ASSIGN_OR_RAISE(auto data, arrow::Table::FromRecordBatches({batch}));
  lake::CommitOptions commit;
  commit.commit_info_extra["hashlake"] = "{\"topic_model_version\":" + std::to_string(version) + "}";
  ARROW_RETURN_NOT_OK(table->Append(*data, commit).status());
  return version;
}

}  // namespace hashlake::topics
