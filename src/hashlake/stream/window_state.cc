#include "hashlake/stream/window_state.h"

#include <simdjson.h>

#include <algorithm>
#include <limits>

#include "hashlake/core/json_writer.h"
#include "hashlake/core/simdjson_status.h"

namespace hashlake::stream {
namespace {

constexpr char kUnitSeparator = '\x1f';
constexpr std::string_view kUnknownLanguage = "und";
// Before the first record: no watermark, nothing closed.
const Timestamp kBeginningOfTime = FromMicros(std::numeric_limits<int64_t>::min());

void WriteCounts(JsonWriter& w, std::string_view name, const Counts& counts) {
  // Sorted so that the same state always serializes to the same bytes.
  std::vector<std::pair<std::string_view, int64_t>> sorted(counts.begin(), counts.end());
  std::sort(sorted.begin(), sorted.end());
  w.Key(name);
  w.BeginObject();
  w.Key("keys");
  w.BeginArray();
  for (const auto& [key, count] : sorted) w.String(key);
  w.EndArray();
  w.Key("counts");
  w.BeginArray();
  for (const auto& [key, count] : sorted) w.Int(count);
  w.EndArray();
  w.EndObject();
}

arrow::Status ReadCounts(simdjson::dom::element window, const char* name, Counts* out) {
  simdjson::dom::array keys, counts;
  HASHLAKE_RETURN_NOT_OK_JSON(window[name]["keys"].get(keys), "window state keys");
  HASHLAKE_RETURN_NOT_OK_JSON(window[name]["counts"].get(counts), "window state counts");
  if (keys.size() != counts.size()) {
    return arrow::Status::Invalid("window state: ", name, " has ", keys.size(), " keys and ",
                                  counts.size(), " counts");
  }
  out->reserve(keys.size());
  auto count_it = counts.begin();
  for (auto key : keys) {
    std::string_view name_view;
    int64_t count;
    HASHLAKE_RETURN_NOT_OK_JSON(key.get(name_view), "window state key");
    HASHLAKE_RETURN_NOT_OK_JSON((*count_it).get(count), "window state count");
    (*out)[std::string(name_view)] = count;
    ++count_it;
  }
  return arrow::Status::OK();
}

}  // namespace

std::string AreaHashtagKey(std::string_view country_code, std::string_view region,
                           std::string_view hashtag) {
  std::string key;
  key.reserve(country_code.size() + region.size() + hashtag.size() + 2);
  key.append(country_code).push_back(kUnitSeparator);
  key.append(region).push_back(kUnitSeparator);
  key.append(hashtag);
  return key;
}

AreaHashtag SplitAreaHashtagKey(std::string_view key) {
  const size_t first = key.find(kUnitSeparator);
  const size_t second = key.find(kUnitSeparator, first + 1);
  return {key.substr(0, first), key.substr(first + 1, second - first - 1), key.substr(second + 1)};
}

std::vector<ClosedWindow> MergeClosedWindows(
    const std::vector<const std::vector<ClosedWindow>*>& parts) {
  std::map<int64_t, ClosedWindow> merged;
  for (const auto* part : parts) {
    for (const auto& window : *part) {
      auto [it, fresh] = merged.try_emplace(ToMicros(window.start), window);
      if (fresh) continue;
      WindowAggregates& into = it->second.aggregates;
      into.posts += window.aggregates.posts;
      into.posts_with_area += window.aggregates.posts_with_area;
      for (const auto& [key, n] : window.aggregates.hashtags) into.hashtags[key] += n;
      for (const auto& [key, n] : window.aggregates.area_hashtags) into.area_hashtags[key] += n;
      for (const auto& [key, n] : window.aggregates.languages) into.languages[key] += n;
    }
  }
  std::vector<ClosedWindow> out;
  out.reserve(merged.size());
  for (auto& [start, window] : merged) out.push_back(std::move(window));
  return out;
}

WindowedAggregates::WindowedAggregates(SlidingWindows windows, Micros allowed_lateness)
    : windows_(windows),
      allowed_lateness_(allowed_lateness),
      max_event_time_(kBeginningOfTime),
      closed_before_(kBeginningOfTime) {}

bool WindowedAggregates::has_events() const { return max_event_time_ != kBeginningOfTime; }

Timestamp WindowedAggregates::Watermark() const {
  if (max_event_time_ == kBeginningOfTime) return Timestamp{};
  return max_event_time_ - allowed_lateness_;
}

std::size_t WindowedAggregates::state_keys() const {
  std::size_t keys = 0;
  for (const auto& [start, window] : open_) {
    keys += window.hashtags.size() + window.area_hashtags.size() + window.languages.size();
  }
  return keys;
}

bool WindowedAggregates::Add(const PostFacts& post) {
  bool late = false;
  const std::string_view lang = post.lang.empty() ? kUnknownLanguage : post.lang;
  const bool has_area = !post.country_code.empty();
  windows_.ForEachWindowOf(post.event_time, [&](Timestamp start) {
    if (start + windows_.length() <= closed_before_) {
      late = true;
      return;
    }
    WindowAggregates& window = open_[ToMicros(start)];
    ++window.posts;
    ++window.languages[std::string(lang)];
    if (has_area) ++window.posts_with_area;
    if (post.hashtags == nullptr) return;
    for (const auto& tag : *post.hashtags) {
      ++window.hashtags[tag];
      if (has_area) ++window.area_hashtags[AreaHashtagKey(post.country_code, post.region, tag)];
    }
  });
  max_event_time_ = std::max(max_event_time_, post.event_time);
  if (late) ++late_records_;
  return !late;
}

std::vector<ClosedWindow> WindowedAggregates::CloseUpTo(Timestamp watermark) {
  std::vector<ClosedWindow> closed;
  // Before any record there is no watermark: nothing may close (or later records be late).
  if (max_event_time_ == kBeginningOfTime || watermark <= closed_before_) return closed;
  closed_before_ = watermark;
  while (!open_.empty()) {
    auto it = open_.begin();
    const Timestamp start = FromMicros(it->first);
    const Timestamp end = start + windows_.length();
    if (end > closed_before_) break;
    closed.push_back({start, end, std::move(it->second)});
    open_.erase(it);
  }
  return closed;
}

std::string WindowedAggregates::Serialize() const {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("window_us");
  w.Int(windows_.length().count());
  w.Key("slide_us");
  w.Int(windows_.slide().count());
  w.Key("max_event_time");
  w.Int(ToMicros(max_event_time_));
  w.Key("closed_before");
  w.Int(ToMicros(closed_before_));
  w.Key("late_records");
  w.Int(late_records_);
  w.Key("open");
  w.BeginArray();
  for (const auto& [start, window] : open_) {
    w.BeginObject();
    w.Key("start");
    w.Int(start);
    w.Key("posts");
    w.Int(window.posts);
    w.Key("posts_with_area");
    w.Int(window.posts_with_area);
    WriteCounts(w, "hashtags", window.hashtags);
    WriteCounts(w, "area_hashtags", window.area_hashtags);
    WriteCounts(w, "languages", window.languages);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return out;
}

arrow::Result<WindowedAggregates> WindowedAggregates::Deserialize(std::string_view json,
                                                                  SlidingWindows windows,
                                                                  Micros allowed_lateness) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  HASHLAKE_RETURN_NOT_OK_JSON(parser.parse(json.data(), json.size()).get(doc),
                              "window state checkpoint");
  int64_t window_us, slide_us, max_event, closed_before, late;
  HASHLAKE_RETURN_NOT_OK_JSON(doc["window_us"].get(window_us), "window state 'window_us'");
  HASHLAKE_RETURN_NOT_OK_JSON(doc["slide_us"].get(slide_us), "window state 'slide_us'");
  if (window_us != windows.length().count() || slide_us != windows.slide().count()) {
    return arrow::Status::Invalid(
        "the checkpoint was written with stream.window = ", FormatDuration(Micros{window_us}),
        " and stream.slide = ", FormatDuration(Micros{slide_us}), ", now they are ",
        FormatDuration(windows.length()), " and ", FormatDuration(windows.slide()),
        ": use a new stream.app_id (or the old windows)");
  }
  HASHLAKE_RETURN_NOT_OK_JSON(doc["max_event_time"].get(max_event), "window state");
  HASHLAKE_RETURN_NOT_OK_JSON(doc["closed_before"].get(closed_before), "window state");
  HASHLAKE_RETURN_NOT_OK_JSON(doc["late_records"].get(late), "window state");
  WindowedAggregates state(windows, allowed_lateness);
  state.max_event_time_ = FromMicros(max_event);
  state.closed_before_ = FromMicros(closed_before);
  state.late_records_ = late;
  simdjson::dom::array open;
  HASHLAKE_RETURN_NOT_OK_JSON(doc["open"].get(open), "window state 'open'");
  for (auto entry : open) {
    int64_t start;
    HASHLAKE_RETURN_NOT_OK_JSON(entry["start"].get(start), "window state 'start'");
    WindowAggregates& window = state.open_[start];
    HASHLAKE_RETURN_NOT_OK_JSON(entry["posts"].get(window.posts), "window state 'posts'");
    HASHLAKE_RETURN_NOT_OK_JSON(entry["posts_with_area"].get(window.posts_with_area),
                                "window state 'posts_with_area'");
    ARROW_RETURN_NOT_OK(ReadCounts(entry, "hashtags", &window.hashtags));
    ARROW_RETURN_NOT_OK(ReadCounts(entry, "area_hashtags", &window.area_hashtags));
    ARROW_RETURN_NOT_OK(ReadCounts(entry, "languages", &window.languages));
  }
  return state;
}

}  // namespace hashlake::stream
