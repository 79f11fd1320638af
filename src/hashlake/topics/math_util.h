#pragma once

#include <cmath>

namespace hashlake::topics {

/// The digamma function psi(x) for x > 0: recurrence up to x >= 6, then the asymptotic
/// series; absolute error below 1e-12 there.
inline double Digamma(double x) {
  double result = 0;
  while (x < 6) {
    result -= 1 / x;
    x += 1;
  }
  const double f = 1 / (x * x);
  result += std::log(x) - 0.5 / x -
            f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f / 132))));
  return result;
}

}  // namespace hashlake::topics
