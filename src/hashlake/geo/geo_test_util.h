#pragma once

// Test-only: one built-in resolver per test process (loading takes about 150 ms).

#include <gtest/gtest.h>

#include "hashlake/geo/area_resolver.h"

namespace hashlake::geo::testing {

inline const AreaResolver& BuiltInResolver() {
  static const AreaResolver* resolver = [] {
    auto loaded = AreaResolver::LoadBuiltIn();
    if (!loaded.ok()) {
      ADD_FAILURE() << loaded.status().ToString();
      std::abort();
    }
    return new AreaResolver(std::move(*loaded));
  }();
  return *resolver;
}

}  // namespace hashlake::geo::testing
