#include "hashlake/bus/group_offsets.h"

#include <fcntl.h>
#include <sys/file.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <string_view>

#include "hashlake/bus/file_util.h"

namespace hashlake::bus::internal {
namespace {

constexpr std::string_view kHeader = "hashlake-group-offsets 1";

}  // namespace

arrow::Status ValidateGroupName(const std::string& group) {
  const bool ok_chars = std::all_of(group.begin(), group.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
  if (group.empty() || group.size() > 200 || !ok_chars || group[0] == '.') {
    return arrow::Status::Invalid("consumer group name '", group,
                                  "' must be 1-200 characters of [A-Za-z0-9._-], not "
                                  "starting with '.'");
  }
  return arrow::Status::OK();
}

arrow::Result<OffsetMap> GroupOffsetStore::Load() const {
  const std::string path = layout_.GroupOffsetsPath(group_);
  ARROW_ASSIGN_OR_RAISE(bool exists, PathExists(path));
  OffsetMap out;
  if (!exists) return out;
  ARROW_ASSIGN_OR_RAISE(std::string text, ReadWholeFile(path));
  auto corrupt = [&](std::string_view why) {
    return arrow::Status::IOError("consumer group offsets file '", path, "' is invalid: ", why);
  };
  std::string_view rest = text;
  bool first = true;
  while (!rest.empty()) {
    const std::size_t nl = rest.find('\n');
    if (nl == std::string_view::npos) return corrupt("last line has no newline");
    std::string_view line = rest.substr(0, nl);
    rest.remove_prefix(nl + 1);
    if (first) {
      if (line != kHeader) return corrupt("missing header line");
      first = false;
      continue;
    }
    const std::size_t sp = line.find(' ');
    if (sp == std::string_view::npos) return corrupt("a line is not '<partition> <offset>'");
    int32_t partition = 0;
    int64_t offset = 0;
    const char* pend = line.data() + sp;
    const char* oend = line.data() + line.size();
    auto [p1, e1] = std::from_chars(line.data(), pend, partition);
    auto [p2, e2] = std::from_chars(pend + 1, oend, offset);
    if (e1 != std::errc() || p1 != pend || e2 != std::errc() || p2 != oend) {
      return corrupt("a line is not '<partition> <offset>'");
    }
    if (partition < 0 || partition >= partition_count_ || offset < 0) {
      return corrupt("partition or offset out of range");
    }
    out[PartitionId{partition}] = Offset{offset};
  }
  if (first) return corrupt("empty file");
  return out;
}

arrow::Status GroupOffsetStore::Commit(const OffsetMap& offsets) const {
  for (const auto& [partition, offset] : offsets) {
    if (partition.value < 0 || partition.value >= partition_count_) {
      return arrow::Status::Invalid("commit for partition ", partition.value,
                                    ", but the topic has partitions 0..", partition_count_ - 1);
    }
    if (offset.value < 0) {
      return arrow::Status::Invalid("commit of negative offset ", offset.value, " for partition ",
                                    partition.value);
    }
  }
  const std::string lock_path = layout_.GroupLockPath(group_);
  ARROW_ASSIGN_OR_RAISE(UniqueFd lock, OpenFile(lock_path, O_RDWR | O_CREAT));
  int rc;
  do {
    rc = ::flock(lock.get(), LOCK_EX);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) return ErrnoStatus("cannot lock", lock_path, errno);
  // Merge under the lock so that concurrent committers of other partitions are kept.
  ARROW_ASSIGN_OR_RAISE(OffsetMap merged, Load());
  for (const auto& [partition, offset] : offsets) merged[partition] = offset;
  std::string text(kHeader);
  text += '\n';
  for (const auto& [partition, offset] : merged) {
    text += std::to_string(partition.value) + " " + std::to_string(offset.value) + "\n";
  }
  return WriteFileAtomic(layout_.GroupOffsetsPath(group_), text);
}

}  // namespace hashlake::bus::internal
