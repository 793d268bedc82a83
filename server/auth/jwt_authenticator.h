#ifndef CAREERS_SERVER_AUTH_JWT_AUTHENTICATOR_H_
#define CAREERS_SERVER_AUTH_JWT_AUTHENTICATOR_H_

#include <string>

#include "absl/time/time.h"
#include "server/auth/authenticator.h"
#include "server/auth/jwt_keys.h"
#include "server/common/clock.h"
#include "server/domain/profile_repository.h"

namespace careers::auth {

struct JwtOptions {
  // The one algorithm tokens must be signed with.
  JwtAlgorithm algorithm = JwtAlgorithm::kEs256;
  // Public keys (PEM) by kid, or for HS256 the shared secret under "".
  JwtKeys keys;
  std::string issuer;    // required `iss`
  std::string audience;  // must be in `aud`
  absl::Duration clock_skew = absl::Seconds(60);
};

// Verifies OIDC-style JWT bearer tokens and maps their claims to a
// Principal:
//   sub    the caller's stable id (required)
//   role   person | guardian | adviser | org_admin | service | admin
//   organisation  "organisations/{id}", required for adviser and org_admin
//   profile       "profiles/{id}", required for person
//   scope  space-separated scopes (service)
// `exp` is required, `nbf` honoured, both with `clock_skew`; `iss` and `aud`
// must match. The header's `alg` must equal the configured algorithm (so
// `none`, and HS256 signed with a public key as the secret, never pass);
// `kid` picks the key when there are several. An adviser's token is only
// good while an active, undeleted adviser with that subject exists in that
// organisation. Thread-safe; `directory` and `clock` must outlive it.
class JwtAuthenticator final : public Authenticator {
 public:
  JwtAuthenticator(JwtOptions options, domain::DirectoryLookup& directory,
                   const Clock& clock);

  absl::StatusOr<Principal> Authenticate(absl::string_view authorization,
                                         absl::Time deadline) const override;

 private:
  const JwtOptions options_;
  domain::DirectoryLookup& directory_;
  const Clock& clock_;
};

}  // namespace careers::auth

#endif  // CAREERS_SERVER_AUTH_JWT_AUTHENTICATOR_H_
