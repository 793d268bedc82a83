#ifndef CAREERS_SERVER_COMMON_UTF8_H_
#define CAREERS_SERVER_COMMON_UTF8_H_

#include <cstddef>
#include <optional>

#include "absl/strings/string_view.h"

namespace careers {

// The number of code points in `s`, or nullopt if `s` is not valid UTF-8
// (overlong forms, surrogates and values above U+10FFFF are invalid).
std::optional<size_t> Utf8Length(absl::string_view s);

// True if `s` holds a C0 or C1 control character. Line feeds and tabs are
// allowed only when `allow_newlines` is set.
bool HasControlCharacters(absl::string_view s, bool allow_newlines);

// `s` without leading and trailing ASCII white space.
absl::string_view TrimAsciiWhitespace(absl::string_view s);

}  // namespace careers

#endif  // CAREERS_SERVER_COMMON_UTF8_H_
