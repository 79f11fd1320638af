#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "hashlake/topics/rng.h"

namespace hashlake::topics {

/// Walker/Vose alias tables (O(n) to build, O(1) to draw from a discrete distribution),
/// built into caller-owned spans (prob and alias of weights.size()), for
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
