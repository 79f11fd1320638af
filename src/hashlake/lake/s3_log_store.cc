#include "hashlake/lake/s3_log_store.h"

#include <arrow/buffer.h>
#include <arrow/io/memory.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <future>
#include <mutex>

#include "hashlake/lake/s3_client.h"

namespace hashlake::lake {
namespace {

// Files up to this size are fetched with one GET on open (Parquet would otherwise spend a
// round trip on the footer length, one on the footer and one per column chunk).
constexpr int64_t kWholeReadLimit = 8LL << 20;

std::string BaseName(const std::string& key) {
  auto slash = key.rfind('/');
  return slash == std::string::npos ? key : key.substr(slash + 1);
}

/// Reads an object with ranged GETs. Thread-safe: ReadAt has no shared position.
class S3RandomAccessFile final : public arrow::io::RandomAccessFile {
 public:
  S3RandomAccessFile(std::shared_ptr<S3Client> client, std::string key, int64_t size)
      : client_(std::move(client)), key_(std::move(key)), size_(size) {}

  arrow::Status Close() override {
    closed_ = true;
    return arrow::Status::OK();
  }
  bool closed() const override { return closed_; }
  arrow::Result<int64_t> Tell() const override { return pos_; }
  arrow::Result<int64_t> GetSize() override { return size_; }
  arrow::Status Seek(int64_t position) override {
    if (position < 0) return arrow::Status::Invalid("negative seek in s3 object ", key_);
    pos_ = position;
    return arrow::Status::OK();
  }
  arrow::Result<int64_t> Read(int64_t nbytes, void* out) override {
    ARROW_ASSIGN_OR_RAISE(int64_t n, ReadAt(pos_, nbytes, out));
    pos_ += n;
    return n;
  }
  arrow::Result<std::shared_ptr<arrow::Buffer>> Read(int64_t nbytes) override {
    ARROW_ASSIGN_OR_RAISE(auto buffer, ReadAt(pos_, nbytes));
    pos_ += buffer->size();
    return buffer;
  }
  arrow::Result<int64_t> ReadAt(int64_t position, int64_t nbytes, void* out) override {
    ARROW_ASSIGN_OR_RAISE(auto buffer, ReadAt(position, nbytes));
    std::memcpy(out, buffer->data(), static_cast<size_t>(buffer->size()));
    return buffer->size();
  }
  arrow::Result<std::shared_ptr<arrow::Buffer>> ReadAt(int64_t position, int64_t nbytes) override {
    if (closed_) return arrow::Status::Invalid("read from closed s3 object ", key_);
    if (position < 0 || nbytes < 0) return arrow::Status::Invalid("bad read range");
    nbytes = std::max<int64_t>(0, std::min(nbytes, size_ - position));
    if (nbytes == 0) return std::make_shared<arrow::Buffer>(nullptr, 0);
    ARROW_ASSIGN_OR_RAISE(auto data, client_->GetObject(key_, {{position, nbytes}}));
    if (static_cast<int64_t>(data.size()) != nbytes) {
      return arrow::Status::IOError("s3 object ", key_, ": asked for ", nbytes, " bytes at ",
                                    position, ", got ", data.size());
    }
    return arrow::Buffer::FromString(std::move(data));
  }

 private:
  const std::shared_ptr<S3Client> client_;
  const std::string key_;
  const int64_t size_;
  int64_t pos_ = 0;
  bool closed_ = false;
};

/// Buffers writes; switches to a multipart upload once the buffer passes the threshold and
/// then sends parts while the caller writes, up to `upload_concurrency` at once (each on its
/// own thread, so at most that many parts are held in memory besides the buffer).
/// Single-threaded for the caller, like every arrow OutputStream.
class S3OutputStream final : public arrow::io::OutputStream {
 public:
  S3OutputStream(std::shared_ptr<S3Client> client, std::string key)
      : client_(std::move(client)), key_(std::move(key)) {}

  ~S3OutputStream() override {
    // Dropped without Close(): leave nothing behind (an incomplete upload costs storage).
    if (!upload_id_.empty() && !closed_) (void)Fail(arrow::Status::Cancelled("dropped"));
  }

