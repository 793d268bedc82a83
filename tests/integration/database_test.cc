// The database layer on a real MariaDB: pool limits, deadlines reaching SQL,
// replaced connections, deadlock retries, error mapping, rollbacks.
#include "server/store/database.h"

#include <atomic>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_database.h"

namespace careers::store {
namespace {

using ::careers::testing::TestDatabase;
using ::testing::HasSubstr;
using ::testing::Not;

// Waits until `count` threads have arrived. (C++17 has no std::latch.)
class Latch {
 public:
  explicit Latch(int count) : count_(count) {}
  void ArriveAndWait() {
    std::unique_lock<std::mutex> lock(mu_);
    if (--count_ == 0) {
      cv_.notify_all();
    } else {
      cv_.wait(lock, [this] { return count_ <= 0; });
    }
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int count_;
};

class DatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test_db_ = TestDatabase::Create(/*migrate=*/false, /*pool_size=*/2);
    ASSERT_NE(test_db_, nullptr);
    test_db_->Exec(
        "CREATE TABLE t (id INT PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB");
    test_db_->Exec("INSERT INTO t VALUES (1, 0), (2, 0)");
  }
  Database& db() { return test_db_->db(); }
  std::unique_ptr<TestDatabase> test_db_;
};

// A call whose deadline passes while every connection is busy ran out of
// time: DEADLINE_EXCEEDED (UNAVAILABLE would invite a retry with no time
// left), and at its deadline, not later.
TEST_F(DatabaseTest, PoolExhaustionIsDeadlineExceededAtTheDeadline) {
  auto a = db().pool().Acquire(absl::InfiniteFuture());
  auto b = db().pool().Acquire(absl::InfiniteFuture());
  ASSERT_TRUE(a.ok() && b.ok());
  const absl::Time start = absl::Now();
  const absl::Status status =
      db().Read("test", start + absl::Milliseconds(300),
                [](Connection&) { return absl::OkStatus(); });
  const absl::Duration waited = absl::Now() - start;
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded) << status;
  EXPECT_GE(waited, absl::Milliseconds(250));
  EXPECT_LT(waited, absl::Seconds(2));
  EXPECT_EQ(db().pool().stats().open, 2);

  *a = PooledConnection();  // give one back
  EXPECT_TRUE(db().Read("test", absl::Now() + absl::Seconds(5),
                        [](Connection& c) {
                          c.Query("SELECT 1");
                          return absl::OkStatus();
                        })
                  .ok());
}

TEST_F(DatabaseTest, StatementTimeLimitFollowsTheDeadlineIntoLockWaits) {
  auto holder = test_db_->Connect();
  holder->Execute("START TRANSACTION");
  holder->Query("SELECT v FROM t WHERE id = 1 FOR UPDATE");
  const absl::Time start = absl::Now();
  const absl::Status status =
      db().Transact("test", start + absl::Milliseconds(400), [](Connection& c) {
        c.Prepare("UPDATE t SET v = v + 1 WHERE id = 1").Execute();
        return absl::OkStatus();
      });
  const absl::Duration took = absl::Now() - start;
  // innodb_lock_wait_timeout is 50 s: only the statement limit ends this.
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded) << status;
  EXPECT_LT(took, absl::Seconds(3));
  holder->Execute("ROLLBACK");
  EXPECT_EQ(test_db_->Query("SELECT v FROM t WHERE id = 1"), "0");
}

// Each statement gets the time left at that statement, not what was left
// when the attempt began: a slow first statement leaves the second less.
TEST_F(DatabaseTest, EachStatementIsLimitedToTheTimeLeftAtIt) {
  // Prepared (the store's own SQL) and text statements alike.
  for (const bool prepared : {true, false}) {
    const absl::Time start = absl::Now();
    const absl::Status status =
        db().Read("test", start + absl::Seconds(1), [&](Connection& c) {
          if (prepared) {
            c.Prepare("SELECT SLEEP(5)").Query();
          } else {
            c.Query("SELECT SLEEP(5)");
          }
          return absl::OkStatus();
        });
    const absl::Duration took = absl::Now() - start;
    std::cout << "[ measured ] SELECT SLEEP(5), 1 s deadline, "
              << (prepared ? "prepared" : "text") << ": "
              << absl::FormatDuration(took) << std::endl;
    EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded) << status;
    EXPECT_GE(took, absl::Milliseconds(800)) << prepared;
    EXPECT_LT(took, absl::Milliseconds(1300)) << prepared;
  }
  const absl::Time start = absl::Now();
  const absl::Status status =
      db().Transact("test", start + absl::Seconds(2), [](Connection& c) {
        c.Prepare("SELECT SLEEP(1.2)").Query();  // ends normally
        c.Prepare("SELECT SLEEP(5)").Query();    // about 0.8 s left
        return absl::OkStatus();
      });
  const absl::Duration took = absl::Now() - start;
  std::cout << "[ measured ] SLEEP(1.2) then SLEEP(5), 2 s deadline: "
            << absl::FormatDuration(took) << std::endl;
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded) << status;
  // A limit set once per attempt (about 2 s) would have let it run to 3.2 s.
  EXPECT_GE(took, absl::Milliseconds(1800));
  EXPECT_LT(took, absl::Milliseconds(2300));
}

