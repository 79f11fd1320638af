#pragma once

#include <string>

namespace hashlake::lake {

/// A random (version 4) UUID in canonical lowercase form. Thread-safe.
std::string NewUuid();

}  // namespace hashlake::lake
