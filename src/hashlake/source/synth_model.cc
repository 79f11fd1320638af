#include "hashlake/source/synth_model.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numbers>

#include <fmt/format.h>

#include "hashlake/source/cities.h"
#include "hashlake/text/extract.h"

namespace hashlake::source {
namespace {

// splitmix64: a tiny, well-mixed generator whose output is identical on every platform
// (std:: distributions are not, so none is used here).
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }  // [0, 1)
  std::size_t Below(std::size_t n) { return static_cast<std::size_t>(Uniform() * n); }
  double Normal() {
    const double u1 = 1.0 - Uniform();
    const double u2 = Uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
  }
  // Marsaglia and Tsang; alpha < 1 boosted by U^(1/alpha).
  double Gamma(double alpha) {
    if (alpha < 1) return Gamma(alpha + 1) * std::pow(1.0 - Uniform(), 1.0 / alpha);
    const double d = alpha - 1.0 / 3, c = 1.0 / std::sqrt(9 * d);
    for (;;) {
      double x, v;
      do {
        x = Normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const double u = 1.0 - Uniform();
      if (std::log(u) < 0.5 * x * x + d - d * v + d * std::log(v)) return d * v;
    }
  }

 private:
  uint64_t state_;
};

uint64_t Mix(uint64_t a, uint64_t b) {
  Rng r(a ^ (b * 0xD1B54A32D192ED03ULL));
  return r.Next();
}

std::vector<double> ZipfWeights(std::size_t n, double s) {
  std::vector<double> w(n);
  for (std::size_t k = 0; k < n; ++k) w[k] = std::pow(static_cast<double>(k + 1), -s);
  return w;
}

std::vector<double> Cdf(const std::vector<double>& weights) {
  std::vector<double> cdf(weights.size());
  double sum = 0;
  for (std::size_t k = 0; k < weights.size(); ++k) cdf[k] = (sum += weights[k]);
  for (double& c : cdf) c /= sum;
  return cdf;
}

std::size_t Sample(const std::vector<double>& cdf, double u) {
  const auto it = std::upper_bound(cdf.begin(), cdf.end(), u);
  return std::min<std::size_t>(static_cast<std::size_t>(it - cdf.begin()), cdf.size() - 1);
}

// Hashtags people really use, in several scripts, ahead of the generated ones.
constexpr std::string_view kCuratedTags[] = {
    "WorldCup", "AI",          "東京",     "مصر",        "Música",     "Fútbol",
    "Café",     "ClimateAction", "BlackFriday", "日本",   "サッカー",   "Brasil",
    "Olympics", "Eurovision",  "Ramadan",  "MachineLearning", "NBA",  "F1",
    "K팝",      "Bollywood",   "Paris",    "OpenSource", "Crypto",     "Election2026",
    "Москва",   "Türkiye",     "München",  "حب",         "音楽",       "España"};
constexpr std::string_view kTagHeads[] = {
    "Tech", "Music", "Game", "Food", "Travel", "Art", "Film", "Book", "Sport", "Style",
    "Health", "Science", "Space", "Green", "City", "Photo", "Dance", "Coffee", "Street", "Night",
    "Ocean", "Mountain", "Retro", "Indie", "Future", "Data", "Cloud", "Pixel", "Urban", "Wild",
    "Summer", "Winter", "Spring", "Autumn", "Daily", "Weekend", "Morning", "Sunset", "Global", "Local",
    "Pet", "Garden", "Home", "Family", "Market", "Startup", "Design", "Code", "Anime", "Jazz"};
constexpr std::string_view kTagTails[] = {
    "Life", "Talk", "News", "Fans", "Vibes", "Lovers", "Week", "Day", "Club", "Live",
    "Time", "Goals", "Tips", "Hub", "World", "Zone", "Squad", "Diary", "Moments", "Crew",
    "Trends", "Chat", "Stories", "Break", "Fest", "Nation", "Team", "Pics", "Mood", "Wave",
    "2026", "Daily", "Now", "Hacks", "Facts", "Quest", "Spot", "Story", "Scene", "Love"};

constexpr std::string_view kShared[] = {
    "today", "new",  "good",  "time",  "people", "great", "just",  "like",  "know", "really",
    "day",   "love", "think", "make",  "want",   "best",  "look",  "world", "week", "year",
    "still", "right", "back", "going", "need",   "first", "last",  "thing", "life", "feel"};

struct TopicVocabulary {
  std::string_view name;
  std::string_view words[20];
};
constexpr TopicVocabulary kTopics[] = {
    {"sports", {"match", "goal", "team", "season", "coach", "league", "score", "player", "win",
                "final", "stadium", "fans", "transfer", "injury", "referee", "cup", "striker",
                "defense", "playoffs", "championship"}},
    {"politics", {"election", "vote", "government", "minister", "policy", "parliament", "campaign",
                  "senate", "law", "president", "party", "debate", "reform", "tax", "budget",
                  "opposition", "poll", "candidate", "coalition", "congress"}},
    {"technology", {"software", "app", "model", "data", "cloud", "chip", "startup", "code",
                    "release", "developer", "privacy", "robot", "network", "update", "device",
                    "algorithm", "server", "open", "api", "battery"}},
    {"music", {"album", "song", "concert", "tour", "band", "singer", "track", "festival",
               "guitar", "lyrics", "stage", "playlist", "vinyl", "drummer", "chorus", "remix",
               "ticket", "encore", "studio", "melody"}},
    {"food", {"recipe", "dinner", "pizza", "coffee", "restaurant", "chef", "bread", "spicy",
              "dessert", "breakfast", "vegan", "taste", "kitchen", "cheese", "noodles", "soup",
              "lunch", "bakery", "sauce", "delicious"}},
    {"travel", {"flight", "beach", "hotel", "trip", "airport", "passport", "island", "museum",
                "train", "journey", "mountains", "backpack", "sunset", "tourist", "visa",
                "cruise", "road", "map", "vacation", "explore"}},
    {"weather", {"rain", "storm", "snow", "heat", "forecast", "wind", "cloudy", "temperature",
                 "flood", "sunny", "thunder", "humid", "cold", "warning", "hurricane", "drought",
                 "fog", "degrees", "climate", "umbrella"}},
    {"finance", {"market", "stocks", "inflation", "bank", "rates", "crypto", "bitcoin", "earnings",
                 "investors", "economy", "dollar", "shares", "trading", "profit", "fund", "debt",
                 "prices", "recession", "bond", "wallet"}},
};

struct LangShare {
  std::string_view lang;
  double share;
};
// Roughly the shares seen on public X/Bluesky/Mastodon samples.
constexpr LangShare kLangs[] = {{"en", 0.45}, {"ja", 0.12}, {"es", 0.11}, {"pt", 0.08},
                                {"fr", 0.05}, {"de", 0.04}, {"ar", 0.04}, {"ko", 0.03},
                                {"tr", 0.03}, {"it", 0.02}, {"ru", 0.02}, {"hi", 0.01}};

constexpr std::string_view kSyllables[] = {"ka", "mi", "ro", "sa", "te", "lu", "na", "vo",
                                           "zi", "pe", "da", "jo", "ri", "mo", "ke", "la"};

}  // namespace

