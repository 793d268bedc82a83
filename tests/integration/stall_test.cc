// A database that stops answering (SIGSTOP, on a private MariaDB of each
// test's own) costs a call its deadline and no more: the health probe turns
// NOT_SERVING in time and back, connects and transactions give up, nothing
// commits after its deadline, and the access log's flush at shutdown is
// bounded. The measured times are printed (and kept as test properties).
#include <algorithm>
#include <cstdint>
#include <iostream>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "db/embedded_files.h"
#include "gtest/gtest.h"
#include "server/store/access_log.h"
#include "server/store/database.h"
#include "server/store/database_probe.h"
#include "server/store/migrator.h"
#include "tests/support/private_mariadb.h"

namespace careers::store {
namespace {

using ::careers::testing::PrivateMariaDb;

bool PollUntil(absl::FunctionRef<bool()> condition, absl::Duration timeout) {
  const absl::Time give_up = absl::Now() + timeout;
  while (!condition()) {
    if (absl::Now() > give_up) return false;
    absl::SleepFor(absl::Milliseconds(5));
  }
  return true;
}

// Reports a measured time in the test output and the XML report.
void Report(const std::string& what, absl::Duration took) {
  std::cout << "[ measured ] " << what << ": " << absl::FormatDuration(took)
            << std::endl;
  ::testing::Test::RecordProperty(what, absl::FormatDuration(took));
}

// The probe's verdicts, with when each came.
class Verdicts {
 public:
  void Add(bool serving) {
    absl::MutexLock lock(&mu_);
    verdicts_.emplace_back(absl::Now(), serving);
  }
  size_t size() const {
    absl::MutexLock lock(&mu_);
    return verdicts_.size();
  }
  // The latest, if any.
  std::optional<std::pair<absl::Time, bool>> last() const {
    absl::MutexLock lock(&mu_);
    if (verdicts_.empty()) return std::nullopt;
    return verdicts_.back();
  }

 private:
  mutable absl::Mutex mu_;
  std::vector<std::pair<absl::Time, bool>> verdicts_ ABSL_GUARDED_BY(mu_);
};

class StallTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = PrivateMariaDb::Start();
    ASSERT_NE(server_, nullptr);
    admin_ = server_->Connect();
    ASSERT_NE(admin_, nullptr);
  }

  void TearDown() override {
    // Whatever happened, the server answers again for the checks that follow
    // and for its own shutdown.
    if (server_ != nullptr) server_->Thaw();
  }

  // A Database on a new database `careers_stall`, with a table t.
  std::unique_ptr<Database> OpenDatabase(DatabaseOptions options) {
    options.target = server_->CreateDatabase("careers_stall");
    admin_->Execute(
        "CREATE TABLE careers_stall.t (id INT PRIMARY KEY, v INT NOT NULL) "
        "ENGINE=InnoDB");
    absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(options);
    EXPECT_TRUE(db.ok()) << db.status();
    return db.ok() ? *std::move(db) : nullptr;
  }

  std::string Query(const std::string& sql) {
    std::unique_ptr<sql::ResultSet> rs = admin_->Query(sql);
    if (rs->next()) return rs->isNull(1) ? "" : GetString(*rs, 1);
    return "";
  }

  // Whether the server still has connection `id` (a client that went away
  // is rolled back and removed once the server notices).
  bool HasConnection(int64_t id) {
    return Query(absl::StrCat(
               "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE id "
               "= ",
               id)) != "0";
  }

  int64_t GlobalStatus(const std::string& name) {
    std::unique_ptr<sql::ResultSet> rs =
        admin_->Query(absl::StrCat("SHOW GLOBAL STATUS LIKE '", name, "'"));
    return rs->next() ? std::stoll(GetString(*rs, 2)) : -1;
  }

  std::unique_ptr<PrivateMariaDb> server_;
  std::unique_ptr<Connection> admin_;
};

