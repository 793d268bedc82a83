#include "server/auth/jwt_authenticator.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include <memory>
#include <mutex>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "nlohmann/json.hpp"
#include "server/domain/resource_names.h"

namespace careers::auth {
namespace {

using nlohmann::json;

absl::Status Unauthenticated(absl::string_view why) {
  return absl::UnauthenticatedError(absl::StrCat("invalid credentials: ", why));
}

// A public key (ES256, RS256) parsed once, or the HS256 secret.
std::shared_ptr<const JwtAuthenticator::VerificationKey> ParseKey(
    JwtAlgorithm algorithm, const std::string& text) {
  auto key = std::make_shared<JwtAuthenticator::VerificationKey>();
  if (algorithm == JwtAlgorithm::kHs256) {
    key->secret = text;
    return key;
  }
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(text.data(), static_cast<int>(text.size())), BIO_free);
  EVP_PKEY* pkey = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  // A key that does not parse verifies nothing (LoadPublicKeys has already
  // refused such keys at startup).
  if (pkey != nullptr) key->pkey.reset(pkey, EVP_PKEY_free);
  return key;
}

// Whether `signature` (base64url) is `algorithm`'s signature of `input`
// with `key`. ES256 signatures are the raw 64 bytes r || s (RFC 7518 3.4).
bool SignatureVerifies(JwtAlgorithm algorithm,
                       const JwtAuthenticator::VerificationKey& key,
                       absl::string_view input, absl::string_view signature) {
  std::string sig;
  if (!absl::WebSafeBase64Unescape(signature, &sig)) return false;
  const auto* data = reinterpret_cast<const unsigned char*>(input.data());
  if (algorithm == JwtAlgorithm::kHs256) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (key.secret.empty() || HMAC(EVP_sha256(), key.secret.data(),
                                   static_cast<int>(key.secret.size()), data,
                                   input.size(), mac, &length) == nullptr) {
      return false;
    }
    return sig.size() == length && CRYPTO_memcmp(mac, sig.data(), length) == 0;
  }
  if (key.pkey == nullptr) return false;
  std::string der;
  if (algorithm == JwtAlgorithm::kEs256) {
    if (sig.size() != 64) return false;
    const auto* raw = reinterpret_cast<const unsigned char*>(sig.data());
    ECDSA_SIG* ecdsa = ECDSA_SIG_new();
    BIGNUM* r = BN_bin2bn(raw, 32, nullptr);
    BIGNUM* s = BN_bin2bn(raw + 32, 32, nullptr);
    if (ecdsa == nullptr || r == nullptr || s == nullptr ||
        ECDSA_SIG_set0(ecdsa, r, s) != 1) {
      ECDSA_SIG_free(ecdsa);
      BN_free(r);
      BN_free(s);
      return false;
    }
    unsigned char* encoded = nullptr;
    const int length = i2d_ECDSA_SIG(ecdsa, &encoded);
    ECDSA_SIG_free(ecdsa);
    if (length <= 0) return false;
    der.assign(reinterpret_cast<char*>(encoded), static_cast<size_t>(length));
    OPENSSL_free(encoded);
    sig = std::move(der);
  }
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                              EVP_MD_CTX_free);
  return ctx != nullptr &&
         EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr,
                              key.pkey.get()) == 1 &&
         EVP_DigestVerify(ctx.get(),
                          reinterpret_cast<const unsigned char*>(sig.data()),
                          sig.size(), data, input.size()) == 1;
}

// A JSON object from one base64url segment of a token.
std::optional<json> DecodeSegment(absl::string_view segment) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(segment, &raw)) return std::nullopt;
  json doc = json::parse(raw, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return std::nullopt;
  return doc;
}

// A NumericDate claim (seconds since the epoch), if present and numeric.
std::optional<absl::Time> TimeClaim(const json& claims, const char* name) {
  if (!claims.contains(name) || !claims[name].is_number()) return std::nullopt;
  return absl::FromUnixSeconds(claims[name].get<int64_t>());
}

std::string StringClaim(const json& claims, const char* name) {
  if (!claims.contains(name) || !claims[name].is_string()) return "";
  return claims[name].get<std::string>();
}

bool AudienceMatches(const json& claims, const std::string& audience) {
  if (!claims.contains("aud")) return false;
  const json& aud = claims["aud"];
  if (aud.is_string()) return aud.get<std::string>() == audience;
  if (aud.is_array()) {
    for (const json& a : aud) {
      if (a.is_string() && a.get<std::string>() == audience) return true;
    }
  }
  return false;
}

}  // namespace

JwtAuthenticator::JwtAuthenticator(JwtOptions options,
                                   domain::DirectoryLookup& directory,
                                   const Clock& clock)
    : options_(std::move(options)), directory_(directory), clock_(clock) {
  for (const auto& [kid, text] : options_.keys) {
    keys_[kid] = ParseKey(options_.algorithm, text);
  }
}

