#pragma once

// Internal to the bus module: thin POSIX helpers that turn errno into arrow::Status.

#include <arrow/result.h>
#include <arrow/status.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hashlake::bus::internal {

/// Owns one file descriptor; closes it on destruction. Movable, not copyable.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.Release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { Reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int Release();
  void Reset(int fd = -1);

 private:
  int fd_ = -1;
};

/// An IOError naming the operation, the path and strerror(errno).
arrow::Status ErrnoStatus(std::string_view what, const std::string& path, int err);

arrow::Result<UniqueFd> OpenFile(const std::string& path, int flags, int mode = 0644);
/// Writes all of `data` (retrying short writes and EINTR).
arrow::Status WriteAll(int fd, std::string_view data, const std::string& path);
/// Reads up to `n` bytes at `offset`; fewer only at end of file.
arrow::Result<std::size_t> PreadFull(int fd, char* buf, std::size_t n, int64_t offset,
                                     const std::string& path);
arrow::Result<int64_t> FileSize(int fd, const std::string& path);
arrow::Status DataSync(int fd, const std::string& path);
/// fsync of a directory, so that a create, rename or unlink inside it is durable.
arrow::Status SyncDir(const std::string& dir);
/// mkdir -p; succeeds when the directory already exists.
arrow::Status CreateDirs(const std::string& dir);
arrow::Result<bool> PathExists(const std::string& path);
/// Names (not paths) of the entries of `dir`, unsorted, without "." and "..".
arrow::Result<std::vector<std::string>> ListDir(const std::string& dir);
arrow::Result<std::string> ReadWholeFile(const std::string& path);
/// Writes `path` atomically: temp file in the same directory, fsync, rename, fsync dir.
arrow::Status WriteFileAtomic(const std::string& path, std::string_view contents);

}  // namespace hashlake::bus::internal
