#ifndef CAREERS_SERVER_AUTH_JWT_AUTHENTICATOR_H_
#define CAREERS_SERVER_AUTH_JWT_AUTHENTICATOR_H_

#include <openssl/evp.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "absl/container/flat_hash_map.h"
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
//
// Checking a signature is most of the cost of a call that reads one row,
// so tokens that verified are remembered (up to kMaxCachedTokens, by their
// exact text): a token's signature and claims cannot change, and the keys
// are fixed for the authenticator's life. `exp`, `nbf` and the adviser's
// account are still checked on every call.
class JwtAuthenticator final : public Authenticator {
 public:
  JwtAuthenticator(JwtOptions options, domain::DirectoryLookup& directory,
                   const Clock& clock);

  absl::StatusOr<Principal> Authenticate(absl::string_view authorization,
                                         absl::Time deadline) const override;

  static constexpr size_t kMaxCachedTokens = 10'000;

  // A verification key as parsed at construction (OpenSSL keys are safe to
  // share between threads for verifying).
  struct VerificationKey {
    std::shared_ptr<EVP_PKEY> pkey;  // ES256, RS256
    std::string secret;              // HS256
  };

 private:
  // What a token says once its signature and static claims checked out.
  struct VerifiedToken {
    Principal principal;
    absl::Time expires_at;
    absl::Time not_before = absl::InfinitePast();
  };
  // The token's signature, algorithm, issuer, audience and claims; not the
  // time or the adviser's account.
  absl::StatusOr<VerifiedToken> Verify(absl::string_view token) const;

  const JwtOptions options_;
  domain::DirectoryLookup& directory_;
  const Clock& clock_;
  // options_.keys, parsed once: re-reading PEM on every call cost more than
  // checking the signature.
  std::map<std::string, std::shared_ptr<const VerificationKey>> keys_;
  mutable std::mutex cache_mu_;
  // Verified tokens by their text; guarded by cache_mu_.
  mutable absl::flat_hash_map<std::string, VerifiedToken> cache_;
};

}  // namespace careers::auth

#endif  // CAREERS_SERVER_AUTH_JWT_AUTHENTICATOR_H_
