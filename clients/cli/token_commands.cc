// `careersctl token mint`: signs a development bearer token locally, with
// the claims the server's JwtAuthenticator reads. No RPC.
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "clients/cli/command.h"
#include "clients/cli/flags.h"
#include "clients/cli/standard_commands.h"
#include "server/auth/jwt_keys.h"
#include "server/auth/jwt_mint.h"

namespace careers::cli {
namespace {

constexpr char kKeyEnv[] = "CAREERS_DEV_JWT_KEY";
// The server refuses shorter HS256 secrets.
constexpr size_t kMinSecretBytes = 32;

absl::Duration MaxTtl() { return absl::Hours(24); }

// The values of `token mint`'s flags, as typed.
struct MintFlags {
  std::string role;
  std::string subject;
  std::string organisation;
  std::string profile;
  std::vector<std::string> scopes;
  std::string key_file;
  std::string secret_file;
  std::string issuer = "https://careers.local/dev";
  std::string audience = "careers-api";
  std::string ttl = "1h";
  std::string key_id;
};

// Whether `name` is `collection/{id}` with a non-empty id and no more '/'.
bool IsName(const std::string& name, const std::string& collection) {
  const std::string prefix = collection + "/";
  return absl::StartsWith(name, prefix) && name.size() > prefix.size() &&
         name.find('/', prefix.size()) == std::string::npos;
}

absl::StatusOr<std::string> ReadFile(const std::string& what,
                                     const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot read ", what, " file '", path, "'"));
  }
  return std::string((std::istreambuf_iterator<char>(file)),
                     std::istreambuf_iterator<char>());
}

// The signing key and its algorithm, from --key (or CAREERS_DEV_JWT_KEY)
// or --hs256-secret-file.
struct SigningKey {
  auth::JwtAlgorithm algorithm = auth::JwtAlgorithm::kEs256;
  std::string key;
};

absl::StatusOr<SigningKey> LoadSigningKey(const MintFlags& flags) {
  if (!flags.key_file.empty() && !flags.secret_file.empty()) {
    return absl::InvalidArgumentError(
        "give --key or --hs256-secret-file, not both");
  }
  SigningKey signing;
  if (!flags.secret_file.empty()) {
    absl::StatusOr<std::string> secret =
        ReadFile("--hs256-secret-file", flags.secret_file);
    if (!secret.ok()) return secret.status();
    if (secret->size() < kMinSecretBytes) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--hs256-secret-file '", flags.secret_file, "' holds ",
          secret->size(), " bytes; an HS256 secret needs at least ",
          kMinSecretBytes));
    }
    // Used byte for byte, as the server reads --dev-hs256-key-file.
    signing.algorithm = auth::JwtAlgorithm::kHs256;
    signing.key = *std::move(secret);
    return signing;
  }
  std::string what = "--key";
  std::string path = flags.key_file;
  if (path.empty()) {
    const char* env = std::getenv(kKeyEnv);
    if (env == nullptr || *env == '\0') {
      return absl::InvalidArgumentError(
          absl::StrCat("give --key FILE (a PEM private key, or set ", kKeyEnv,
                       ") or --hs256-secret-file FILE"));
    }
    what = absl::StrCat("--key (", kKeyEnv, ")");
    path = env;
  }
  absl::StatusOr<std::string> pem = ReadFile(what, path);
  if (!pem.ok()) return pem.status();
  absl::StatusOr<auth::JwtAlgorithm> algorithm =
      auth::AlgorithmOfPrivateKey(*pem);
  if (!algorithm.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, " file '", path, "': ", algorithm.status().message()));
  }
  signing.algorithm = *algorithm;
  signing.key = *std::move(pem);
  return signing;
}