absl::StatusOr<JwtAuthenticator::VerifiedToken> JwtAuthenticator::Verify(
    absl::string_view token) const {
  {
    std::lock_guard<std::mutex> lock(cache_mu_);
    auto hit = cache_.find(token);
    if (hit != cache_.end()) return hit->second;
  }
  const std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 3 || parts[0].empty() || parts[1].empty()) {
    return Unauthenticated(
        "the token is not a signed JWT (header.payload.signature)");
  }

  // The header is checked before any key is used: the algorithm is ours to
  // choose, not the token's.
  const std::optional<json> header = DecodeSegment(parts[0]);
  if (!header) return Unauthenticated("the token header is not readable");
  const std::string alg = StringClaim(*header, "alg");
  if (alg != JwtAlgorithmName(options_.algorithm)) {
    return Unauthenticated(absl::StrCat(
        "token algorithm \"", alg, "\" is not accepted (this server accepts ",
        JwtAlgorithmName(options_.algorithm), ")"));
  }
  if (header->contains("crit")) {
    return Unauthenticated(
        "the token has critical header extensions this server does not know");
  }
  const std::string kid = StringClaim(*header, "kid");
  auto key = keys_.find(kid);
  if (key == keys_.end() && keys_.size() == 1) {
    key = keys_.begin();  // one key: whatever the token calls it
  }
  if (key == keys_.end()) {
    return Unauthenticated(
        absl::StrCat("the token's key id \"", kid, "\" is not known"));
  }
  // The signature covers "header.payload" as sent.
  const absl::string_view signing_input =
      token.substr(0, parts[0].size() + 1 + parts[1].size());
  if (!SignatureVerifies(options_.algorithm, *key->second, signing_input,
                         parts[2])) {
    return Unauthenticated("the token signature does not verify");
  }

  const std::optional<json> claims = DecodeSegment(parts[1]);
  if (!claims) return Unauthenticated("the token payload is not readable");
  const std::optional<absl::Time> exp = TimeClaim(*claims, "exp");
  if (!exp) return Unauthenticated("the token has no expiry (exp)");
  if (StringClaim(*claims, "iss") != options_.issuer) {
    return Unauthenticated("the token's issuer (iss) is not accepted");
  }
  if (!AudienceMatches(*claims, options_.audience)) {
    return Unauthenticated("the token is not meant for this service (aud)");
  }

  VerifiedToken v;
  v.expires_at = *exp;
  v.not_before = TimeClaim(*claims, "nbf").value_or(absl::InfinitePast());
  Principal& p = v.principal;
  p.subject = StringClaim(*claims, "sub");
  if (p.subject.empty())
    return Unauthenticated("the token has no subject (sub)");
  const std::optional<Role> role = ParseRole(StringClaim(*claims, "role"));
  if (!role) {
    return Unauthenticated(
        "the token's role is missing or unknown (person, guardian, adviser, "
        "org_admin, service, admin)");
  }
  p.role = *role;
  p.organisation = StringClaim(*claims, "organisation");
  p.profile = StringClaim(*claims, "profile");
  for (absl::string_view scope :
       absl::StrSplit(StringClaim(*claims, "scope"), ' ', absl::SkipEmpty())) {
    p.scopes.emplace_back(scope);
  }
  if (p.IsStaff() &&
      !names::ParseName("organisation", p.organisation, names::kOrganisations)
           .ok()) {
    return Unauthenticated(
        "a staff token needs an organisation claim (organisations/{id})");
  }
  if (p.role == Role::kPerson &&
      !names::ParseName("profile", p.profile, names::kProfiles).ok()) {
    return Unauthenticated(
        "a person's token needs a profile claim (profiles/{id})");
  }

  std::lock_guard<std::mutex> lock(cache_mu_);
  // Bounded: when full, start again rather than track ages.
  if (cache_.size() >= kMaxCachedTokens) cache_.clear();
  cache_.emplace(std::string(token), v);
  return v;
}

absl::StatusOr<Principal> JwtAuthenticator::Authenticate(
    absl::string_view authorization, absl::Time deadline) const {
  if (authorization.empty()) {
    return absl::UnauthenticatedError(
        "missing credentials: send the metadata `authorization: Bearer "
        "<token>`");
  }
  absl::string_view token = authorization;
  if (!absl::ConsumePrefix(&token, "Bearer ") &&
      !absl::ConsumePrefix(&token, "bearer ")) {
    return Unauthenticated(
        "the authorization metadata must be `Bearer <token>`");
  }
  token = absl::StripAsciiWhitespace(token);
  absl::StatusOr<VerifiedToken> verified = Verify(token);
  if (!verified.ok()) return verified.status();
  // The time claims are checked on every call, cached or not.
  const absl::Time now = clock_.Now();
  if (verified->expires_at + options_.clock_skew < now) {
    return Unauthenticated("the token has expired");
  }
  if (verified->not_before - options_.clock_skew > now) {
    return Unauthenticated("the token is not valid yet (nbf)");
  }
  Principal p = verified->principal;

  // Staff accounts end when their adviser record does.
  if (p.role == Role::kAdviser) {
    RequestContext ctx;
    ctx.deadline = deadline;
    ctx.principal = p;
    absl::StatusOr<std::optional<domain::AdviserIdentity>> adviser =
        directory_.FindAdviserBySubject(ctx, p.subject);
    if (!adviser.ok()) return adviser.status();
    if (!adviser->has_value() || (*adviser)->deleted || !(*adviser)->active ||
        names::Name(names::kOrganisations, (*adviser)->organisation_id) !=
            p.organisation) {
      return Unauthenticated(
          "this adviser account is not active in that organisation");
    }
  }
  return p;
}

}  // namespace careers::auth
