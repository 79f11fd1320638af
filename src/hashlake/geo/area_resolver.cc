#include "hashlake/geo/area_resolver.h"

#include "hashlake/geo/built_in_data.h"

namespace hashlake::geo {

AreaResolver::AreaResolver(std::shared_ptr<const AreaIndex> index,
                           std::shared_ptr<const Gazetteer> gazetteer)
    : index_(std::move(index)), gazetteer_(std::move(gazetteer)) {}

arrow::Result<AreaResolver> AreaResolver::LoadBuiltIn() {
  // One inflate and parse of the built-in data for both.
  ARROW_ASSIGN_OR_RAISE(auto doc, internal::ParseBuiltInGeoData());
  ARROW_ASSIGN_OR_RAISE(auto index, AreaIndex::FromBuiltInDocument(*doc));
  ARROW_ASSIGN_OR_RAISE(auto gazetteer, Gazetteer::FromBuiltInDocument(*doc));
  return AreaResolver(std::move(index), std::move(gazetteer));
}

void AreaResolver::Resolve(Post* post) const {
  if (post->geo_source == GeoSource::kProfile) {
    // Our own earlier answer, not the source's: recompute it.
    post->country_code.clear();
    post->region.clear();
    post->geo_source = GeoSource::kNone;
  }
  const bool has_point = post->lat.has_value() && post->lon.has_value();
  if (has_point && post->geo_source != GeoSource::kPlace) {
    if (auto area = index_->AtPoint(*post->lat, *post->lon)) {
      if (post->country_code.empty()) {
        post->country_code = area->country_code;
        if (post->region.empty()) post->region = area->region;
      } else if (post->country_code == area->country_code && post->region.empty()) {
        post->region = area->region;
      }
      post->geo_source = GeoSource::kCoordinates;
      return;
    }
  }
  if (ResolvePlace(post)) {
    post->geo_source = GeoSource::kPlace;
    return;
  }
  if (!post->author_location.empty()) {
    if (auto area = gazetteer_->Match(post->author_location)) {
      post->country_code = area->country_code;
      post->region = area->region;
      post->geo_source = GeoSource::kProfile;
      return;
    }
  }
  post->geo_source = GeoSource::kNone;
}

bool AreaResolver::ResolvePlace(Post* post) const {
  // For a place-only post the decoders put the place's bounding-box centre in lat/lon.
  const bool has_centre =
      post->geo_source == GeoSource::kPlace && post->lat.has_value() && post->lon.has_value();
  if (!post->country_code.empty()) {
    if (post->region.empty() && post->country_code == "US") {
      if (has_centre) {
        if (auto area = index_->AtPointInCountry(*post->lat, *post->lon, post->country_code,
                                                 kPlaceSnapKm)) {
          post->region = area->region;
        }
      }
      if (post->region.empty() && !post->place_name.empty()) {
        auto area = gazetteer_->MatchInCountry(post->place_name, post->country_code);
        if (area && area->country_code == post->country_code) post->region = area->region;
      }
    }
    return true;
  }
  std::optional<Area> area;
  if (has_centre) area = index_->AtPoint(*post->lat, *post->lon);
  if (!area && !post->place_name.empty()) area = gazetteer_->Match(post->place_name);
  if (!area) return false;
  post->country_code = area->country_code;
  if (post->region.empty()) post->region = area->region;
  return true;
}

}  // namespace hashlake::geo
