// Token verification: the happy path, and every attack answered with
// UNAUTHENTICATED and a message saying what is wrong.
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <map>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/auth/jwt_authenticator.h"
#include "server/auth/jwt_mint.h"
#include "tests/support/test_data.h"

namespace careers::auth {
namespace {

using ::careers::testing::TestNow;
using ::testing::HasSubstr;

constexpr char kIssuer[] = "https://id.careers.test";
constexpr char kAudience[] = "careers-api";

// Advisers by subject, as the directory would answer.
class FakeDirectory final : public domain::DirectoryLookup {
 public:
  std::map<std::string, domain::AdviserIdentity> advisers;
  absl::StatusOr<bool> OrganisationExists(const RequestContext&,
                                          const std::string&) override {
    return true;
  }
  absl::StatusOr<bool> AdviserExists(const RequestContext&,
                                     const std::string&) override {
    return true;
  }
  absl::StatusOr<std::optional<domain::AdviserIdentity>> FindAdviserBySubject(
      const RequestContext&, const std::string& subject) override {
    auto it = advisers.find(subject);
    if (it == advisers.end()) return std::nullopt;
    return it->second;
  }
  absl::StatusOr<std::optional<std::string>> OrganisationOfAdviser(
      const RequestContext&, const std::string&) override {
    return std::nullopt;
  }
  absl::StatusOr<std::optional<std::string>> OrganisationOfLocation(
      const RequestContext&, const std::string&) override {
    return std::nullopt;
  }
  absl::StatusOr<std::optional<std::string>> TimeZoneOfLocation(
      const RequestContext&, const std::string&) override {
    return std::nullopt;
  }
};

class JwtTest : public ::testing::Test {
 protected:
  JwtTest() : clock_(TestNow()) {
    keys_ = *GenerateKeyPair(JwtAlgorithm::kEs256);
    directory_.advisers["adviser-sub"] = {"morag", "sds", true, false};
    directory_.advisers["deleted-sub"] = {"gone", "sds", true, true};
    directory_.advisers["inactive-sub"] = {"resting", "sds", false, false};
  }

  JwtAuthenticator Authenticator(
      JwtAlgorithm algorithm = JwtAlgorithm::kEs256) {
    JwtOptions options;
    options.algorithm = algorithm;
    options.keys = *LoadPublicKeys(keys_.public_pem, JwtAlgorithm::kEs256);
    options.issuer = kIssuer;
    options.audience = kAudience;
    return JwtAuthenticator(options, directory_, clock_);
  }

  TokenClaims Person() const {
    TokenClaims c;
    c.issuer = kIssuer;
    c.audience = kAudience;
    c.subject = "pupil-sub";
    c.role = "person";
    c.profile = "profiles/eilidh";
    c.issued_at = TestNow();
    c.expires_at = TestNow() + absl::Minutes(10);
    return c;
  }

  std::string Sign(const TokenClaims& claims) {
    return *MintToken(claims, JwtAlgorithm::kEs256, keys_.private_pem);
  }

  absl::StatusOr<Principal> Check(const std::string& token) {
    return Authenticator().Authenticate(absl::StrCat("Bearer ", token),
                                        absl::InfiniteFuture());
  }

  // Expects UNAUTHENTICATED with `why` in the message.
  void ExpectRefused(const std::string& token, absl::string_view why) {
    const absl::StatusOr<Principal> p = Check(token);
    EXPECT_EQ(p.status().code(), absl::StatusCode::kUnauthenticated) << why;
    EXPECT_THAT(std::string(p.status().message()), HasSubstr(std::string(why)));
  }

  FakeClock clock_;
  PemKeyPair keys_;
  FakeDirectory directory_;
};

TEST_F(JwtTest, AValidTokenBecomesAPrincipal) {
  auto p = Check(Sign(Person()));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->subject, "pupil-sub");
  EXPECT_EQ(p->role, Role::kPerson);
  EXPECT_EQ(p->profile, "profiles/eilidh");

