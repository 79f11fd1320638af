#include "hashlake/bus/file_util.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace hashlake::bus::internal {

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) Reset(other.Release());
  return *this;
}

int UniqueFd::Release() {
  int fd = fd_;
  fd_ = -1;
  return fd;
}

void UniqueFd::Reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

arrow::Status ErrnoStatus(std::string_view what, const std::string& path, int err) {
  return arrow::Status::IOError(what, " '", path, "': ", std::strerror(err));
}

arrow::Result<UniqueFd> OpenFile(const std::string& path, int flags, int mode) {
  int fd;
  do {
    fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return ErrnoStatus("cannot open", path, errno);
  return UniqueFd(fd);
}

arrow::Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("cannot write", path, errno);
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return arrow::Status::OK();
}

arrow::Result<std::size_t> PreadFull(int fd, char* buf, std::size_t n, int64_t offset,
                                     const std::string& path) {
  std::size_t done = 0;
  while (done < n) {
    ssize_t r = ::pread(fd, buf + done, n - done, offset + static_cast<int64_t>(done));
    if (r < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("cannot read", path, errno);
    }
    if (r == 0) break;
    done += static_cast<std::size_t>(r);
  }
  return done;
}

arrow::Result<int64_t> FileSize(int fd, const std::string& path) {
  struct stat st;
  if (::fstat(fd, &st) != 0) return ErrnoStatus("cannot stat", path, errno);
  return static_cast<int64_t>(st.st_size);
}

arrow::Status DataSync(int fd, const std::string& path) {
  int rc;
  do {
    rc = ::fdatasync(fd);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) return ErrnoStatus("cannot fdatasync", path, errno);
  return arrow::Status::OK();
}

arrow::Status SyncDir(const std::string& dir) {
  ARROW_ASSIGN_OR_RAISE(UniqueFd fd, OpenFile(dir, O_RDONLY | O_DIRECTORY));
  if (::fsync(fd.get()) != 0) return ErrnoStatus("cannot fsync directory", dir, errno);
  return arrow::Status::OK();
}

arrow::Status CreateDirs(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return arrow::Status::IOError("cannot create directory '", dir, "': ", ec.message());
  return arrow::Status::OK();
}

arrow::Result<bool> PathExists(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) return true;
  if (errno == ENOENT) return false;
  return ErrnoStatus("cannot stat", path, errno);
}

arrow::Result<std::vector<std::string>> ListDir(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return ErrnoStatus("cannot list directory", dir, errno);
  std::vector<std::string> names;
  errno = 0;
  while (struct dirent* e = ::readdir(d)) {
    std::string_view name = e->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
  int err = errno;
  ::closedir(d);
  if (err != 0) return ErrnoStatus("cannot list directory", dir, err);
  return names;
}

arrow::Result<std::string> ReadWholeFile(const std::string& path) {
  ARROW_ASSIGN_OR_RAISE(UniqueFd fd, OpenFile(path, O_RDONLY));
  ARROW_ASSIGN_OR_RAISE(int64_t size, FileSize(fd.get(), path));
  std::string out(static_cast<std::size_t>(size), '\0');
  ARROW_ASSIGN_OR_RAISE(std::size_t n, PreadFull(fd.get(), out.data(), out.size(), 0, path));
  out.resize(n);
  return out;
}

arrow::Status WriteFileAtomic(const std::string& path, std::string_view contents) {
  std::filesystem::path p(path);
  std::string dir = p.parent_path().string();
  if (dir.empty()) dir = ".";
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    ARROW_ASSIGN_OR_RAISE(UniqueFd fd, OpenFile(tmp, O_WRONLY | O_CREAT | O_TRUNC));
    ARROW_RETURN_NOT_OK(WriteAll(fd.get(), contents, tmp));
    if (::fsync(fd.get()) != 0) return ErrnoStatus("cannot fsync", tmp, errno);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return ErrnoStatus("cannot rename into place", path, err);
  }
  return SyncDir(dir);
}

}  // namespace hashlake::bus::internal