// A transaction still running when its deadline passes is rolled back, not
// committed late: the caller has been told DEADLINE_EXCEEDED.
TEST_F(DatabaseTest, ATransactionPastItsDeadlineIsRolledBackNotCommitted) {
  const absl::Time deadline = absl::Now() + absl::Milliseconds(300);
  bool updated = false;
  const absl::Status status =
      db().Transact("test", deadline, [&](Connection& c) {
        c.Prepare("UPDATE t SET v = 7 WHERE id = 1").Execute();
        updated = true;
        // Slow work of the caller's, outside the database, past the
        // deadline.
        while (absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(5));
        return absl::OkStatus();
      });
  EXPECT_TRUE(updated);
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded) << status;
  EXPECT_EQ(test_db_->Query("SELECT v FROM t WHERE id = 1"), "0");
  // And the connection is fine for the next call.
  EXPECT_TRUE(
      db().Transact("test", absl::Now() + absl::Seconds(5),
                    [](Connection& c) {
                      c.Prepare("UPDATE t SET v = 7 WHERE id = 1").Execute();
                      return absl::OkStatus();
                    })
          .ok());
  EXPECT_EQ(test_db_->Query("SELECT v FROM t WHERE id = 1"), "7");
}

// A statement with no time left is not sent at all.
TEST_F(DatabaseTest, AStatementWithNoTimeLeftIsNotSent) {
  const absl::Time deadline = absl::Now() + absl::Milliseconds(100);
  int64_t sent_before = -1;
  int64_t sent_after = -1;
  const absl::Status status =
      db().Transact("test", deadline, [&](Connection& c) {
        c.Prepare("SELECT 1").Query();
        while (absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(5));
        sent_before = c.round_trips();
        try {
          c.Prepare("UPDATE t SET v = 9 WHERE id = 1").Execute();
        } catch (...) {
          sent_after = c.round_trips();
          throw;
        }
        return absl::OkStatus();
      });
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded) << status;
  // The UPDATE is prepared the first time (one round trip), never executed.
  EXPECT_EQ(sent_after, sent_before + 1);
  EXPECT_EQ(test_db_->Query("SELECT v FROM t WHERE id = 1"), "0");
}

// Migrations run on a connection of their own, with no time limit and the
// long socket timeout: not one of the pool's, whose socket timeout is short.
TEST_F(DatabaseTest, WithConnectionUsesAConnectionOfItsOwn) {
  std::string pooled_id;
  ASSERT_TRUE(db().Read("test", absl::Now() + absl::Seconds(5),
                        [&](Connection& c) {
                          auto rs = c.Query("SELECT CONNECTION_ID()");
                          rs->next();
                          pooled_id = GetString(*rs, 1);
                          return absl::OkStatus();
                        })
                  .ok());
  const int open_before = db().pool().stats().open;
  std::string own_id;
  std::string limit;
  ASSERT_TRUE(
      db().WithConnection(
              "test",
              [&](Connection& c) {
                auto rs = c.Query(
                    "SELECT CONNECTION_ID(), @@SESSION.max_statement_time");
                rs->next();
                own_id = GetString(*rs, 1);
                limit = GetString(*rs, 2);
                return absl::OkStatus();
              })
          .ok());
  EXPECT_NE(own_id, pooled_id);
  EXPECT_EQ(std::stod(limit), 0.0);
  EXPECT_EQ(db().pool().stats().open, open_before);
}

TEST_F(DatabaseTest, AnExpiredDeadlineNeverReachesTheDatabase) {
  bool ran = false;
  const absl::Status status =
      db().Read("test", absl::Now() - absl::Seconds(1), [&](Connection&) {
        ran = true;
        return absl::OkStatus();
      });
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_FALSE(ran);
}

