#pragma once

#include <string>
#include <string_view>

#include <arrow/result.h>
#include <arrow/status.h>

#include "hashlake/topics/topic_model.h"

namespace hashlake::topics {

/// Serializes a model in the format of MODEL_FORMAT.md (binary, little-endian, checksummed).
std::string EncodeModel(const TopicModel& model);

/// Parses EncodeModel's bytes. Every defect (truncation, bad magic or version, a checksum
/// mismatch, ids out of range, counts that disagree with the topic totals) is Invalid
/// naming what is wrong; nothing here crashes on hostile input.
arrow::Result<TopicModel> DecodeModel(std::string_view bytes);

/// EncodeModel written atomically (temporary file, fsync, rename).
arrow::Status SaveModel(const TopicModel& model, const std::string& path);
arrow::Result<TopicModel> LoadModel(const std::string& path);

}  // namespace hashlake::topics