  arrow::Status Write(const void* data, int64_t nbytes) override {
    if (closed_) return arrow::Status::Invalid("write to closed s3 stream ", key_);
    if (!failed_.ok()) return failed_;
    buffer_.append(static_cast<const char*>(data), static_cast<size_t>(nbytes));
    written_ += nbytes;
    const auto& o = client_->options();
    if (upload_id_.empty() && static_cast<int64_t>(buffer_.size()) >= o.multipart_threshold) {
      auto id = client_->CreateMultipartUpload(key_);
      if (!id.ok()) return Fail(id.status());
      upload_id_ = *id;
    }
    while (!upload_id_.empty() && static_cast<int64_t>(buffer_.size()) >= o.part_size) {
      ARROW_RETURN_NOT_OK(StartPart(buffer_.substr(0, static_cast<size_t>(o.part_size))));
      buffer_.erase(0, static_cast<size_t>(o.part_size));
    }
    return arrow::Status::OK();
  }

  arrow::Status Flush() override { return failed_; }

  arrow::Status Close() override {
    if (closed_) return arrow::Status::OK();
    if (!failed_.ok()) {
      closed_ = true;
      return failed_;
    }
    arrow::Status st;
    if (upload_id_.empty()) {
      st = client_->PutObject(key_, buffer_, /*if_none_match=*/false);
    } else {
      if (!buffer_.empty() || parts_started_ == 0) st = StartPart(std::move(buffer_));
      while (st.ok() && !in_flight_.empty()) st = WaitOldest();
      if (st.ok()) st = client_->CompleteMultipartUpload(key_, upload_id_, etags_, written_);
      if (!st.ok()) st = Fail(st);
    }
    closed_ = true;
    buffer_.clear();
    buffer_.shrink_to_fit();
    return st;
  }

  bool closed() const override { return closed_; }
  arrow::Result<int64_t> Tell() const override { return written_; }

 private:
  using PartResult = std::pair<int, arrow::Result<std::string>>;  // part number, ETag

  arrow::Status StartPart(std::string part) {
    const int number = ++parts_started_;
    etags_.resize(static_cast<size_t>(number));
    in_flight_.push_back(
        std::async(std::launch::async,
                   [client = client_, key = key_, id = upload_id_, number, data = std::move(part)] {
                     return PartResult{number, client->UploadPart(key, id, number, data)};
                   }));
    const int limit = std::max(1, client_->options().upload_concurrency);
    while (static_cast<int>(in_flight_.size()) >= limit) ARROW_RETURN_NOT_OK(WaitOldest());
    return arrow::Status::OK();
  }

  arrow::Status WaitOldest() {
    PartResult r = in_flight_.front().get();
    in_flight_.pop_front();
    if (!r.second.ok()) return Fail(r.second.status());
    etags_[static_cast<size_t>(r.first - 1)] = *r.second;
    return arrow::Status::OK();
  }

  // Waits for the parts still in flight, aborts the upload (best effort) and remembers the
  // failure.
  arrow::Status Fail(arrow::Status st) {
    for (auto& f : in_flight_) f.wait();
    in_flight_.clear();
    if (!upload_id_.empty()) {
      (void)client_->AbortMultipartUpload(key_, upload_id_);
      upload_id_.clear();
    }
    failed_ = st;
    return st;
  }

  const std::shared_ptr<S3Client> client_;
  const std::string key_;
  std::string buffer_;
  int64_t written_ = 0;
  std::string upload_id_;
  int parts_started_ = 0;
  std::deque<std::future<PartResult>> in_flight_;
  std::vector<std::string> etags_;  // by part number - 1
  arrow::Status failed_;
  bool closed_ = false;
};

class S3LogStore final : public LogStore {
 public:
  explicit S3LogStore(std::shared_ptr<S3Client> client)
      : client_(std::move(client)), prefix_("s3://" + client_->options().bucket) {}

  arrow::Result<std::string> ReadFile(const std::string& path) override {
    ARROW_ASSIGN_OR_RAISE(auto key, Key(path));
    return client_->GetObject(key);
  }