TEST_F(StallTest, ProbeIsNotServingWithin2sOfAStallAndServingWithin1sAfter) {
  Verdicts verdicts;
  DatabaseProbe probe(server_->target(), ServerFlavor::kMariaDb,
                      [&](bool serving) { verdicts.Add(serving); });
  probe.Start();
  // Start gives the first verdict before it returns.
  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_TRUE(verdicts.last()->second);
  EXPECT_TRUE(probe.serving());

  absl::Duration worst_down = absl::ZeroDuration();
  absl::Duration worst_up = absl::ZeroDuration();
  for (int round = 0; round < 3; ++round) {
    const absl::Time frozen = absl::Now();
    server_->Freeze();
    ASSERT_TRUE(
        PollUntil([&] { return !verdicts.last()->second; }, absl::Seconds(10)))
        << "still SERVING 10 s after the database froze";
    const absl::Duration down = verdicts.last()->first - frozen;
    EXPECT_LE(down, absl::Seconds(2)) << "round " << round;
    EXPECT_FALSE(probe.serving());

    const absl::Time thawed = absl::Now();
    server_->Thaw();
    ASSERT_TRUE(
        PollUntil([&] { return verdicts.last()->second; }, absl::Seconds(10)))
        << "still NOT_SERVING 10 s after the database came back";
    const absl::Duration up = verdicts.last()->first - thawed;
    EXPECT_LE(up, absl::Seconds(1)) << "round " << round;
    Report(absl::StrCat("probe NOT_SERVING after stall, round ", round), down);
    Report(absl::StrCat("probe SERVING after thaw, round ", round), up);
    worst_down = std::max(worst_down, down);
    worst_up = std::max(worst_up, up);
  }
  // One verdict per change, no repeats: the first, then down and up thrice.
  EXPECT_EQ(verdicts.size(), 7u);
  Report("probe NOT_SERVING after stall, worst", worst_down);
  Report("probe SERVING after thaw, worst", worst_up);
}

TEST_F(StallTest, ProbeStopReturnsAtOnceWhileAProbeIsBlocked) {
  Verdicts verdicts;
  DatabaseProbeOptions options;
  options.timeout = absl::Seconds(5);  // a blocked probe stays blocked
  options.interval = absl::Milliseconds(20);
  auto probe = std::make_unique<DatabaseProbe>(
      server_->target(), ServerFlavor::kMariaDb,
      [&](bool serving) { verdicts.Add(serving); }, options);
  probe->Start();
  ASSERT_TRUE(probe->serving());
  const int64_t probe_connections = std::stoll(
      Query("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE id <> "
            "CONNECTION_ID() AND command <> 'Daemon'"));
  ASSERT_EQ(probe_connections, 1);

  server_->Freeze();
  const int64_t before = probe->probes();
  // The next probe begins and blocks (for up to 5 s) on the frozen server.
  ASSERT_TRUE(
      PollUntil([&] { return probe->probes() > before; }, absl::Seconds(5)));
  const absl::Time stopping = absl::Now();
  probe->Stop();
  const absl::Duration took = absl::Now() - stopping;
  Report("probe Stop while a probe is blocked", took);
  EXPECT_LT(took, absl::Milliseconds(500));
  const size_t verdicts_at_stop = verdicts.size();
  probe.reset();  // the detached thread must not need the probe object

  // Back again, the blocked probe gets its answer, and the thread ends and
  // closes its connection without a word to the listener.
  server_->Thaw();
  EXPECT_TRUE(PollUntil(
      [&] {
        return Query(
                   "SELECT COUNT(*) FROM information_schema.PROCESSLIST "
                   "WHERE id <> CONNECTION_ID() AND command <> 'Daemon'") ==
               "0";
      },
      absl::Seconds(10)));
  EXPECT_EQ(verdicts.size(), verdicts_at_stop);
}

TEST_F(StallTest, AConnectToAFrozenDatabaseGivesUpByTheCallsDeadline) {
  DatabaseOptions options;  // connect_timeout 5 s
  std::unique_ptr<Database> db = OpenDatabase(options);
  ASSERT_NE(db, nullptr);
  // The same, with DatabaseOptions::connect_timeout below the deadline.
  DatabaseOptions capped = options;
  capped.target = db->target();
  capped.connect_timeout = absl::Seconds(2);
  absl::StatusOr<std::unique_ptr<Database>> capped_db = Database::Open(capped);
  ASSERT_TRUE(capped_db.ok()) << capped_db.status();
  // Pools open lazily: the next calls connect.
  ASSERT_EQ(db->pool().stats().open, 0);
  ASSERT_EQ((*capped_db)->pool().stats().open, 0);
  server_->Freeze();

  absl::Time start = absl::Now();
  absl::Status status =
      db->Read("connect", start + absl::Milliseconds(1500), [](Connection& c) {
        c.Prepare("SELECT 1").Query();
        return absl::OkStatus();
      });
  absl::Duration took = absl::Now() - start;
  Report("connect to a frozen database, 1.5 s deadline", took);
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  EXPECT_LT(took, absl::Milliseconds(2500));

  start = absl::Now();
  status =
      (*capped_db)->Read("connect", start + absl::Seconds(20), [](Connection&) {
        return absl::OkStatus();
      });
  took = absl::Now() - start;
  Report("connect to a frozen database, 20 s deadline, 2 s connect_timeout",
         took);
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  EXPECT_GE(took, absl::Milliseconds(1500));
  EXPECT_LT(took, absl::Seconds(3));
}

