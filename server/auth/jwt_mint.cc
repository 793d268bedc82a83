#include "server/auth/jwt_mint.h"

#include <jwt.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdlib>
#include <memory>

#include "absl/strings/str_join.h"

namespace careers::auth {
namespace {

struct JwtFree {
  void operator()(jwt_t* j) const { jwt_free(j); }
};

}  // namespace

absl::StatusOr<JwtAlgorithm> AlgorithmOfPrivateKey(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr),
      EVP_PKEY_free);
  if (key == nullptr) {
    return absl::InvalidArgumentError("not a PEM private key");
  }
  if (EVP_PKEY_is_a(key.get(), "EC")) return JwtAlgorithm::kEs256;
  if (EVP_PKEY_is_a(key.get(), "RSA")) return JwtAlgorithm::kRs256;
  return absl::InvalidArgumentError("the private key is neither EC nor RSA");
}

absl::StatusOr<std::string> MintToken(const TokenClaims& claims,
                                      JwtAlgorithm algorithm,
                                      const std::string& key,
                                      const std::string& key_id) {
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) return absl::InternalError("jwt_new failed");
  std::unique_ptr<jwt_t, JwtFree> jwt(raw);
  auto add = [&](const char* name, const std::string& value) {
    return value.empty() || jwt_add_grant(jwt.get(), name, value.c_str()) == 0;
  };
  bool ok = add("iss", claims.issuer) && add("aud", claims.audience) &&
            add("sub", claims.subject) && add("role", claims.role) &&
            add("organisation", claims.organisation) &&
            add("profile", claims.profile) &&
            add("scope", absl::StrJoin(claims.scopes, " "));
  ok = ok && jwt_add_grant_int(jwt.get(), "iat",
                               absl::ToUnixSeconds(claims.issued_at)) == 0;
  if (claims.expires_at != absl::InfiniteFuture()) {
    ok = ok && jwt_add_grant_int(jwt.get(), "exp",
                                 absl::ToUnixSeconds(claims.expires_at)) == 0;
  }
  if (claims.not_before != absl::InfinitePast()) {
    ok = ok && jwt_add_grant_int(jwt.get(), "nbf",
                                 absl::ToUnixSeconds(claims.not_before)) == 0;
  }
  if (!key_id.empty())
    ok = ok && jwt_add_header(jwt.get(), "kid", key_id.c_str()) == 0;
  const jwt_alg_t alg = algorithm == JwtAlgorithm::kEs256   ? JWT_ALG_ES256
                        : algorithm == JwtAlgorithm::kRs256 ? JWT_ALG_RS256
                                                            : JWT_ALG_HS256;
  ok = ok && jwt_set_alg(jwt.get(), alg,
                         reinterpret_cast<const unsigned char*>(key.data()),
                         static_cast<int>(key.size())) == 0;
  if (!ok)
    return absl::InvalidArgumentError(
        "cannot build the token (bad claim or key)");
  char* encoded = jwt_encode_str(jwt.get());
  if (encoded == nullptr) {
    return absl::InvalidArgumentError("cannot sign the token with this key");
  }
  std::string token(encoded);
  free(encoded);  // NOLINT: allocated by libjwt with malloc
  return token;
}

}  // namespace careers::auth
