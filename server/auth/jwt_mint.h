#ifndef CAREERS_SERVER_AUTH_JWT_MINT_H_
#define CAREERS_SERVER_AUTH_JWT_MINT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/auth/jwt_keys.h"

namespace careers::auth {

// The claims of a token this service understands (see JwtAuthenticator).
struct TokenClaims {
  std::string issuer;
  std::string audience;
  std::string subject;
  std::string role;
  std::string organisation;         // staff
  std::string profile;              // person
  std::vector<std::string> scopes;  // service
  absl::Time issued_at;
  absl::Time not_before = absl::InfinitePast();  // omitted unless set
  absl::Time expires_at;  // InfiniteFuture() omits `exp` (tests only)
};

// Signs `claims` with `key`: a PEM private key for ES256 / RS256, or the
// shared secret for HS256. For development tokens (careersctl token mint)
// and tests; production tokens come from the identity provider.
absl::StatusOr<std::string> MintToken(const TokenClaims& claims,
                                      JwtAlgorithm algorithm,
                                      const std::string& key,
                                      const std::string& key_id = "");

// The algorithm a PEM private key signs with (ES256 for EC P-256, RS256 for
// RSA).
absl::StatusOr<JwtAlgorithm> AlgorithmOfPrivateKey(const std::string& pem);

}  // namespace careers::auth

#endif  // CAREERS_SERVER_AUTH_JWT_MINT_H_
