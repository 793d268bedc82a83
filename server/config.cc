#include "server/config.h"

#include <fstream>
#include <iostream>
#include <sstream>

#include "CLI/CLI.hpp"
#include "absl/strings/ascii.h"

namespace careers {
namespace {

// CLI11 validator and converter for durations such as 500ms, 5s, 2m.
absl::Duration ParseDurationOrThrow(const std::string& name,
                                    const std::string& text) {
  absl::Duration d;
  if (!absl::ParseDuration(text, &d) || d <= absl::ZeroDuration()) {
    throw CLI::ValidationError(
        name, "must be a positive duration such as 500ms, 5s or 2m");
  }
  return d;
}

}  // namespace

std::variant<Config, int> ParseConfig(int argc, char** argv) {
  Config c;
  CLI::App app{
      "careers-server: the careers service's gRPC API (profiles, goals, "
      "actions) "
      "on MariaDB/MySQL.\nEvery flag can also be set by the environment "
      "variable "
      "shown beside it."};
  app.get_formatter()->column_width(40);

  std::string default_deadline = "5s";
  std::string max_deadline = "30s";
  std::string shutdown_timeout = "15s";
  std::string change_retention = "720h";
  std::string page_token_key_file;
  int64_t rollback_to = -1;

  app.add_option("--listen", c.listen,
                 "address:port to serve gRPC on; port 0 picks a free one")
      ->envname("CAREERS_LISTEN")
      ->capture_default_str();
  app.add_option("--db-url", c.db_url,
                 "database, mysql://USER:PASSWORD@HOST:PORT/DATABASE "
                 "(or ...@/DATABASE?socket=PATH)")
      ->envname("CAREERS_DB_URL")
      ->required();
  app.add_option("--concurrency", c.concurrency,
                 "calls run at once (worker threads, each with a database "
                 "connection); further calls wait for a worker")
      ->envname("CAREERS_CONCURRENCY")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_option("--max-queued-calls", c.max_queued_calls,
                 "calls that may wait for a worker (until their deadline); "
                 "one more is refused with RESOURCE_EXHAUSTED and RetryInfo")
      ->envname("CAREERS_MAX_QUEUED_CALLS")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  app.add_option("--default-deadline", default_deadline,
                 "deadline for calls that set none; database statements get "
                 "what is left")
      ->envname("CAREERS_DEFAULT_DEADLINE")
      ->capture_default_str();
  app.add_option("--max-deadline", max_deadline,
                 "longest a call may run, whatever deadline it asks for")
      ->envname("CAREERS_MAX_DEADLINE")
      ->capture_default_str();
  app.add_option("--shutdown-timeout", shutdown_timeout,
                 "on SIGTERM/SIGINT, how long in-flight calls may finish "
                 "before they are cancelled")
      ->envname("CAREERS_SHUTDOWN_TIMEOUT")
      ->capture_default_str();
  app.add_option("--change-retention", change_retention,
                 "how long the change feed keeps changes (720h = 30 days); "
                 "a client with an older token must resync")
      ->envname("CAREERS_CHANGE_RETENTION")
      ->capture_default_str();
  app.add_option("--max-message-bytes", c.max_message_bytes,
                 "largest request or response message")
      ->envname("CAREERS_MAX_MESSAGE_BYTES")
      ->check(CLI::Range(1024, 64 << 20))
      ->capture_default_str();
  app.add_option(
         "--page-token-key-file", page_token_key_file,
         "file with the secret that signs page tokens (replicas must share "
         "it); "
         "or set CAREERS_PAGE_TOKEN_KEY; random per process if neither is set")
      ->envname("CAREERS_PAGE_TOKEN_KEY_FILE");
  app.add_option("--log-level", c.log_level,
                 "trace, debug, info, warn, error or off")
      ->envname("CAREERS_LOG_LEVEL")
      ->check(CLI::IsMember(
          {"trace", "debug", "info", "warn", "error", "critical", "off"}))
      ->capture_default_str();
  std::string jwt_clock_skew = "60s";
  app.add_option("--jwt-issuer", c.jwt_issuer,
                 "the identity provider tokens must come from (iss); required "
                 "to serve")
      ->envname("CAREERS_JWT_ISSUER");
  app.add_option("--jwt-audience", c.jwt_audience,
                 "what tokens must be for (aud)")
      ->envname("CAREERS_JWT_AUDIENCE")
      ->capture_default_str();
  app.add_option("--jwt-algorithm", c.jwt_algorithm,
                 "the one signature algorithm accepted: ES256, RS256, or "
                 "HS256 with --dev-hs256-key-file")
      ->envname("CAREERS_JWT_ALGORITHM")
      ->check(CLI::IsMember({"ES256", "RS256", "HS256"}))
      ->capture_default_str();
  app.add_option("--jwt-keys-file", c.jwt_keys_file,
                 "the identity provider's public keys: a PEM public key or a "
                 "JWKS document")
      ->envname("CAREERS_JWT_KEYS_FILE");
  app.add_option("--dev-hs256-key-file", c.dev_hs256_key_file,
                 "DEVELOPMENT ONLY: a shared HS256 secret (at least 32 bytes)")
      ->envname("CAREERS_DEV_HS256_KEY_FILE");
  app.add_option("--jwt-clock-skew", jwt_clock_skew,
                 "leeway for exp and nbf between our clock and the issuer's")
      ->envname("CAREERS_JWT_CLOCK_SKEW")
      ->capture_default_str();
  app.add_option("--tls-cert", c.tls_cert_file,
                 "serve TLS with this PEM certificate (chain)")
      ->envname("CAREERS_TLS_CERT");
  app.add_option("--tls-key", c.tls_key_file,
                 "the PEM private key of --tls-cert")
      ->envname("CAREERS_TLS_KEY");
  app.add_option("--tls-client-ca", c.tls_client_ca_file,
                 "require client certificates signed by this PEM CA (mTLS)")
      ->envname("CAREERS_TLS_CLIENT_CA");
  app.add_flag("--dev-log-referee-links", c.dev_log_referee_links,
               "development only: log the single-use tokens of outside "
               "referees' attestation requests (no mail sender yet)")
      ->envname("CAREERS_DEV_LOG_REFEREE_LINKS");
  app.add_flag(
      "--migrate", c.migrate,
      "apply pending database migrations, then exit (before --load-demo-data)");
  app.add_flag("--load-demo-data", c.load_demo_data,
               "load the demo organisations, advisers and profiles "
               "(idempotent), then exit");
  app.add_option(
         "--rollback-to", rollback_to,
         "revert migrations newer than this version (0 = all), then exit")
      ->check(CLI::NonNegativeNumber);

  try {
    app.parse(argc, argv);
    c.default_deadline =
        ParseDurationOrThrow("--default-deadline", default_deadline);
    c.max_deadline = ParseDurationOrThrow("--max-deadline", max_deadline);
    c.shutdown_timeout =
        ParseDurationOrThrow("--shutdown-timeout", shutdown_timeout);
    c.change_retention =
        ParseDurationOrThrow("--change-retention", change_retention);
    if (c.change_retention < absl::Minutes(1)) {
      throw CLI::ValidationError("--change-retention", "must be at least 1m");
    }
    c.jwt_clock_skew = ParseDurationOrThrow("--jwt-clock-skew", jwt_clock_skew);
    if (c.tls_cert_file.empty() != c.tls_key_file.empty()) {
      throw CLI::ValidationError("--tls-cert",
                                 "--tls-cert and --tls-key go together");
    }
    if (!c.tls_client_ca_file.empty() && c.tls_cert_file.empty()) {
      throw CLI::ValidationError("--tls-client-ca",
                                 "needs --tls-cert and --tls-key");
    }
    if (c.default_deadline > c.max_deadline) {
      throw CLI::ValidationError("--default-deadline",
                                 "must not exceed --max-deadline");
    }
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  if (rollback_to >= 0) c.rollback_to = rollback_to;

  if (!page_token_key_file.empty()) {
    std::ifstream in(page_token_key_file, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    if (!in) {
      std::cerr << "careers-server: cannot read --page-token-key-file "
                << page_token_key_file << "\n";
      return 2;
    }
    c.page_token_key = std::string(absl::StripAsciiWhitespace(buffer.str()));
  } else if (const char* key = std::getenv("CAREERS_PAGE_TOKEN_KEY")) {
    c.page_token_key = key;
  }
  if (!c.page_token_key.empty() && c.page_token_key.size() < 32) {
    std::cerr << "careers-server: the page token key must be at least 32 "
                 "characters\n";
    return 2;
  }
  return c;
}

}  // namespace careers
