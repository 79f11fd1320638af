// source_probe: a test-only driver. Runs one source with options from flags, prints each
// record as a bus JSON line on stdout (EncodeRecord), connection events and final
// counters as JSON lines on stderr, and stops after --limit records or --seconds.
// Exit: 0 done, 1 the source failed (its error on stderr), 2 bad flags or options.

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <string>
#include <vector>

#include "hashlake/core/bus_message.h"
#include "hashlake/core/json_writer.h"
#include "hashlake/source/source_factory.h"

namespace hs = hashlake::source;
using hashlake::JsonWriter;

namespace {

const char* KindName(hs::ConnectionEvent::Kind kind) {
  switch (kind) {
    case hs::ConnectionEvent::Kind::kAttempt:
      return "attempt";
    case hs::ConnectionEvent::Kind::kEnded:
      return "ended";
    case hs::ConnectionEvent::Kind::kWaiting:
      return "waiting";
    case hs::ConnectionEvent::Kind::kFatal:
      return "fatal";
  }
  return "?";
}

std::mutex stderr_mu;

void PrintEvent(const hs::ConnectionEvent& e) {
  std::string line;
  JsonWriter w(&line);
  w.BeginObject();
  w.Key("event");
  w.String(KindName(e.kind));
  w.Key("at_us");
  w.Int(hashlake::ToMicros(e.at));
  if (e.kind == hs::ConnectionEvent::Kind::kEnded) {
    w.Key("end");
    w.String(hs::StreamEndName(e.end));
    w.Key("established");
    w.Bool(e.established);
    w.Key("status");
    w.Int(e.http_status);
  }
  if (e.kind == hs::ConnectionEvent::Kind::kWaiting) {
    w.Key("delay_us");
    w.Int(e.delay.count());
  }
  if (!e.message.empty()) {
    w.Key("message");
    w.String(e.message);
  }
  w.EndObject();
  std::lock_guard lock(stderr_mu);
  std::cerr << line << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Runs one hashlake source and prints its records (test driver)"};
  hs::SourceOptions options;
  std::string url, stream = "public", tag;
  std::vector<std::string> wanted_dids, files;
  int64_t limit = 0, stall_ms = 0, connect_ms = 0, overlap_ms = -1, cursor = 0;
  double seconds = 0;
  bool virtual_time = false;
  app.add_option("--source", options.name, "x, bluesky, mastodon, replay or synth")->required();
  app.add_option("--url", url, "x: API root; bluesky: ws(s) URL; mastodon: instance URL");
  app.add_option("--limit", limit, "stop after this many records (0 = no limit)");
  app.add_option("--seconds", seconds, "stop after this many seconds (0 = no limit)");
  app.add_option("--stall-ms", stall_ms, "idle (stall) timeout in ms");
  app.add_option("--connect-timeout-ms", connect_ms, "connect timeout in ms");
  app.add_flag("--virtual-time", virtual_time,
               "a manual clock that backoff sleeps advance instantly");
  app.add_option("--stream", stream, "mastodon stream");
  app.add_option("--tag", tag, "mastodon hashtag");
  app.add_option("--wanted-did", wanted_dids, "bluesky wantedDids");
  app.add_option("--cursor", cursor, "bluesky first cursor (µs)");
  app.add_option("--overlap-ms", overlap_ms, "bluesky resume overlap in ms");
  app.add_option("--file", files, "replay files");
  CLI11_PARSE(app, argc, argv);

  hashlake::ManualClock manual_clock(hashlake::FromMicros(1'700'000'000'000'000));
  hs::ManualClockSleeper manual_sleeper(&manual_clock);
  hs::LiveOptions live;
  if (virtual_time) {
    live.clock = &manual_clock;
    live.sleeper = &manual_sleeper;
    options.clock = &manual_clock;
  }
  if (stall_ms > 0) live.timeouts.idle = std::chrono::milliseconds(stall_ms);
  if (connect_ms > 0) live.timeouts.connect = std::chrono::milliseconds(connect_ms);
  live.on_event = PrintEvent;
  options.x.live = live;
  options.bluesky.live = live;
  options.mastodon.live = live;
  if (!url.empty()) {
    options.x.base_url = url;
    options.bluesky.url = url;
    options.mastodon.instance_url = url;
  }
  options.mastodon.stream = stream;
  options.mastodon.tag = tag;
  options.bluesky.wanted_dids = wanted_dids;
  options.bluesky.cursor_us = cursor;
  if (overlap_ms >= 0) options.bluesky.resume_overlap = std::chrono::milliseconds(overlap_ms);
  options.replay.files = files;
  options.synth.rate = 0;

  auto made = hs::MakeSource(options);
  if (!made.ok()) {
    std::cerr << "source_probe: " << made.status().message() << "\n";
    return 2;
  }
  std::unique_ptr<hs::Source> source = std::move(*made);
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                            std::chrono::duration<double>(seconds));
  int64_t printed = 0;
  int exit_code = 0;
  std::vector<hashlake::Record> records;
  while (!source->Finished() && (limit == 0 || printed < limit) &&
         (seconds <= 0 || std::chrono::steady_clock::now() < deadline)) {
    records.clear();
    const std::size_t room = limit == 0 ? 256 : static_cast<std::size_t>(limit - printed);
    arrow::Status status = source->Poll(&records, room, std::chrono::milliseconds(50));
    for (const hashlake::Record& r : records) std::cout << hashlake::EncodeRecord(r) << "\n";
    std::cout.flush();
    printed += static_cast<int64_t>(records.size());
    if (!status.ok()) {
      std::lock_guard lock(stderr_mu);
      std::cerr << "source_probe: " << status.message() << "\n";
      exit_code = 1;
      break;
    }
  }
  source->Stop();
  const hs::SourceStats s = source->Stats();
  std::string line;
  JsonWriter w(&line);
  w.BeginObject();
  w.Key("stats");
  w.BeginObject();
  auto put = [&](const char* key, int64_t value) {
    w.Key(key);
    w.Int(value);
  };
  put("posts", static_cast<int64_t>(s.posts));
  put("rejected", static_cast<int64_t>(s.rejected));
  put("skipped", static_cast<int64_t>(s.skipped));
  put("bytes", static_cast<int64_t>(s.bytes));
  if (const auto* live_source = dynamic_cast<const hs::LiveSource*>(source.get())) {
    const hs::LiveStats l = live_source->live_stats();
    put("attempts", static_cast<int64_t>(l.attempts));
    put("connects", static_cast<int64_t>(l.connects));
    put("stalls", static_cast<int64_t>(l.stalls));
    put("network_errors", static_cast<int64_t>(l.network_errors));
    put("http_errors", static_cast<int64_t>(l.http_errors));
    put("rate_limited", static_cast<int64_t>(l.rate_limited));
    put("keepalives", static_cast<int64_t>(l.keepalives));
    put("duplicates", static_cast<int64_t>(l.duplicates));
    put("deletes", static_cast<int64_t>(l.deletes));
    put("truncated", static_cast<int64_t>(l.truncated));
    put("cursor_us", l.cursor_us);
  }
  w.EndObject();
  w.EndObject();
  {
    std::lock_guard lock(stderr_mu);
    std::cerr << line << "\n";
  }
  source.reset();
  return exit_code;
}
