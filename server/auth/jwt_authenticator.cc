#include "server/auth/jwt_authenticator.h"

#include <jwt.h>

#include <memory>
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

struct JwtFree {
  void operator()(jwt_t* j) const { jwt_free(j); }
};

jwt_alg_t LibJwtAlgorithm(JwtAlgorithm algorithm) {
  switch (algorithm) {
    case JwtAlgorithm::kEs256:
      return JWT_ALG_ES256;
    case JwtAlgorithm::kRs256:
      return JWT_ALG_RS256;
    case JwtAlgorithm::kHs256:
      return JWT_ALG_HS256;
  }
  return JWT_ALG_INVAL;
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
    : options_(std::move(options)), directory_(directory), clock_(clock) {}

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
  auto key = options_.keys.find(kid);
  if (key == options_.keys.end() && options_.keys.size() == 1) {
    key = options_.keys.begin();  // one key: whatever the token calls it
  }
  if (key == options_.keys.end()) {
    return Unauthenticated(
        absl::StrCat("the token's key id \"", kid, "\" is not known"));
  }

  jwt_t* raw = nullptr;
  const std::string token_text(token);
  if (jwt_decode(&raw, token_text.c_str(),
                 reinterpret_cast<const unsigned char*>(key->second.data()),
                 static_cast<int>(key->second.size())) != 0 ||
      raw == nullptr) {
    return Unauthenticated("the token signature does not verify");
  }
  std::unique_ptr<jwt_t, JwtFree> verified(raw);
  if (jwt_get_alg(verified.get()) != LibJwtAlgorithm(options_.algorithm)) {
    return Unauthenticated("the token signature does not verify");
  }

  const std::optional<json> claims = DecodeSegment(parts[1]);
  if (!claims) return Unauthenticated("the token payload is not readable");
  const absl::Time now = clock_.Now();
  const std::optional<absl::Time> exp = TimeClaim(*claims, "exp");
  if (!exp) return Unauthenticated("the token has no expiry (exp)");
  if (*exp + options_.clock_skew < now)
    return Unauthenticated("the token has expired");
  if (const auto nbf = TimeClaim(*claims, "nbf");
      nbf && *nbf - options_.clock_skew > now) {
    return Unauthenticated("the token is not valid yet (nbf)");
  }
  if (StringClaim(*claims, "iss") != options_.issuer) {
    return Unauthenticated("the token's issuer (iss) is not accepted");
  }
  if (!AudienceMatches(*claims, options_.audience)) {
    return Unauthenticated("the token is not meant for this service (aud)");
  }

  Principal p;
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
