#include "hashlake/schedule/trigger.h"

namespace hashlake::schedule {

arrow::Result<Trigger> Trigger::FromCron(std::string_view expression) {
  Trigger trigger;
  ARROW_ASSIGN_OR_RAISE(trigger.cron_, CronExpression::Parse(expression));
  return trigger;
}

arrow::Result<Trigger> Trigger::Every(Micros interval) {
  if (interval < std::chrono::seconds{1}) {
    return arrow::Status::Invalid("interval ", FormatDuration(interval),
                                  " is shorter than the allowed minimum of 1s");
  }
  Trigger trigger;
  trigger.interval_ = interval;
  return trigger;
}

Timestamp Trigger::Next(Timestamp after) const {
  if (interval_) {
    const int64_t step = interval_->count();
    const int64_t now = ToMicros(after);
    // Floor division, so instants before the epoch round the same way.
    int64_t floor = now / step * step;
    if (floor > now) floor -= step;
    return FromMicros(floor + step);
  }
  return cron_->Next(after).value_or(Timestamp::max());
}

std::string Trigger::Describe() const {
  if (interval_) return "every " + FormatDuration(*interval_);
  return "cron '" + cron_->text() + "'";
}

}  // namespace hashlake::schedule