  TokenClaims service = Person();
  service.role = "service";
  service.profile.clear();
  service.scopes = {"profiles.read", "skills.read"};
  auto s = Check(Sign(service));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_TRUE(s->HasScope("skills.read"));
  EXPECT_FALSE(s->HasScope("profiles.write"));
}

TEST_F(JwtTest, MissingOrMalformedCredentials) {
  auto none = Authenticator().Authenticate("", absl::InfiniteFuture());
  EXPECT_EQ(none.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(std::string(none.status().message()),
              HasSubstr("missing credentials"));
  auto basic = Authenticator().Authenticate("Basic dXNlcjpwYXNz",
                                            absl::InfiniteFuture());
  EXPECT_EQ(basic.status().code(), absl::StatusCode::kUnauthenticated);
  ExpectRefused("not-a-jwt", "not a signed JWT");
  ExpectRefused("a.b", "not a signed JWT");
}

TEST_F(JwtTest, ExpiredAndNotYetValid) {
  TokenClaims expired = Person();
  expired.expires_at = TestNow() - absl::Minutes(5);
  ExpectRefused(Sign(expired), "expired");
  TokenClaims within_skew = Person();
  within_skew.expires_at = TestNow() - absl::Seconds(30);  // skew is 60 s
  EXPECT_TRUE(Check(Sign(within_skew)).ok());
  TokenClaims early = Person();
  early.not_before = TestNow() + absl::Minutes(5);
  ExpectRefused(Sign(early), "not valid yet");
  TokenClaims no_expiry = Person();
  no_expiry.expires_at = absl::InfiniteFuture();  // no exp claim at all
  ExpectRefused(Sign(no_expiry), "no expiry");
}

TEST_F(JwtTest, WrongIssuerOrAudience) {
  TokenClaims issuer = Person();
  issuer.issuer = "https://evil.example";
  ExpectRefused(Sign(issuer), "issuer");
  TokenClaims audience = Person();
  audience.audience = "another-api";
  ExpectRefused(Sign(audience), "not meant for this service");
}

TEST_F(JwtTest, AlgNoneIsRefused) {
  const std::string header =
      absl::WebSafeBase64Escape(R"({"alg":"none","typ":"JWT"})");
  const std::vector<std::string> parts = absl::StrSplit(Sign(Person()), '.');
  ExpectRefused(absl::StrCat(header, ".", parts[1], "."), "algorithm \"none\"");
}

TEST_F(JwtTest, Hs256SignedWithThePublicKeyIsRefused) {
  // The classic confusion attack: an HMAC keyed with the server's public key.
  const std::string token =
      *MintToken(Person(), JwtAlgorithm::kHs256, keys_.public_pem);
  ExpectRefused(token, "algorithm \"HS256\" is not accepted");
}

TEST_F(JwtTest, TamperedPayloadIsRefused) {
  std::vector<std::string> parts = absl::StrSplit(Sign(Person()), '.');
  std::string payload;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(parts[1], &payload));
  const size_t at = payload.find("\"person\"");
  ASSERT_NE(at, std::string::npos);
  payload.replace(at, 8, "\"admin\"");
  parts[1] = absl::WebSafeBase64Escape(payload);
  ExpectRefused(absl::StrJoin(parts, "."), "signature does not verify");
}

TEST_F(JwtTest, AnotherKeyOrAlgorithmIsRefused) {
  const PemKeyPair stranger = *GenerateKeyPair(JwtAlgorithm::kEs256);
  ExpectRefused(
      *MintToken(Person(), JwtAlgorithm::kEs256, stranger.private_pem),
      "signature does not verify");
  const PemKeyPair rsa = *GenerateKeyPair(JwtAlgorithm::kRs256);
  ExpectRefused(*MintToken(Person(), JwtAlgorithm::kRs256, rsa.private_pem),
                "algorithm \"RS256\" is not accepted");
}

TEST_F(JwtTest, ClaimsMustMakeSense) {
  TokenClaims no_subject = Person();
  no_subject.subject.clear();
  ExpectRefused(Sign(no_subject), "no subject");
  TokenClaims bad_role = Person();
  bad_role.role = "superuser";
  ExpectRefused(Sign(bad_role), "role");
  TokenClaims person_without_profile = Person();
  person_without_profile.profile.clear();
  ExpectRefused(Sign(person_without_profile), "profile claim");
  TokenClaims staff_without_org = Person();
  staff_without_org.role = "org_admin";
  ExpectRefused(Sign(staff_without_org), "organisation claim");
}

TEST_F(JwtTest, AdviserTokensNeedALiveAdviserRecord) {
  TokenClaims adviser = Person();
  adviser.role = "adviser";
  adviser.profile.clear();
  adviser.organisation = "organisations/sds";
  adviser.subject = "adviser-sub";
  auto ok = Check(Sign(adviser));
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->organisation, "organisations/sds");

