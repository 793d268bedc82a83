#include "server/server.h"

#include <grpcpp/grpcpp.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "db/embedded_files.h"
#include "server/api/async_server.h"
#include "server/api/call.h"
#include "server/api/careers_rpcs.h"
#include "server/api/change_streams.h"
#include "server/api/health_service.h"
#include "server/api/request_parsing.h"
#include "server/auth/access_policy.h"
#include "server/auth/authenticator.h"
#include "server/auth/jwt_authenticator.h"
#include "server/common/clock.h"
#include "server/common/ids.h"
#include "server/common/logging.h"
#include "server/demo_data.h"
#include "server/domain/booking.h"
#include "server/domain/change_feed.h"
#include "server/domain/consents.h"
#include "server/domain/directory.h"
#include "server/domain/experiences.h"
#include "server/domain/paging.h"
#include "server/domain/profiles.h"
#include "server/domain/skills.h"
#include "server/maintenance.h"
#include "server/store/access_log.h"
#include "server/store/booking_store.h"
#include "server/store/change_store.h"
#include "server/store/consent_store.h"
#include "server/store/database.h"
#include "server/store/database_probe.h"
#include "server/store/db_url.h"
#include "server/store/directory_store.h"
#include "server/store/experience_store.h"
#include "server/store/migrator.h"
#include "server/store/profile_store.h"
#include "server/store/request_log.h"
#include "server/store/skill_store.h"

namespace careers {
namespace {

constexpr absl::Duration kPurgeInterval = absl::Minutes(10);
constexpr absl::Duration kOfferInterval = absl::Seconds(30);
constexpr absl::Duration kPruneInterval = absl::Minutes(1);
constexpr int kPruneBatch = 10000;

// Who the server's own jobs act as, on the change feed.
RequestContext MaintenanceContext(absl::string_view method) {
  RequestContext ctx;
  ctx.deadline = absl::Now() + absl::Seconds(10);
  ctx.method = std::string(method);
  ctx.principal.subject = "careers-server";
  ctx.principal.role = auth::Role::kService;
  return ctx;
}

// Until a mail sender exists, an outside referee's request is only logged.
// The single-use token goes to the log only in development
// (--dev-log-referee-links), so a developer can answer it by hand; in
// production it is never written anywhere (only its hash is stored).
class RefereeLog final : public domain::AttestationNotifier {
 public:
  explicit RefereeLog(bool log_tokens) : log_tokens_(log_tokens) {}
  void RefereeAsked(const v1::Attestation& attestation, const v1::Experience&,
                    const std::string& token) override {
    if (log_tokens_) {
      spdlog::warn("development: referee asked for {}; their token is {}",
                   attestation.name(), token);
    } else {
      spdlog::info(
          "referee asked for {}: no mail sender is configured, so the request "
          "was not sent",
          attestation.name());
    }
  }

 private:
  const bool log_tokens_;
};
absl::StatusOr<std::string> ReadFile(const std::string& path,
                                     absl::string_view flag) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  if (!in) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot read ", flag, " ", path));
  }
  return content.str();
}

// Token verification settings; refuses to serve without them.
absl::StatusOr<auth::JwtOptions> JwtOptionsFrom(const Config& config) {
  if (config.jwt_issuer.empty()) {
    return absl::FailedPreconditionError(
        "set --jwt-issuer (CAREERS_JWT_ISSUER) and the issuer's keys: every "
        "call needs a valid token");
  }
  auth::JwtOptions options;
  options.issuer = config.jwt_issuer;
  options.audience = config.jwt_audience;
  options.clock_skew = config.jwt_clock_skew;
  absl::StatusOr<auth::JwtAlgorithm> algorithm =
      auth::ParseJwtAlgorithm(config.jwt_algorithm);
  if (!algorithm.ok()) return algorithm.status();
  options.algorithm = *algorithm;
  if (options.algorithm == auth::JwtAlgorithm::kHs256) {
    if (config.dev_hs256_key_file.empty()) {
      return absl::FailedPreconditionError(
          "HS256 needs --dev-hs256-key-file (a development key)");
    }
    absl::StatusOr<std::string> secret =
        ReadFile(config.dev_hs256_key_file, "--dev-hs256-key-file");
    if (!secret.ok()) return secret.status();
    if (secret->size() < 32) {
      return absl::InvalidArgumentError(
          "the HS256 key must be at least 32 bytes");
    }
    spdlog::warn(
        "tokens are verified with a shared DEVELOPMENT key (HS256): never in "
        "production");
    options.keys[""] = *secret;
    return options;
  }
  if (!config.dev_hs256_key_file.empty()) {
    return absl::InvalidArgumentError(
        "--dev-hs256-key-file is only for --jwt-algorithm HS256");
  }
  if (config.jwt_keys_file.empty()) {
    return absl::FailedPreconditionError(
        "set --jwt-keys-file: the issuer's public keys (PEM or JWKS)");
  }
  absl::StatusOr<std::string> content =
      ReadFile(config.jwt_keys_file, "--jwt-keys-file");
  if (!content.ok()) return content.status();
  absl::StatusOr<auth::JwtKeys> keys =
      auth::LoadPublicKeys(*content, options.algorithm);
  if (!keys.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--jwt-keys-file: ", keys.status().message()));
  }
  options.keys = *std::move(keys);
  return options;
}

