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
  } else if (options.name == "x") {
    options.x.base_url = config.GetString("x.base_url");
    options.x.backfill_minutes = static_cast<int>(config.GetInt("x.backfill_minutes"));
    options.x.bearer_token = config.GetString("x.bearer_token");  // from X_BEARER_TOKEN
    options.x.live.timeouts.idle = config.GetDuration("source.stall_timeout");
  } else if (options.name == "bluesky") {
    options.bluesky.url = config.GetString("bluesky.url");
    options.bluesky.wanted_dids = config.GetStringList("bluesky.wanted_dids");
    options.bluesky.cursor_us = config.GetInt("bluesky.cursor_us");
    options.bluesky.resume_overlap = config.GetDuration("bluesky.resume_overlap");
    options.bluesky.live.timeouts.idle = config.GetDuration("source.stall_timeout");
  } else if (options.name == "mastodon") {
    options.mastodon.instance_url = config.GetString("mastodon.instance");
    options.mastodon.streaming_url = config.GetString("mastodon.streaming_url");
    options.mastodon.stream = config.GetString("mastodon.stream");
    options.mastodon.tag = config.GetString("mastodon.tag");
    options.mastodon.access_token = config.GetString("mastodon.token");  // MASTODON_TOKEN
    options.mastodon.live.timeouts.idle = config.GetDuration("source.stall_timeout");
  } else {
    options.synth.seed = static_cast<uint64_t>(config.GetInt("synth.seed"));
    options.synth.rate = static_cast<double>(config.GetInt("synth.rate"));
    // Event time follows the wall clock, so the live view shows "now".
    options.synth.start = SystemClock::Instance().Now();
  }
  return source::MakeSource(options);
}

}  // namespace hashlake::cli
