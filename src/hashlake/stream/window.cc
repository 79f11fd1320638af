#include "hashlake/stream/window.h"

#include <algorithm>

#include <simdjson.h>

#include "hashlake/core/json_writer.h"
#include "hashlake/core/simdjson_status.h"

namespace hashlake::stream {

Timestamp TumblingWindows::StartOf(Timestamp t) const {
  const int64_t us = ToMicros(t);
  const int64_t len = length_.count();
  // Floor division, so that instants before the epoch land in the right window too.
  int64_t start = us / len * len;
  if (us < 0 && start != us) start -= len;
  return FromMicros(start);
}

WindowedHashtagCounts::WindowedHashtagCounts(Micros window, Micros allowed_lateness)
    : windows_(window), allowed_lateness_(allowed_lateness) {}

Timestamp WindowedHashtagCounts::Watermark() const {
  if (max_event_time_ == Timestamp{}) return Timestamp{};
  return max_event_time_ - allowed_lateness_;
}

bool WindowedHashtagCounts::Add(Timestamp event_time, const std::vector<std::string>& hashtags) {
  const Timestamp start = windows_.StartOf(event_time);
  if (closed_before_ != Timestamp{} && start + windows_.length() <= closed_before_) {
    ++late_records_;
    return false;
  }
  max_event_time_ = std::max(max_event_time_, event_time);
  if (hashtags.empty()) return true;
  auto& counts = open_[ToMicros(start)];
  for (const auto& tag : hashtags) ++counts[tag];
  return true;
}

std::vector<WindowCount> WindowedHashtagCounts::CloseUpTo(Timestamp watermark) {
  std::vector<WindowCount> rows;
  if (watermark <= closed_before_) return rows;
  // Only whole windows close: advance to the start of the window holding the watermark.
  closed_before_ = windows_.StartOf(watermark);
  while (!open_.empty()) {
    auto it = open_.begin();
    const Timestamp start = FromMicros(it->first);
    const Timestamp end = start + windows_.length();
    if (end > closed_before_) break;
    const size_t first = rows.size();
    for (auto& [tag, count] : it->second) rows.push_back({start, end, tag, count});
    std::sort(rows.begin() + static_cast<std::ptrdiff_t>(first), rows.end(),
              [](const WindowCount& a, const WindowCount& b) {
                return a.count != b.count ? a.count > b.count : a.hashtag < b.hashtag;
              });
    open_.erase(it);
  }
  return rows;
}

std::string WindowedHashtagCounts::Serialize() const {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("window_us");
  w.Int(windows_.length().count());
  w.Key("max_event_time");
  w.Int(ToMicros(max_event_time_));
  w.Key("closed_before");
  w.Int(ToMicros(closed_before_));
  w.Key("late_records");
  w.Int(late_records_);
  w.Key("open");
  w.BeginArray();
  for (const auto& [start, counts] : open_) {
    // Sorted so that the same state always serializes to the same bytes.
    std::vector<std::pair<std::string, int64_t>> sorted(counts.begin(), counts.end());
    std::sort(sorted.begin(), sorted.end());
    w.BeginObject();
    w.Key("start");
    w.Int(start);
    w.Key("tags");
    w.BeginArray();
    for (const auto& [tag, count] : sorted) w.String(tag);
    w.EndArray();
    w.Key("counts");
    w.BeginArray();
    for (const auto& [tag, count] : sorted) w.Int(count);
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return out;
}

arrow::Result<WindowedHashtagCounts> WindowedHashtagCounts::Deserialize(std::string_view json,
                                                                        Micros window,
                                                                        Micros allowed_lateness) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  HASHLAKE_RETURN_NOT_OK_JSON(parser.parse(json.data(), json.size()).get(doc),
                              "window state checkpoint");
  WindowedHashtagCounts state(window, allowed_lateness);
  int64_t window_us, max_event, closed_before, late;
  HASHLAKE_RETURN_NOT_OK_JSON(doc["window_us"].get(window_us), "window state 'window_us'");
  if (window_us != window.count()) {
    return arrow::Status::Invalid("the checkpoint was written with stream.window = ",
                                  FormatDuration(Micros{window_us}), ", now it is ",
                                  FormatDuration(window),
                                  ": use a new stream.app_id (or the old window)");
  }
  HASHLAKE_RETURN_NOT_OK_JSON(doc["max_event_time"].get(max_event), "window state");
  HASHLAKE_RETURN_NOT_OK_JSON(doc["closed_before"].get(closed_before), "window state");
  HASHLAKE_RETURN_NOT_OK_JSON(doc["late_records"].get(late), "window state");
  state.max_event_time_ = FromMicros(max_event);
  state.closed_before_ = FromMicros(closed_before);
  state.late_records_ = late;
  simdjson::dom::array open;
  HASHLAKE_RETURN_NOT_OK_JSON(doc["open"].get(open), "window state 'open'");
  for (auto entry : open) {
    int64_t start;
    simdjson::dom::array tags, counts;
    HASHLAKE_RETURN_NOT_OK_JSON(entry["start"].get(start), "window state 'start'");
    HASHLAKE_RETURN_NOT_OK_JSON(entry["tags"].get(tags), "window state 'tags'");
    HASHLAKE_RETURN_NOT_OK_JSON(entry["counts"].get(counts), "window state 'counts'");
    if (tags.size() != counts.size()) return arrow::Status::Invalid("window state: ragged window");
    auto& window_counts = state.open_[start];
    auto count_it = counts.begin();
    for (auto tag : tags) {
      std::string_view name;
      int64_t count;
      HASHLAKE_RETURN_NOT_OK_JSON(tag.get(name), "window state tag");
      HASHLAKE_RETURN_NOT_OK_JSON((*count_it).get(count), "window state count");
      window_counts[std::string(name)] = count;
      ++count_it;
    }
  }
  return state;
}

}  // namespace hashlake::stream