TEST_F(StallTest, AWriteOnAFrozenDatabaseReturnsAndNeverCommits) {
  DatabaseOptions options;
  options.pool_size = 1;
  // As the server sets it for --max-deadline 1s: max_deadline + 1 s.
  options.io_timeout = absl::Seconds(2);
  std::unique_ptr<Database> db = OpenDatabase(options);
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(
      db->Read("warm up", absl::Now() + absl::Seconds(5), [](Connection& c) {
          c.Prepare("SELECT 1").Query();
          return absl::OkStatus();
        }).ok());

  int64_t connection_id = 0;
  bool inserted = false;
  const absl::Time start = absl::Now();
  const absl::Status status = db->Transact(
      "frozen write", start + absl::Seconds(1), [&](Connection& c) {
        std::unique_ptr<sql::ResultSet> rs =
            c.Prepare("SELECT CONNECTION_ID()").Query();
        rs->next();
        connection_id = rs->getInt64(1);
        server_->Freeze();  // between two statements of the transaction
        c.Prepare("INSERT INTO t VALUES (1, 1)").Execute();
        inserted = true;
        return absl::OkStatus();
      });
  const absl::Duration took = absl::Now() - start;
  Report("1 s-deadline Transact on a frozen database returned after", took);
  EXPECT_FALSE(status.ok());
  EXPECT_FALSE(inserted);
  // Bounded by the socket timeout (io_timeout), not by the database.
  EXPECT_LT(took, options.io_timeout + absl::Seconds(1));

  // Once the database runs again it sees the client gone and rolls back;
  // the row never appears, then or later.
  server_->Thaw();
  ASSERT_TRUE(PollUntil([&] { return !HasConnection(connection_id); },
                        absl::Seconds(10)));
  EXPECT_EQ(Query("SELECT COUNT(*) FROM careers_stall.t"), "0");
}

TEST_F(StallTest, StatementsPerCallDoNotGrow) {
  DatabaseOptions options;
  options.pool_size = 1;
  std::unique_ptr<Database> db = OpenDatabase(options);
  ASSERT_NE(db, nullptr);
  admin_->Execute("INSERT INTO careers_stall.t VALUES (1, 0)");
  auto call = [&] {
    return db->Transact(
        "counted", absl::Now() + absl::Seconds(5), [](Connection& c) {
          std::unique_ptr<sql::ResultSet> rs =
              c.Prepare("SELECT v FROM t WHERE id = 1 FOR UPDATE").Query();
          rs->next();
          c.Prepare("UPDATE t SET v = v + 1 WHERE id = 1").Execute();
          return absl::OkStatus();
        });
  };
  ASSERT_TRUE(call().ok());  // prepares the statements, sets the limit
  auto round_trips = [&] {
    absl::StatusOr<PooledConnection> c = db->pool().Acquire(absl::Now());
    return c.ok() ? (*c)->round_trips() : -1;
  };
  const int64_t client_before = round_trips();
  const int64_t questions_before = GlobalStatus("Questions");
  const int64_t sets_before = GlobalStatus("Com_set_option");
  constexpr int kCalls = 200;
  for (int i = 0; i < kCalls; ++i) ASSERT_TRUE(call().ok());
  const int64_t client = round_trips() - client_before;
  // Minus the two SHOW STATUS of the admin connection's in between.
  const int64_t questions = GlobalStatus("Questions") - questions_before - 2;
  const int64_t sets = GlobalStatus("Com_set_option") - sets_before;
  std::cout << "[ measured ] per call: " << double(client) / kCalls
            << " statements sent by the client, " << double(questions) / kCalls
            << " counted by the server, " << double(sets) / kCalls << " SET"
            << std::endl;
  RecordProperty("statements per call", absl::StrCat(double(client) / kCalls));
  // START TRANSACTION, SELECT, UPDATE, COMMIT, and a SET only when a call's
  // time limit falls to another step of its grid (none here).
  EXPECT_LE(client, 4 * kCalls + kCalls / 20);
  EXPECT_LE(questions, 4 * kCalls + kCalls / 20);
  EXPECT_LE(sets, kCalls / 20);
  EXPECT_EQ(Query("SELECT v FROM careers_stall.t WHERE id = 1"),
            absl::StrCat(kCalls + 1));
}

