#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "hashlake/topics/rng.h"

namespace hashlake::topics {

/// Walker/Vose alias table: O(n) to build, O(1) to draw from a discrete distribution.
/// Outcomes are `ids[i]` (or i when built without ids). Weights must be >= 0 with a
/// positive sum. Not thread-safe while building; Sample is const.
class AliasTable {
 public:
  void Build(std::span<const double> weights, std::span<const int32_t> ids = {});

  int32_t Sample(Rng& rng) const {
    const uint32_t slot = rng.Below(static_cast<uint32_t>(prob_.size()));
    const int32_t pick = rng.Uniform() < prob_[slot] ? static_cast<int32_t>(slot) : alias_[slot];
    return ids_.empty() ? pick : ids_[pick];
  }

  bool empty() const { return prob_.empty(); }
  double total() const { return total_; }

 private:
  std::vector<double> prob_;
  std::vector<int32_t> alias_;
  std::vector<int32_t> ids_;
  double total_ = 0;
};

}  // namespace hashlake::topics

namespace hashlake::topics {

/// The same construction into caller-owned spans (prob and alias of weights.size()), for
/// banks of many small tables stored back to back. Returns the sum of the weights.
double BuildAliasInto(std::span<const double> weights, std::span<double> prob,
                      std::span<int32_t> alias);

/// Draws a slot index from a table built by BuildAliasInto.
inline int32_t SampleAlias(std::span<const double> prob, std::span<const int32_t> alias,
                           Rng& rng) {
  const uint32_t slot = rng.Below(static_cast<uint32_t>(prob.size()));
  return rng.Uniform() < prob[slot] ? static_cast<int32_t>(slot) : alias[slot];
}

}  // namespace hashlake::topics
