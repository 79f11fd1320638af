#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <arrow/result.h>
#include <arrow/type_fwd.h>

#include "hashlake/topics/topic_model.h"

namespace hashlake::topics {

/// One row of the `topic_models` Delta table (unpartitioned):
/// version int64 (1, 2, ... per table), created_at timestamp[us, UTC], model string
/// ("lda" | "gsdmm"), k int32, params string (JSON), top_terms string (JSON: per topic a list
/// of [term, phi]), metrics string (JSON), model_path string (the model file), tag string
/// ("train", "sweep", "sweep-best").
struct ModelRecord {
  std::string model;
  int32_t k = 0;
  std::string params_json = "{}";
  std::string top_terms_json = "[]";
  std::string metrics_json = "{}";
  std::string model_path;
  std::string tag = "train";
};

std::shared_ptr<arrow::Schema> TopicModelsSchema();

/// `[[["term", phi], ...], ...]`: the top `n` terms of every topic.
std::string TopTermsJson(const TopicModel& model, int32_t n);

/// Appends `record` to the table at `table_uri` (created when absent) with version = 1 +
/// the largest version there, and returns that version. Concurrent writers may pick the same
/// version (each commit still lands); the lake's commit serializes them, not the numbering.
arrow::Result<int64_t> AppendModelRecord(const std::string& table_uri, const ModelRecord& record);

}  // namespace hashlake::topics
