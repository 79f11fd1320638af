#pragma once

#include <arrow/result.h>

#include <cstdint>

#include "hashlake/core/time.h"

namespace hashlake::stream {

/// Event-time windows of `length` starting every `slide`, aligned to the Unix epoch, as
/// Spark's `window(col, length, slide)`: [start, start + length) for every start that is a
/// multiple of `slide`. Tumbling windows are the case slide == length.
class SlidingWindows {
 public:
  /// Invalid unless 0 < slide <= length and length is a multiple of slide (so that every
  /// instant is in exactly length / slide windows, as in Spark).
  static arrow::Result<SlidingWindows> Make(Micros length, Micros slide);
  static SlidingWindows Tumbling(Micros length) { return SlidingWindows(length, length); }

  /// The latest window start at or before `t`.
  Timestamp LastStartOf(Timestamp t) const;

  /// Calls `f(start)` for each window holding `t`, earliest first.
  template <typename F>
  void ForEachWindowOf(Timestamp t, F&& f) const {
    const Timestamp last = LastStartOf(t);
    for (Timestamp start = last - (length_ - slide_); start <= last; start += slide_) f(start);
  }

  Micros length() const { return length_; }
  Micros slide() const { return slide_; }

 private:
  SlidingWindows(Micros length, Micros slide) : length_(length), slide_(slide) {}
  Micros length_;
  Micros slide_;
};

}  // namespace hashlake::stream
