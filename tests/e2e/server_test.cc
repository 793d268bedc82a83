// careers-server's life as a process: health, draining on SIGTERM, deadlines
// reaching SQL, refusing a schema it does not expect, loading demo data.
#include <signal.h>

#include <array>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/e2e_fixture.h"

namespace careers::e2e {
namespace {

using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr absl::string_view kDrainMessage =
    "received SIGTERM: NOT_SERVING, draining in-flight calls";

// Reads a Watch stream until it reports `wanted`; false if the stream ends
// first (its context's deadline bounds the wait).
bool WatchUntil(grpc::ClientReaderInterface<HealthCheckResponse>& stream,
                HealthCheckResponse::ServingStatus wanted) {
  HealthCheckResponse response;
  while (stream.Read(&response)) {
    if (response.status() == wanted) return true;
  }
  return false;
}

// UpdateProfile calls, each on a thread of its own. The destructor cancels
// the calls still running and joins the threads, so a test that stops early
// does not wait for their deadlines.
class ConcurrentUpdates {
 public:
  static constexpr int kCalls = 4;

  ConcurrentUpdates(v1::ProfileService::Stub& stub,
                    const std::string& profile_name, absl::Duration timeout) {
    for (int i = 0; i < kCalls; ++i) {
      SetTimeout(contexts_[i], timeout);
      threads_.emplace_back([this, &stub, profile_name, i] {
        v1::UpdateProfileRequest request;
        request.mutable_profile()->set_name(profile_name);
        request.mutable_profile()->set_preferred_name(
            absl::StrCat("Caller ", i));
        request.mutable_update_mask()->add_paths("preferred_name");
        statuses_[i] = stub.UpdateProfile(&contexts_[i], request, &results_[i]);
      });
    }
  }
  ~ConcurrentUpdates() {
    for (grpc::ClientContext& context : contexts_) context.TryCancel();
    Join();
  }

