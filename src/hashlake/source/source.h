#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <arrow/result.h>
#include <arrow/status.h>

#include "hashlake/core/bus_message.h"

namespace hashlake::source {

/// Running totals of a source, for logs, metrics and the dashboard.
struct SourceStats {
  uint64_t posts = 0;     ///< Posts handed out by Poll.
  uint64_t rejected = 0;  ///< Dead letters handed out by Poll.
  uint64_t skipped = 0;   ///< Well-formed events that are not posts (likes, deletes...).
  uint64_t bytes = 0;     ///< Input bytes read (after decompression); 0 where not meaningful.
};

/// A stream of records from the outside world. One thread calls Poll; Stop may be
/// called from any thread and makes a blocked Poll return promptly.
class Source {
 public:
  virtual ~Source() = default;

  /// Appends up to `max_records` records to `out`, waiting at most `timeout` for the
  /// first one. An empty poll is not an error. Returns an error only for failures the
  /// caller cannot retry (bad credentials, unreadable file); bad records become
  /// `Rejected` entries instead.
  virtual arrow::Status Poll(std::vector<Record>* out, std::size_t max_records,
                             std::chrono::milliseconds timeout) = 0;

  /// True once the source will produce nothing more (end of a replay file).
  /// Live and synthetic sources never finish.
  virtual bool Finished() const = 0;

  /// Asks a blocked Poll to return. Thread-safe.
  virtual void Stop() = 0;

  /// Totals so far. Thread-safe.
  virtual SourceStats Stats() const = 0;

  /// A short description for logs and the dashboard, e.g. "synth(seed=42, 500/s)".
  virtual std::string Describe() const = 0;
};

}  // namespace hashlake::source
