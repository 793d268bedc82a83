#ifndef CAREERS_SERVER_COMMON_LOGGING_H_
#define CAREERS_SERVER_COMMON_LOGGING_H_

// spdlog, plus formatting of absl::string_view (Debian's Abseil has its own
// string_view type, which fmt does not know).
#include "absl/strings/string_view.h"
#include "spdlog/spdlog.h"

template <>
struct fmt::formatter<absl::string_view> : fmt::formatter<fmt::string_view> {
  template <typename FormatContext>
  auto format(absl::string_view s, FormatContext& ctx) const {
    return fmt::formatter<fmt::string_view>::format(
        fmt::string_view(s.data(), s.size()), ctx);
  }
};

#endif  // CAREERS_SERVER_COMMON_LOGGING_H_
