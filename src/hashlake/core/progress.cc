#include "hashlake/core/progress.h"

#include <fmt/format.h>

namespace hashlake {

std::string FormatCount(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return n < 0 ? "-" + out : out;
}

Progress::Progress(const Clock& clock) : clock_(clock), interval_start_(clock.Now()) {}

void Progress::Add(int64_t posts, int64_t rejected) {
  std::lock_guard lock(mu_);
  posts_ += posts;
  interval_posts_ += posts;
  rejected_ += rejected;
}

void Progress::SetLag(int64_t records) {
  std::lock_guard lock(mu_);
  lag_ = records;
}

void Progress::SetWatermark(Timestamp watermark) {
  std::lock_guard lock(mu_);
  watermark_ = watermark;
}

void Progress::SetTotal(int64_t total) {
  std::lock_guard lock(mu_);
  total_ = total;
}

std::string Progress::Line() {
  std::lock_guard lock(mu_);
  const auto now = clock_.Now();
  const double seconds = std::chrono::duration<double>(now - interval_start_).count();
  if (seconds > 0) last_rate_ = interval_posts_ / seconds;
  interval_start_ = now;
  interval_posts_ = 0;

  std::string line = fmt::format("posts {} ({}/s)", FormatCount(posts_),
                                 FormatCount(static_cast<int64_t>(last_rate_ + 0.5)));
  if (rejected_ > 0) line += fmt::format(" · rejected {}", FormatCount(rejected_));
  if (lag_ >= 0) line += fmt::format(" · lag {}", FormatCount(lag_));
  if (watermark_ != Timestamp{}) {
    const std::string wm = FormatRfc3339(watermark_);
    line += fmt::format(" · watermark {}", wm.substr(11, 8));
  }
  if (total_ > 0 && last_rate_ > 0 && posts_ < total_) {
    const auto eta = static_cast<int64_t>((total_ - posts_) / last_rate_);
    line += fmt::format(" · ETA {}:{:02}", eta / 60, eta % 60);
  }
  return line;
}

int64_t Progress::posts() const {
  std::lock_guard lock(mu_);
  return posts_;
}

double Progress::last_rate() const {
  std::lock_guard lock(mu_);
  return last_rate_;
}

}  // namespace hashlake
