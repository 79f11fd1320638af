#pragma once

// The embedded log's record and file layout; LOG_FORMAT.md is the specification.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "hashlake/bus/bus.h"

namespace hashlake::bus::log_format {

/// length (u32 LE) + masked CRC-32C (u32 LE).
constexpr std::size_t kHeaderSize = 8;
/// offset (i64 LE) + timestamp in microseconds (i64 LE) + key length (u32 LE).
constexpr std::size_t kFixedPayloadSize = 20;
constexpr std::size_t kMinRecordSize = kHeaderSize + kFixedPayloadSize;
/// No reader accepts a record larger than this, whatever the options say, so that a
/// corrupt length never makes a reader allocate gigabytes.
constexpr int64_t kHardMaxRecordBytes = int64_t{1} << 30;

constexpr std::string_view kSegmentSuffix = ".seg";
constexpr std::size_t kSegmentNameDigits = 20;

/// "00000000000000000042.seg" for base offset 42.
std::string SegmentFileName(Offset base);
/// The base offset of a segment file name; nullopt for any other name.
std::optional<Offset> ParseSegmentFileName(std::string_view name);

/// Bytes one record takes on disk.
inline int64_t EncodedSize(std::size_t key_size, std::size_t value_size) {
  return static_cast<int64_t>(kMinRecordSize + key_size + value_size);
}

/// Appends one encoded record to `dst`. The caller has checked the size limits.
void AppendRecord(std::string* dst, Offset offset, int64_t timestamp_us, std::string_view key,
                  std::string_view value);

struct RecordView {
  Offset offset;
  int64_t timestamp_us = 0;
  std::string_view key;    ///< Points into the decoded buffer.
  std::string_view value;  ///< Points into the decoded buffer.
};

enum class DecodeStatus {
  kOk,
  kIncomplete,   ///< `data` ends inside the record; `size` is the length it needs.
  kBadLength,    ///< The length field (or the key length) cannot be right.
  kBadChecksum,  ///< The whole record is there but its CRC does not match.
};

struct Decoded {
  DecodeStatus status = DecodeStatus::kIncomplete;
  /// Bytes of the record as its header declares them (header included); when the
  /// header itself is incomplete, kHeaderSize.
  int64_t size = 0;
  RecordView record;  ///< Set only for kOk.
};

/// Decodes the record at the start of `data`.
Decoded DecodeRecord(std::string_view data);

}  // namespace hashlake::bus::log_format
