#include "hashlake/bus/bus_logger.h"

#include "hashlake/core/logging.h"

namespace hashlake::bus::internal {

std::shared_ptr<spdlog::logger> Logger() {
  // Looked up per call (only on rare events), so that a later ConfigureLogging applies.
  return hashlake::Logger("bus");
}

}  // namespace hashlake::bus::internal
