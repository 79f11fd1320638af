#pragma once

#include <spdlog/logger.h>

#include <memory>

namespace hashlake::bus::internal {

/// The bus module's logger ("bus", from hashlake/core/logging.h). Thread-safe.
std::shared_ptr<spdlog::logger> Logger();

}  // namespace hashlake::bus::internal
