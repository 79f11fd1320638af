#include "hashlake/text/ascii_word_breaks.h"

namespace hashlake::text {
namespace {

// Word_Break property values of the ASCII characters (WordBreakProperty.txt) as ICU's root
// rules (word.txt) tailor them: ':' is not MidLetter (CLDR moved it to Swedish and Finnish
// only) and '@' is ALetter (so "me@x" stays whole).
enum class Wb : std::uint8_t {
  kOther,
  kCr,
  kLf,
  kNewline,
  kWSegSpace,
  kALetter,
  kNumeric,
  kExtendNumLet,
  kMidNum,
  kMidNumLet,
  kSingleQuote,
};

Wb Class(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '@') return Wb::kALetter;
  if (c >= '0' && c <= '9') return Wb::kNumeric;
  switch (c) {
    case '\r':
      return Wb::kCr;
    case '\n':
      return Wb::kLf;
    case '\v':
    case '\f':
      return Wb::kNewline;
    case ' ':
      return Wb::kWSegSpace;
    case '_':
      return Wb::kExtendNumLet;
    case ',':
    case ';':
      return Wb::kMidNum;
    case '.':
      return Wb::kMidNumLet;
    case '\'':
      return Wb::kSingleQuote;
    default:
      return Wb::kOther;
  }
}

bool IsMidLetterQ(Wb c) { return c == Wb::kMidNumLet || c == Wb::kSingleQuote; }
bool IsMidNumQ(Wb c) { return c == Wb::kMidNum || c == Wb::kMidNumLet || c == Wb::kSingleQuote; }

// Whether there is no break between positions i-1 and i (UAX #29 rules WB3..WB13b; the
// others never apply to ASCII).
bool Joined(const std::vector<Wb>& cls, std::size_t i) {
  const Wb prev = cls[i - 1];
  const Wb cur = cls[i];
  const Wb next = i + 1 < cls.size() ? cls[i + 1] : Wb::kOther;
  const Wb prev2 = i >= 2 ? cls[i - 2] : Wb::kOther;
  if (prev == Wb::kCr && cur == Wb::kLf) return true;                                   // WB3
  if (prev == Wb::kCr || prev == Wb::kLf || prev == Wb::kNewline) return false;         // WB3a
  if (cur == Wb::kCr || cur == Wb::kLf || cur == Wb::kNewline) return false;            // WB3b
  if (prev == Wb::kWSegSpace && cur == Wb::kWSegSpace) return true;                     // WB3d
  if (prev == Wb::kALetter && cur == Wb::kALetter) return true;                         // WB5
  if (prev == Wb::kALetter && IsMidLetterQ(cur) && next == Wb::kALetter) return true;   // WB6
  if (prev2 == Wb::kALetter && IsMidLetterQ(prev) && cur == Wb::kALetter) return true;  // WB7
  if (prev == Wb::kNumeric && cur == Wb::kNumeric) return true;                         // WB8
  if (prev == Wb::kALetter && cur == Wb::kNumeric) return true;                         // WB9
  if (prev == Wb::kNumeric && cur == Wb::kALetter) return true;                         // WB10
  if (prev2 == Wb::kNumeric && IsMidNumQ(prev) && cur == Wb::kNumeric) return true;     // WB11
  if (prev == Wb::kNumeric && IsMidNumQ(cur) && next == Wb::kNumeric) return true;      // WB12
  if (cur == Wb::kExtendNumLet &&
      (prev == Wb::kALetter || prev == Wb::kNumeric || prev == Wb::kExtendNumLet)) {
    return true;  // WB13a
  }
  if (prev == Wb::kExtendNumLet && (cur == Wb::kALetter || cur == Wb::kNumeric)) {
    return true;  // WB13b
  }
  return false;  // WB999
}

}  // namespace

void AsciiWordBreaks(std::string_view ascii, std::vector<std::int32_t>* breaks) {
  breaks->clear();
  breaks->push_back(0);
  if (ascii.empty()) return;
  thread_local std::vector<Wb> cls;
  cls.resize(ascii.size());
  for (std::size_t i = 0; i < ascii.size(); ++i) cls[i] = Class(ascii[i]);
  for (std::size_t i = 1; i < ascii.size(); ++i) {
    if (!Joined(cls, i)) breaks->push_back(static_cast<std::int32_t>(i));
  }
  breaks->push_back(static_cast<std::int32_t>(ascii.size()));
}

}  // namespace hashlake::text
