#include "hashlake/stream/window.h"

namespace hashlake::stream {

arrow::Result<SlidingWindows> SlidingWindows::Make(Micros length, Micros slide) {
  if (length <= Micros{0}) return arrow::Status::Invalid("stream.window must be positive");
  if (slide <= Micros{0} || slide > length || length.count() % slide.count() != 0) {
    return arrow::Status::Invalid("stream.slide must be positive, at most stream.window (",
                                  FormatDuration(length), ") and divide it; got ",
                                  FormatDuration(slide));
  }
  return SlidingWindows(length, slide);
}

Timestamp SlidingWindows::LastStartOf(Timestamp t) const {
  const int64_t us = ToMicros(t);
  const int64_t step = slide_.count();
  // Floor division, so that instants before the epoch land in the right window too.
  int64_t start = us / step * step;
  if (us < 0 && start != us) start -= step;
  return FromMicros(start);
}

}  // namespace hashlake::stream
