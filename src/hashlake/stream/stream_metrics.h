#pragma once

#include <memory>
#include <string>

#include "hashlake/bus/bus.h"
#include "hashlake/stream/stream_job.h"

namespace prometheus {
class Registry;
class Counter;
class Gauge;
class Histogram;
template <typename T>
class Family;
}  // namespace prometheus

namespace hashlake::stream {

/// The stream job's Prometheus metrics (prometheus-cpp), rendered in the text exposition
/// format for `/metrics`: records in/out/rejected/late, batches and their duration, lag
/// per partition, the watermark, the size of the window state, and the latency from a
/// post's ingestion to the live view and to the lake.
/// Thread-safe: the job's thread records, server threads render.
class StreamMetrics {
 public:
  StreamMetrics();
  ~StreamMetrics();

  void RecordBatch(const BatchReport& report, const StreamJob& job);
  void RecordLag(const bus::OffsetMap& lag_by_partition);

  /// The text exposition format (version 0.0.4).
  std::string Render() const;

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Counter* records_in_;
  prometheus::Counter* posts_out_;
  prometheus::Counter* rejected_;
  prometheus::Counter* late_;
  prometheus::Counter* batches_;
  prometheus::Counter* closed_windows_;
  prometheus::Histogram* batch_seconds_;
  prometheus::Histogram* live_latency_seconds_;
  prometheus::Histogram* lake_latency_seconds_;
  prometheus::Gauge* watermark_seconds_;
  prometheus::Gauge* state_keys_;
  prometheus::Gauge* open_windows_;
  prometheus::Family<prometheus::Gauge>* lag_;
};

}  // namespace hashlake::stream
