#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace hashlake::text {

/// Offset of the first byte that does not start a well-formed UTF-8 sequence
/// (overlong forms, surrogates, code points above U+10FFFF and truncated sequences
/// are all ill-formed), or nullopt when `bytes` is valid UTF-8. Pure, thread-safe.
std::optional<std::size_t> FindInvalidUtf8(std::string_view bytes);

/// True when `bytes` is well-formed UTF-8 (the empty string is).
inline bool IsValidUtf8(std::string_view bytes) { return !FindInvalidUtf8(bytes).has_value(); }

}  // namespace hashlake::text
