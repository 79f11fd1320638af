#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <arrow/result.h>

#include "hashlake/source/bluesky_source.h"
#include "hashlake/source/mastodon_source.h"
#include "hashlake/source/replay.h"
#include "hashlake/source/source.h"
#include "hashlake/source/synth_model.h"
#include "hashlake/source/x_stream_source.h"

namespace hashlake::source {

/// Which source to build and the options of each kind (only the chosen one is read).
struct SourceOptions {
  std::string name = "synth";  ///< One of SourceNames().
  SynthOptions synth;
  ReplayOptions replay;
  XStreamOptions x;          ///< "x": X API v2 filtered stream.
  BlueskyOptions bluesky;    ///< "bluesky": Bluesky Jetstream.
  MastodonOptions mastodon;  ///< "mastodon": Mastodon streaming (SSE).
  /// Not owned; nullptr = system clock. Used where a kind's own clock is unset.
  const Clock* clock = nullptr;
};

/// The names MakeSource accepts.
const std::vector<std::string>& SourceNames();

/// Builds the named source; an unknown name is an Invalid status listing the allowed ones.
arrow::Result<std::unique_ptr<Source>> MakeSource(const SourceOptions& options);

}  // namespace hashlake::source
