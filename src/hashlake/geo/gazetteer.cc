#include "hashlake/geo/gazetteer.h"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "hashlake/geo/built_in_data.h"
#include "hashlake/geo/match_key.h"

namespace hashlake::geo {
namespace {

// Aliases are hand-picked (tools/aliases.json): they outrank any GeoNames place.
constexpr int32_t kAliasProminence = 1'000'000;
constexpr int kMaxNgramWords = 3;

using Code = std::array<char, 2>;  // "FR"; a US state code for Place::state, or "\0\0"

Code ToCode(std::string_view s) {
  Code c{};
  if (s.size() == 2) c = {s[0], s[1]};
  return c;
}
bool IsEmpty(Code c) { return c[0] == 0; }
std::string ToString(Code c) { return IsEmpty(c) ? std::string() : std::string(c.data(), 2); }

struct Place {
  Code country{};
  Code state{};  // US only
  int32_t prominence = 0;
};

// One reading of a hint segment: a country, and for the US maybe a state.
struct Reading {
  Code country{};
  Code state{};
};
// "Georgia": GE, or US-GA; "CA": US-CA, or Canada.
struct Hint {
  std::vector<Reading> readings;
  bool empty() const { return readings.empty(); }
};

bool Satisfies(const Place& p, const Hint& hint) {
  for (const Reading& r : hint.readings) {
    if (r.country == p.country && (IsEmpty(r.state) || r.state == p.state)) return true;
  }
  return false;
}

Area ToArea(Code country, Code state) {
  Area a;
  a.country_code = ToString(country);
  if (!IsEmpty(state)) a.region = "US-" + ToString(state);
  return a;
}

// Cuts at , / | ; ( ) line breaks, and • · 、 ， – — and " - ".
std::vector<std::string_view> Segments(std::string_view text) {
  static constexpr std::string_view kMultiByte[] = {"\u2022", "\u00b7", "\u3001", "\uff0c",
                                                    "\u2013", "\u2014", " - "};
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i <= text.size();) {
    size_t cut = 0;
    if (i == text.size() ||
        std::string_view(",/|;()\n\r\t").find(text[i]) != std::string_view::npos) {
      cut = 1;
    } else {
      for (std::string_view d : kMultiByte) {
        if (text.substr(i, d.size()) == d) {
          cut = d.size();
          break;
        }
      }
    }
    if (cut == 0) {
      ++i;
      continue;
    }
    std::string_view s = text.substr(start, i - start);
    while (!s.empty() && (s.front() == ' ')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ')) s.remove_suffix(1);
    if (!s.empty()) out.push_back(s);
    i += cut;
    start = i;
  }
  return out;
}

// Flag emoji are two regional indicators (U+1F1E6..U+1F1FF, UTF-8 F0 9F 87 A6..BF).
std::vector<Code> FlagCountries(std::string_view text) {
  std::vector<Code> out;
  for (size_t i = 0; i + 8 <= text.size(); ++i) {
    auto indicator = [&](size_t at) -> int {
      const auto* b = reinterpret_cast<const unsigned char*>(text.data() + at);
      if (b[0] == 0xF0 && b[1] == 0x9F && b[2] == 0x87 && b[3] >= 0xA6 && b[3] <= 0xBF) {
        return b[3] - 0xA6;
      }
      return -1;
    };
    const int a = indicator(i), b = indicator(i + 4);
    if (a >= 0 && b >= 0) {
      out.push_back(Code{static_cast<char>('A' + a), static_cast<char>('A' + b)});
      i += 7;
    }
  }
  return out;
}

bool IsUpperPair(std::string_view s) {
  return s.size() == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
}

}  // namespace

struct Gazetteer::Impl {
  std::unordered_map<std::string, std::vector<Place>> places;
  std::unordered_map<std::string, Code> countries;  // ambiguous names removed
  std::unordered_map<std::string, Code> us_states;  // "california" -> CA
  std::unordered_map<std::string, Code> admin1;     // region name -> country
  std::unordered_set<std::string> alpha2;           // every ISO 3166-1 code
  std::unordered_set<std::string> state_codes;      // "CA", "TX", ...

  // What one segment (or n-gram) says: a hint, or candidate places.
  struct SegmentReading {
    Hint hint;
    const std::vector<Place>* places = nullptr;
  };

