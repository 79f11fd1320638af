#include "hashlake/topics/alias_table.h"

namespace hashlake::topics {

double BuildAliasInto(std::span<const double> weights, std::span<double> prob,
                      std::span<int32_t> alias) {
  const std::size_t n = weights.size();
  double total = 0;
  for (double w : weights) total += w;
  if (n == 0 || total <= 0) return 0;
  thread_local std::vector<int32_t> small, large;
  thread_local std::vector<double> scaled;
  small.clear();
  large.clear();
  scaled.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    scaled[i] = weights[i] * static_cast<double>(n) / total;
    (scaled[i] < 1.0 ? small : large).push_back(static_cast<int32_t>(i));
  }
  while (!small.empty() && !large.empty()) {
    const int32_t s = small.back();
    small.pop_back();
    const int32_t l = large.back();
    prob[s] = scaled[s];
    alias[s] = l;
    scaled[l] = (scaled[l] + scaled[s]) - 1.0;
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // Leftovers are 1 up to rounding.
  for (int32_t i : large) prob[i] = 1.0, alias[i] = i;
  for (int32_t i : small) prob[i] = 1.0, alias[i] = i;
  return total;
}

}  // namespace hashlake::topics
