#pragma once

#include <memory>
#include <vector>

#include <arrow/api.h>

#include "hashlake/core/post.h"
#include "hashlake/core/rejected.h"

namespace hashlake::stream {

/// Arrow schemas of the tables the stream job writes (DESIGN.md, "The tables").
/// Every table is partitioned by `date` (UTC date of the event time).
std::shared_ptr<arrow::Schema> PostsSchema();
std::shared_ptr<arrow::Schema> RejectedSchema();

/// Where a record sat on the bus (Spark's Kafka source exposes the same): lineage, and
/// the proof of exactly once, since every bus offset lands in `posts` or `rejected` once.
struct BusPosition {
  int32_t partition = -1;
  int64_t offset = -1;
};

/// Accumulates rows of the `posts` table. Not thread-safe.
class PostsBuilder {
 public:
  PostsBuilder();
  /// `tokens`: the cleaned text (text::TextCleaner), for the topic models.
  arrow::Status Append(const Post& post, const std::vector<std::string>& tokens,
                       BusPosition position);
  int64_t length() const { return length_; }
  arrow::Result<std::shared_ptr<arrow::Table>> Finish();

 private:
  std::unique_ptr<arrow::RecordBatchBuilder> builder_;
  int64_t length_ = 0;
};

/// Accumulates rows of the `rejected` table. Not thread-safe.
class RejectedBuilder {
 public:
  RejectedBuilder();
  arrow::Status Append(const Rejected& rejected, BusPosition position);
  int64_t length() const { return length_; }
  arrow::Result<std::shared_ptr<arrow::Table>> Finish();

 private:
  std::unique_ptr<arrow::RecordBatchBuilder> builder_;
  int64_t length_ = 0;
};

}  // namespace hashlake::stream
