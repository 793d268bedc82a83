#include "server/auth/jwt_keys.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <memory>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace careers::auth {
namespace {

// OpenSSL objects with their free functions.
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
struct BnFree {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
struct ParamBldFree {
  void operator()(OSSL_PARAM_BLD* b) const { OSSL_PARAM_BLD_free(b); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
using Bio = std::unique_ptr<BIO, BioFree>;
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

std::string ToPem(EVP_PKEY* key, bool private_key) {
  Bio bio(BIO_new(BIO_s_mem()));
  const int ok = private_key
                     ? PEM_write_bio_PrivateKey(bio.get(), key, nullptr,
                                                nullptr, 0, nullptr, nullptr)
                     : PEM_write_bio_PUBKEY(bio.get(), key);
  if (ok != 1) return "";
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(len));
}

// Checks that a public key suits the algorithm.
absl::Status CheckKeyType(EVP_PKEY* key, JwtAlgorithm algorithm,
                          absl::string_view which) {
  if (algorithm == JwtAlgorithm::kEs256) {
    char group[64] = {0};
    size_t len = 0;
    if (!EVP_PKEY_is_a(key, "EC") ||
        EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group,
                                       sizeof(group), &len) != 1 ||
        absl::string_view(group, len) != "prime256v1") {
      return absl::InvalidArgumentError(absl::StrCat(
          which, " is not an EC P-256 public key (ES256 needs one)"));
    }
  } else if (algorithm == JwtAlgorithm::kRs256) {
    if (!EVP_PKEY_is_a(key, "RSA") || EVP_PKEY_get_bits(key) < 2048) {
      return absl::InvalidArgumentError(absl::StrCat(
          which,
          " is not an RSA public key of at least 2048 bits (RS256 needs one)"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> Base64UrlField(const nlohmann::json& jwk,
                                           const char* name) {
  if (!jwk.contains(name) || !jwk[name].is_string()) {
    return absl::InvalidArgumentError(absl::StrCat("JWK lacks \"", name, "\""));
  }
  std::string out;
  if (!absl::WebSafeBase64Unescape(jwk[name].get<std::string>(), &out) ||
      out.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("JWK \"", name, "\" is not base64url"));
  }
  return out;
}

// An EVP_PKEY from one JWK.
absl::StatusOr<Pkey> KeyFromJwk(const nlohmann::json& jwk) {
  const std::string kty = jwk.value("kty", "");
  std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> bld(OSSL_PARAM_BLD_new());
  const char* type;
  std::unique_ptr<BIGNUM, BnFree> n, e;
  std::string point;
  if (kty == "RSA") {
    auto n_bytes = Base64UrlField(jwk, "n");
    auto e_bytes = Base64UrlField(jwk, "e");
    if (!n_bytes.ok()) return n_bytes.status();
    if (!e_bytes.ok()) return e_bytes.status();
    n.reset(BN_bin2bn(reinterpret_cast<const unsigned char*>(n_bytes->data()),
                      static_cast<int>(n_bytes->size()), nullptr));
    e.reset(BN_bin2bn(reinterpret_cast<const unsigned char*>(e_bytes->data()),
                      static_cast<int>(e_bytes->size()), nullptr));
    OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get());
    OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get());
    type = "RSA";
  } else if (kty == "EC") {
    if (jwk.value("crv", "") != "P-256") {
      return absl::InvalidArgumentError("EC JWK must use crv P-256");
    }
    auto x = Base64UrlField(jwk, "x");
    auto y = Base64UrlField(jwk, "y");
    if (!x.ok()) return x.status();
    if (!y.ok()) return y.status();
    if (x->size() != 32 || y->size() != 32) {
      return absl::InvalidArgumentError("EC JWK coordinates must be 32 bytes");
    }
    point = absl::StrCat(std::string(1, '\x04'), *x, *y);  // uncompressed
    OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME,
                                    "prime256v1", 0);
    OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY,
                                     point.data(), point.size());
    type = "EC";
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("unsupported JWK kty \"", kty, "\""));
  }
  std::unique_ptr<OSSL_PARAM, ParamFree> params(
      OSSL_PARAM_BLD_to_param(bld.get()));
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(
      EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* key = nullptr;
  if (params == nullptr || ctx == nullptr ||
      EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) !=
          1) {
    return absl::InvalidArgumentError(
        absl::StrCat("JWK is not a valid ", type, " key"));
  }
  return Pkey(key);
}

absl::StatusOr<JwtKeys> LoadJwks(absl::string_view content,
                                 JwtAlgorithm algorithm) {
  const nlohmann::json doc = nlohmann::json::parse(content, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("keys") ||
      !doc["keys"].is_array()) {
    return absl::InvalidArgumentError(
        "not a JWKS document ({\"keys\": [...]})");
  }
  JwtKeys keys;
  for (const nlohmann::json& jwk : doc["keys"]) {
    if (!jwk.is_object()) continue;
    if (jwk.value("use", "sig") != "sig") continue;
    const std::string alg = jwk.value("alg", "");
    if (!alg.empty() && alg != JwtAlgorithmName(algorithm)) continue;
    const std::string kid = jwk.value("kid", "");
    auto key = KeyFromJwk(jwk);
    if (!key.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("JWKS key \"", kid, "\": ", key.status().message()));
    }
    if (!CheckKeyType(key->get(), algorithm,
                      absl::StrCat("JWKS key \"", kid, "\""))
             .ok()) {
      continue;  // a key set may hold keys for other algorithms
    }
    if (!keys.emplace(kid, ToPem(key->get(), false)).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("JWKS has two keys with kid \"", kid, "\""));
    }
  }
  if (keys.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the JWKS has no signing key for ", JwtAlgorithmName(algorithm)));
  }
  return keys;
}

