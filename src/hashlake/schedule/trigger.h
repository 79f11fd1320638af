#pragma once

#include <arrow/result.h>

#include <optional>
#include <string>
#include <string_view>

#include "hashlake/core/time.h"
#include "hashlake/schedule/cron.h"

namespace hashlake::schedule {

/// When a scheduled job fires: a UTC cron expression, or a fixed interval whose ticks are the
/// multiples of the interval since the Unix epoch (so `interval = "2s"` fires on even seconds
/// and the ticks do not depend on when the scheduler started). Immutable, thread-safe.
class Trigger {
 public:
  static arrow::Result<Trigger> FromCron(std::string_view expression);
  static arrow::Result<Trigger> Every(Micros interval);

  /// The first tick strictly after `after` (Timestamp::max() if a cron never fires again).
  Timestamp Next(Timestamp after) const;

  /// "cron '0 * * * *'" or "every 2s".
  std::string Describe() const;

  const std::optional<CronExpression>& cron() const { return cron_; }
  std::optional<Micros> interval() const { return interval_; }

 private:
  std::optional<CronExpression> cron_;
  std::optional<Micros> interval_;
};

}  // namespace hashlake::schedule
