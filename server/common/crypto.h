#ifndef CAREERS_SERVER_COMMON_CRYPTO_H_
#define CAREERS_SERVER_COMMON_CRYPTO_H_

#include <string>

#include "absl/strings/string_view.h"

namespace careers {

// SHA-256 of `data`: 32 raw bytes.
std::string Sha256(absl::string_view data);

// HMAC-SHA-256 of `data` under `key`: 32 raw bytes.
std::string HmacSha256(absl::string_view key, absl::string_view data);

// Compares in time independent of where the inputs differ.
bool ConstantTimeEquals(absl::string_view a, absl::string_view b);

// Lower-case hex of `bytes`.
std::string HexEncode(absl::string_view bytes);

}  // namespace careers

#endif  // CAREERS_SERVER_COMMON_CRYPTO_H_
