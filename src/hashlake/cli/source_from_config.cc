#include "hashlake/cli/source_from_config.h"

#include "hashlake/source/source_factory.h"

namespace hashlake::cli {

arrow::Result<std::unique_ptr<source::Source>> SourceFromConfig(const Config& config) {
  source::SourceOptions options;
  options.name = config.GetString("source.kind");
  if (options.name == "replay") {
    options.replay.files = config.GetStringList("source.files");
    if (options.replay.files.empty()) {
      return arrow::Status::Invalid(
          "source.kind = replay needs files: pass --file PATH or set source.files");
    }
    options.replay.speed = config.GetDouble("source.speed");
    options.replay.max_record_bytes =
        static_cast<std::size_t>(config.GetInt("source.max_record_bytes"));
  } else {
    options.synth.seed = static_cast<uint64_t>(config.GetInt("synth.seed"));
    options.synth.rate = static_cast<double>(config.GetInt("synth.rate"));
    // Event time follows the wall clock, so the live view shows "now".
    options.synth.start = SystemClock::Instance().Now();
  }
  return source::MakeSource(options);
}

}  // namespace hashlake::cli
