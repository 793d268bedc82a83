#include "server/common/ids.h"

#include <openssl/rand.h>

#include <cstdint>
#include <stdexcept>

namespace careers {

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()),
                 static_cast<int>(n)) != 1) {
    // OpenSSL's CSPRNG failing means the process cannot make safe ids.
    throw std::runtime_error("RAND_bytes failed");
  }
  return out;
}

std::string NewResourceId(absl::Time now) {
  static constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
  const uint64_t millis = static_cast<uint64_t>(absl::ToUnixMillis(now)) &
                          ((uint64_t{1} << 48) - 1);
  const std::string random = RandomBytes(10);
  // 128 bits: 48 bits of time, 80 bits of randomness, as two 64-bit halves.
  uint64_t hi = (millis << 16) |
                (static_cast<uint64_t>(static_cast<uint8_t>(random[0])) << 8) |
                static_cast<uint8_t>(random[1]);
  uint64_t lo = 0;
  for (int i = 2; i < 10; ++i) lo = (lo << 8) | static_cast<uint8_t>(random[i]);
  std::string id(26, '0');
  // 26 base32 digits cover 130 bits; the top two are always zero.
  for (int i = 25; i >= 0; --i) {
    id[i] = kAlphabet[lo & 31];
    lo = (lo >> 5) | ((hi & 31) << 59);
    hi >>= 5;
  }
  return id;
}

}  // namespace careers
