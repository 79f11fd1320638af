// Micro benchmarks of the embedded log: append and read throughput.
// Peer figure for context: Kafka on one local broker typically appends small records at
// a few hundred MB/s with batching; LevelDB's log writer without sync at ~1 GB/s.

#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "hashlake/bus/embedded_log_consumer.h"
#include "hashlake/bus/embedded_log_producer.h"

namespace hashlake::bus {
namespace {

namespace fs = std::filesystem;

class TempTopic {
 public:
  TempTopic() {
    std::string tmpl = (fs::temp_directory_path() / "hashlake-bus-bench-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) std::abort();
    root_ = tmpl;
  }
  ~TempTopic() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  std::string dir() const { return root_ + "/topic"; }

 private:
  std::string root_;
};

EmbeddedLogOptions BenchOptions(FsyncPolicy fsync) {
  EmbeddedLogOptions o;
  o.partitions = 4;
  o.fsync = fsync;
  o.retention.reset();
  return o;
}

// Arg 0: value bytes. Arg 1: records per Flush (0: never flush inside the loop).
void BM_Append(benchmark::State& state) {
  TempTopic topic;
  const auto value_bytes = static_cast<std::size_t>(state.range(0));
  const int64_t flush_every = state.range(1);
  auto producer = EmbeddedLogProducer::Make(
      topic.dir(), BenchOptions(flush_every > 0 ? FsyncPolicy::kOnFlush : FsyncPolicy::kNever));
  if (!producer.ok()) {
    state.SkipWithError(producer.status().ToString().c_str());
    return;
  }
  Message message{"", std::string(value_bytes, 'v'), FromMicros(1)};
  int64_t n = 0;
  for (auto _ : state) {
    message.key = "author-" + std::to_string(n % 1000);
    if (!(*producer)->Send(message).ok()) {
      state.SkipWithError("send failed");
      break;
    }
    if (flush_every > 0 && ++n % flush_every == 0 && !(*producer)->Flush().ok()) {
      state.SkipWithError("flush failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(value_bytes));
}
BENCHMARK(BM_Append)->Args({100, 0})->Args({1000, 0})->Args({1000, 1000})->Args({1000, 100});

// Arg 0: value bytes. Reads a topic of 200k records, 1000 per Poll.
void BM_Read(benchmark::State& state) {
  TempTopic topic;
  const auto value_bytes = static_cast<std::size_t>(state.range(0));
  constexpr int kRecords = 200000;
  {
    auto producer = EmbeddedLogProducer::Make(topic.dir(), BenchOptions(FsyncPolicy::kNever));
    if (!producer.ok()) {
      state.SkipWithError(producer.status().ToString().c_str());
      return;
    }
    Message message{"", std::string(value_bytes, 'v'), FromMicros(1)};
    for (int i = 0; i < kRecords; ++i) {
      message.key = "author-" + std::to_string(i % 1000);
      if (!(*producer)->Send(message).ok()) std::abort();
    }
  }
  int64_t items = 0;
  for (auto _ : state) {
    auto consumer =
        EmbeddedLogConsumer::Make(topic.dir(), "bench", BenchOptions(FsyncPolicy::kNever));
    if (!consumer.ok()) {
      state.SkipWithError(consumer.status().ToString().c_str());
      return;
    }
    int64_t got = 0;
    while (got < kRecords) {
      auto batch = (*consumer)->Poll(1000, std::chrono::milliseconds(0));
      if (!batch.ok() || batch->empty()) {
        state.SkipWithError("read failed or came up short");
        return;
      }
      got += static_cast<int64_t>(batch->size());
      benchmark::DoNotOptimize(batch->back().value.data());
    }
    items += got;
  }
  state.SetItemsProcessed(items);
  state.SetBytesProcessed(items * static_cast<int64_t>(value_bytes));
}
BENCHMARK(BM_Read)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace hashlake::bus

BENCHMARK_MAIN();
