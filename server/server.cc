#include "server/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/resource_quota.h>
#include <signal.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "db/embedded_files.h"
#include "server/api/booking_handler.h"
#include "server/api/call.h"
#include "server/api/consent_handler.h"
#include "server/api/directory_handler.h"
#include "server/api/health_service.h"
#include "server/api/profile_handler.h"
#include "server/api/rpc_interceptor.h"
#include "server/api/skills_handler.h"
#include "server/auth/access_policy.h"
#include "server/auth/authenticator.h"
#include "server/auth/jwt_authenticator.h"
#include "server/common/clock.h"
#include "server/common/ids.h"
#include "server/common/logging.h"
#include "server/demo_data.h"
#include "server/domain/booking.h"
#include "server/domain/consents.h"
#include "server/domain/directory.h"
#include "server/domain/experiences.h"
#include "server/domain/paging.h"
#include "server/domain/profiles.h"
#include "server/domain/skills.h"
#include "server/maintenance.h"
#include "server/store/access_log.h"
#include "server/store/booking_store.h"
#include "server/store/consent_store.h"
#include "server/store/database.h"
#include "server/store/db_url.h"
#include "server/store/directory_store.h"
#include "server/store/experience_store.h"
#include "server/store/migrator.h"
#include "server/store/profile_store.h"
#include "server/store/request_log.h"
#include "server/store/skill_store.h"

namespace careers {
namespace {

constexpr absl::Duration kHealthInterval = absl::Seconds(1);
constexpr absl::Duration kHealthTimeout = absl::Seconds(2);
constexpr absl::Duration kPurgeInterval = absl::Minutes(10);
constexpr absl::Duration kOfferInterval = absl::Seconds(30);

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
// gRPC threads beyond `concurrency`: pollers, health checks and reflection
// must not wait behind calls that hold database connections.
constexpr int kExtraThreads = 4;

// Health Watch streams open at once (each holds a thread; see HealthService).
int MaxHealthWatchers(int concurrency) { return std::max(2, concurrency / 4); }

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
  db_options.io_timeout = config.max_deadline + absl::Seconds(30);
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
  domain::Profiles profiles(profile_store, directory_store, access_log, clock,
                            page_tokens);
  domain::Consents consents(consent_store, directory_store, access_log, clock,
                            page_tokens);
  domain::Directory directory(directory_store, clock, page_tokens);
  store::BookingStore booking_store(**db);
  domain::Booking booking(booking_store, directory_store, access_log, clock,
                          page_tokens);
  store::SkillStore skill_store(**db);
  store::ExperienceStore experience_store(**db);
  RefereeLog referee_log(config.dev_log_referee_links);
  domain::Skills skills(skill_store, directory_store, clock, page_tokens);
  domain::Experiences experiences(experience_store, skill_store, profile_store,
                                  directory_store, access_log, referee_log,
                                  clock, page_tokens);

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
  api::CallRunner calls(
      authenticator, policy,
      api::DeadlinePolicy{config.default_deadline, config.max_deadline});
  api::ProfileHandler profile_handler(calls, profiles);
  api::DirectoryHandler directory_handler(calls, directory);
  api::ConsentHandler consent_handler(calls, consents);
  api::BookingHandler booking_handler(calls, booking);
  api::SkillsHandler skills_handler(calls, experiences, skills);

  // Our own health service: it follows the database and ends Watch streams
  // at shutdown (see HealthService).
  grpc::EnableDefaultHealthCheckService(false);
  const int health_watchers = MaxHealthWatchers(config.concurrency);
  api::HealthService health(
      {std::string(v1::ProfileService::service_full_name()),
       std::string(v1::DirectoryService::service_full_name()),
       std::string(v1::ConsentService::service_full_name()),
       std::string(v1::BookingService::service_full_name()),
       std::string(v1::SkillsService::service_full_name())},
      health_watchers);
  // Known before the first call arrives, then kept current by the probe.
  health.SetServing((*db)->Ping(kHealthTimeout).ok());
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(config.listen, *credentials, &port);
  builder.RegisterService(&profile_handler);
  builder.RegisterService(&directory_handler);
  builder.RegisterService(&consent_handler);
  builder.RegisterService(&booking_handler);
  builder.RegisterService(&skills_handler);
  builder.RegisterService(&health);
  builder.SetMaxReceiveMessageSize(config.max_message_bytes);
  builder.SetMaxSendMessageSize(config.max_message_bytes);
  grpc::ResourceQuota quota("careers-server");
  // Open health watches hold a thread each, beyond the calls' own.
  quota.SetMaxThreads(config.concurrency + kExtraThreads + health_watchers);
  builder.SetResourceQuota(quota);
  // A thread that finishes a call goes back to waiting for the next one
  // only while fewer than MAX_POLLERS wait; beyond that it exits, and the
  // next call starts a new thread. gRPC's default of 2 made a thread (and
  // its stack) per call under load; keeping them all is cheaper.
  builder.SetSyncServerOption(
      grpc::ServerBuilder::SyncServerOption::MAX_POLLERS,
      config.concurrency + kExtraThreads + health_watchers);
  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(std::make_unique<api::RpcInterceptorFactory>());
  builder.experimental().SetInterceptorCreators(std::move(interceptors));

  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return Fail(absl::UnavailableError(
                    absl::StrCat("cannot listen on ", config.listen)),
                "starting");
  }

