#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace hashlake::bus::crc32c {

/// CRC-32C (Castagnoli, polynomial 0x1EDC6F41, reflected), as in iSCSI, ext4 and LevelDB.
/// `Extend(Extend(0, a), b) == Value(a + b)`. Uses the SSE4.2 instruction when the CPU
/// has it, else a table. Thread-safe.
uint32_t Extend(uint32_t crc, const char* data, std::size_t n);
inline uint32_t Value(const char* data, std::size_t n) { return Extend(0, data, n); }
inline uint32_t Value(std::string_view s) { return Extend(0, s.data(), s.size()); }

/// LevelDB's mask: a CRC stored next to the data it covers is masked, so that the CRC of
/// a string that itself contains CRCs is not degenerate.
inline uint32_t Mask(uint32_t crc) {
  constexpr uint32_t kMaskDelta = 0xa282ead8u;
  return ((crc >> 15) | (crc << 17)) + kMaskDelta;
}
inline uint32_t Unmask(uint32_t masked) {
  constexpr uint32_t kMaskDelta = 0xa282ead8u;
  uint32_t rot = masked - kMaskDelta;
  return (rot >> 17) | (rot << 15);
}

namespace internal {
/// The table implementation, so that tests compare it with the SSE4.2 one.
uint32_t ExtendPortableForTest(uint32_t crc, const char* data, std::size_t n);
}  // namespace internal

}  // namespace hashlake::bus::crc32c
