#include "hashlake/lake/log_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include <arrow/io/file.h>

#include "hashlake/lake/uuid.h"

namespace hashlake::lake {
namespace {

namespace fs = std::filesystem;

arrow::Status ErrnoStatus(std::string_view what, const std::string& path, int err) {
  return arrow::Status::IOError(what, " '", path, "': ", std::strerror(err));
}

int64_t MtimeMs(const struct stat& st) {
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000;
}

class LocalLogStore final : public LogStore {
 public:
  arrow::Result<std::string> ReadFile(const std::string& path) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ErrnoStatus("cannot open", path, errno);
    std::string out;
    char buf[1 << 16];
    while (true) {
      ssize_t n = ::read(fd, buf, sizeof(buf));
      if (n < 0) {
        if (errno == EINTR) continue;
        int err = errno;
        ::close(fd);
        return ErrnoStatus("cannot read", path, err);
      }
      if (n == 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
    ::close(fd);
    return out;
  }

  arrow::Result<std::shared_ptr<arrow::io::RandomAccessFile>> OpenForRead(
      const std::string& path) override {
    ARROW_ASSIGN_OR_RAISE(auto file, arrow::io::ReadableFile::Open(path));
    return file;
  }

  arrow::Result<std::vector<FileEntry>> List(const std::string& dir) override {
    std::vector<FileEntry> out;
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) {
      if (ec == std::errc::no_such_file_or_directory) return out;
      return arrow::Status::IOError("cannot list '", dir, "': ", ec.message());
    }
    for (const auto& entry : it) {
      struct stat st;
      if (::stat(entry.path().c_str(), &st) != 0) continue;  // vanished meanwhile
      out.push_back(FileEntry{entry.path().filename().string(), static_cast<int64_t>(st.st_size),
                              MtimeMs(st), S_ISDIR(st.st_mode)});
    }
    return out;
  }

  arrow::Result<FileEntry> Stat(const std::string& path) override {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) return ErrnoStatus("cannot stat", path, errno);
    return FileEntry{fs::path(path).filename().string(), static_cast<int64_t>(st.st_size),
                     MtimeMs(st), S_ISDIR(st.st_mode)};
  }

  arrow::Status CreateDirs(const std::string& dir) override {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return arrow::Status::IOError("cannot create '", dir, "': ", ec.message());
    return arrow::Status::OK();
  }

  arrow::Result<std::shared_ptr<arrow::io::OutputStream>> OpenForWrite(
      const std::string& path) override {
    ARROW_ASSIGN_OR_RAISE(auto out, arrow::io::FileOutputStream::Open(path));
    return out;
  }

  arrow::Status PutIfAbsent(const std::string& path, std::string_view content) override {
    ARROW_ASSIGN_OR_RAISE(auto tmp, WriteTemp(path, content));
    int rc = ::link(tmp.c_str(), path.c_str());
    int err = errno;
    ::unlink(tmp.c_str());
    if (rc != 0) {
      if (err == EEXIST) return arrow::Status::AlreadyExists("'", path, "' already exists");
      return ErrnoStatus("cannot link", path, err);
    }
    return arrow::Status::OK();
  }

  arrow::Status Put(const std::string& path, std::string_view content) override {
    ARROW_ASSIGN_OR_RAISE(auto tmp, WriteTemp(path, content));
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
      int err = errno;
      ::unlink(tmp.c_str());
      return ErrnoStatus("cannot rename onto", path, err);
    }
    return arrow::Status::OK();
  }

  arrow::Status Delete(const std::string& path) override {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
      return ErrnoStatus("cannot delete", path, errno);
    }
    return arrow::Status::OK();
  }

 private:
  // Writes and fsyncs a hidden temp file beside `path`; returns its name.
  static arrow::Result<std::string> WriteTemp(const std::string& path, std::string_view content) {
    fs::path target(path);
    std::string tmp = (target.parent_path() / ("." + target.filename().string() + "." +
                                               NewUuid() + ".tmp"))
                          .string();
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) return ErrnoStatus("cannot create", tmp, errno);
    size_t done = 0;
    while (done < content.size()) {
      ssize_t n = ::write(fd, content.data() + done, content.size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        int err = errno;
        ::close(fd);
        ::unlink(tmp.c_str());
        return ErrnoStatus("cannot write", tmp, err);
      }
      done += static_cast<size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
      int err = errno;
      ::unlink(tmp.c_str());
      return ErrnoStatus("cannot sync", tmp, err);
    }
    return tmp;
  }
};

}  // namespace

std::shared_ptr<LogStore> MakeLocalLogStore() { return std::make_shared<LocalLogStore>(); }

}  // namespace hashlake::lake
