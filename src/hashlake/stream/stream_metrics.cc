#include "hashlake/stream/stream_metrics.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

namespace hashlake::stream {
namespace {

prometheus::Counter* NewCounter(prometheus::Registry& registry, const std::string& name,
                                const std::string& help) {
  return &prometheus::BuildCounter().Name(name).Help(help).Register(registry).Add({});
}

prometheus::Gauge* NewGauge(prometheus::Registry& registry, const std::string& name,
                            const std::string& help) {
  return &prometheus::BuildGauge().Name(name).Help(help).Register(registry).Add({});
}

}  // namespace

StreamMetrics::StreamMetrics() : registry_(std::make_shared<prometheus::Registry>()) {
  auto& r = *registry_;
  records_in_ = NewCounter(r, "hashlake_stream_records_in_total", "Bus records read.");
  posts_out_ = NewCounter(r, "hashlake_stream_posts_total", "Posts written to the posts table.");
  rejected_ =
      NewCounter(r, "hashlake_stream_rejected_total", "Records written to the rejected table.");
  late_ = NewCounter(r, "hashlake_stream_late_posts_total",
                     "Posts that missed a window that had already closed.");
  batches_ = NewCounter(r, "hashlake_stream_batches_total", "Micro-batches committed.");
  closed_windows_ = NewCounter(r, "hashlake_stream_closed_windows_total",
                               "Windows whose rows were appended to the lake.");
  batch_seconds_ = &prometheus::BuildHistogram()
                        .Name("hashlake_stream_batch_duration_seconds")
                        .Help("Time to process and commit one micro-batch.")
                        .Register(r)
                        .Add({}, prometheus::Histogram::BucketBoundaries{
                                     0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10});
  const prometheus::Histogram::BucketBoundaries latency_buckets{
      0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10};
  live_latency_seconds_ = &prometheus::BuildHistogram()
                               .Name("hashlake_stream_live_latency_seconds")
                               .Help("From a post's ingestion to its count in the live view.")
                               .Register(r)
                               .Add({}, latency_buckets);
  lake_latency_seconds_ = &prometheus::BuildHistogram()
                               .Name("hashlake_stream_lake_latency_seconds")
                               .Help("From a post's ingestion to its row committed in posts.")
                               .Register(r)
                               .Add({}, latency_buckets);
  watermark_seconds_ = NewGauge(r, "hashlake_stream_watermark_seconds",
                                "The event-time watermark, seconds since the epoch.");
  state_keys_ = NewGauge(r, "hashlake_stream_state_keys", "Keys held by open windows.");
  open_windows_ = NewGauge(r, "hashlake_stream_open_windows", "Windows not yet closed.");
  lag_ = &prometheus::BuildGauge()
              .Name("hashlake_stream_lag_records")
              .Help("Records behind the end of the bus, per partition.")
              .Register(r);
}

StreamMetrics::~StreamMetrics() = default;

void StreamMetrics::RecordBatch(const BatchReport& report, const StreamJob& job) {
  if (report.batch_id >= 0) {
    records_in_->Increment(static_cast<double>(report.records));
    posts_out_->Increment(static_cast<double>(report.posts));
    rejected_->Increment(static_cast<double>(report.rejected));
    late_->Increment(static_cast<double>(report.late));
    closed_windows_->Increment(static_cast<double>(report.closed_windows));
    batches_->Increment();
  }
  if (report.duration > std::chrono::microseconds{0}) {  // a batch finished
    batch_seconds_->Observe(std::chrono::duration<double>(report.duration).count());
  }
  for (const auto latency : report.live_latencies) {
    live_latency_seconds_->Observe(std::chrono::duration<double>(latency).count());
  }
  for (const auto latency : report.lake_latencies) {
    lake_latency_seconds_->Observe(std::chrono::duration<double>(latency).count());
  }
  watermark_seconds_->Set(static_cast<double>(ToMicros(job.watermark())) / 1e6);
  state_keys_->Set(static_cast<double>(job.state_keys()));
  open_windows_->Set(static_cast<double>(job.open_windows()));
}

void StreamMetrics::RecordLag(const bus::OffsetMap& lag_by_partition) {
  for (const auto& [partition, behind] : lag_by_partition) {
    lag_->Add({{"partition", std::to_string(partition.value)}})
        .Set(static_cast<double>(behind.value));
  }
}

std::string StreamMetrics::Render() const {
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

}  // namespace hashlake::stream