  /// `key` is MatchKey(segment), which the caller has at hand.
  SegmentReading Read(std::string_view segment, const std::string& key, bool later_segment,
                      bool ngram) const;
  std::optional<Area> Resolve(std::string_view text, const Hint* external) const;
};

Gazetteer::Impl::SegmentReading Gazetteer::Impl::Read(std::string_view segment,
                                                      const std::string& key, bool later_segment,
                                                      bool ngram) const {
  SegmentReading out;
  // "Austin, TX" / "Toronto, CA": a capitalised pair after the first segment is a US
  // state or a country code; which one is decided by the place it goes with.
  auto& readings = out.hint.readings;
  if (later_segment && IsUpperPair(segment)) {
    if (state_codes.count(std::string(segment)))
      readings.push_back({ToCode("US"), ToCode(segment)});
    if (alpha2.count(std::string(segment))) readings.push_back({ToCode(segment), Code{}});
    if (!readings.empty()) return out;
  }
  if (key.empty()) return out;
  if (auto it = countries.find(key); it != countries.end())
    readings.push_back({it->second, Code{}});
  if (auto it = us_states.find(key); it != us_states.end()) {
    readings.push_back({ToCode("US"), it->second});
  }
  if (!readings.empty()) return out;
  auto place = places.find(key);
  if (ngram) {
    // Words inside a longer text are only trusted for the hand-picked aliases: GeoNames
    // has a village for almost every word ("Over", "Rainbow").
    if (place != places.end() &&
        std::any_of(place->second.begin(), place->second.end(),
                    [](const Place& p) { return p.prominence >= kAliasProminence; })) {
      out.places = &place->second;
    }
    return out;
  }
  if (later_segment) {
    // "Lombardy", "Ontario": a region name. A place name after the first one
    // ("Milano, Lombardia": a Lombardia in Mexico) says nothing reliable: ignored.
    if (auto it = admin1.find(key); it != admin1.end()) readings.push_back({it->second, Code{}});
    return out;
  }
  if (place != places.end()) {
    out.places = &place->second;
    return out;
  }
  if (auto it = admin1.find(key); it != admin1.end()) readings.push_back({it->second, Code{}});
  return out;
}

std::optional<Area> Gazetteer::Impl::Resolve(std::string_view text, const Hint* external) const {
  std::vector<Hint> hints;
  for (Code flag : FlagCountries(text)) hints.push_back(Hint{{{flag, Code{}}}});
  const std::vector<Place>* candidates = nullptr;
  const std::vector<std::string_view> segments = Segments(text);
  bool any = false;
  for (size_t i = 0; i < segments.size(); ++i) {
    SegmentReading r = Read(segments[i], MatchKey(segments[i]), i > 0, /*ngram=*/false);
    if (r.places && !candidates) {
      candidates = r.places;  // the first place named is the one meant
      r.hint = {};
    }
    if (!r.hint.empty()) hints.push_back(std::move(r.hint));
    any |= r.places || !hints.empty();
  }
  if (!any) {
    // "living in Berlin", "Greater Manchester area": runs of up to three words.
    for (std::string_view segment : segments) {
      std::vector<std::string_view> words;
      for (size_t s = 0; s < segment.size();) {
        size_t e = segment.find_first_of(" -.", s);  // "London-UK", "Leeds. UK"
        if (e == std::string_view::npos) e = segment.size();
        if (e > s) words.push_back(segment.substr(s, e - s));
        s = e + 1;
      }
      for (size_t w = 0; w < words.size();) {
        size_t taken = 0;
        for (size_t n = std::min<size_t>(kMaxNgramWords, words.size() - w); n >= 1 && !taken; --n) {
          const std::string_view run(
              words[w].data(), words[w + n - 1].data() + words[w + n - 1].size() - words[w].data());
          // Short words ("in", "de") are only codes when written in capitals ("UK").
          const bool capitals = run.size() <= 3 && std::all_of(run.begin(), run.end(), [](char c) {
                                  return c >= 'A' && c <= 'Z';
                                });
          const std::string key = MatchKey(run);
          if (key.size() < 4 && !capitals) continue;
          SegmentReading r = Read(run, key, /*later_segment=*/false, /*ngram=*/true);
          if (!r.hint.empty()) hints.push_back(std::move(r.hint));
          if (r.places && !candidates) candidates = r.places;
          if (!r.hint.empty() || r.places) taken = n;
        }
        w += taken ? taken : 1;
      }
    }
  }
  if (external) hints.push_back(*external);

  if (candidates) {
    const Place* best = nullptr;
    size_t best_score = 0;
    for (const Place& p : *candidates) {
      size_t score = 0;
      for (const Hint& h : hints) score += Satisfies(p, h);
      if (!best || score > best_score || (score == best_score && p.prominence > best->prominence)) {
        best = &p;
        best_score = score;
      }
    }
    // A bare name: prominent, or unambiguous (one country) and not an isolated hamlet.
    const bool one_country =
        std::all_of(candidates->begin(), candidates->end(),
                    [&](const Place& p) { return p.country == best->country; });
    if (best_score > 0 ||
        (hints.empty() && (best->prominence >= kMinProminence ||
                           (one_country && best->prominence >= kMinUniqueProminence)))) {
      return ToArea(best->country, best->state);
    }
  }
  if (external) hints.pop_back();  // the caller's country alone names nothing
  if (hints.empty()) return std::nullopt;
  // Hints alone: the first one, in the reading that the other hints agree with.
  const Hint& first = hints.front();
  for (const Reading& r : first.readings) {
    Place as_place{r.country, r.state, 0};
    for (size_t j = 1; j < hints.size(); ++j) {
      if (Satisfies(as_place, hints[j])) return ToArea(r.country, r.state);
    }
  }
  return ToArea(first.readings.front().country, first.readings.front().state);
}

Gazetteer::Gazetteer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Gazetteer::~Gazetteer() = default;

arrow::Result<std::shared_ptr<const Gazetteer>> Gazetteer::LoadBuiltIn() {
  ARROW_ASSIGN_OR_RAISE(auto doc, internal::ParseBuiltInGeoData());
  return FromBuiltInDocument(*doc);
}

arrow::Result<std::shared_ptr<const Gazetteer>> Gazetteer::FromBuiltInDocument(
    const internal::BuiltInGeoDocument& built_in) {
  const simdjson::dom::element doc = built_in.root;
  auto malformed = [](const char* what) {
    return arrow::Status::Invalid("geo: malformed '", what, "' in the built-in data");
  };
  auto impl = std::make_unique<Impl>();
  simdjson::dom::array rows;
  if (doc["cities"].get_array().get(rows) != simdjson::SUCCESS) return malformed("cities");
  for (simdjson::dom::element row : rows) {
    std::string_view name, country, state;
    int64_t prominence;
    if (row.at(0).get_string().get(name) || row.at(1).get_string().get(country) ||
        row.at(2).get_string().get(state) || row.at(3).get_int64().get(prominence)) {
      return malformed("cities");
    }
    std::string key = MatchKey(name);
    if (key.empty()) continue;
    impl->places[std::move(key)].push_back(
        Place{ToCode(country), ToCode(state), static_cast<int32_t>(prominence)});
  }
  simdjson::dom::object aliases;
  if (doc["places"].get_object().get(aliases) != simdjson::SUCCESS) return malformed("places");
  for (auto [name, value] : aliases) {
    std::string_view country, region;
    if (value.at(0).get_string().get(country) || value.at(1).get_string().get(region)) {
      return malformed("places");
    }
    const std::string_view state = region.size() == 5 ? region.substr(3) : std::string_view();
    impl->places[MatchKey(name)].push_back(Place{ToCode(country), ToCode(state), kAliasProminence});
  }

  // Names that mean two countries (e.g. "Congo") are dropped: Code{} marks them.
  if (doc["countries"].get_array().get(rows) != simdjson::SUCCESS) return malformed("countries");
  for (simdjson::dom::element row : rows) {
    std::string_view name, codes;
    if (row.at(0).get_string().get(name) || row.at(1).get_string().get(codes)) {
      return malformed("countries");
    }
    const Code code = codes.size() == 2 ? ToCode(codes) : Code{};
    if (codes.size() == 2) impl->alpha2.emplace(codes);
    std::string key = MatchKey(name);
    if (key.empty()) continue;
    auto [it, inserted] = impl->countries.emplace(std::move(key), code);
    if (!inserted && it->second != code) it->second = Code{};
  }
  std::erase_if(impl->countries, [](const auto& kv) { return IsEmpty(kv.second); });

  if (doc["admin1"].get_array().get(rows) != simdjson::SUCCESS) return malformed("admin1");
  for (simdjson::dom::element row : rows) {
    std::string_view name, country;
    if (row.at(0).get_string().get(name) || row.at(1).get_string().get(country)) {
      return malformed("admin1");
    }
    std::string key = MatchKey(name);
    if (key.empty()) continue;
    auto [it, inserted] = impl->admin1.emplace(std::move(key), ToCode(country));
    if (!inserted && it->second != ToCode(country)) it->second = Code{};
  }
  std::erase_if(impl->admin1, [](const auto& kv) { return IsEmpty(kv.second); });

  if (doc["us_states"].get_array().get(rows) != simdjson::SUCCESS) return malformed("us_states");
  for (simdjson::dom::element row : rows) {
    std::string_view code, name;
    if (row.at(0).get_string().get(code) || row.at(1).get_string().get(name)) {
      return malformed("us_states");
    }
    impl->state_codes.emplace(code);
    if (!name.empty()) impl->us_states.emplace(MatchKey(name), ToCode(code));
  }
  return std::shared_ptr<const Gazetteer>(new Gazetteer(std::move(impl)));
}

std::optional<Area> Gazetteer::Match(std::string_view location) const {
  return impl_->Resolve(location, nullptr);
}

std::optional<Area> Gazetteer::MatchInCountry(std::string_view location,
                                              std::string_view country_code) const {
  const Hint hint{{{ToCode(country_code), Code{}}}};
  return impl_->Resolve(location, &hint);
}

}  // namespace hashlake::geo