// Plaintext, TLS, or TLS requiring client certificates.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> CredentialsFrom(
    const Config& config) {
  if (config.tls_cert_file.empty()) return grpc::InsecureServerCredentials();
  absl::StatusOr<std::string> cert =
      ReadFile(config.tls_cert_file, "--tls-cert");
  absl::StatusOr<std::string> key = ReadFile(config.tls_key_file, "--tls-key");
  if (!cert.ok()) return cert.status();
  if (!key.ok()) return key.status();
  grpc::SslServerCredentialsOptions options(
      config.tls_client_ca_file.empty()
          ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
          : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  options.pem_key_cert_pairs.push_back({*key, *cert});
  if (!config.tls_client_ca_file.empty()) {
    absl::StatusOr<std::string> ca =
        ReadFile(config.tls_client_ca_file, "--tls-client-ca");
    if (!ca.ok()) return ca.status();
    options.pem_root_certs = *ca;
  }
  return grpc::SslServerCredentials(options);
}

int Fail(const absl::Status& status, absl::string_view doing) {
  spdlog::critical("{}: {}", doing, status.ToString());
  return 1;
}

}  // namespace

int RunServer(const Config& config) {
  api::InstallProtobufLogHandler();

  absl::StatusOr<store::DbTarget> target = store::ParseDbUrl(config.db_url);
  if (!target.ok()) return Fail(target.status(), "--db-url");
  store::DatabaseOptions db_options;
  db_options.target = *target;
  db_options.pool_size = DatabasePoolSize(config.concurrency);
  // A socket read waits at most this long: a database that stops answering
  // holds a worker no longer than the longest call may last.
  db_options.io_timeout = config.max_deadline + absl::Seconds(1);
  absl::StatusOr<std::unique_ptr<store::Database>> db =
      store::Database::Open(db_options);
  if (!db.ok()) return Fail(db.status(), "opening the database");

  absl::StatusOr<std::vector<store::Migration>> migrations =
      store::LoadMigrations(db::MigrationFiles());
  if (!migrations.ok()) return Fail(migrations.status(), "reading migrations");
  store::Migrator migrator(**db, *migrations);

  SystemClock clock;
  const bool serving =
      !config.migrate && !config.load_demo_data && !config.rollback_to;
  std::string page_token_key = config.page_token_key;
  if (page_token_key.empty()) {
    page_token_key = RandomBytes(32);
    if (serving) {
      spdlog::warn(
          "no page token key configured: page tokens will not survive a "
          "restart "
          "or work across replicas (set CAREERS_PAGE_TOKEN_KEY)");
    }
  }
  PageTokenCodec page_tokens(page_token_key, absl::Hours(24));
  store::ProfileStore profile_store(**db);
  store::DirectoryStore directory_store(**db);
  store::ConsentStore consent_store(**db, clock);
  store::BatchedAccessLog access_log(**db);
  domain::Profiles profiles(profile_store, directory_store, clock, page_tokens);
  domain::Consents consents(consent_store, directory_store, clock, page_tokens);
  domain::Directory directory(directory_store, clock, page_tokens);
  store::BookingStore booking_store(**db);
  domain::Booking booking(booking_store, directory_store, clock, page_tokens);
  store::SkillStore skill_store(**db);
  store::ExperienceStore experience_store(**db);
  RefereeLog referee_log(config.dev_log_referee_links);
  domain::Skills skills(skill_store, directory_store, clock, page_tokens);
  domain::Experiences experiences(experience_store, skill_store, profile_store,
                                  directory_store, referee_log, clock,
                                  page_tokens);
  store::ChangeStore change_store(**db);
  domain::ChangeFeed change_feed(change_store);

  // One-off commands.
  if (config.rollback_to) {
    absl::StatusOr<int> reverted = migrator.DownTo(*config.rollback_to);
    if (!reverted.ok()) return Fail(reverted.status(), "rolling back");
    spdlog::info("rolled back {} migration(s) to version {}", *reverted,
                 *config.rollback_to);
    return 0;
  }
  if (config.migrate || config.load_demo_data) {
    if (config.migrate) {
      absl::StatusOr<int> applied = migrator.Up();
      if (!applied.ok()) return Fail(applied.status(), "migrating");
      spdlog::info("schema is current ({} migration(s) applied now)", *applied);
    }
    if (config.load_demo_data) {
      if (absl::Status s = migrator.Verify(); !s.ok())
        return Fail(s, "checking the schema");
      if (absl::Status s = LoadDemoData(**db, profiles, consents); !s.ok()) {
        return Fail(s, "loading demo data");
      }
      if (absl::Status s = LoadDemoBooking(
              booking, absl::ToCivilDay(clock.Now(), absl::UTCTimeZone()));
          !s.ok()) {
        return Fail(s, "loading demo booking data");
      }
    }
    return 0;
  }

  if (absl::Status s = migrator.Verify(); !s.ok()) {
    return Fail(s,
                "refusing to serve: the database schema is not the one this "
                "server expects");
  }

  absl::StatusOr<auth::JwtOptions> jwt = JwtOptionsFrom(config);
  if (!jwt.ok()) return Fail(jwt.status(), "refusing to serve");
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      CredentialsFrom(config);
  if (!credentials.ok()) return Fail(credentials.status(), "TLS");
  auth::JwtAuthenticator authenticator(*jwt, directory_store, clock);
  auth::ServicePolicy policy(consent_store, directory_store, booking_store,
                             experience_store);
  api::CallRunner runner(
      authenticator, policy, access_log,
      api::DeadlinePolicy{config.default_deadline, config.max_deadline});
  std::unique_ptr<api::RpcTable> rpcs = api::CareersRpcs(
      {profiles, directory, consents, booking, experiences, skills,
       change_feed});
  if (absl::Status s = rpcs->Complete(); !s.ok()) return Fail(s, "starting");

  // Health follows the database; answered without a worker.
  std::vector<std::string> health_services;
  for (const auto* service : rpcs->services()) {
    health_services.push_back(service->full_name());
  }
  api::HealthService health(health_services);
  // Known before the first call arrives (Start probes once), then kept
  // current every 250 ms on the probe's own thread and connection.
  store::DatabaseProbe probe(
      **db, [&health](bool answers) { health.SetServing(answers); });
  probe.Start();

  api::AsyncServer::Options server_options;
  server_options.listen = config.listen;
  server_options.credentials = *credentials;
  server_options.max_message_bytes = config.max_message_bytes;
  server_options.workers = config.concurrency;
  server_options.max_queued = config.max_queued_calls;
  // Change streams read the feed through a connection of their own, so
  // they neither wait behind calls nor hold one of theirs.
  // The sequencer numbers committed changes (at once after a write here,
  // and every 100 ms for anything left), then wakes the streams.
  std::unique_ptr<store::Database> feed_db = (**db).OpenSibling(2);
  store::ChangeStore feed_store(*feed_db);
  api::ChangeStreams change_streams(runner, feed_store);
  store::ChangeSequencer sequencer(
      feed_store, [&change_streams] { change_streams.Notify(); });
  (**db).set_change_listener([&sequencer] { sequencer.Notify(); });
  sequencer.Start();
  change_streams.Start();
  api::InlineMethods inline_methods = health.Methods();
  inline_methods.streams.emplace_back("careers.v1.ChangeService/WatchChanges",
                                      change_streams.Method());
  api::AsyncServer server(server_options, runner, *rpcs,
                          std::move(inline_methods));
  absl::StatusOr<int> port = server.Start();
  if (!port.ok()) return Fail(port.status(), "starting");

  store::Database& database = **db;
  MaintenanceLoop maintenance;
  // Waitlist offers that ran out move on to the next person.
  maintenance.Add("expire waitlist offers", kOfferInterval, [&booking] {
    RequestContext ctx = MaintenanceContext("maintenance/ExpireOffers");
    absl::StatusOr<int> expired = booking.ExpireOffers(ctx);
    if (!expired.ok()) {
      spdlog::warn("expiring waitlist offers: {}", expired.status().ToString());
    } else if (*expired > 0) {
      spdlog::info("{} waitlist offer(s) expired and moved on", *expired);
    }
  });
  // Referees' links that ran out: the experience goes back to its state.
  maintenance.Add("expire attestations", kPurgeInterval, [&experiences] {
    RequestContext ctx = MaintenanceContext("maintenance/ExpireAttestations");
    absl::StatusOr<int> expired = experiences.ExpireAttestations(ctx);
    if (!expired.ok()) {
      spdlog::warn("expiring attestations: {}", expired.status().ToString());
    } else if (*expired > 0) {
      spdlog::info("{} attestation request(s) expired", *expired);
    }
  });
  maintenance.Add("purge request ids", kPurgeInterval, [&database] {
    absl::StatusOr<int> purged =
        store::PurgeExpiredRequestIds(database, absl::Now(), 10000);
    if (purged.ok() && *purged > 0)
      spdlog::info("purged {} expired request id(s)", *purged);
  });
  // The change feed keeps --change-retention, pruned in batches.
  maintenance.Add("prune changes", kPruneInterval,
                  [&change_store, retention = config.change_retention] {
                    absl::StatusOr<int> pruned = change_store.Prune(
                        absl::Now() - retention, kPruneBatch,
                        absl::Now() + absl::Seconds(10));
                    if (!pruned.ok()) {
                      spdlog::warn("pruning changes: {}",
                                   pruned.status().ToString());
                    } else if (*pruned > 0) {
                      spdlog::info("pruned {} change(s) older than {}",
                                   *pruned, absl::FormatDuration(retention));
                    }
                  });
  maintenance.Start();
  access_log.Start();

  const std::string listening =
      config.listen.substr(0, config.listen.rfind(':'));
  spdlog::info(
      "serving on {}:{} ({} workers, up to {} calls waiting, {} database "
      "connections, database {})",
      listening, *port, config.concurrency, config.max_queued_calls,
      DatabasePoolSize(config.concurrency), target->Redacted());
  std::printf("careers-server listening on %s:%d\n", listening.c_str(), *port);
  std::fflush(stdout);

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  int signal_number = 0;
  sigwait(&signals, &signal_number);

  // The shutdown timeout bounds everything from here to the exit, whatever
  // the database does: calls still running at 70% of it are answered
  // UNAVAILABLE and their statements interrupted; workers get until 90%;
  // what is left of it goes to gRPC and writing the queued access events.
  const absl::Time signalled = absl::Now();
  const absl::Time end = signalled + config.shutdown_timeout;
  const absl::Time drain_until = signalled + config.shutdown_timeout * 0.7;
  const absl::Time stop_until = signalled + config.shutdown_timeout * 0.9;
  spdlog::info("received {}: NOT_SERVING, draining in-flight calls (up to {})",
               signal_number == SIGTERM ? "SIGTERM" : "SIGINT",
               absl::FormatDuration(config.shutdown_timeout));
  health.Shutdown();  // NOT_SERVING from now on; Watch streams end
  probe.Stop();       // promptly, even on a frozen database
  // Streams end UNAVAILABLE (clients resume elsewhere with their tokens);
  // bounded, as the feed's reader may be blocked on a frozen database.
  const bool change_streams_stopped =
      change_streams.Stop(absl::Milliseconds(500));
  const bool streams_stopped =
      sequencer.Stop(absl::Milliseconds(500)) && change_streams_stopped;
  // At the drain deadline the statements still running are interrupted
  // (KILL QUERY, on a database that still answers), so a stuck write never
  // commits. On a thread of its own: a frozen database must not hold the
  // shutdown up.
  auto stopped = std::make_shared<std::atomic<bool>>(false);
  std::thread([&database, stopped, drain_until] {
    absl::SleepFor(drain_until - absl::Now());
    if (stopped->load()) return;
    const int interrupted = database.InterruptAll();
    spdlog::warn(
        "shutdown timeout reached: answered the calls still running and "
        "interrupted {} database statement(s)",
        interrupted);
  }).detach();
  const bool workers_stopped = server.Shutdown(drain_until, stop_until);
  stopped->store(true);
  // The queued reads: most of what is left of the timeout.
  const size_t unwritten = access_log.Stop(
      std::max((end - absl::Now()) * 0.8, absl::Milliseconds(100)));
  const bool log_written = unwritten == 0;
  const bool maintenance_stopped =
      maintenance.Stop(std::max(end - absl::Now(), absl::ZeroDuration()));
  if (!workers_stopped || !log_written || !maintenance_stopped ||
      !streams_stopped) {
    // Threads blocked on the database cannot be joined in time: leave
    // without them. Their transactions roll back as the connections close.
    spdlog::warn(
        "stopped with work still blocked on the database (workers {}, "
        "access log {}, maintenance {}); exiting anyway",
        workers_stopped ? "done" : "blocked",
        log_written ? "written" : "not all written",
        maintenance_stopped ? "done" : "blocked");
    spdlog::shutdown();
    std::fflush(stdout);
    std::fflush(stderr);
    std::_Exit(0);
  }
  spdlog::info("stopped");
  return 0;
}

}  // namespace careers
