#ifndef CAREERS_SERVER_CONFIG_H_
#define CAREERS_SERVER_CONFIG_H_

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "absl/time/time.h"

namespace careers {

// Everything careers-server can be told, from flags or environment.
// The database pool for `concurrency` calls at once (see
// Config::concurrency). The raw-SQL benchmark baseline sizes its pool the
// same way.
inline int DatabasePoolSize(int concurrency) {
  // One connection per worker, and one for the maintenance loop (the
  // access log and the health probe have connections of their own).
  return (concurrency > 1 ? concurrency : 1) + 1;
}

struct Config {
  std::string listen = "127.0.0.1:50051";
  std::string db_url;
  // Calls run at once: the server's workers, each with a database
  // connection of its own (DatabasePoolSize). Calls beyond wait in a queue
  // for a worker until their deadline. Sized for 2 cores by default
  // (about 8 connections: MariaDB's sweet spot there).
  int concurrency = 8;
  // Calls that may wait for a worker; one more is refused at once with
  // RESOURCE_EXHAUSTED and google.rpc.RetryInfo.
  int max_queued_calls = 5000;
  absl::Duration default_deadline = absl::Seconds(5);
  absl::Duration max_deadline = absl::Seconds(30);
  absl::Duration shutdown_timeout = absl::Seconds(15);
  // How long change records are kept for the feed; a token older than this
  // must resync.
  absl::Duration change_retention = absl::Hours(24 * 30);
  int max_message_bytes = 4 << 20;
  std::string page_token_key;  // from CAREERS_PAGE_TOKEN_KEY or a file
  std::string log_level = "info";

  // Token verification (required to serve).
  std::string jwt_issuer;
  std::string jwt_audience = "careers-api";
  std::string jwt_algorithm = "ES256";
  std::string jwt_keys_file;       // PEM or JWKS public keys (ES256, RS256)
  std::string dev_hs256_key_file;  // shared secret, development only
  absl::Duration jwt_clock_skew = absl::Seconds(60);

  // TLS: serve TLS with a certificate and key; with a client CA, require
  // client certificates signed by it (mTLS for services).
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string tls_client_ca_file;

  // Development only: write outside referees' attestation tokens to the
  // log (there is no mail sender yet).
  bool dev_log_referee_links = false;

  // One-off commands instead of serving.
  bool migrate = false;
  bool load_demo_data = false;
  std::optional<int64_t> rollback_to;
};

// Parses flags (and their environment variables). Returns the config, or
// the exit code to stop with (0 after --help, 2 for bad usage) having
// printed why.
std::variant<Config, int> ParseConfig(int argc, char** argv);

}  // namespace careers

#endif  // CAREERS_SERVER_CONFIG_H_