absl::StatusOr<JwtKeys> LoadPem(absl::string_view content,
                                JwtAlgorithm algorithm) {
  JwtKeys keys;
  Bio bio(BIO_new_mem_buf(content.data(), static_cast<int>(content.size())));
  while (true) {
    EVP_PKEY* raw = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
    if (raw == nullptr) break;
    Pkey key(raw);
    const std::string id = keys.empty() ? "" : absl::StrCat(keys.size());
    absl::Status type = CheckKeyType(key.get(), algorithm,
                                     absl::StrCat("PEM key ", keys.size() + 1));
    if (!type.ok()) return type;
    keys.emplace(id, ToPem(key.get(), false));
  }
  if (keys.empty()) {
    return absl::InvalidArgumentError(
        "no PEM public key (-----BEGIN PUBLIC KEY-----) found");
  }
  return keys;
}

}  // namespace

absl::StatusOr<JwtAlgorithm> ParseJwtAlgorithm(absl::string_view name) {
  if (name == "ES256") return JwtAlgorithm::kEs256;
  if (name == "RS256") return JwtAlgorithm::kRs256;
  if (name == "HS256") return JwtAlgorithm::kHs256;
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown JWT algorithm \"", name, "\" (ES256, RS256 or HS256)"));
}

absl::string_view JwtAlgorithmName(JwtAlgorithm algorithm) {
  switch (algorithm) {
    case JwtAlgorithm::kEs256:
      return "ES256";
    case JwtAlgorithm::kRs256:
      return "RS256";
    case JwtAlgorithm::kHs256:
      return "HS256";
  }
  return "";
}

absl::StatusOr<JwtKeys> LoadPublicKeys(absl::string_view content,
                                       JwtAlgorithm algorithm) {
  if (algorithm == JwtAlgorithm::kHs256) {
    return absl::InvalidArgumentError(
        "HS256 uses a shared secret, not public keys");
  }
  const absl::string_view trimmed = absl::StripLeadingAsciiWhitespace(content);
  if (absl::StartsWith(trimmed, "{")) return LoadJwks(content, algorithm);
  return LoadPem(content, algorithm);
}

absl::StatusOr<PemKeyPair> GenerateKeyPair(JwtAlgorithm algorithm) {
  EVP_PKEY* raw = nullptr;
  if (algorithm == JwtAlgorithm::kEs256) {
    raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  } else if (algorithm == JwtAlgorithm::kRs256) {
    raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048));
  } else {
    return absl::InvalidArgumentError("HS256 has no key pair");
  }
  if (raw == nullptr) return absl::InternalError("key generation failed");
  Pkey key(raw);
  return PemKeyPair{ToPem(key.get(), true), ToPem(key.get(), false)};
}

}  // namespace careers::auth