  // Health follows the database: SERVING only while it answers.
  store::Database& database = **db;
  MaintenanceLoop maintenance;
  maintenance.Add(
      "health", kHealthInterval,
      [&database, &health, last_ok = true]() mutable {
        const absl::Status ping = database.Ping(kHealthTimeout);
        if (ping.ok() != last_ok) {
          if (ping.ok()) {
            spdlog::info("health: database answers again: SERVING");
          } else {
            spdlog::error("health: database does not answer ({}): NOT_SERVING",
                          ping.ToString());
          }
          last_ok = ping.ok();
        }
        health.SetServing(ping.ok());
      });
  // Waitlist offers that ran out move on to the next person.
  maintenance.Add("expire waitlist offers", kOfferInterval, [&booking] {
    RequestContext ctx;
    ctx.deadline = absl::Now() + absl::Seconds(10);
    ctx.method = "maintenance/ExpireOffers";
    absl::StatusOr<int> expired = booking.ExpireOffers(ctx);
    if (!expired.ok()) {
      spdlog::warn("expiring waitlist offers: {}", expired.status().ToString());
    } else if (*expired > 0) {
      spdlog::info("{} waitlist offer(s) expired and moved on", *expired);
    }
  });
  // Referees' links that ran out: the experience goes back to its state.
  maintenance.Add("expire attestations", kPurgeInterval, [&experiences] {
    RequestContext ctx;
    ctx.deadline = absl::Now() + absl::Seconds(10);
    ctx.method = "maintenance/ExpireAttestations";
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
  maintenance.Start();
  access_log.Start();

  const std::string listening =
      config.listen.substr(0, config.listen.rfind(':'));
  spdlog::info(
      "serving on {}:{} ({} calls at once, {} database connections, database "
      "{})",
      listening, port, config.concurrency, DatabasePoolSize(config.concurrency),
      target->Redacted());
  std::printf("careers-server listening on %s:%d\n", listening.c_str(), port);
  std::fflush(stdout);

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  int signal_number = 0;
  sigwait(&signals, &signal_number);

  spdlog::info("received {}: NOT_SERVING, draining in-flight calls (up to {})",
               signal_number == SIGTERM ? "SIGTERM" : "SIGINT",
               absl::FormatDuration(config.shutdown_timeout));
  health.Shutdown();  // NOT_SERVING from now on; Watch streams end
  const absl::Time deadline = absl::Now() + config.shutdown_timeout;
  // At the deadline gRPC cancels the calls still running; their SQL is
  // interrupted too, so no handler outlives the shutdown timeout.
  std::mutex stop_mu;
  std::condition_variable stopped_cv;
  bool stopped = false;
  std::thread interrupter([&] {
    std::unique_lock<std::mutex> lock(stop_mu);
    if (!stopped_cv.wait_until(lock, absl::ToChronoTime(deadline),
                               [&] { return stopped; })) {
      const int interrupted = database.InterruptAll();
      spdlog::warn(
          "shutdown timeout reached: cancelled the calls still running and "
          "interrupted {} database statement(s)",
          interrupted);
    }
  });
  server->Shutdown(absl::ToChronoTime(deadline));
  server->Wait();
  {
    std::lock_guard<std::mutex> lock(stop_mu);
    stopped = true;
  }
  stopped_cv.notify_all();
  interrupter.join();
  access_log.Stop();  // writes the read events still queued
  maintenance.Stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace careers
