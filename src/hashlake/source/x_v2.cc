// X API v2: filtered-stream messages {data:{..},includes,matching_rules} and pages
// {data:[..],includes,meta,errors}. Authors and places are joined from `includes`.

#include <unordered_map>

#include "hashlake/source/formats_internal.h"
#include "hashlake/source/twitter_time.h"
#include "hashlake/text/extract.h"
#include "hashlake/text/html.h"
#include "hashlake/text/normalize.h"

namespace hashlake::source::internal {
namespace {

struct User {
  std::string username;
  std::string location;  // only with user.fields=location; free text, often empty
};

struct Includes {
  std::unordered_map<std::string, User> users;      // user id -> user
  std::unordered_map<std::string, Element> places;  // place id -> place
};

Includes ReadIncludes(Element e) {
  Includes inc;
  auto includes = Object(e, "includes");
  if (!includes) return inc;
  if (auto users = Array(*includes, "users")) {
    for (Element u : *users) {
      inc.users[IdStr(u, "id")] = {std::string(Str(u, "username")),
                                   std::string(Str(u, "location"))};
    }
  }
  if (auto places = Array(*includes, "places")) {
    for (Element p : *places) inc.places[IdStr(p, "id")] = p;
  }
  return inc;
}

void DecodeTweet(Element t, const Includes& inc, DecodeContext* ctx) {
  Post post;
  post.source = SourceKind::kX;
  post.id = IdStr(t, "id");
  if (post.id.empty()) {
    ctx->Reject("X v2 tweet without id", Minified(t));
    return;
  }
  if (!Field(t, "text")) {  // e.g. a stream rule or a user: `data` is not always tweets
    ctx->Reject("X v2 data item " + post.id + " has no text: keys " + KeyList(t), Minified(t));
    return;
  }
  const std::string_view created_at = Str(t, "created_at");
  if (!created_at.empty()) {
    const auto created = ParseRfc3339(created_at);
    if (!created.ok()) {
      ctx->Reject("X v2 tweet " + post.id + ": " + created.status().message(), Minified(t));
      return;
    }
    post.created_at = *created;
  } else if (auto from_id = SnowflakeTime(post.id)) {
    // Responses made without tweet.fields=created_at still date every tweet by its id.
    post.created_at = *from_id;
  } else {
    ctx->Reject("missing created_at in X v2 tweet " + post.id, Minified(t));
    return;
  }
  post.author_id = IdStr(t, "author_id");
  if (auto it = inc.users.find(post.author_id); it != inc.users.end()) {
    post.author_handle = it->second.username;
    post.author_location = it->second.location;
  }
  post.lang = std::string(Str(t, "lang"));
  post.text = text::DecodeHtmlEntities(Str(t, "text"));  // v2 escapes &, < and > too
  if (auto note = Object(t, "note_tweet"); note && !Str(*note, "text").empty()) {
    post.text = text::DecodeHtmlEntities(Str(*note, "text"));  // long posts
  }
  if (auto entities = Object(t, "entities")) {
    if (auto tags = Array(*entities, "hashtags")) {
      for (Element h : *tags) post.hashtags.push_back(text::NormalizeHashtag(Str(h, "tag")));
    }
    if (auto mentions = Array(*entities, "mentions")) {
      for (Element m : *mentions) post.mentions.emplace_back(Str(m, "username"));
    }
    if (auto urls = Array(*entities, "urls")) {
      for (Element u : *urls) {
        const std::string_view expanded = Str(u, "expanded_url");
        post.urls.emplace_back(expanded.empty() ? Str(u, "url") : expanded);
      }
    }
  } else {
    // Without tweet.fields=entities the text is all there is.
    post.hashtags = text::ExtractHashtags(post.text);
    post.mentions = text::ExtractMentions(post.text);
    post.urls = text::ExtractUrls(post.text);
  }
  if (auto refs = Array(t, "referenced_tweets")) {
    for (Element r : *refs) {
      const std::string_view type = Str(r, "type");
      if (type == "replied_to") post.reply_to = IdStr(r, "id");
      if (type == "retweeted") post.repost_of = IdStr(r, "id");
    }
  }
  if (auto metrics = Object(t, "public_metrics")) {
    post.like_count = Int(*metrics, "like_count");
    post.repost_count = Int(*metrics, "retweet_count");
  }
  if (auto geo = Object(t, "geo")) {
    if (auto point = Object(*geo, "coordinates")) {
      auto xy = Array(*point, "coordinates");  // GeoJSON: [lon, lat]
      if (xy && xy->size() >= 2) {
        auto lon = Number(xy->at(0).value_unsafe());
        auto lat = Number(xy->at(1).value_unsafe());
        if (lat && lon && *lat >= -90 && *lat <= 90 && *lon >= -180 && *lon <= 180) {
          post.lat = *lat;
          post.lon = *lon;
          post.geo_source = GeoSource::kCoordinates;
        }
      }
    }
    const std::string place_id = IdStr(*geo, "place_id");
    if (auto it = inc.places.find(place_id); !place_id.empty() && it != inc.places.end()) {
      const Element place = it->second;
      post.country_code = std::string(Str(place, "country_code"));
      post.place_name = std::string(Str(place, "full_name"));
      if (post.geo_source == GeoSource::kNone) {
        post.geo_source = GeoSource::kPlace;
        auto pgeo = Object(place, "geo");
        auto bbox = pgeo ? Array(*pgeo, "bbox") : std::nullopt;  // [west, south, east, north]
        if (bbox && bbox->size() == 4) {
          auto w = Number(bbox->at(0).value_unsafe()), s = Number(bbox->at(1).value_unsafe());
          auto e = Number(bbox->at(2).value_unsafe()), n = Number(bbox->at(3).value_unsafe());
          if (w && s && e && n) {
            post.lat = (*s + *n) / 2;
            post.lon = (*w + *e) / 2;
          }
        }
      }
    }
  }
  Dedup(&post.hashtags);
  Dedup(&post.mentions);
  Dedup(&post.urls);
  ctx->Emit(std::move(post));
}

}  // namespace

bool IsXV2(Element e) {
  if (!e.is_object()) return false;
  auto data = Field(e, "data");
  if (data) return data->is_object() || data->is_array();
  // A page with no results, or an in-stream error message.
  return Field(e, "meta") || Field(e, "errors");
}

void DecodeXV2(Element e, DecodeContext* ctx) {
  auto data = Field(e, "data");
  if (!data) {
    ctx->Skip();  // {"errors":[...]} (e.g. operational-disconnect) or an empty page
    return;
  }
  const Includes inc = ReadIncludes(e);
  if (data->is_object()) {
    DecodeTweet(*data, inc, ctx);
    return;
  }
  simdjson::dom::array tweets;
  if (data->get_array().get(tweets) != simdjson::SUCCESS) return;
  for (Element t : tweets) {
    if (!t.is_object()) {
      ctx->Reject("X v2 data[] item is not an object", Minified(t));
      continue;
    }
    DecodeTweet(t, inc, ctx);
  }
}

}  // namespace hashlake::source::internal
