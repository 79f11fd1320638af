#include "hashlake/core/post.h"

#include <simdjson.h>

#include "hashlake/core/json_writer.h"
#include "hashlake/core/simdjson_status.h"

namespace hashlake {
namespace {

constexpr std::string_view kSourceNames[] = {"x", "bluesky", "mastodon", "replay", "synth"};
constexpr std::string_view kGeoNames[] = {"none", "coordinates", "place", "profile"};

void WriteStringArray(JsonWriter& w, std::string_view key, const std::vector<std::string>& v) {
  w.Key(key);
  w.BeginArray();
  for (const auto& s : v) w.String(s);
  w.EndArray();
}

void WriteNonEmpty(JsonWriter& w, std::string_view key, const std::string& value) {
  if (value.empty()) return;
  w.Key(key);
  w.String(value);
}

arrow::Status ReadStringArray(simdjson::ondemand::value value, std::vector<std::string>* out) {
  simdjson::ondemand::array array;
  HASHLAKE_RETURN_NOT_OK_JSON(value.get_array().get(array), "expected an array of strings");
  for (auto element : array) {
    std::string_view s;
    HASHLAKE_RETURN_NOT_OK_JSON(element.get_string().get(s), "expected an array of strings");
    out->emplace_back(s);
  }
  return arrow::Status::OK();
}

}  // namespace

std::string_view ToString(SourceKind kind) { return kSourceNames[static_cast<int>(kind)]; }
std::string_view ToString(GeoSource geo) { return kGeoNames[static_cast<int>(geo)]; }

arrow::Result<SourceKind> ParseSourceKind(std::string_view name) {
  for (size_t i = 0; i < std::size(kSourceNames); ++i) {
    if (kSourceNames[i] == name) return static_cast<SourceKind>(i);
  }
  return arrow::Status::Invalid("unknown source '", name,
                                "' (allowed: x, bluesky, mastodon, replay, synth)");
}

arrow::Result<GeoSource> ParseGeoSource(std::string_view name) {
  for (size_t i = 0; i < std::size(kGeoNames); ++i) {
    if (kGeoNames[i] == name) return static_cast<GeoSource>(i);
  }
  return arrow::Status::Invalid("unknown geo_source '", name,
                                "' (allowed: none, coordinates, place, profile)");
}

std::string ToJson(const Post& post) {
  std::string out;
  out.reserve(256 + post.text.size());
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("schema_version");
  w.Int(Post::kSchemaVersion);
  w.Key("id");
  w.String(post.id);
  w.Key("source");
  w.String(ToString(post.source));
  w.Key("created_at");
  w.Int(ToMicros(post.created_at));
  w.Key("ingested_at");
  w.Int(ToMicros(post.ingested_at));
  WriteNonEmpty(w, "author_id", post.author_id);
  WriteNonEmpty(w, "author_handle", post.author_handle);
  WriteNonEmpty(w, "author_location", post.author_location);
  WriteNonEmpty(w, "lang", post.lang);
  w.Key("text");
  w.String(post.text);
  WriteStringArray(w, "hashtags", post.hashtags);
  if (!post.mentions.empty()) WriteStringArray(w, "mentions", post.mentions);
  if (!post.urls.empty()) WriteStringArray(w, "urls", post.urls);
  WriteNonEmpty(w, "reply_to", post.reply_to);
  WriteNonEmpty(w, "repost_of", post.repost_of);
  WriteNonEmpty(w, "country_code", post.country_code);
  WriteNonEmpty(w, "region", post.region);
  WriteNonEmpty(w, "place_name", post.place_name);
  if (post.lat && post.lon) {
    w.Key("lat");
    w.Double(*post.lat);
    w.Key("lon");
    w.Double(*post.lon);
  }
  if (post.geo_source != GeoSource::kNone) {
    w.Key("geo_source");
    w.String(ToString(post.geo_source));
  }
  if (post.like_count != 0) {
    w.Key("like_count");
    w.Int(post.like_count);
  }
  if (post.repost_count != 0) {
    w.Key("repost_count");
    w.Int(post.repost_count);
  }
  w.EndObject();
  return out;
}

arrow::Result<Post> PostFromJson(std::string_view json) {
  // simdjson needs SIMDJSON_PADDING readable bytes past the end.
  simdjson::padded_string padded(json);
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document doc;
  HASHLAKE_RETURN_NOT_OK_JSON(parser.iterate(padded).get(doc), "invalid post JSON");
  simdjson::ondemand::object object;
  HASHLAKE_RETURN_NOT_OK_JSON(doc.get_object().get(object), "a post must be a JSON object");

  Post post;
  bool has_id = false, has_created_at = false;
  for (auto field : object) {
    std::string_view key;
    HASHLAKE_RETURN_NOT_OK_JSON(field.unescaped_key().get(key), "invalid key");
    simdjson::ondemand::value value;
    HASHLAKE_RETURN_NOT_OK_JSON(field.value().get(value), "invalid value");
    auto get_string = [&](std::string* out) -> arrow::Status {
      std::string_view s;
      HASHLAKE_RETURN_NOT_OK_JSON(value.get_string().get(s),
                                  std::string("'") + std::string(key) + "' must be a string");
      out->assign(s);
      return arrow::Status::OK();
    };
    auto get_int = [&](int64_t* out) -> arrow::Status {
      HASHLAKE_RETURN_NOT_OK_JSON(value.get_int64().get(*out),
                                  std::string("'") + std::string(key) + "' must be an integer");
      return arrow::Status::OK();
    };
    auto get_double = [&](std::optional<double>* out) -> arrow::Status {
      double d;
      HASHLAKE_RETURN_NOT_OK_JSON(value.get_double().get(d),
                                  std::string("'") + std::string(key) + "' must be a number");
      *out = d;
      return arrow::Status::OK();
    };
    if (key == "schema_version") {
      int64_t version;
      ARROW_RETURN_NOT_OK(get_int(&version));
      if (version > Post::kSchemaVersion) {
        return arrow::Status::Invalid("post schema_version ", version, " is newer than ",
                                      Post::kSchemaVersion, ": upgrade hashlake");
      }
    } else if (key == "id") {
      ARROW_RETURN_NOT_OK(get_string(&post.id));
      has_id = true;
    } else if (key == "source") {
      std::string name;
      ARROW_RETURN_NOT_OK(get_string(&name));
      ARROW_ASSIGN_OR_RAISE(post.source, ParseSourceKind(name));
    } else if (key == "created_at" || key == "ingested_at") {
      int64_t us;
      ARROW_RETURN_NOT_OK(get_int(&us));
      (key == "created_at" ? post.created_at : post.ingested_at) = FromMicros(us);
      has_created_at |= key == "created_at";
    } else if (key == "author_id") {
      ARROW_RETURN_NOT_OK(get_string(&post.author_id));
    } else if (key == "author_handle") {
      ARROW_RETURN_NOT_OK(get_string(&post.author_handle));
    } else if (key == "author_location") {
      ARROW_RETURN_NOT_OK(get_string(&post.author_location));
    } else if (key == "lang") {
      ARROW_RETURN_NOT_OK(get_string(&post.lang));
    } else if (key == "text") {
      ARROW_RETURN_NOT_OK(get_string(&post.text));
    } else if (key == "hashtags") {
      ARROW_RETURN_NOT_OK(ReadStringArray(value, &post.hashtags));
    } else if (key == "mentions") {
      ARROW_RETURN_NOT_OK(ReadStringArray(value, &post.mentions));
    } else if (key == "urls") {
      ARROW_RETURN_NOT_OK(ReadStringArray(value, &post.urls));
    } else if (key == "reply_to") {
      ARROW_RETURN_NOT_OK(get_string(&post.reply_to));
    } else if (key == "repost_of") {
      ARROW_RETURN_NOT_OK(get_string(&post.repost_of));
    } else if (key == "country_code") {
      ARROW_RETURN_NOT_OK(get_string(&post.country_code));
    } else if (key == "region") {
      ARROW_RETURN_NOT_OK(get_string(&post.region));
    } else if (key == "place_name") {
      ARROW_RETURN_NOT_OK(get_string(&post.place_name));
    } else if (key == "lat") {
      ARROW_RETURN_NOT_OK(get_double(&post.lat));
    } else if (key == "lon") {
      ARROW_RETURN_NOT_OK(get_double(&post.lon));
    } else if (key == "geo_source") {
      std::string name;
      ARROW_RETURN_NOT_OK(get_string(&name));
      ARROW_ASSIGN_OR_RAISE(post.geo_source, ParseGeoSource(name));
    } else if (key == "like_count") {
      ARROW_RETURN_NOT_OK(get_int(&post.like_count));
    } else if (key == "repost_count") {
      ARROW_RETURN_NOT_OK(get_int(&post.repost_count));
    }
    // Other keys are from a newer writer or `--keep-raw`: ignored on purpose.
  }
  if (!has_id) return arrow::Status::Invalid("post is missing 'id'");
  if (!has_created_at) return arrow::Status::Invalid("post is missing 'created_at'");
  if (post.lat.has_value() != post.lon.has_value()) {
    return arrow::Status::Invalid("post has only one of 'lat' and 'lon'");
  }
  return post;
}

}  // namespace hashlake
