#pragma once

#include <string>

#include "hashlake/core/post.h"
#include "hashlake/core/time.h"

namespace hashlake {

/// A record that could not become a Post: the dead letter that lands in the
/// `rejected` table. The payload is kept whole, as received (it may not be UTF-8).
struct Rejected {
  SourceKind source = SourceKind::kReplay;
  std::string reason;   ///< One line a person can act on, e.g. "invalid JSON at byte 17".
  std::string payload;  ///< The raw bytes as received.
  Timestamp at{};       ///< When it was rejected.

  bool operator==(const Rejected&) const = default;
};

}  // namespace hashlake
