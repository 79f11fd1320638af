#include "hashlake/bus/embedded_log_consumer.h"

#include <algorithm>
#include <thread>

#include "hashlake/bus/group_offsets.h"
#include "hashlake/bus/partition_reader.h"
#include "hashlake/bus/topic_layout.h"

namespace hashlake::bus {

arrow::Result<std::unique_ptr<EmbeddedLogConsumer>> EmbeddedLogConsumer::Make(
    const std::string& dir, const std::string& group, const EmbeddedLogOptions& options) {
  ARROW_RETURN_NOT_OK(options.Validate());
  ARROW_RETURN_NOT_OK(internal::ValidateGroupName(group));
  if (dir.empty()) return arrow::Status::Invalid("embedded log: empty topic directory");
  internal::TopicLayout layout(dir);
  ARROW_ASSIGN_OR_RAISE(int32_t count, internal::OpenOrCreateTopic(layout, options.partitions));

  std::unique_ptr<EmbeddedLogConsumer> consumer(new EmbeddedLogConsumer());
  consumer->dir_ = dir;
  consumer->options_ = options;
  consumer->options_.partitions = count;
  consumer->offsets_ = std::make_unique<internal::GroupOffsetStore>(layout, group, count);
  ARROW_ASSIGN_OR_RAISE(OffsetMap committed, consumer->offsets_->Load());
  for (int32_t p = 0; p < count; ++p) {
    const PartitionId partition{p};
    auto reader = std::make_unique<internal::PartitionReader>(layout, partition);
    auto it = committed.find(partition);
    if (it != committed.end()) {
      ARROW_RETURN_NOT_OK(reader->Seek(it->second));
    } else {
      ARROW_ASSIGN_OR_RAISE(Offset earliest, reader->Earliest());
      ARROW_RETURN_NOT_OK(reader->Seek(earliest));
    }
    consumer->readers_.push_back(std::move(reader));
    consumer->tails_.push_back(std::make_unique<internal::PartitionReader>(layout, partition));
    ARROW_RETURN_NOT_OK(consumer->tails_.back()->SeekToLastSegment());
  }
  return consumer;
}

EmbeddedLogConsumer::~EmbeddedLogConsumer() = default;

arrow::Status EmbeddedLogConsumer::CheckPartition(PartitionId partition) const {
  if (partition.value < 0 || partition.value >= static_cast<int32_t>(readers_.size())) {
    return arrow::Status::Invalid("partition ", partition.value, " out of range; topic '", dir_,
                                  "' has partitions 0..", readers_.size() - 1);
  }
  return arrow::Status::OK();
}

arrow::Result<std::vector<ConsumedMessage>> EmbeddedLogConsumer::Poll(
    std::size_t max_messages, std::chrono::milliseconds timeout) {
  std::vector<ConsumedMessage> out;
  if (max_messages == 0) return out;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const std::size_t n = readers_.size();
  // Each round gives every partition an equal share; rounds repeat while any partition
  // still has data and room is left.
  const std::size_t share = std::max<std::size_t>(1, max_messages / n);
  while (true) {
    const std::size_t first = next_first_;
    bool progress = true;
    while (out.size() < max_messages && progress) {
      progress = false;
      for (std::size_t i = 0; i < n && out.size() < max_messages; ++i) {
        auto& reader = readers_[(first + i) % n];
        const std::size_t want = std::min(share, max_messages - out.size());
        ARROW_ASSIGN_OR_RAISE(std::size_t got, reader->Read(want, &out));
        progress = progress || got > 0;
      }
    }
    next_first_ = (first + 1) % n;
    if (!out.empty()) return out;
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return out;
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(options_.poll_interval, deadline - now));
  }
}

arrow::Status EmbeddedLogConsumer::Seek(PartitionId partition, Offset offset) {
  ARROW_RETURN_NOT_OK(CheckPartition(partition));
  return readers_[static_cast<std::size_t>(partition.value)]->Seek(offset);
}

arrow::Result<OffsetMap> EmbeddedLogConsumer::Committed() { return offsets_->Load(); }

arrow::Status EmbeddedLogConsumer::Commit(const OffsetMap& next_offsets) {
  return offsets_->Commit(next_offsets);
}

arrow::Result<OffsetMap> EmbeddedLogConsumer::EndOffsets() {
  OffsetMap out;
  for (std::size_t p = 0; p < tails_.size(); ++p) {
    // Skip (without copying) whatever was appended since the last call.
    std::size_t got;
    do {
      ARROW_ASSIGN_OR_RAISE(got, tails_[p]->Read(4096, nullptr));
    } while (got > 0);
    out[PartitionId{static_cast<int32_t>(p)}] = tails_[p]->position();
  }
  return out;
}

arrow::Result<OffsetMap> EmbeddedLogConsumer::BeginningOffsets() {
  OffsetMap out;
  for (std::size_t p = 0; p < readers_.size(); ++p) {
    ARROW_ASSIGN_OR_RAISE(out[PartitionId{static_cast<int32_t>(p)}], readers_[p]->Earliest());
  }
  return out;
}

std::vector<PartitionId> EmbeddedLogConsumer::Assignment() const {
  std::vector<PartitionId> out;
  for (std::size_t p = 0; p < readers_.size(); ++p) {
    out.push_back(PartitionId{static_cast<int32_t>(p)});
  }
  return out;
}

arrow::Result<Offset> EmbeddedLogConsumer::Position(PartitionId partition) const {
  ARROW_RETURN_NOT_OK(CheckPartition(partition));
  return readers_[static_cast<std::size_t>(partition.value)]->position();
}

}  // namespace hashlake::bus
