// Measures the geo module: load time and memory of the built-in data, AtPoint lookups
// per second per core (random land points; real city centres), gazetteer matches.
// Built with the tests; run by hand: build/src/hashlake/geo/geo_bench

#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "hashlake/geo/area_resolver.h"
#include "hashlake/source/cities.h"

namespace {

using Clock = std::chrono::steady_clock;

double ResidentMiB() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * 4096.0 / (1 << 20);
}

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

template <typename F>
double PerSecond(size_t n, F f) {
  const auto start = Clock::now();
  size_t found = 0;
  for (size_t i = 0; i < n; ++i) found += f(i);
  const double s = Seconds(start);
  std::printf("    (%zu of %zu found)\n", found, n);
  return n / s;
}

}  // namespace

int main() {
  using hashlake::geo::AreaIndex;
  using hashlake::geo::Gazetteer;
  const double rss0 = ResidentMiB();
  auto start = Clock::now();
  auto index = AreaIndex::LoadBuiltIn();
  if (!index.ok()) return std::fprintf(stderr, "%s\n", index.status().ToString().c_str()), 1;
  const double index_s = Seconds(start);
  const double rss1 = ResidentMiB();
  start = Clock::now();
  auto gazetteer = Gazetteer::LoadBuiltIn();
  if (!gazetteer.ok()) return 1;
  const double gazetteer_s = Seconds(start);
  const double rss2 = ResidentMiB();
  std::printf("AreaIndex::LoadBuiltIn   %.0f ms, +%.0f MiB resident (%zu polygons)\n",
              index_s * 1e3, rss1 - rss0, (*index)->polygon_count());
  std::printf("Gazetteer::LoadBuiltIn   %.0f ms, +%.0f MiB resident\n", gazetteer_s * 1e3,
              rss2 - rss1);

  std::mt19937_64 rng(1);
  std::uniform_real_distribution<double> lat(-60, 75), lon(-180, 180);
  std::vector<std::pair<double, double>> land, any;
  while (land.size() < 100000) {
    const double a = lat(rng), b = lon(rng);
    if (any.size() < 100000) any.emplace_back(a, b);
    if ((*index)->AtPoint(a, b)) land.emplace_back(a, b);
  }
  std::vector<std::pair<double, double>> cities;
  std::normal_distribution<double> jitter(0, 0.05);  // within ~5 km of the centre
  for (int i = 0; i < 2000; ++i) {
    for (const auto& c : hashlake::source::WorldCities()) {
      cities.emplace_back(c.lat + jitter(rng), c.lon + jitter(rng));
    }
  }
  const AreaIndex& idx = **index;
  std::printf("AtPoint, random land points: %.0f lookups/s\n",
              PerSecond(land.size(), [&](size_t i) {
                return idx.AtPoint(land[i].first, land[i].second).has_value();
              }));
  std::printf("AtPoint, random points (70%% sea): %.0f lookups/s\n",
              PerSecond(any.size(), [&](size_t i) {
                return idx.AtPoint(any[i].first, any[i].second).has_value();
              }));
  std::printf("AtPoint, real city centres (±5 km, %zu cities): %.0f lookups/s\n",
              hashlake::source::WorldCities().size(), PerSecond(cities.size(), [&](size_t i) {
                return idx.AtPoint(cities[i].first, cities[i].second).has_value();
              }));
  const std::vector<std::string> texts = {"Paris, France", "NYC",
                                          "Austin, TX",    "London",
                                          "🇧🇷 São Paulo",  "somewhere over the rainbow",
                                          "東京",          "Москва",
                                          "she/her",       "Mumbai, India"};
  std::printf("Gazetteer::Match: %.0f matches/s\n", PerSecond(200000, [&](size_t i) {
                return (*gazetteer)->Match(texts[i % texts.size()]).has_value();
              }));
  return 0;
}
