#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <arrow/result.h>

#include "hashlake/core/post.h"

namespace hashlake::stream {

/// Cleans and enriches a decoded post before it is stored and counted: fills its language
/// when the source gave none, its area, and the tokens of its text for the topic models.
/// Instances hold per-thread state (ICU iterators, CLD2 buffers): one per worker thread.
class PostEnricher {
 public:
  virtual ~PostEnricher() = default;
  virtual void Enrich(Post* post, std::vector<std::string>* tokens) = 0;
};

/// Makes one enricher per worker thread of the stream job.
using PostEnricherFactory = std::function<arrow::Result<std::unique_ptr<PostEnricher>>()>;

}  // namespace hashlake::stream
