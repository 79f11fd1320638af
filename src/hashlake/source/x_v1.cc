// X API v1.1 statuses and Gnip Activity Streams activities.

#include <algorithm>

#include "hashlake/source/formats_internal.h"
#include "hashlake/source/twitter_time.h"
#include "hashlake/text/extract.h"
#include "hashlake/text/html.h"
#include "hashlake/text/normalize.h"

namespace hashlake::source::internal {

void Dedup(std::vector<std::string>* values) {
  std::vector<std::string> out;
  out.reserve(values->size());
  for (std::string& v : *values) {
    if (v.empty()) continue;
    if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(std::move(v));
  }
  *values = std::move(out);
}

namespace {

// Center of a GeoJSON-ish polygon ([[[lon,lat],...]]), the place's location on a map.
bool BoxCenter(Element polygon_coordinates, double* lat, double* lon) {
  simdjson::dom::array rings;
  if (polygon_coordinates.get_array().get(rings) != simdjson::SUCCESS) return false;
  double min_lat = 91, max_lat = -91, min_lon = 181, max_lon = -181;
  bool any = false;
  for (Element ring : rings) {
    simdjson::dom::array points;
    if (ring.get_array().get(points) != simdjson::SUCCESS) continue;
    for (Element point : points) {
      simdjson::dom::array xy;
      if (point.get_array().get(xy) != simdjson::SUCCESS || xy.size() < 2) continue;
      auto x = Number(xy.at(0).value_unsafe());
      auto y = Number(xy.at(1).value_unsafe());
      if (!x || !y) continue;
      min_lon = std::min(min_lon, *x);
      max_lon = std::max(max_lon, *x);
      min_lat = std::min(min_lat, *y);
      max_lat = std::max(max_lat, *y);
      any = true;
    }
  }
  if (!any) return false;
  *lat = (min_lat + max_lat) / 2;
  *lon = (min_lon + max_lon) / 2;
  return true;
}

// A GeoJSON Point; `lon_first` is true for GeoJSON (`coordinates`), false for the
// legacy v1.1 `geo` and Activity Streams `geo` fields, which give [lat, lon].
bool ReadPoint(std::optional<Element> point, bool lon_first, double* lat, double* lon) {
  if (!point) return false;
  auto coordinates = Array(*point, "coordinates");
  if (!coordinates || coordinates->size() < 2) return false;
  auto a = Number(coordinates->at(0).value_unsafe());
  auto b = Number(coordinates->at(1).value_unsafe());
  if (!a || !b) return false;
  *lat = lon_first ? *b : *a;
  *lon = lon_first ? *a : *b;
  return *lat >= -90 && *lat <= 90 && *lon >= -180 && *lon <= 180;
}

void ReadV1Entities(std::optional<Element> entities, Post* post) {
  if (!entities) {
    post->hashtags = text::ExtractHashtags(post->text);
    post->mentions = text::ExtractMentions(post->text);
    post->urls = text::ExtractUrls(post->text);
    return;
  }
  if (auto tags = Array(*entities, "hashtags")) {
    for (Element t : *tags) post->hashtags.push_back(text::NormalizeHashtag(Str(t, "text")));
  }
  if (auto mentions = Array(*entities, "user_mentions")) {
    for (Element m : *mentions) post->mentions.emplace_back(Str(m, "screen_name"));
  }
  if (auto urls = Array(*entities, "urls")) {
    for (Element u : *urls) {
      std::string_view expanded = Str(u, "expanded_url");
      post->urls.emplace_back(expanded.empty() ? Str(u, "url") : expanded);
    }
  }
}

}  // namespace

bool IsXV1Status(Element e) {
  return Field(e, "created_at") && (Field(e, "id_str") || Field(e, "id")) &&
         (Field(e, "text") || Field(e, "full_text")) && Object(e, "user");
}

void DecodeXV1Status(Element e, DecodeContext* ctx) {
  Post post;
  post.source = SourceKind::kX;
  post.id = IdStr(e, "id_str");
  if (post.id.empty()) post.id = IdStr(e, "id");
  const auto created = ParseTwitterDate(Str(e, "created_at"));
  if (!created.ok()) {
    ctx->Reject("X v1.1 status " + post.id + ": " + created.status().message(), Minified(e));
    return;
  }
  post.created_at = *created;
  const Element user = *Object(e, "user");
  post.author_id = IdStr(user, "id_str");
  if (post.author_id.empty()) post.author_id = IdStr(user, "id");
  post.author_handle = std::string(Str(user, "screen_name"));
  post.author_location = std::string(Str(user, "location"));  // free text, may be empty
  post.lang = std::string(Str(e, "lang"));

  // Long tweets: `full_text` (tweet_mode=extended) or `extended_tweet` (streaming).
  std::optional<Element> entities = Object(e, "entities");
  std::string_view raw_text = Str(e, "full_text");
  if (auto extended = Object(e, "extended_tweet")) {
    if (!Str(*extended, "full_text").empty()) {
      raw_text = Str(*extended, "full_text");
      if (auto ext_entities = Object(*extended, "entities")) entities = ext_entities;
    }
  }
  if (raw_text.empty()) raw_text = Str(e, "text");
  post.text = text::DecodeHtmlEntities(raw_text);  // v1.1 escapes &, < and >
  ReadV1Entities(entities, &post);

  post.reply_to = IdStr(e, "in_reply_to_status_id_str");
  if (post.reply_to.empty()) post.reply_to = IdStr(e, "in_reply_to_status_id");
  if (auto retweeted = Object(e, "retweeted_status")) {
    post.repost_of = IdStr(*retweeted, "id_str");
    if (post.repost_of.empty()) post.repost_of = IdStr(*retweeted, "id");
  }
  post.like_count = Int(e, "favorite_count");
  post.repost_count = Int(e, "retweet_count");

  double lat = 0, lon = 0;
  if (ReadPoint(Object(e, "coordinates"), /*lon_first=*/true, &lat, &lon) ||
      ReadPoint(Object(e, "geo"), /*lon_first=*/false, &lat, &lon)) {
    post.lat = lat;
    post.lon = lon;
    post.geo_source = GeoSource::kCoordinates;
  }
  if (auto place = Object(e, "place")) {
    post.country_code = std::string(Str(*place, "country_code"));
    post.place_name = std::string(Str(*place, "full_name"));
    if (post.geo_source == GeoSource::kNone &&
        (!post.country_code.empty() || !post.place_name.empty())) {
      post.geo_source = GeoSource::kPlace;
      if (auto box = Object(*place, "bounding_box")) {
        if (auto coords = Field(*box, "coordinates"); coords && BoxCenter(*coords, &lat, &lon)) {
          post.lat = lat;
          post.lon = lon;
        }
      }
    }
  }
  Dedup(&post.hashtags);
  Dedup(&post.mentions);
  Dedup(&post.urls);
  ctx->Emit(std::move(post));
}

bool IsActivityStreams(Element e) {
  return Field(e, "verb") && Object(e, "actor") && Field(e, "postedTime") && Field(e, "id");
}

void DecodeActivityStreams(Element e, DecodeContext* ctx) {
  const std::string_view verb = Str(e, "verb");
  if (verb != "post" && verb != "share") {  // e.g. "delete", compliance activities
    ctx->Skip();
    return;
  }
  // Ids look like "tag:search.twitter.com,2005:887453193294282752".
  auto tail_id = [](std::string_view id) {
    const auto colon = id.rfind(':');
    return std::string(colon == std::string_view::npos ? id : id.substr(colon + 1));
  };
  Post post;
  post.source = SourceKind::kX;
  post.id = tail_id(Str(e, "id"));
  const auto created = ParseRfc3339(Str(e, "postedTime"));
  if (!created.ok()) {
    ctx->Reject("Activity Streams " + post.id + ": " + created.status().message(), Minified(e));
    return;
  }
  post.created_at = *created;
  const Element actor = *Object(e, "actor");
  post.author_id = tail_id(Str(actor, "id"));
  post.author_handle = std::string(Str(actor, "preferredUsername"));
  if (auto location = Object(actor, "location")) {  // {"objectType":"place","displayName":..}
    post.author_location = std::string(Str(*location, "displayName"));
  }
  post.lang = std::string(Str(e, "twitter_lang"));
  std::string_view body = Str(e, "body");
  std::optional<Element> entities = Object(e, "twitter_entities");
  if (auto long_object = Object(e, "long_object")) {
    if (!Str(*long_object, "body").empty()) {
      body = Str(*long_object, "body");
      if (auto long_entities = Object(*long_object, "twitter_entities")) entities = long_entities;
    }
  }
  post.text = text::DecodeHtmlEntities(body);
  ReadV1Entities(entities, &post);
  if (verb == "share") {
    if (auto object = Object(e, "object")) post.repost_of = tail_id(Str(*object, "id"));
  }
  if (auto reply = Object(e, "inReplyTo")) {
    const std::string_view link = Str(*reply, "link");  // ".../statuses/<id>"
    const auto slash = link.rfind('/');
    if (slash != std::string_view::npos) post.reply_to = std::string(link.substr(slash + 1));
  }
  post.like_count = Int(e, "favoritesCount");
  post.repost_count = Int(e, "retweetCount");
  double lat = 0, lon = 0;
  if (ReadPoint(Object(e, "geo"), /*lon_first=*/false, &lat, &lon)) {
    post.lat = lat;
    post.lon = lon;
    post.geo_source = GeoSource::kCoordinates;
  }
  if (auto location = Object(e, "location")) {
    post.country_code = std::string(Str(*location, "twitter_country_code"));
    post.place_name = std::string(Str(*location, "displayName"));
    if (post.geo_source == GeoSource::kNone &&
        (!post.country_code.empty() || !post.place_name.empty())) {
      post.geo_source = GeoSource::kPlace;
      if (auto geo = Object(*location, "geo")) {
        if (auto coords = Field(*geo, "coordinates"); coords && BoxCenter(*coords, &lat, &lon)) {
          post.lat = lat;
          post.lon = lon;
        }
      }
    }
  }
  Dedup(&post.hashtags);
  Dedup(&post.mentions);
  Dedup(&post.urls);
  ctx->Emit(std::move(post));
}

}  // namespace hashlake::source::internal