std::string SynthModel::PostId(uint64_t seed, uint64_t index) {
  return fmt::format("synth-{}-{}", seed, index);
}

arrow::Result<std::unique_ptr<SynthModel>> SynthModel::Make(SynthOptions o) {
  if (!(o.rate >= 0)) return arrow::Status::Invalid("synth: rate must be >= 0, got ", o.rate);
  if (!(o.event_speed > 0)) {
    return arrow::Status::Invalid("synth: event_speed must be > 0, got ", o.event_speed);
  }
  if (o.hashtags == 0 || o.topics == 0 || o.authors == 0) {
    return arrow::Status::Invalid("synth: hashtags, topics and authors must be > 0");
  }
  if (o.drift_min_period.count() <= 0 || o.drift_max_period < o.drift_min_period) {
    return arrow::Status::Invalid("synth: need 0 < drift_min_period <= drift_max_period");
  }
  for (double share : {o.coordinates_share, o.place_share, o.mention_share, o.url_share,
                       o.reply_share}) {
    if (!(share >= 0 && share <= 1)) return arrow::Status::Invalid("synth: shares must be in [0,1]");
  }
  if (o.coordinates_share + o.place_share > 1) {
    return arrow::Status::Invalid("synth: coordinates_share + place_share must be <= 1");
  }
  if (!(o.topic_alpha > 0)) return arrow::Status::Invalid("synth: topic_alpha must be > 0");
  return std::unique_ptr<SynthModel>(new SynthModel(o));
}

