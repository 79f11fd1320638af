#include "hashlake/source/source_factory.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "hashlake/source/synth.h"

namespace hashlake::source {

const std::vector<std::string>& SourceNames() {
  static const std::vector<std::string> kNames = {"synth", "replay", "x", "bluesky", "mastodon"};
  return kNames;
}

arrow::Result<std::unique_ptr<Source>> MakeSource(const SourceOptions& options) {
  if (options.name == "synth") {
    ARROW_ASSIGN_OR_RAISE(auto source, SynthSource::Make(options.synth, options.clock));
    return std::unique_ptr<Source>(std::move(source));
  }
  if (options.name == "replay") {
    ReplayOptions replay = options.replay;
    if (replay.clock == nullptr) replay.clock = options.clock;
    ARROW_ASSIGN_OR_RAISE(auto source, ReplaySource::Make(std::move(replay)));
    return std::unique_ptr<Source>(std::move(source));
  }
  if (options.name == "x") {
    XStreamOptions x = options.x;
    if (x.live.clock == nullptr) x.live.clock = options.clock;
    ARROW_ASSIGN_OR_RAISE(auto source, XStreamSource::Make(std::move(x)));
    return std::unique_ptr<Source>(std::move(source));
  }
  if (options.name == "bluesky") {
    BlueskyOptions bluesky = options.bluesky;
    if (bluesky.live.clock == nullptr) bluesky.live.clock = options.clock;
    ARROW_ASSIGN_OR_RAISE(auto source, BlueskySource::Make(std::move(bluesky)));
    return std::unique_ptr<Source>(std::move(source));
  }
  if (options.name == "mastodon") {
    MastodonOptions mastodon = options.mastodon;
    if (mastodon.live.clock == nullptr) mastodon.live.clock = options.clock;
    ARROW_ASSIGN_OR_RAISE(auto source, MastodonSource::Make(std::move(mastodon)));
    return std::unique_ptr<Source>(std::move(source));
  }
  return arrow::Status::Invalid(fmt::format("unknown source '{}': allowed names are {}",
                                            options.name, fmt::join(SourceNames(), ", ")));
}

}  // namespace hashlake::source
