#pragma once
// For the lake's command-line tools (interop_writer_main.cc, s3_lake_tool_main.cc), not
// the library: times one Delta append per table and prints
// {"rows":…,"bytes":…,"seconds":…,"latencies_ms":[…]} for bench/lake_bench.py.

#include <chrono>
#include <iostream>
#include <memory>
#include <vector>

#include <arrow/table.h>

#include "hashlake/lake/delta_table.h"

namespace hashlake::lake::internal {

inline double Seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

inline arrow::Status TimeAppends(DeltaTable& table,
                                 const std::vector<std::shared_ptr<arrow::Table>>& batches) {
  std::vector<double> latencies;
  int64_t rows = 0;
  const auto start = std::chrono::steady_clock::now();
  for (const auto& batch : batches) {
    const auto t0 = std::chrono::steady_clock::now();
    ARROW_RETURN_NOT_OK(table.Append(*batch).status());
    latencies.push_back(Seconds(std::chrono::steady_clock::now() - t0) * 1000);
    rows += batch->num_rows();
  }
  const double seconds = Seconds(std::chrono::steady_clock::now() - start);
  ARROW_ASSIGN_OR_RAISE(auto snapshot, table.LoadSnapshot());
  int64_t bytes = 0;
  for (const auto& f : snapshot.files) bytes += f.size;
  std::cout << "{\"rows\":" << rows << ",\"bytes\":" << bytes << ",\"seconds\":" << seconds
            << ",\"latencies_ms\":[";
  for (size_t i = 0; i < latencies.size(); ++i) std::cout << (i ? "," : "") << latencies[i];
  std::cout << "]}\n";
  return arrow::Status::OK();
}

}  // namespace hashlake::lake::internal
