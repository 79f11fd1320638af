#include "hashlake/bus/topic_layout.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <string_view>

#include "hashlake/bus/embedded_log_options.h"
#include "hashlake/bus/file_util.h"
#include "hashlake/bus/log_format.h"

namespace hashlake::bus::internal {
namespace {

constexpr std::string_view kMetaMagic = "hashlake-embedded-log";
constexpr int kFormatVersion = 1;

std::string MetaText(int32_t partitions) {
  return std::string(kMetaMagic) + "\nformat_version=" + std::to_string(kFormatVersion) +
         "\npartitions=" + std::to_string(partitions) + "\n";
}

arrow::Result<int32_t> ParseMeta(const std::string& text, const std::string& path) {
  auto corrupt = [&](std::string_view why) {
    return arrow::Status::IOError("embedded log meta file '", path, "' is invalid: ", why);
  };
  std::vector<std::string_view> lines;
  std::string_view rest = text;
  while (!rest.empty()) {
    std::size_t nl = rest.find('\n');
    if (nl == std::string_view::npos) return corrupt("last line has no newline");
    lines.push_back(rest.substr(0, nl));
    rest.remove_prefix(nl + 1);
  }
  if (lines.empty() || lines[0] != kMetaMagic) return corrupt("missing header line");
  std::optional<int64_t> version;
  std::optional<int64_t> partitions;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    std::size_t eq = lines[i].find('=');
    if (eq == std::string_view::npos) return corrupt("a line is not key=value");
    std::string_view key = lines[i].substr(0, eq);
    std::string_view value = lines[i].substr(eq + 1);
    int64_t n = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || ptr != value.data() + value.size()) {
      return corrupt("a value is not an integer");
    }
    if (key == "format_version") version = n;
    if (key == "partitions") partitions = n;  // later keys are for later versions
  }
  if (!version || *version != kFormatVersion) {
    return corrupt("unsupported format_version (this build reads 1)");
  }
  if (!partitions || *partitions < 1 || *partitions > EmbeddedLogOptions::kMaxPartitions) {
    return corrupt("missing or out-of-range partitions");
  }
  return static_cast<int32_t>(*partitions);
}

}  // namespace

std::string TopicLayout::PartitionDir(PartitionId p) const {
  return dir_ + "/p-" + std::to_string(p.value);
}

std::string TopicLayout::SegmentPath(PartitionId p, Offset base) const {
  return PartitionDir(p) + "/" + log_format::SegmentFileName(base);
}

std::string TopicLayout::GroupOffsetsPath(const std::string& group) const {
  return GroupsDir() + "/" + group + ".offsets";
}

std::string TopicLayout::GroupLockPath(const std::string& group) const {
  return GroupsDir() + "/" + group + ".lock";
}

arrow::Result<int32_t> OpenOrCreateTopic(const TopicLayout& layout,
                                         std::optional<int32_t> requested) {
  ARROW_RETURN_NOT_OK(CreateDirs(layout.dir()));
  const std::string meta = layout.MetaPath();
  ARROW_ASSIGN_OR_RAISE(bool exists, PathExists(meta));
  if (!exists) {
    // Write a private temp file, then link() it into place: link fails with EEXIST when
    // another process created the topic first, so `meta` is never overwritten.
    const int32_t count = requested.value_or(EmbeddedLogOptions::kDefaultPartitions);
    const std::string tmp = meta + ".tmp." + std::to_string(::getpid());
    {
      ARROW_ASSIGN_OR_RAISE(UniqueFd fd, OpenFile(tmp, O_WRONLY | O_CREAT | O_TRUNC));
      ARROW_RETURN_NOT_OK(WriteAll(fd.get(), MetaText(count), tmp));
      if (::fsync(fd.get()) != 0) return ErrnoStatus("cannot fsync", tmp, errno);
    }
    const int rc = ::link(tmp.c_str(), meta.c_str());
    const int err = errno;
    ::unlink(tmp.c_str());
    if (rc != 0 && err != EEXIST) return ErrnoStatus("cannot create", meta, err);
    ARROW_RETURN_NOT_OK(SyncDir(layout.dir()));
  }
  ARROW_ASSIGN_OR_RAISE(std::string text, ReadWholeFile(meta));
  ARROW_ASSIGN_OR_RAISE(int32_t count, ParseMeta(text, meta));
  if (requested && *requested != count) {
    return arrow::Status::Invalid("embedded log topic '", layout.dir(), "' has ", count,
                                  " partitions, but partitions=", *requested,
                                  " was asked for (the count is fixed at creation)");
  }
  for (int32_t p = 0; p < count; ++p) {
    ARROW_RETURN_NOT_OK(CreateDirs(layout.PartitionDir(PartitionId{p})));
  }
  ARROW_RETURN_NOT_OK(CreateDirs(layout.GroupsDir()));
  if (!exists) ARROW_RETURN_NOT_OK(SyncDir(layout.dir()));
  return count;
}

arrow::Result<std::vector<Offset>> ListSegments(const std::string& partition_dir) {
  ARROW_ASSIGN_OR_RAISE(std::vector<std::string> names, ListDir(partition_dir));
  std::vector<Offset> bases;
  for (const std::string& name : names) {
    if (auto base = log_format::ParseSegmentFileName(name)) bases.push_back(*base);
  }
  std::sort(bases.begin(), bases.end());
  return bases;
}

}  // namespace hashlake::bus::internal
