#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace hashlake {

/// Appends JSON to a string without building a DOM: the hot path of the bus encoding.
/// The caller keeps the structure valid (keys inside objects, commas are handled here).
class JsonWriter {
 public:
  explicit JsonWriter(std::string* out) : out_(out) {}

  void BeginObject();
  void EndObject();
  void BeginArray();
  void EndArray();
  void Key(std::string_view key);
  void String(std::string_view value);
  void Int(int64_t value);
  void Double(double value);
  void Bool(bool value);
  void Null();

 private:
  void Separate();
  std::string* out_;
  bool need_comma_ = false;
};

/// Appends `value` as a quoted JSON string. Invalid UTF-8 bytes become U+FFFD so the
/// output is always valid JSON.
void AppendJsonString(std::string* out, std::string_view value);

}  // namespace hashlake
