#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <arrow/status.h>
#include <spdlog/spdlog.h>

namespace hashlake {

/// Structured logging: one spdlog logger per module ("bus", "lake"…) writing to stderr,
/// either human-readable lines or JSON lines (`log.format = "json"`), so logs can be
/// shipped as they are. Thread-safe.
arrow::Status ConfigureLogging(std::string_view level, std::string_view format);

/// The module's logger, created on first use with the configured sinks.
std::shared_ptr<spdlog::logger> Logger(const std::string& module);

}  // namespace hashlake
