// Store pieces that need no database: the error mapping, statement time
// limits, database URLs, SQL script splitting, migration file pairing.
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/store/connection.h"
#include "server/store/connection_pool.h"
#include "server/store/database.h"
#include "server/store/db_url.h"
#include "server/store/migrator.h"
#include "server/store/sql_error.h"

namespace careers::store {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

sql::SQLException Error(int code,
                        const std::string& message = "secret SQL text") {
  return sql::SQLException(message, "HY000", code);
}

TEST(SqlErrorMapping, MapsEachClassAndNeverLeaksTheMessage) {
  const std::pair<int, absl::StatusCode> cases[] = {
      {1062, absl::StatusCode::kAlreadyExists},
      {1451, absl::StatusCode::kFailedPrecondition},
      {1452, absl::StatusCode::kFailedPrecondition},
      {1213, absl::StatusCode::kAborted},
      {1205, absl::StatusCode::kAborted},
      {1969, absl::StatusCode::kDeadlineExceeded},
      {3024, absl::StatusCode::kDeadlineExceeded},
      {2002, absl::StatusCode::kUnavailable},
      {2003, absl::StatusCode::kUnavailable},
      {2006, absl::StatusCode::kUnavailable},
      {2013, absl::StatusCode::kUnavailable},
      {1040, absl::StatusCode::kUnavailable},
      {1064, absl::StatusCode::kInternal},
      {1146, absl::StatusCode::kInternal},
  };
  for (const auto& [code, expected] : cases) {
    const absl::Status status =
        FromSqlException(Error(code, "INSERT INTO profiles VALUES ('x')"));
    EXPECT_EQ(status.code(), expected) << code;
    EXPECT_THAT(std::string(status.message()), Not(HasSubstr("INSERT")))
        << code;
    EXPECT_THAT(std::string(status.message()), Not(HasSubstr("profiles")))
        << code;
  }
}

TEST(SqlErrorMapping, RetryableAndConnectionBreaking) {
  EXPECT_TRUE(IsRetryable(Error(1213)));
  EXPECT_TRUE(IsRetryable(Error(1205)));
  EXPECT_FALSE(IsRetryable(Error(1062)));
  EXPECT_TRUE(BreaksConnection(Error(2013)));
  EXPECT_TRUE(BreaksConnection(Error(2006)));
  EXPECT_TRUE(BreaksConnection(Error(1927)));
  EXPECT_FALSE(BreaksConnection(Error(1062)));
  EXPECT_FALSE(BreaksConnection(Error(1213)));
}

TEST(StatementTimeout, NeverAboveWhatIsLeftAndStableForSimilarDeadlines) {
  for (absl::Duration remaining :
       {absl::Milliseconds(3), absl::Milliseconds(250), absl::Seconds(5),
        absl::Seconds(30)}) {
    const absl::Duration limit = QuantizeStatementTimeout(remaining);
    EXPECT_LE(limit, remaining);
    EXPECT_GE(limit, remaining * 0.9);
  }
  // Calls arriving a few microseconds apart with a 5 s deadline share a limit.
  EXPECT_EQ(
      QuantizeStatementTimeout(absl::Seconds(5) - absl::Microseconds(40)),
      QuantizeStatementTimeout(absl::Seconds(5) - absl::Microseconds(900)));
  EXPECT_EQ(QuantizeStatementTimeout(absl::InfiniteDuration()),
            absl::ZeroDuration());
  EXPECT_EQ(QuantizeStatementTimeout(absl::Microseconds(10)),
            absl::Milliseconds(1));
}

TEST(ConnectTimeout, FollowsTheDeadlineInWholeSecondsAndAtLeastOne) {
  const absl::Time now = absl::FromUnixSeconds(1700000000);
  const absl::Duration cap = absl::Seconds(5);
  EXPECT_EQ(ConnectTimeoutBefore(now + absl::Seconds(30), cap, now),
            absl::Seconds(5));
  EXPECT_EQ(ConnectTimeoutBefore(absl::InfiniteFuture(), cap, now),
            absl::Seconds(5));
  EXPECT_EQ(ConnectTimeoutBefore(now + absl::Milliseconds(3900), cap, now),
            absl::Seconds(3));
  // Rounded down, never beyond the deadline, except for the 1 s minimum.
  EXPECT_EQ(ConnectTimeoutBefore(now + absl::Milliseconds(1500), cap, now),
            absl::Seconds(1));
  EXPECT_EQ(ConnectTimeoutBefore(now + absl::Milliseconds(200), cap, now),
            absl::Seconds(1));
  EXPECT_EQ(ConnectTimeoutBefore(now - absl::Seconds(1), cap, now),
            absl::Seconds(1));
  EXPECT_EQ(ConnectTimeoutBefore(now + absl::Seconds(30),
                                 absl::Milliseconds(2500), now),
            absl::Seconds(2));
}

TEST(ConnectionPool, OpensConnectionsWithTheCallersDeadline) {
  std::vector<absl::Time> asked;
  ConnectionPool pool(
      [&](absl::Time deadline) -> absl::StatusOr<std::unique_ptr<Connection>> {
        asked.push_back(deadline);
        return absl::UnavailableError("no database in a unit test");
      },
      2, absl::Seconds(5));
  const absl::Time deadline = absl::Now() + absl::Milliseconds(1500);
  EXPECT_EQ(pool.Acquire(deadline).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_THAT(asked, ElementsAre(deadline));
  EXPECT_EQ(pool.stats().open, 0);  // the failed connect gave its slot back
}

TEST(DbUrl, ParsesTcpAndSocketForms) {
  auto tcp = ParseDbUrl("mysql://careers:p%40ss@127.0.0.1:3316/careers");
  ASSERT_TRUE(tcp.ok()) << tcp.status();
  EXPECT_EQ(tcp->user, "careers");
  EXPECT_EQ(tcp->password, "p@ss");
  EXPECT_EQ(tcp->host, "127.0.0.1");
  EXPECT_EQ(tcp->port, 3316);
  EXPECT_EQ(tcp->database, "careers");
  EXPECT_THAT(tcp->Redacted(), Not(HasSubstr("p@ss")));
  auto socket = ParseDbUrl("mariadb://root@/careers?socket=/tmp/db/sock");
  ASSERT_TRUE(socket.ok()) << socket.status();
  EXPECT_EQ(socket->socket, "/tmp/db/sock");
}

TEST(DbUrl, RejectsMalformedUrlsWithoutEchoingThePassword) {
  for (const char* bad :
       {"postgres://u@h/db", "mysql://h:3306/db", "mysql://u:secret@h:99999/db",
        "mysql://u:secret@h:3306/", "mysql://u@h/db?ssl=1",
        "mysql://u:%zz@h/db"}) {
    auto parsed = ParseDbUrl(bad);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument)
        << bad;
    EXPECT_THAT(std::string(parsed.status().message()),
                Not(HasSubstr("secret")))
        << bad;
  }
}

TEST(SqlScripts, SplitsOnSemicolonsOutsideQuotesAndComments) {
  EXPECT_THAT(
      SplitSqlStatements("-- a comment; with a semicolon\n"
                         "CREATE TABLE a (x INT);\n"
                         "INSERT INTO a VALUES (';'), (\"it's\");\n"
                         "/* block; */ DROP TABLE a;\n"
                         "-- trailing comment only\n"),
      ElementsAre("-- a comment; with a semicolon\nCREATE TABLE a (x INT)",
                  "INSERT INTO a VALUES (';'), (\"it's\")",
                  "/* block; */ DROP TABLE a"));
}

TEST(MigrationFiles, PairsUpAndDownAndChecksThem) {
  const db::EmbeddedFile good[] = {{"0001_a.up.sql", "CREATE TABLE a (x INT);"},
                                   {"0001_a.down.sql", "DROP TABLE a;"},
                                   {"0002_b.up.sql", "CREATE TABLE b (x INT);"},
                                   {"0002_b.down.sql", "DROP TABLE b;"}};
  auto migrations = LoadMigrations(good);
  ASSERT_TRUE(migrations.ok()) << migrations.status();
  ASSERT_EQ(migrations->size(), 2u);
  EXPECT_EQ((*migrations)[1].version, 2);
  EXPECT_EQ((*migrations)[1].name, "b");
  EXPECT_EQ((*migrations)[0].checksum.size(), 64u);

  const db::EmbeddedFile no_down[] = {
      {"0001_a.up.sql", "CREATE TABLE a (x INT);"}};
  EXPECT_FALSE(LoadMigrations(no_down).ok());
  const db::EmbeddedFile bad_name[] = {{"1_a.up.sql", "x"},
                                       {"1_a.down.sql", "y"}};
  EXPECT_FALSE(LoadMigrations(bad_name).ok());
}

TEST(MigrationFiles, TheShippedMigrationsLoad) {
  auto migrations = LoadMigrations(db::MigrationFiles());
  ASSERT_TRUE(migrations.ok()) << migrations.status();
  EXPECT_GE(migrations->size(), 3u);
  for (size_t i = 0; i < migrations->size(); ++i) {
    EXPECT_EQ((*migrations)[i].version, static_cast<int64_t>(i + 1))
        << "versions have no gaps";
  }
}

}  // namespace
}  // namespace careers::store