SynthModel::SynthModel(SynthOptions o) : options_(o) {
  const double rate = o.rate > 0 ? o.rate : SynthOptions::kNominalRate;
  event_gap_us_ = 1e6 * o.event_speed / rate;
  Rng rng(Mix(o.seed, 0x7A6));

  // Hashtags: curated first, then Head+Tail combinations, then numbered ones.
  std::vector<std::string> vocab;
  for (std::string_view t : kCuratedTags) vocab.emplace_back(t);
  for (std::string_view tail : kTagTails) {
    for (std::string_view head : kTagHeads) vocab.push_back(std::string(head) + std::string(tail));
  }
  for (std::size_t k = 0; vocab.size() < o.hashtags; ++k) vocab.push_back(fmt::format("Topic{}x", k));
  vocab.resize(o.hashtags);
  // Which tag gets which popularity rank depends on the seed.
  for (std::size_t k = vocab.size(); k > 1; --k) std::swap(vocab[k - 1], vocab[rng.Below(k)]);
  hashtags_ = std::move(vocab);
  hashtag_base_ = ZipfWeights(o.hashtags, o.hashtag_zipf);
  const double min_p = static_cast<double>(o.drift_min_period.count());
  const double max_p = static_cast<double>(o.drift_max_period.count());
  for (std::size_t k = 0; k < o.hashtags; ++k) {
    hashtag_period_s_.push_back(min_p + (max_p - min_p) * rng.Uniform());
    hashtag_phase_.push_back(2 * std::numbers::pi * rng.Uniform());
  }

  // Authors: pronounceable handles, unique by their number.
  for (std::size_t a = 0; a < o.authors; ++a) {
    Rng ar(Mix(o.seed, 0xA000000 + a));
    std::string handle;
    const std::size_t syllables = 2 + ar.Below(3);
    for (std::size_t s = 0; s < syllables; ++s) handle += kSyllables[ar.Below(16)];
    author_handles_.push_back(fmt::format("{}_{}", handle, a));
  }
  author_cdf_ = Cdf(ZipfWeights(o.authors, o.author_zipf));

  // Topics: 85% the topic's own words (Zipf), 15% shared words (uniform).
  constexpr std::size_t kBuiltIn = std::size(kTopics);
  for (std::size_t t = 0; t < o.topics; ++t) {
    const TopicVocabulary& v = kTopics[t % kBuiltIn];
    const std::string suffix = t < kBuiltIn ? "" : fmt::format("{}", t / kBuiltIn);
    std::vector<std::pair<std::string, double>> words;
    const std::vector<double> own = ZipfWeights(std::size(v.words), 1.0);
    double own_sum = 0;
    for (double w : own) own_sum += w;
    for (std::size_t k = 0; k < std::size(v.words); ++k) {
      words.emplace_back(std::string(v.words[k]) + suffix, 0.85 * own[k] / own_sum);
    }
    for (std::string_view w : kShared) {
      words.emplace_back(std::string(w), 0.15 / static_cast<double>(std::size(kShared)));
    }
    std::stable_sort(words.begin(), words.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    std::vector<double> weights;
    for (const auto& w : words) weights.push_back(w.second);
    topic_cdf_.push_back(Cdf(weights));
    topic_words_.push_back(std::move(words));
  }
}

Timestamp SynthModel::CreatedAt(uint64_t index) const {
  // (index + jitter) * gap with jitter in [0,1): irregular, yet never decreasing.
  Rng r(Mix(options_.seed, 0xC0FFEE0000000000ULL ^ index));
  const double offset_us = (static_cast<double>(index) + r.Uniform()) * event_gap_us_;
  return options_.start + Micros{static_cast<int64_t>(offset_us)};
}

std::vector<double> SynthModel::HashtagWeightsAt(Timestamp t) const {
  const double seconds = static_cast<double>((t - options_.start).count()) / 1e6;
  std::vector<double> w(hashtag_base_.size());
  for (std::size_t k = 0; k < w.size(); ++k) {
    const double wave =
        std::sin(2 * std::numbers::pi * seconds / hashtag_period_s_[k] + hashtag_phase_[k]);
    w[k] = hashtag_base_[k] * std::exp(options_.drift * wave);
  }
  return w;
}

std::size_t SynthModel::SampleHashtag(Timestamp t, double u) const {
  // Weights move slowly: one table per 10 s of event time is plenty.
  const int64_t bucket = (t - options_.start).count() / 10'000'000;
  std::lock_guard<std::mutex> lock(cache_mu_);
  if (bucket != cached_bucket_) {
    cached_cdf_ = Cdf(HashtagWeightsAt(options_.start + Micros{bucket * 10'000'000}));
    cached_bucket_ = bucket;
  }
  return Sample(cached_cdf_, u);
}

std::vector<double> SynthModel::TopicMixture(uint64_t index) const {
  Rng r(Mix(options_.seed, 0x70C1C00000000000ULL ^ index));
  std::vector<double> theta(options_.topics, 0.0);
  const std::size_t a = r.Below(options_.topics);
  if (options_.topics == 1) {
    theta[0] = 1;
    return theta;
  }
  std::size_t b = r.Below(options_.topics - 1);
  if (b >= a) ++b;
  const double ga = r.Gamma(options_.topic_alpha), gb = r.Gamma(options_.topic_alpha);
  const double sum = ga + gb;
  theta[a] = sum > 0 ? ga / sum : 0.5;
  theta[b] = sum > 0 ? gb / sum : 0.5;
  return theta;
}

arrow::Result<std::vector<double>> SynthModel::TopicMixtureOf(std::string_view post_id) const {
  const std::string prefix = fmt::format("synth-{}-", options_.seed);
  uint64_t index = 0;
  if (!post_id.starts_with(prefix)) {
    return arrow::Status::Invalid("'", std::string(post_id), "' is not a post of seed ",
                                  options_.seed);
  }
  const std::string_view digits = post_id.substr(prefix.size());
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
  if (ec != std::errc() || ptr != digits.data() + digits.size()) {
    return arrow::Status::Invalid("'", std::string(post_id), "' has no post index");
  }
  return TopicMixture(index);
}

Post SynthModel::Generate(uint64_t index) const {
  const SynthOptions& o = options_;
  Rng r(Mix(o.seed, index));
  Post post;
  post.source = SourceKind::kSynth;
  post.id = PostId(o.seed, index);
  post.created_at = CreatedAt(index);
  const std::size_t author = Sample(author_cdf_, r.Uniform());
  post.author_id = fmt::format("synth-author-{}", author);
  post.author_handle = author_handles_[author];
  {
    double u = r.Uniform(), acc = 0, total = 0;
    for (const LangShare& l : kLangs) total += l.share;
    u *= total;
    post.lang = std::string(kLangs[0].lang);
    for (const LangShare& l : kLangs) {
      if (u < (acc += l.share)) {
        post.lang = std::string(l.lang);
        break;
      }
    }
  }

  // Words from the post's topic mixture.
  const std::vector<double> theta = TopicMixture(index);
  const std::vector<double> theta_cdf = Cdf(theta);
  std::string text;
  if (r.Uniform() < o.mention_share) {
    const std::size_t other = Sample(author_cdf_, r.Uniform());
    text += "@" + author_handles_[other] + " ";
  }
  const std::size_t n_words = 8 + r.Below(13);
  const std::size_t tag_position = r.Below(n_words + 1);  // a tag may sit mid-sentence
  const std::size_t n_tags = 1 + (r.Uniform() < 0.4) + (r.Uniform() < 0.15);
  std::vector<std::size_t> tags;
  for (std::size_t k = 0; k < n_tags; ++k) tags.push_back(SampleHashtag(post.created_at, r.Uniform()));
  for (std::size_t w = 0; w < n_words; ++w) {
    if (w == tag_position) text += "#" + hashtags_[tags[0]] + " ";
    const std::size_t topic = Sample(theta_cdf, r.Uniform());
    text += topic_words_[topic][Sample(topic_cdf_[topic], r.Uniform())].first;
    text += ' ';
  }
  if (tag_position == n_words) text += "#" + hashtags_[tags[0]] + " ";
  for (std::size_t k = 1; k < tags.size(); ++k) text += "#" + hashtags_[tags[k]] + " ";
  if (r.Uniform() < o.url_share) text += fmt::format("https://example.com/p/{:x} ", r.Next() >> 20);
  text.pop_back();
  post.text = std::move(text);
  // Entities come from the text, exactly as for a real post.
  post.hashtags = text::ExtractHashtags(post.text);
  std::vector<std::string> unique;
  for (std::string& h : post.hashtags) {
    if (std::find(unique.begin(), unique.end(), h) == unique.end()) unique.push_back(std::move(h));
  }
  post.hashtags = std::move(unique);
  post.mentions = text::ExtractMentions(post.text);
  post.urls = text::ExtractUrls(post.text);

  if (index > 0 && r.Uniform() < o.reply_share) {
    post.reply_to = PostId(o.seed, index - 1 - r.Below(std::min<uint64_t>(index, 1000)));
  }
  post.like_count = static_cast<int64_t>(std::floor(-std::log(1.0 - r.Uniform()) * 8));
  post.repost_count = static_cast<int64_t>(std::floor(-std::log(1.0 - r.Uniform()) * 2));

  const double g = r.Uniform();
  const auto cities = WorldCities();
  const City& city = cities[r.Below(cities.size())];
  if (g < o.coordinates_share) {
    // A uniform point in the city's disc.
    const double radius = city.radius_deg * std::sqrt(r.Uniform());
    const double angle = 2 * std::numbers::pi * r.Uniform();
    post.lat = city.lat + radius * std::sin(angle);
    post.lon = city.lon + radius * std::cos(angle);
    post.geo_source = GeoSource::kCoordinates;
    post.country_code = std::string(city.country_code);
    post.place_name = std::string(city.name);
  } else if (g < o.coordinates_share + o.place_share) {
    post.lat = city.lat;
    post.lon = city.lon;
    post.geo_source = GeoSource::kPlace;
    post.country_code = std::string(city.country_code);
    post.place_name = std::string(city.name);
  }
  return post;
}

}  // namespace hashlake::source