  arrow::Result<std::shared_ptr<arrow::io::RandomAccessFile>> OpenForRead(
      const std::string& path) override {
    ARROW_ASSIGN_OR_RAISE(auto key, Key(path));
    ARROW_ASSIGN_OR_RAISE(auto info, client_->HeadObject(key));
    if (info.size <= kWholeReadLimit) {
      ARROW_ASSIGN_OR_RAISE(auto data, client_->GetObject(key));
      return std::make_shared<arrow::io::BufferReader>(arrow::Buffer::FromString(std::move(data)));
    }
    return std::make_shared<S3RandomAccessFile>(client_, key, info.size);
  }

  arrow::Result<std::vector<FileEntry>> List(const std::string& dir) override {
    return ListFrom(dir, "");
  }

  arrow::Result<std::vector<FileEntry>> ListFrom(const std::string& dir,
                                                 const std::string& start_after) override {
    ARROW_ASSIGN_OR_RAISE(auto key, Key(dir));
    S3ListRequest request;
    request.prefix = key.empty() ? "" : key + "/";
    request.delimiter = "/";
    if (!start_after.empty()) request.start_after = request.prefix + start_after;
    ARROW_ASSIGN_OR_RAISE(auto listing, client_->ListObjects(request));
    std::vector<FileEntry> out;
    for (const auto& o : listing.objects) {
      std::string name = o.key.substr(request.prefix.size());
      if (name.empty()) continue;  // a "directory marker" object
      out.push_back(FileEntry{std::move(name), o.size, o.last_modified_ms, false});
    }
    for (const auto& p : listing.common_prefixes) {
      std::string name = p.substr(request.prefix.size());
      while (!name.empty() && name.back() == '/') name.pop_back();
      if (!name.empty()) out.push_back(FileEntry{std::move(name), 0, 0, true});
    }
    return out;
  }

  arrow::Result<FileEntry> Stat(const std::string& path) override {
    ARROW_ASSIGN_OR_RAISE(auto key, Key(path));
    ARROW_ASSIGN_OR_RAISE(auto info, client_->HeadObject(key));
    return FileEntry{BaseName(key), info.size, info.last_modified_ms, false};
  }

  arrow::Status CreateDirs(const std::string& dir) override {
    return Key(dir).status();  // S3 has no directories
  }

  arrow::Result<std::shared_ptr<arrow::io::OutputStream>> OpenForWrite(
      const std::string& path) override {
    ARROW_ASSIGN_OR_RAISE(auto key, Key(path));
    return std::make_shared<S3OutputStream>(client_, std::move(key));
  }

  arrow::Status PutIfAbsent(const std::string& path, std::string_view content) override {
    ARROW_ASSIGN_OR_RAISE(auto key, Key(path));
    return client_->PutObject(key, content, /*if_none_match=*/true);
  }

  arrow::Status Put(const std::string& path, std::string_view content) override {
    ARROW_ASSIGN_OR_RAISE(auto key, Key(path));
    return client_->PutObject(key, content, /*if_none_match=*/false);
  }

  arrow::Status Delete(const std::string& path) override {
    ARROW_ASSIGN_OR_RAISE(auto key, Key(path));
    return client_->DeleteObject(key);
  }

 private:
  // "s3://bucket/a/b" -> "a/b"; "s3://bucket" -> "".
  arrow::Result<std::string> Key(const std::string& path) const {
    if (path == prefix_) return std::string();
    if (path.size() > prefix_.size() && path.starts_with(prefix_) && path[prefix_.size()] == '/') {
      std::string key = path.substr(prefix_.size() + 1);
      while (!key.empty() && key.back() == '/') key.pop_back();
      return key;
    }
    return arrow::Status::Invalid("path '", path, "' is not in ", prefix_);
  }

  const std::shared_ptr<S3Client> client_;
  const std::string prefix_;
};

}  // namespace

arrow::Result<std::shared_ptr<LogStore>> MakeS3LogStore(std::shared_ptr<S3Client> client) {
  if (!client) return arrow::Status::Invalid("MakeS3LogStore: null client");
  return std::make_shared<S3LogStore>(std::move(client));
}

}  // namespace hashlake::lake
