#pragma once

#include <string>

namespace hashlake::geo {

/// Where a post is: a country and, inside the United States, a state.
struct Area {
  std::string country_code;  ///< ISO 3166-1 alpha-2, upper case ("FR", "US").
  std::string region;        ///< ISO 3166-2 ("US-CA") for US states; empty elsewhere.

  bool operator==(const Area&) const = default;
};

}  // namespace hashlake::geo
