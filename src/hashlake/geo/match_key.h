#pragma once

#include <string>
#include <string_view>

namespace hashlake::geo {

/// The form in which place names are compared: Unicode case folding, accents and other
/// combining marks removed, and everything that is not a letter or a digit dropped
/// (spaces, dots, hyphens, emoji). "São Paulo", "SAO PAULO" and "Sao-Paulo" all become
/// "saopaulo"; "U.S.A." becomes "usa"; "Москва" stays Cyrillic ("москва"). Ill-formed
/// UTF-8 bytes are dropped. Pure and thread-safe.
std::string MatchKey(std::string_view text);

}  // namespace hashlake::geo
