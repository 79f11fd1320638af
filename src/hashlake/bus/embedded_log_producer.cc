#include "hashlake/bus/embedded_log_producer.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

#include "hashlake/bus/file_util.h"
#include "hashlake/bus/log_format.h"
#include "hashlake/bus/partition_writer.h"
#include "hashlake/bus/partitioner.h"
#include "hashlake/bus/topic_layout.h"

namespace hashlake::bus {

using internal::UniqueFd;

arrow::Result<std::unique_ptr<EmbeddedLogProducer>> EmbeddedLogProducer::Make(
    const std::string& dir, const EmbeddedLogOptions& options) {
  ARROW_RETURN_NOT_OK(options.Validate());
  if (dir.empty()) return arrow::Status::Invalid("embedded log: empty topic directory");
  internal::TopicLayout layout(dir);
  ARROW_ASSIGN_OR_RAISE(int32_t count, internal::OpenOrCreateTopic(layout, options.partitions));

  const std::string lock_path = layout.ProducerLockPath();
  ARROW_ASSIGN_OR_RAISE(UniqueFd lock, internal::OpenFile(lock_path, O_RDWR | O_CREAT));
  if (::flock(lock.get(), LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    if (err != EWOULDBLOCK) return internal::ErrnoStatus("cannot lock", lock_path, err);
    std::string holder = "another producer";
    if (auto text = internal::ReadWholeFile(lock_path); text.ok() && !text->empty()) {
      holder = "process " + *text;
    }
    return arrow::Status::IOError("embedded log topic '", dir, "' already has a producer (", holder,
                                  " holds ", lock_path,
                                  "); only one producer may write a topic at a time");
  }
  // Record who holds the lock, for the error message of the next would-be producer.
  if (::ftruncate(lock.get(), 0) == 0) {
    (void)internal::WriteAll(lock.get(), std::to_string(::getpid()), lock_path);
  }

  std::unique_ptr<EmbeddedLogProducer> producer(new EmbeddedLogProducer());
  producer->dir_ = dir;
  producer->options_ = options;
  producer->options_.partitions = count;
  producer->lock_fd_ = lock.Release();
  for (int32_t p = 0; p < count; ++p) {
    ARROW_ASSIGN_OR_RAISE(auto writer,
                          internal::PartitionWriter::Open(layout, PartitionId{p}, options));
    producer->partitions_.push_back(std::move(writer));
  }
  return producer;
}

EmbeddedLogProducer::~EmbeddedLogProducer() {
  partitions_.clear();
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the flock
}

arrow::Status EmbeddedLogProducer::CheckPartition(PartitionId partition) const {
  if (partition.value < 0 || partition.value >= PartitionCount()) {
    return arrow::Status::Invalid("partition ", partition.value, " out of range; topic '", dir_,
                                  "' has partitions 0..", PartitionCount() - 1);
  }
  return arrow::Status::OK();
}

arrow::Status EmbeddedLogProducer::Send(const Message& message) { return Append(message).status(); }

arrow::Result<AppendedAt> EmbeddedLogProducer::Append(const Message& message) {
  PartitionId partition;
  if (message.key.empty()) {
    partition =
        PartitionId{static_cast<int32_t>(round_robin_++ % static_cast<uint32_t>(PartitionCount()))};
  } else {
    partition = PartitionForKey(message.key, PartitionCount());
  }
  ARROW_ASSIGN_OR_RAISE(Offset offset, AppendTo(partition, message));
  return AppendedAt{partition, offset};
}

arrow::Result<Offset> EmbeddedLogProducer::AppendTo(PartitionId partition, const Message& message) {
  ARROW_RETURN_NOT_OK(CheckPartition(partition));
  const int64_t size = log_format::EncodedSize(message.key.size(), message.value.size());
  if (size > options_.max_record_bytes) {
    return arrow::Status::Invalid("embedded log: record of ", size, " bytes (key ",
                                  message.key.size(), ", value ", message.value.size(),
                                  ") exceeds max_record_bytes=", options_.max_record_bytes);
  }
  int64_t timestamp_us = ToMicros(message.timestamp);
  if (timestamp_us == 0) {
    timestamp_us = std::chrono::duration_cast<std::chrono::microseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  }
  return partitions_[static_cast<std::size_t>(partition.value)]->Append(message.key, message.value,
                                                                        timestamp_us);
}

arrow::Status EmbeddedLogProducer::Flush() {
  for (auto& writer : partitions_) {
    if (options_.fsync != FsyncPolicy::kNever) ARROW_RETURN_NOT_OK(writer->Sync());
    ARROW_RETURN_NOT_OK(writer->ApplyRetention());
  }
  return arrow::Status::OK();
}

int32_t EmbeddedLogProducer::PartitionCount() const {
  return static_cast<int32_t>(partitions_.size());
}

Offset EmbeddedLogProducer::EndOffset(PartitionId partition) const {
  return partitions_.at(static_cast<std::size_t>(partition.value))->next_offset();
}

Offset EmbeddedLogProducer::EarliestOffset(PartitionId partition) const {
  return partitions_.at(static_cast<std::size_t>(partition.value))->earliest_offset();
}

int64_t EmbeddedLogProducer::RecoveredBytesDropped(PartitionId partition) const {
  return partitions_.at(static_cast<std::size_t>(partition.value))->recovered_bytes_dropped();
}

}  // namespace hashlake::bus
