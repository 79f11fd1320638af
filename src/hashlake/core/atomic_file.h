#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include <arrow/result.h>
#include <arrow/status.h>

namespace hashlake {

/// Writes `contents` to `path` so that after a crash the file holds either the old or
/// the new contents, never a mix: write a temporary beside it, fsync, rename, fsync the
/// directory.
arrow::Status WriteFileAtomically(const std::filesystem::path& path, std::string_view contents);

arrow::Result<std::string> ReadWholeFile(const std::filesystem::path& path);

}  // namespace hashlake
