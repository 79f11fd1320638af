// synth -> embedded log -> stream job -> Delta lake, measured: posts/s, posts/s per core
// (posts per CPU-second) and peak memory. Also writes the same posts as NDJSON so that
// bench/peer_deltars.py can run the same job with pyarrow + delta-rs for comparison.
//
//   pipeline_bench [--posts N] [--dir DIR] [--ndjson FILE]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <fmt/core.h>

#include "hashlake/bus/bus.h"
#include "hashlake/core/bus_message.h"
#include "hashlake/core/logging.h"
#include "hashlake/source/synth.h"
#include "hashlake/stream/delta_sink.h"
#include "hashlake/stream/stream_job.h"
#include "hashlake/stream/tables.h"
#include "hashlake/stream/window_tables.h"

namespace {

namespace fs = std::filesystem;
using hashlake::Record;

struct Usage {
  double wall_s;
  double cpu_s;
};

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

double PeakRssMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

template <typename F>
arrow::Result<Usage> Measure(F&& f) {
  const auto wall = std::chrono::steady_clock::now();
  const double cpu = CpuSeconds();
  ARROW_RETURN_NOT_OK(f());
  return Usage{std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count(),
               CpuSeconds() - cpu};
}

void Report(const char* stage, int64_t posts, const Usage& u) {
  fmt::print("{:<28} {:>10.0f} posts/s  {:>10.0f} posts/s/core  ({:.2f} s wall, {:.2f} s cpu)\n",
             stage, posts / u.wall_s, posts / u.cpu_s, u.wall_s, u.cpu_s);
}

arrow::Status Run(int64_t posts, const fs::path& dir, const std::string& ndjson) {
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string url = "log://" + (dir / "log").string() + "?partitions=4";
  hashlake::source::SynthOptions synth;
  synth.rate = 0;  // as fast as possible
  ARROW_ASSIGN_OR_RAISE(auto source, hashlake::source::SynthSource::Make(synth));

  // The posts are generated up front so that the stages below measure the pipeline only.
  std::vector<Record> records;
  records.reserve(static_cast<size_t>(posts));
  while (static_cast<int64_t>(records.size()) < posts) {
    ARROW_RETURN_NOT_OK(source->Poll(&records, static_cast<size_t>(posts) - records.size(),
                                     std::chrono::milliseconds(0)));
  }
  if (!ndjson.empty()) {
    std::ofstream out(ndjson);
    for (const auto& r : records) out << hashlake::EncodeRecord(r) << '\n';
  }

  ARROW_ASSIGN_OR_RAISE(auto producer, hashlake::bus::MakeProducer(url));
  ARROW_ASSIGN_OR_RAISE(auto produce, Measure([&]() -> arrow::Status {
    for (const auto& r : records) {
      ARROW_RETURN_NOT_OK(producer->Send({hashlake::RecordKey(r), hashlake::EncodeRecord(r), {}}));
    }
    return producer->Flush();
  }));
  records.clear();
  records.shrink_to_fit();

  ARROW_ASSIGN_OR_RAISE(auto consumer, hashlake::bus::MakeConsumer(url, "bench"));
  // The tables of the peer (bench/peer_deltars.py): posts, hashtag_counts, rejected.
  hashlake::stream::StreamJobSinks sinks;
  const auto lake = dir / "lake";
  ARROW_ASSIGN_OR_RAISE(sinks.posts, hashlake::stream::DeltaSink::Make(
                                         (lake / "posts").string(), *hashlake::stream::PostsSchema(),
                                         {"date"}, "bench"));
  ARROW_ASSIGN_OR_RAISE(sinks.hashtag_counts,
                        hashlake::stream::DeltaSink::Make((lake / "hashtag_counts").string(),
                                                          *hashlake::stream::HashtagCountsSchema(),
                                                          {"date"}, "bench"));
  ARROW_ASSIGN_OR_RAISE(sinks.rejected, hashlake::stream::DeltaSink::Make(
                                            (lake / "rejected").string(),
                                            *hashlake::stream::RejectedSchema(), {"date"}, "bench"));
  hashlake::stream::StreamJobOptions options;
  options.max_batch = 100'000;
  options.checkpoint_dir = dir / "checkpoint";
  ARROW_ASSIGN_OR_RAISE(auto job, hashlake::stream::StreamJob::Make(
                                      options, std::move(consumer), std::move(sinks), nullptr));
  int64_t processed = 0;
  ARROW_ASSIGN_OR_RAISE(auto process, Measure([&]() -> arrow::Status {
    while (processed < posts) {
      ARROW_ASSIGN_OR_RAISE(auto report, job->RunBatch(std::chrono::milliseconds(100)));
      processed += report.records;
    }
    return job->CloseAllWindows().status();
  }));

  fmt::print("hashlake pipeline benchmark: {} synthetic posts, 4 partitions\n", posts);
  Report("produce (synth -> log)", posts, produce);
  Report("process (log -> lake)", posts, process);
  Report("end to end", posts, {produce.wall_s + process.wall_s, produce.cpu_s + process.cpu_s});
  fmt::print("peak memory                  {:.0f} MiB\n", PeakRssMiB());
  fmt::print("RESULT hashlake posts_per_core_s={:.0f} peak_mib={:.0f}\n",
             posts / (produce.cpu_s + process.cpu_s), PeakRssMiB());
  return arrow::Status::OK();
}

}  // namespace

int main(int argc, char** argv) {
  int64_t posts = 200'000;
  fs::path dir = fs::temp_directory_path() / "hashlake-pipeline-bench";
  std::string ndjson;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--posts") {
      posts = std::stoll(argv[i + 1]);
    } else if (flag == "--dir") {
      dir = argv[i + 1];
    } else if (flag == "--ndjson") {
      ndjson = argv[i + 1];
    } else {
      fmt::print(stderr, "pipeline_bench: unknown flag {} (allowed: --posts, --dir, --ndjson)\n", flag);
      return 2;
    }
  }
  (void)hashlake::ConfigureLogging("warn", "text");
  const auto status = Run(posts, dir, ndjson);
  if (!status.ok()) {
    fmt::print(stderr, "pipeline_bench: {}\n", status.ToString());
    return 1;
  }
  return 0;
}
