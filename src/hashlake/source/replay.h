#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <arrow/result.h>

#include "hashlake/source/line_reader.h"
#include "hashlake/source/payload_decoder.h"
#include "hashlake/source/source.h"

namespace hashlake::source {

/// Options of the replay source. Plain struct; defaults documented per field.
struct ReplayOptions {
  /// Files read in order. Plain or gzip (detected by content, not by name).
  std::vector<std::string> files;
  /// Pace by event time: 1.0 replays the gaps between posts' created_at as they were,
  /// 10 ten times faster, 0 as fast as possible (the default). Gaps are measured from
  /// the first post of each file; a post older than one already emitted is not delayed.
  double speed = 0.0;
  /// A line longer than this is rejected ("oversized record: N bytes > limit M") and
  /// skipped in constant memory. Default 1 MiB.
  std::size_t max_record_bytes = 1 << 20;
  /// A file whose first line is not JSON but that parses as one JSON document (a
  /// pretty-printed object or array) is decoded whole when at most this big. 64 MiB.
  std::size_t max_document_bytes = 64 << 20;
  /// Stamps ingested_at and Rejected::at; not owned; nullptr means the system clock.
  const Clock* clock = nullptr;
};

/// Replays captured payloads (see PayloadDecoder for the formats) from files.
/// One thread calls Poll; Stop and Stats are thread-safe.
class ReplaySource final : public Source {
 public:
  /// Fails when `files` is empty, a file cannot be opened, or speed is negative.
  static arrow::Result<std::unique_ptr<ReplaySource>> Make(ReplayOptions options);
  ~ReplaySource() override;

  arrow::Status Poll(std::vector<Record>* out, std::size_t max_records,
                     std::chrono::milliseconds timeout) override;
  bool Finished() const override;
  void Stop() override;
  std::string Describe() const override;
  SourceStats Stats() const override;

  /// Blank lines and SSE comments seen (X keep-alives among them).
  uint64_t blank_lines() const { return blank_.load(); }

 private:
  explicit ReplaySource(ReplayOptions options);
  /// Decodes input until at least one record is pending or the input ends.
  arrow::Status Refill();
  arrow::Status OpenFile(const std::string& path);

  ReplayOptions options_;
  const Clock* clock_;
  PayloadDecoder decoder_;
  std::size_t next_file_ = 0;
  std::unique_ptr<LineReader> reader_;
  std::optional<std::string> whole_document_;  // set when the open file is one JSON document
  std::deque<Record> pending_;
  bool input_done_ = false;
  uint64_t bytes_closed_files_ = 0;

  // Pacing: a post with event time t is due at anchor_wall_ + (t - anchor_event_) / speed.
  bool anchored_ = false;
  Timestamp anchor_event_{};
  std::chrono::steady_clock::time_point anchor_wall_{};

  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> finished_{false};
  std::atomic<uint64_t> posts_{0}, rejected_{0}, skipped_{0}, bytes_{0}, blank_{0};
};

}  // namespace hashlake::source
