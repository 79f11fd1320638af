#include "hashlake/bus/log_format.h"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "hashlake/bus/crc32c.h"

namespace hashlake::bus::log_format {
namespace {

void PutU32(char* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
void PutU64(char* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
uint32_t GetU32(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<uint8_t>(p[i])) << (8 * i);
  return v;
}
uint64_t GetU64(const char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(p[i])) << (8 * i);
  return v;
}

// The CRC covers the length field and the payload: everything but itself.
uint32_t RecordCrc(const char* record, std::size_t payload_size) {
  uint32_t crc = crc32c::Value(record, 4);
  return crc32c::Extend(crc, record + kHeaderSize, payload_size);
}

}  // namespace

std::string SegmentFileName(Offset base) {
  std::string digits = std::to_string(base.value);
  std::string name(kSegmentNameDigits - std::min(digits.size(), kSegmentNameDigits), '0');
  name += digits;
  name += kSegmentSuffix;
  return name;
}

std::optional<Offset> ParseSegmentFileName(std::string_view name) {
  if (name.size() != kSegmentNameDigits + kSegmentSuffix.size()) return std::nullopt;
  if (name.substr(kSegmentNameDigits) != kSegmentSuffix) return std::nullopt;
  int64_t value = 0;
  const char* begin = name.data();
  const char* end = begin + kSegmentNameDigits;
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr != end || value < 0) return std::nullopt;
  return Offset{value};
}

void AppendRecord(std::string* dst, Offset offset, int64_t timestamp_us, std::string_view key,
                  std::string_view value) {
  const std::size_t payload = kFixedPayloadSize + key.size() + value.size();
  const std::size_t start = dst->size();
  dst->resize(start + kHeaderSize + kFixedPayloadSize);
  char* p = dst->data() + start;
  PutU32(p, static_cast<uint32_t>(payload));
  PutU64(p + 8, static_cast<uint64_t>(offset.value));
  PutU64(p + 16, static_cast<uint64_t>(timestamp_us));
  PutU32(p + 24, static_cast<uint32_t>(key.size()));
  dst->append(key);
  dst->append(value);
  p = dst->data() + start;
  PutU32(p + 4, crc32c::Mask(RecordCrc(p, payload)));
}

Decoded DecodeRecord(std::string_view data) {
  Decoded out;
  if (data.size() < kHeaderSize) {
    out.status = DecodeStatus::kIncomplete;
    out.size = kHeaderSize;
    return out;
  }
  const uint32_t payload = GetU32(data.data());
  out.size = static_cast<int64_t>(kHeaderSize) + payload;
  if (payload < kFixedPayloadSize || out.size > kHardMaxRecordBytes) {
    out.status = DecodeStatus::kBadLength;
    return out;
  }
  if (data.size() < static_cast<std::size_t>(out.size)) {
    out.status = DecodeStatus::kIncomplete;
    return out;
  }
  const uint32_t stored = crc32c::Unmask(GetU32(data.data() + 4));
  if (stored != RecordCrc(data.data(), payload)) {
    out.status = DecodeStatus::kBadChecksum;
    return out;
  }
  const char* p = data.data() + kHeaderSize;
  const uint32_t key_size = GetU32(p + 16);
  if (key_size > payload - kFixedPayloadSize) {
    out.status = DecodeStatus::kBadLength;
    return out;
  }
  out.status = DecodeStatus::kOk;
  out.record.offset = Offset{static_cast<int64_t>(GetU64(p))};
  out.record.timestamp_us = static_cast<int64_t>(GetU64(p + 8));
  out.record.key = std::string_view(p + kFixedPayloadSize, key_size);
  out.record.value =
      std::string_view(p + kFixedPayloadSize + key_size, payload - kFixedPayloadSize - key_size);
  return out;
}

}  // namespace hashlake::bus::log_format