  void Join() {
    for (std::thread& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
  }
  // After Join().
  const grpc::Status& status(int i) const { return statuses_[i]; }
  const v1::Profile& result(int i) const { return results_[i]; }

 private:
  std::array<grpc::ClientContext, kCalls> contexts_;
  std::array<grpc::Status, kCalls> statuses_;
  std::array<v1::Profile, kCalls> results_;
  std::vector<std::thread> threads_;
};

int Count(absl::string_view text, absl::string_view needle) {
  int n = 0;
  for (size_t at = text.find(needle); at != absl::string_view::npos;
       at = text.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

using HealthTest = E2eTest;
using ShutdownTest = E2eTest;
using DeadlineTest = E2eTest;
using SchemaCheckTest = E2eTest;
using UnmigratedTest = EmptyDatabaseE2eTest;

TEST_F(HealthTest, WatchReachesServing) {
  ASSERT_TRUE(StartServer());
  grpc::ClientContext context;
  SetTimeout(context, absl::Seconds(10));
  std::unique_ptr<grpc::ClientReader<HealthCheckResponse>> watch =
      NewHealthStub()->Watch(&context, HealthCheckRequest());
  EXPECT_TRUE(WatchUntil(*watch, HealthCheckResponse::SERVING));
  context.TryCancel();
  watch->Finish();
}

TEST_F(HealthTest, KnowsTheServerAndItsServicesOnly) {
  ASSERT_TRUE(StartServer());
  std::unique_ptr<grpc::health::v1::Health::Stub> health = NewHealthStub();
  for (const char* service : {"", "careers.v1.ProfileService"}) {
    grpc::ClientContext context;
    SetTimeout(context, absl::Seconds(10));
    HealthCheckRequest request;
    request.set_service(service);
    HealthCheckResponse response;
    ASSERT_TRUE(health->Check(&context, request, &response).ok()) << service;
    EXPECT_EQ(response.status(), HealthCheckResponse::SERVING) << service;
  }
  grpc::ClientContext check_context;
  SetTimeout(check_context, absl::Seconds(10));
  HealthCheckRequest unknown;
  unknown.set_service("careers.v1.NoSuchService");
  HealthCheckResponse response;
  EXPECT_EQ(health->Check(&check_context, unknown, &response).error_code(),
            grpc::StatusCode::NOT_FOUND);
  grpc::ClientContext watch_context;
  SetTimeout(watch_context, absl::Seconds(10));
  auto watch = health->Watch(&watch_context, unknown);
  ASSERT_TRUE(watch->Read(&response));
  EXPECT_EQ(response.status(), HealthCheckResponse::SERVICE_UNKNOWN);
  watch_context.TryCancel();
  watch->Finish();
}

TEST_F(HealthTest, FollowsTheDatabase) {
  // The server gets an account of its own, which the test then locks out,
  // as if its database had gone away.
  const std::string account = absl::StrCat("'", db().name(), "'@'127.0.0.1'");
  db().Exec(
      absl::StrCat("CREATE USER ", account, " IDENTIFIED BY 'health-test'"));
  db().Exec(absl::StrCat("GRANT ALL ON ", db().name(), ".* TO ", account));
  const std::string url =
      absl::StrCat("mysql://", db().name(), ":health-test@", db().target().host,
                   ":", db().target().port, "/", db().name());
  ASSERT_TRUE(StartServerOn(url));
  const v1::Profile profile = CreateProfile("watched");
  ASSERT_EQ(profile.name(), "profiles/watched");

  grpc::ClientContext context;
  SetTimeout(context, absl::Seconds(30));
  auto watch = NewHealthStub()->Watch(&context, HealthCheckRequest());
  ASSERT_TRUE(WatchUntil(*watch, HealthCheckResponse::SERVING));

  db().Exec(absl::StrCat("ALTER USER ", account, " ACCOUNT LOCK"));
  const std::string sessions = absl::StrCat(
      "SELECT GROUP_CONCAT(id) FROM information_schema.PROCESSLIST "
      "WHERE user = '",
      db().name(), "'");
  for (const absl::string_view id :
       absl::StrSplit(db().Query(sessions), ',', absl::SkipEmpty())) {
    db().Exec(absl::StrCat("KILL CONNECTION ", id));
  }
  EXPECT_TRUE(WatchUntil(*watch, HealthCheckResponse::NOT_SERVING));
  grpc::ClientContext get_context;
  SetTimeout(get_context, absl::Seconds(10));
  v1::GetProfileRequest get;
  get.set_name(profile.name());
  v1::Profile got;
  const grpc::Status down =
      NewProfileStub()->GetProfile(&get_context, get, &got);
  EXPECT_EQ(down.error_code(), grpc::StatusCode::UNAVAILABLE)
      << down.error_message();

  db().Exec(absl::StrCat("ALTER USER ", account, " ACCOUNT UNLOCK"));
  EXPECT_TRUE(WatchUntil(*watch, HealthCheckResponse::SERVING));
  context.TryCancel();
  watch->Finish();
  grpc::ClientContext again;
  SetTimeout(again, absl::Seconds(10));
  EXPECT_TRUE(NewProfileStub()->GetProfile(&again, get, &got).ok());
  db().Exec(absl::StrCat("DROP USER ", account));
}

TEST_F(ShutdownTest, OpenWatchStreamsEndAtShutdownAndDoNotHoldItUp) {
  ASSERT_TRUE(StartServer({"--shutdown-timeout", "30s"}));
  grpc::ClientContext context;
  SetTimeout(context, absl::Seconds(60));
  auto watch = NewHealthStub()->Watch(&context, HealthCheckRequest());
  ASSERT_TRUE(WatchUntil(*watch, HealthCheckResponse::SERVING));
  server().process().Signal(SIGTERM);
  HealthCheckResponse response;
  ASSERT_TRUE(watch->Read(&response));
  EXPECT_EQ(response.status(), HealthCheckResponse::NOT_SERVING);
  EXPECT_FALSE(watch->Read(&response));  // the server ends the stream
  EXPECT_TRUE(watch->Finish().ok());
  // Nothing else was in flight: the server is gone long before 30 s.
  EXPECT_EQ(server().process().Wait(absl::Seconds(10)), 0);
}

TEST_F(ShutdownTest, TheShutdownTimeoutInterruptsStuckCallsWithoutCommitting) {
  ASSERT_TRUE(
      StartServer({"--shutdown-timeout", "1s", "--max-deadline", "60s"}));
  const v1::Profile profile = CreateProfile("stuck");
  ASSERT_EQ(profile.name(), "profiles/stuck");
  ProfileRowLock lock(db(), "stuck");
  ASSERT_FALSE(HasFailure());
  std::unique_ptr<v1::ProfileService::Stub> stub = NewProfileStub();
  grpc::Status stuck_status;
  std::thread stuck([&] {
    grpc::ClientContext context;
    SetTimeout(context, absl::Seconds(60));
    v1::UpdateProfileRequest request;
    request.mutable_profile()->set_name(profile.name());
    request.mutable_profile()->set_preferred_name("Never");
    request.mutable_update_mask()->add_paths("preferred_name");
    v1::Profile updated;
    stuck_status = stub->UpdateProfile(&context, request, &updated);
  });
  ASSERT_TRUE(PollUntil([&] { return LockWaits() == 1; }, absl::Seconds(20)))
      << LockWaits() << " lock waits";

  const absl::Time signalled = absl::Now();
  server().process().Signal(SIGTERM);
  // Bounded by the shutdown timeout, not by the call's 60 s deadline.
  EXPECT_EQ(server().process().Wait(absl::Seconds(15)), 0);
  EXPECT_LT(absl::Now() - signalled, absl::Seconds(10));
  stuck.join();
  EXPECT_FALSE(stuck_status.ok());
  EXPECT_THAT(server().process().Stderr(),
              HasSubstr("interrupted 1 database statement"));
  // The interrupted update never committed, even after the lock goes.
  lock.Commit();
  EXPECT_EQ(db().Query("SELECT version FROM profiles WHERE id = 'stuck'"), "1");
}

TEST_F(ShutdownTest, SigtermDrainsInFlightCallsAndRefusesNewOnes) {
  ASSERT_TRUE(StartServer({"--shutdown-timeout", "20s"}));
  const v1::Profile profile = CreateProfile("drain-me");
  ASSERT_EQ(profile.name(), "profiles/drain-me");

  // Four updates queue behind another client's row lock.
  ProfileRowLock lock(db(), "drain-me");
  ASSERT_FALSE(HasFailure());
  std::unique_ptr<v1::ProfileService::Stub> stub = NewProfileStub();
  ConcurrentUpdates updates(*stub, profile.name(), absl::Seconds(20));
  ASSERT_TRUE(
      PollUntil([&] { return LockWaits() == ConcurrentUpdates::kCalls; },
                absl::Seconds(20)))
      << LockWaits() << " lock waits";

  grpc::ClientContext watch_context;
  SetTimeout(watch_context, absl::Seconds(20));
  std::unique_ptr<grpc::ClientReader<HealthCheckResponse>> watch =
      NewHealthStub()->Watch(&watch_context, HealthCheckRequest());
  ASSERT_TRUE(WatchUntil(*watch, HealthCheckResponse::SERVING));

  server().process().Signal(SIGTERM);
  EXPECT_TRUE(WatchUntil(*watch, HealthCheckResponse::NOT_SERVING));
  // A load balancer would now stop sending calls and close its stream.
  watch_context.TryCancel();
  watch->Finish();

  // The listener closes and a new connection is refused: UNAVAILABLE, which
  // clients retry elsewhere. (A call that lands while it closes may still be
  // answered, or be CANCELLED by gRPC's shutdown.)
  grpc::Status fresh;
  EXPECT_TRUE(PollUntil(
      [&] {
        grpc::ClientContext context;
        SetTimeout(context, absl::Seconds(2));
        v1::GetProfileRequest request;
        request.set_name(profile.name());
        v1::Profile got;
        fresh = NewProfileStub()->GetProfile(&context, request, &got);
        return fresh.error_code() == grpc::StatusCode::UNAVAILABLE;
      },
      absl::Seconds(10)))
      << "last new call: " << fresh.error_code() << " "
      << fresh.error_message();
  // The calls in flight are still waiting: draining did not cancel them.
  EXPECT_EQ(LockWaits(), ConcurrentUpdates::kCalls);

  lock.Commit();
  updates.Join();
  for (int i = 0; i < ConcurrentUpdates::kCalls; ++i) {
    EXPECT_TRUE(updates.status(i).ok())
        << i << ": " << updates.status(i).error_code() << " "
        << updates.status(i).error_message();
    EXPECT_EQ(updates.result(i).preferred_name(), absl::StrCat("Caller ", i));
  }
  // Well before --shutdown-timeout: the server stops once the calls are done.
  EXPECT_EQ(server().process().Wait(absl::Seconds(10)), 0);
  const std::string log = server().process().Stderr();
  EXPECT_THAT(log, HasSubstr(kDrainMessage));
  EXPECT_EQ(Count(log, "rpc /careers.v1.ProfileService/UpdateProfile OK"),
            ConcurrentUpdates::kCalls)
      << log;
}

TEST_F(DeadlineTest, ClientDeadlineEndsTheWaitingStatement) {
  // Otherwise InnoDB's own lock wait timeout could end the wait in time.
  ASSERT_GE(std::stoi(db().Query("SELECT @@GLOBAL.innodb_lock_wait_timeout")),
            30);
  ASSERT_TRUE(StartServer());
  const v1::Profile profile = CreateProfile("slow");
  ASSERT_EQ(profile.name(), "profiles/slow");
  ProfileRowLock lock(db(), "slow");
  ASSERT_FALSE(HasFailure());

  std::unique_ptr<v1::ProfileService::Stub> stub = NewProfileStub();
  v1::UpdateProfileRequest request;
  request.mutable_profile()->set_name(profile.name());
  request.mutable_profile()->set_preferred_name("Ailsa Mhairi");
  request.mutable_update_mask()->add_paths("preferred_name");
  grpc::ClientContext context;
  SetTimeout(context, absl::Milliseconds(500));
  v1::Profile updated;
  const absl::Time start = absl::Now();
  const grpc::Status status = stub->UpdateProfile(&context, request, &updated);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
      << status.error_message();
  EXPECT_LT(absl::Now() - start, absl::Seconds(3));

  // The server's SELECT ... FOR UPDATE was ended by max_statement_time
  // (MariaDB error 1969), not left waiting for InnoDB's 50 s, while the
  // other client still holds its lock.
  EXPECT_TRUE(server().process().WaitForStderr(
      "database: UpdateProfile: error 1969", absl::Seconds(10)));
  EXPECT_TRUE(PollUntil([&] { return LockWaits() == 0; }, absl::Seconds(10)))
      << LockWaits() << " lock waits";
  EXPECT_TRUE(lock.Held(db()));

  // Released, the same update goes through on the same server.
  lock.Commit();
  grpc::ClientContext again;
  SetTimeout(again, absl::Seconds(10));
  const grpc::Status retried = stub->UpdateProfile(&again, request, &updated);
  EXPECT_TRUE(retried.ok()) << retried.error_message();
  EXPECT_EQ(updated.preferred_name(), "Ailsa Mhairi");
}

TEST_F(UnmigratedTest, RefusesToServeUntilMigrated) {
  const testing::RunResult refused =
      RunServerCommand({"--listen", "127.0.0.1:0"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("--migrate"));
  EXPECT_THAT(refused.out, Not(HasSubstr("listening")));

  const testing::RunResult migrated = RunServerCommand({"--migrate"});
  ASSERT_EQ(migrated.exit_code, 0) << migrated.err;
  ASSERT_TRUE(StartServer());
  grpc::ClientContext context;
  SetTimeout(context, absl::Seconds(10));
  HealthCheckResponse health;
  const grpc::Status checked =
      NewHealthStub()->Check(&context, HealthCheckRequest(), &health);
  ASSERT_TRUE(checked.ok()) << checked.error_message();
  EXPECT_EQ(health.status(), HealthCheckResponse::SERVING);
}

TEST_F(SchemaCheckTest, RefusesADirtyMigration) {
  db().Exec("UPDATE schema_migrations SET dirty = 1 WHERE version = 1");
  const testing::RunResult refused =
      RunServerCommand({"--listen", "127.0.0.1:0"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("dirty"));
  EXPECT_THAT(refused.out, Not(HasSubstr("listening")));
  // Nor does --migrate go on from a half-applied migration.
  const testing::RunResult migrate = RunServerCommand({"--migrate"});
  EXPECT_EQ(migrate.exit_code, 1);
  EXPECT_THAT(migrate.err, HasSubstr("dirty"));
}

TEST_F(SchemaCheckTest, RefusesAnEditedMigration) {
  db().Exec(
      "UPDATE schema_migrations SET checksum = REPEAT('0', 64) "
      "WHERE version = 1");
  const testing::RunResult refused =
      RunServerCommand({"--listen", "127.0.0.1:0"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("edited"));
  EXPECT_THAT(refused.out, Not(HasSubstr("listening")));
}

TEST_F(UnmigratedTest, LoadsDemoDataTwiceWithoutDuplicates) {
  const testing::RunResult migrated = RunServerCommand({"--migrate"});
  ASSERT_EQ(migrated.exit_code, 0) << migrated.err;
  const std::string kCounts =
      "SELECT CONCAT_WS(' ', (SELECT COUNT(*) FROM profiles), "
      "(SELECT COUNT(*) FROM goals), (SELECT COUNT(*) FROM actions), "
      "(SELECT COUNT(*) FROM organisations), (SELECT COUNT(*) FROM advisers))";

  const testing::RunResult first = RunServerCommand({"--load-demo-data"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const std::string counts = db().Query(kCounts);
  EXPECT_NE(db().Query("SELECT COUNT(*) FROM profiles"), "0");
  const testing::RunResult second = RunServerCommand({"--load-demo-data"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(db().Query(kCounts), counts)
      << "profiles goals actions organisations advisers";
  // A day later the request ids have expired: existing plans are kept as
  // they are, still without duplicates.
  db().Exec("DELETE FROM request_log");
  const testing::RunResult third = RunServerCommand({"--load-demo-data"});
  ASSERT_EQ(third.exit_code, 0) << third.err;
  EXPECT_EQ(db().Query(kCounts), counts)
      << "profiles goals actions organisations advisers";

  ASSERT_TRUE(StartServer());
  const testing::RunResult got =
      Ctl({"--output", "json", "profiles", "get", "profiles/demo-eilidh"});
  ASSERT_EQ(got.exit_code, 0) << got.err;
  v1::Profile eilidh;
  ParseJson(got.out, &eilidh);
  EXPECT_EQ(eilidh.name(), "profiles/demo-eilidh");
  EXPECT_FALSE(eilidh.given_name().empty());
}

}  // namespace
}  // namespace careers::e2e
