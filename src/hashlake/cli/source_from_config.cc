#include "hashlake/cli/source_from_config.h"

#include "hashlake/source/replay.h"

namespace hashlake::cli {

arrow::Result<std::unique_ptr<source::Source>> SourceFromConfig(const Config& config) {
  const std::string kind = config.GetString("source.kind");
  if (kind == "replay") {
    source::ReplayOptions options;
    options.files = config.GetStringList("source.files");
    if (options.files.empty()) {
      return arrow::Status::Invalid("source.kind = replay needs files: pass --file PATH or set "
                                    "source.files");
    }
    options.speed = config.GetDouble("source.speed");
    options.max_record_bytes = static_cast<size_t>(config.GetInt("source.max_record_bytes"));
    ARROW_ASSIGN_OR_RAISE(auto replay, source::ReplaySource::Make(std::move(options)));
    return std::unique_ptr<source::Source>(std::move(replay));
  }
  return arrow::Status::Invalid("source.kind: '", kind, "' is not available in this build");
}

}  // namespace hashlake::cli