  for (const char* subject : {"deleted-sub", "inactive-sub", "unknown-sub"}) {
    adviser.subject = subject;
    ExpectRefused(Sign(adviser), "not active");
  }
  adviser.subject = "adviser-sub";
  adviser.organisation =
      "organisations/elsewhere";  // claims another organisation
  ExpectRefused(Sign(adviser), "not active");
}

// The server checks signatures itself with keys parsed once; each
// algorithm it can be pinned to accepts its own tokens and nothing else.
TEST_F(JwtTest, Rs256AndHs256TokensVerifyWhenConfigured) {
  auto accepts = [&](JwtAlgorithm algorithm, const std::string& key_text,
                     const std::string& token) {
    JwtOptions options;
    options.algorithm = algorithm;
    options.keys = algorithm == JwtAlgorithm::kHs256
                       ? JwtKeys{{"", key_text}}
                       : *LoadPublicKeys(key_text, algorithm);
    options.issuer = kIssuer;
    options.audience = kAudience;
    JwtAuthenticator authenticator(options, directory_, clock_);
    return authenticator
        .Authenticate(absl::StrCat("Bearer ", token), absl::InfiniteFuture())
        .ok();
  };
  const PemKeyPair rsa = *GenerateKeyPair(JwtAlgorithm::kRs256);
  const std::string rs256 =
      *MintToken(Person(), JwtAlgorithm::kRs256, rsa.private_pem);
  EXPECT_TRUE(accepts(JwtAlgorithm::kRs256, rsa.public_pem, rs256));
  const PemKeyPair other = *GenerateKeyPair(JwtAlgorithm::kRs256);
  EXPECT_FALSE(accepts(JwtAlgorithm::kRs256, other.public_pem, rs256));

  const std::string secret(40, 's');
  const std::string hs256 = *MintToken(Person(), JwtAlgorithm::kHs256, secret);
  EXPECT_TRUE(accepts(JwtAlgorithm::kHs256, secret, hs256));
  EXPECT_FALSE(accepts(JwtAlgorithm::kHs256, std::string(40, 't'), hs256));
  // An ES256 token's signature is 64 raw bytes; anything else is refused.
  const std::string es256 = Sign(Person());
  EXPECT_TRUE(accepts(JwtAlgorithm::kEs256, keys_.public_pem, es256));
  const std::string truncated = es256.substr(0, es256.size() - 4);
  EXPECT_FALSE(accepts(JwtAlgorithm::kEs256, keys_.public_pem, truncated));
}