// The token `flags` describe, valid from `now`; InvalidArgument for a usage
// mistake.
absl::StatusOr<std::string> Mint(const MintFlags& flags, absl::Time now) {
  const bool staff = flags.role == "adviser" || flags.role == "org_admin";
  if (staff && !IsName(flags.organisation, "organisations")) {
    return absl::InvalidArgumentError(
        absl::StrCat("role ", flags.role,
                     " needs --organisation organisations/{organisation}"));
  }
  if (!flags.organisation.empty() &&
      !IsName(flags.organisation, "organisations")) {
    return absl::InvalidArgumentError(
        "--organisation must be organisations/{organisation}");
  }
  if (flags.role == "person" && !IsName(flags.profile, "profiles")) {
    return absl::InvalidArgumentError(
        "role person needs --profile profiles/{profile}");
  }
  if (!flags.profile.empty() && !IsName(flags.profile, "profiles")) {
    return absl::InvalidArgumentError("--profile must be profiles/{profile}");
  }
  absl::StatusOr<SigningKey> signing = LoadSigningKey(flags);
  if (!signing.ok()) return signing.status();

  auth::TokenClaims claims;
  claims.issuer = flags.issuer;
  claims.audience = flags.audience;
  claims.subject =
      flags.subject.empty() ? absl::StrCat("dev-", flags.role) : flags.subject;
  claims.role = flags.role;
  claims.organisation = flags.organisation;
  claims.profile = flags.profile;
  claims.scopes = flags.scopes;
  claims.issued_at = now;
  // Checked while parsing.
  claims.expires_at = now + *ParseTimeout(flags.ttl);
  absl::StatusOr<std::string> token =
      auth::MintToken(claims, signing->algorithm, signing->key, flags.key_id);
  if (!token.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot sign the token: ", token.status().message()));
  }
  return token;
}

// CLI11 validator of --ttl: "" when it is a duration from 1s to 24h.
std::string CheckTtl(const std::string& value) {
  absl::StatusOr<absl::Duration> ttl = ParseTimeout(value);
  if (!ttl.ok()) return std::string(ttl.status().message());
  if (*ttl < absl::Seconds(1) || *ttl > MaxTtl()) {
    return absl::StrCat("'", value, "' is not between 1s and 24h");
  }
  return "";
}

}  // namespace

void AddTokenCommands(CLI::App& root, CommandSelection& selection) {
  CLI::App& group =
      *root.add_subcommand("token", "Development bearer tokens (no server)");
  group.require_subcommand(1);

  auto flags = std::make_shared<MintFlags>();
  CLI::App& cmd = *group.add_subcommand(
      "mint",
      "Sign a development token and print it: "
      "export CAREERS_TOKEN=$(careersctl token mint --role admin --key k.pem)");
  cmd.add_option("--role", flags->role, "Who the token is for")
      ->required()
      ->check(CLI::IsMember({"person", "guardian", "adviser", "org_admin",
                             "service", "admin"})
                  .description(""))
      ->type_name("person|guardian|adviser|org_admin|service|admin");
  cmd.add_option("--subject", flags->subject,
                 "The subject (sub) (default: dev-ROLE)");
  cmd.add_option("--organisation", flags->organisation,
                 "organisations/{organisation} of staff (required for adviser "
                 "and org_admin)");
  cmd.add_option("--profile", flags->profile,
                 "profiles/{profile} of the person (required for person)");
  cmd.add_option("--scope", flags->scopes,
                 "A service scope such as profiles.read (repeatable)")
      ->allow_extra_args(false);
  cmd.add_option("--key", flags->key_file,
                 "PEM private key to sign with: EC P-256 (ES256) or RSA "
                 "(RS256); default from the environment variable "
                 "CAREERS_DEV_JWT_KEY")
      ->type_name("FILE");
  cmd.add_option("--hs256-secret-file", flags->secret_file,
                 "Sign with HS256 and the shared secret in FILE (at least 32 "
                 "bytes, used as is) instead of --key")
      ->type_name("FILE");
  cmd.add_option("--issuer", flags->issuer, "The issuer (iss)")
      ->envname("CAREERS_JWT_ISSUER")
      ->capture_default_str();
  cmd.add_option("--audience", flags->audience, "The audience (aud)")
      ->envname("CAREERS_JWT_AUDIENCE")
      ->capture_default_str();
  cmd.add_option("--ttl", flags->ttl, "How long the token is valid, up to 24h")
      ->check(CLI::Validator([](std::string& value) { return CheckTtl(value); },
                             ""))
      ->type_name("DURATION")
      ->capture_default_str();
  cmd.add_option("--key-id", flags->key_id,
                 "Key id put in the token header (kid)");
  selection.Register(
      cmd,
      [flags](CommandEnv& env) {
        absl::StatusOr<std::string> token = Mint(*flags, absl::Now());
        if (!token.ok()) {
          return UsageError(std::string(token.status().message()), env.err);
        }
        env.out << *token << "\n";
        return kExitOk;
      },
      /*uses_server=*/false);
}

}  // namespace careers::cli