TEST_F(DatabaseTest, KilledConnectionsAreReplacedForReads) {
  std::string first_id;
  ASSERT_TRUE(db().Read("test", absl::Now() + absl::Seconds(5),
                        [&](Connection& c) {
                          auto rs = c.Query("SELECT CONNECTION_ID()");
                          rs->next();
                          first_id = GetString(*rs, 1);
                          return absl::OkStatus();
                        })
                  .ok());
  test_db_->Exec(absl::StrCat("KILL CONNECTION ", first_id));
  // Both pooled connections may be the killed one's siblings: read twice.
  for (int i = 0; i < 2; ++i) {
    std::string id;
    const absl::Status status =
        db().Read("test", absl::Now() + absl::Seconds(5), [&](Connection& c) {
          auto rs = c.Query("SELECT CONNECTION_ID()");
          rs->next();
          id = GetString(*rs, 1);
          return absl::OkStatus();
        });
    ASSERT_TRUE(status.ok()) << status;
    EXPECT_NE(id, first_id);
  }
}

TEST_F(DatabaseTest, DeadlocksAreRetriedUntilBothTransactionsCommit) {
  Latch both_hold_a_row(2);
  std::atomic<int> attempts{0};
  auto worker = [&](int first, int second) {
    bool first_attempt = true;
    return db().Transact(
        "test", absl::Now() + absl::Seconds(20), [&](Connection& c) {
          ++attempts;
          c.Prepare("UPDATE t SET v = v + 1 WHERE id = ?")
              .Bind(first)
              .Execute();
          if (first_attempt) {
            first_attempt = false;
            both_hold_a_row
                .ArriveAndWait();  // now each waits for the other's row
          }
          c.Prepare("UPDATE t SET v = v + 1 WHERE id = ?")
              .Bind(second)
              .Execute();
          return absl::OkStatus();
        });
  };
  absl::Status s1, s2;
  std::thread t1([&] { s1 = worker(1, 2); });
  std::thread t2([&] { s2 = worker(2, 1); });
  t1.join();
  t2.join();
  EXPECT_TRUE(s1.ok()) << s1;
  EXPECT_TRUE(s2.ok()) << s2;
  EXPECT_EQ(attempts.load(), 3);  // the deadlock victim ran twice
  EXPECT_EQ(test_db_->Query("SELECT SUM(v) FROM t"), "4");
}

TEST_F(DatabaseTest, RealErrorsMapWithoutSqlInTheMessage) {
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  const absl::Status duplicate =
      db().Transact("test", deadline, [](Connection& c) {
        c.Prepare("INSERT INTO t VALUES (1, 1)").Execute();
        return absl::OkStatus();
      });
  EXPECT_EQ(duplicate.code(), absl::StatusCode::kAlreadyExists);
  const absl::Status syntax = db().Read("test", deadline, [](Connection& c) {
    c.Query("SELEKT secret_column FROM t");
    return absl::OkStatus();
  });
  EXPECT_EQ(syntax.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(std::string(syntax.message()), Not(HasSubstr("secret_column")));
  test_db_->Exec(
      "CREATE TABLE child (id INT PRIMARY KEY, t_id INT, "
      "FOREIGN KEY (t_id) REFERENCES t (id)) ENGINE=InnoDB");
  const absl::Status orphan =
      db().Transact("test", deadline, [](Connection& c) {
        c.Prepare("INSERT INTO child VALUES (1, 99)").Execute();
        return absl::OkStatus();
      });
  EXPECT_EQ(orphan.code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(DatabaseTest, ANonOkResultRollsBack) {
  const absl::Status status =
      db().Transact("test", absl::Now() + absl::Seconds(5), [](Connection& c) {
        c.Prepare("UPDATE t SET v = 42 WHERE id = 1").Execute();
        return absl::InvalidArgumentError("changed my mind");
      });
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(test_db_->Query("SELECT v FROM t WHERE id = 1"), "0");
}

TEST_F(DatabaseTest, HealthPingUsesItsOwnConnection) {
  auto a = db().pool().Acquire(absl::InfiniteFuture());
  auto b = db().pool().Acquire(absl::InfiniteFuture());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(
      db().Ping(absl::Seconds(2)).ok());  // a full pool is not a dead database
}

}  // namespace
}  // namespace careers::store
