#include "hashlake/source/source_factory.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "hashlake/source/synth.h"

namespace hashlake::source {

const std::vector<std::string>& SourceNames() {
  static const std::vector<std::string> kNames = {"synth", "replay"};
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
  return arrow::Status::Invalid(fmt::format("unknown source '{}': allowed names are {}",
                                            options.name, fmt::join(SourceNames(), ", ")));
}

}  // namespace hashlake::source
