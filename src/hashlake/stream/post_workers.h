#pragma once

#include <arrow/result.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/task_arena.h>

#include <memory>
#include <string>
#include <vector>

#include "hashlake/bus/bus.h"
#include "hashlake/core/bus_message.h"
#include "hashlake/stream/post_enricher.h"

namespace hashlake::stream {

/// A decoded bus record: a post (enriched, with its tokens) or a dead letter.
struct DecodedRecord {
  Record record;
  std::vector<std::string> tokens;
};

/// Decodes and enriches the records of a batch on a fixed number of threads (a oneTBB
/// arena), each with its own PostEnricher. A message that is not a hashlake record becomes
/// a Rejected. The output is in the order of the input, whatever the thread count.
/// Not thread-safe: one caller at a time.
class PostWorkers {
 public:
  /// `factory` may be empty (no enrichment); it is called once here, so that a bad
  /// setting fails at start rather than mid-batch.
  static arrow::Result<std::unique_ptr<PostWorkers>> Make(int threads, PostEnricherFactory factory);

  arrow::Result<std::vector<DecodedRecord>> Run(const std::vector<bus::ConsumedMessage>& messages);

 private:
  PostWorkers(int threads, PostEnricherFactory factory)
      : arena_(threads), factory_(std::move(factory)) {}

  tbb::task_arena arena_;
  PostEnricherFactory factory_;
  tbb::enumerable_thread_specific<std::unique_ptr<PostEnricher>> enrichers_;
};

}  // namespace hashlake::stream
