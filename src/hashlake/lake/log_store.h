#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <arrow/io/interfaces.h>
#include <arrow/result.h>
#include <arrow/status.h>

namespace hashlake::lake {

/// One directory entry as listed by a LogStore.
struct FileEntry {
  std::string name;  ///< base name, no directory
  int64_t size = 0;  ///< bytes
  int64_t modification_time_ms = 0;
  bool is_dir = false;
};

/// The storage seam under a Delta table: every byte the lake reads or writes goes through
/// it, so tests can inject a store that fails mid-write. Paths are absolute, '/'-separated.
/// Implementations must be thread-safe.
///
/// The one operation with a strong contract is PutIfAbsent: it makes `path` visible with
/// exactly `content`, atomically, or fails with AlreadyExists when `path` exists. Nothing
/// else overwrites a commit, so a Delta version is never replaced.
class LogStore {
 public:
  virtual ~LogStore() = default;

  /// The whole content of a (small) file, e.g. a commit. NotFound-like IOError if absent.
  virtual arrow::Result<std::string> ReadFile(const std::string& path) = 0;
  /// A random-access reader for Parquet files.
  virtual arrow::Result<std::shared_ptr<arrow::io::RandomAccessFile>> OpenForRead(
      const std::string& path) = 0;
  /// Entries of a directory; an empty vector when the directory does not exist.
  virtual arrow::Result<std::vector<FileEntry>> List(const std::string& dir) = 0;
  /// The entries of `dir` whose names sort after `start_after` (byte order), e.g. the Delta
  /// log from a version on. This default lists everything and filters; object stores ask
  /// the server for just those (S3: ListObjectsV2 start-after), so a long log costs one page.
  virtual arrow::Result<std::vector<FileEntry>> ListFrom(const std::string& dir,
                                                         const std::string& start_after) {
    ARROW_ASSIGN_OR_RAISE(auto entries, List(dir));
    std::vector<FileEntry> out;
    for (auto& e : entries) {
      if (e.name > start_after) out.push_back(std::move(e));
    }
    return out;
  }
  /// Size and modification time of one file.
  virtual arrow::Result<FileEntry> Stat(const std::string& path) = 0;
  /// mkdir -p.
  virtual arrow::Status CreateDirs(const std::string& dir) = 0;
  /// A new file for streaming writes (data files, whose names are unique). The caller
  /// must Close() the stream; a failed write may leave a partial file behind, which no
  /// commit references.
  virtual arrow::Result<std::shared_ptr<arrow::io::OutputStream>> OpenForWrite(
      const std::string& path) = 0;
  /// Atomic create-if-absent; Status::AlreadyExists when `path` exists.
  virtual arrow::Status PutIfAbsent(const std::string& path, std::string_view content) = 0;
  /// Atomic create-or-replace, for files that may be rewritten (checkpoints,
  /// `_last_checkpoint`): a reader sees the old content or the new, never a partial file.
  /// Never used for commits.
  virtual arrow::Status Put(const std::string& path, std::string_view content) = 0;
  /// Deletes one file (vacuum, log cleanup). OK when it is already gone.
  virtual arrow::Status Delete(const std::string& path) = 0;
};

/// The local POSIX filesystem. PutIfAbsent writes and fsyncs a hidden temp file in the
/// target directory, then link(2)s it to the target name (EEXIST -> AlreadyExists), then
/// removes the temp name: readers never see a partial commit. Put writes a temp file and
/// rename(2)s it over the target.
std::shared_ptr<LogStore> MakeLocalLogStore();

}  // namespace hashlake::lake
