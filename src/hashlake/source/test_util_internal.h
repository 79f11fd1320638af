#pragma once

// Helpers shared by this folder's tests.

#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "hashlake/source/source.h"

namespace hashlake::source::testing {

/// Polls until the source finishes (or `max_polls` polls pass) and returns everything.
inline std::vector<Record> Drain(Source* source, std::size_t batch = 64,
                                 int max_polls = 1'000'000) {
  std::vector<Record> out;
  for (int i = 0; i < max_polls && !source->Finished(); ++i) {
    const auto status = source->Poll(&out, batch, std::chrono::milliseconds(100));
    EXPECT_TRUE(status.ok()) << status.ToString();
    if (!status.ok()) break;
  }
  return out;
}

inline std::vector<Post> Posts(const std::vector<Record>& records) {
  std::vector<Post> posts;
  for (const Record& r : records) {
    if (const Post* p = std::get_if<Post>(&r)) posts.push_back(*p);
  }
  return posts;
}

inline std::vector<Rejected> Rejects(const std::vector<Record>& records) {
  std::vector<Rejected> out;
  for (const Record& r : records) {
    if (const Rejected* p = std::get_if<Rejected>(&r)) out.push_back(*p);
  }
  return out;
}

/// A file under the test's temporary directory holding `bytes`.
inline std::string WriteTempFile(const std::string& name, const std::string& bytes) {
  const std::string path = ::testing::TempDir() + "/hashlake_source_" + name;
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return path;
}

}  // namespace hashlake::source::testing
