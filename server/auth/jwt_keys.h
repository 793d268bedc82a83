#ifndef CAREERS_SERVER_AUTH_JWT_KEYS_H_
#define CAREERS_SERVER_AUTH_JWT_KEYS_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace careers::auth {

// The signature algorithms the server can be pinned to. The algorithm is
// configuration, never taken from a token.
enum class JwtAlgorithm { kEs256, kRs256, kHs256 };

absl::StatusOr<JwtAlgorithm> ParseJwtAlgorithm(absl::string_view name);
absl::string_view JwtAlgorithmName(JwtAlgorithm algorithm);

// Verification keys by key id (`kid`); "" for a key without one.
using JwtKeys = std::map<std::string, std::string>;

// Public keys for ES256 or RS256 from a file's content: a PEM public key
// (or several, concatenated; they get ids "", "1", "2"...) or a JWKS
// document ({"keys": [...]}, RSA keys by n/e, EC P-256 keys by x/y). Keys
// of another type than `algorithm` needs, or marked for use other than
// "sig", are refused or skipped. The result holds PEM text per key id.
absl::StatusOr<JwtKeys> LoadPublicKeys(absl::string_view content,
                                       JwtAlgorithm algorithm);

// A new key pair for tests and development: PEM private and public keys.
struct PemKeyPair {
  std::string private_pem;
  std::string public_pem;
};
absl::StatusOr<PemKeyPair> GenerateKeyPair(JwtAlgorithm algorithm);

}  // namespace careers::auth

#endif  // CAREERS_SERVER_AUTH_JWT_KEYS_H_