TEST_F(JwtTest, ARememberedTokenStillExpiresAndStillNeedsItsAdviser) {
  // One authenticator, so the second and later calls find the token
  // verified already.
  JwtAuthenticator authenticator = Authenticator();
  auto check = [&](const std::string& token) {
    return authenticator.Authenticate(absl::StrCat("Bearer ", token),
                                      absl::InfiniteFuture());
  };
  const std::string person = Sign(Person());  // expires in 10 minutes
  ASSERT_TRUE(check(person).ok());
  ASSERT_TRUE(check(person).ok());
  clock_.Advance(absl::Minutes(12));  // past exp and the 60 s skew
  const absl::StatusOr<Principal> late = check(person);
  EXPECT_EQ(late.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(std::string(late.status().message()), HasSubstr("expired"));

  TokenClaims adviser = Person();
  adviser.role = "adviser";
  adviser.profile.clear();
  adviser.organisation = "organisations/sds";
  adviser.subject = "adviser-sub";
  adviser.issued_at = clock_.Now();
  adviser.expires_at = clock_.Now() + absl::Minutes(10);
  const std::string staff = Sign(adviser);
  ASSERT_TRUE(check(staff).ok());
  directory_.advisers["adviser-sub"].active = false;  // account ended
  const absl::StatusOr<Principal> ended = check(staff);
  EXPECT_EQ(ended.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(std::string(ended.status().message()), HasSubstr("not active"));

  // A token that did not verify is not remembered as if it had.
  std::string tampered = Sign(Person());
  tampered[tampered.size() - 3] =
      tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(check(tampered).ok());
  EXPECT_FALSE(check(tampered).ok());
}

// A JWKS entry for an EC public key.
std::string JwksOf(const std::string& public_pem, const std::string& kid) {
  BIO* bio =
      BIO_new_mem_buf(public_pem.data(), static_cast<int>(public_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  unsigned char point[65];
  size_t len = 0;
  EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, point,
                                  sizeof(point), &len);
  EVP_PKEY_free(key);
  const std::string raw(reinterpret_cast<char*>(point), len);
  return absl::StrCat(
      R"({"kty":"EC","crv":"P-256","use":"sig","alg":"ES256","kid":")", kid,
      R"(","x":")", absl::WebSafeBase64Escape(raw.substr(1, 32)), R"(","y":")",
      absl::WebSafeBase64Escape(raw.substr(33, 32)), R"("})");
}

TEST_F(JwtTest, JwksKeysAreChosenByKid) {
  const PemKeyPair second = *GenerateKeyPair(JwtAlgorithm::kEs256);
  const std::string jwks =
      absl::StrCat(R"({"keys":[)", JwksOf(keys_.public_pem, "k1"), ",",
                   JwksOf(second.public_pem, "k2"),
                   R"(,{"kty":"oct","k":"c2VjcmV0","use":"enc"}]})");
  auto loaded = LoadPublicKeys(jwks, JwtAlgorithm::kEs256);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_EQ(loaded->size(), 2u);
  JwtOptions options;
  options.algorithm = JwtAlgorithm::kEs256;
  options.keys = *loaded;
  options.issuer = kIssuer;
  options.audience = kAudience;
  JwtAuthenticator authenticator(options, directory_, clock_);
  auto check = [&](const std::string& key, const std::string& kid) {
    return authenticator.Authenticate(
        absl::StrCat("Bearer ",
                     *MintToken(Person(), JwtAlgorithm::kEs256, key, kid)),
        absl::InfiniteFuture());
  };
  EXPECT_TRUE(check(keys_.private_pem, "k1").ok());
  EXPECT_TRUE(check(second.private_pem, "k2").ok());
  EXPECT_EQ(check(second.private_pem, "k1").status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(std::string(check(second.private_pem, "k9").status().message()),
              HasSubstr("key id"));
}

TEST_F(JwtTest, KeysOfTheWrongTypeAreRefusedAtStartup) {
  const PemKeyPair rsa = *GenerateKeyPair(JwtAlgorithm::kRs256);
  EXPECT_FALSE(LoadPublicKeys(rsa.public_pem, JwtAlgorithm::kEs256).ok());
  EXPECT_TRUE(LoadPublicKeys(rsa.public_pem, JwtAlgorithm::kRs256).ok());
  EXPECT_FALSE(LoadPublicKeys("not a key", JwtAlgorithm::kEs256).ok());
  EXPECT_FALSE(LoadPublicKeys(R"({"keys":[]})", JwtAlgorithm::kEs256).ok());
}

}  // namespace
}  // namespace careers::auth