class AccessLogStallTest : public StallTest {
 protected:
  void SetUp() override {
    StallTest::SetUp();
    if (HasFatalFailure()) return;
    DatabaseOptions options;
    options.target = server_->CreateDatabase("careers_log");
    options.io_timeout = absl::Seconds(10);  // a blocked write stays blocked
    absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(options);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    absl::StatusOr<std::vector<Migration>> migrations =
        LoadMigrations(db::MigrationFiles());
    ASSERT_TRUE(migrations.ok()) << migrations.status();
    ASSERT_TRUE(Migrator(*db_, *migrations).Up().ok());
  }

  void RecordReads(BatchedAccessLog& log, int n) {
    RequestContext ctx;
    ctx.record_access = true;
    ctx.principal.subject = "adviser-1";
    ctx.principal.role = auth::Role::kAdviser;
    ctx.principal.organisation = "organisations/sds";
    ctx.method = "careers.v1.ProfileService/GetProfile";
    for (int i = 0; i < n; ++i) {
      ctx.request_id = absl::StrCat("request-", ++recorded_);
      log.RecordRead(ctx, "p1", "profiles/p1");
    }
  }

  std::string Events() {
    return Query("SELECT COUNT(*) FROM careers_log.access_events");
  }

  // The server's connections on careers_log.
  std::set<int64_t> LogDatabaseConnections() {
    std::set<int64_t> ids;
    std::unique_ptr<sql::ResultSet> rs = admin_->Query(
        "SELECT id FROM information_schema.PROCESSLIST WHERE db = "
        "'careers_log'");
    while (rs->next()) ids.insert(rs->getInt64(1));
    return ids;
  }

  std::unique_ptr<Database> db_;
  int recorded_ = 0;
};

TEST_F(AccessLogStallTest, StopWithABoundReturnsInTimeOnAFrozenDatabase) {
  // Writes only when told (a long interval, big batches).
  const std::set<int64_t> before = LogDatabaseConnections();
  auto log = std::make_unique<BatchedAccessLog>(*db_, absl::Hours(1), 1000);
  log->Start();
  RecordReads(*log, 3);
  ASSERT_TRUE(log->Flush().ok());  // the log's own connection is open now
  ASSERT_EQ(Events(), "3");
  std::vector<int64_t> opened;
  for (int64_t id : LogDatabaseConnections()) {
    if (before.count(id) == 0) opened.push_back(id);
  }
  ASSERT_EQ(opened.size(), 1u);  // the log's, not one of the pool's
  RecordReads(*log, 5);

  server_->Freeze();
  const absl::Duration bound = absl::Seconds(1);
  const absl::Time start = absl::Now();
  const size_t unwritten = log->Stop(bound);
  const absl::Duration took = absl::Now() - start;
  Report("BatchedAccessLog::Stop(1s) on a frozen database", took);
  EXPECT_LT(took, bound + absl::Milliseconds(500));
  EXPECT_GE(took, bound - absl::Milliseconds(50));
  EXPECT_EQ(unwritten, 5u);
  log.reset();  // its thread, still blocked, must not need the object

  // Back again: the abandoned write's deadline has passed, so it does not
  // go on to insert; the thread ends and closes its connection.
  server_->Thaw();
  EXPECT_TRUE(
      PollUntil([&] { return !HasConnection(opened[0]); }, absl::Seconds(15)));
  EXPECT_EQ(Events(), "3");
}

TEST_F(AccessLogStallTest, StopWithoutABoundWritesEverythingQueued) {
  BatchedAccessLog log(*db_, absl::Hours(1), 1000);
  RecordReads(log, 4);  // never started: Stop writes them all the same
  log.Stop();
  EXPECT_EQ(Events(), "4");
  EXPECT_EQ(log.Stop(absl::Seconds(1)), 0u);  // already stopped
}

}  // namespace
}  // namespace careers::store
