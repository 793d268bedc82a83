#ifndef CAREERS_TESTS_SUPPORT_TEST_DATABASE_H_
#define CAREERS_TESTS_SUPPORT_TEST_DATABASE_H_

#include <memory>
#include <string>

#include "server/store/connection.h"
#include "server/store/database.h"
#include "server/store/db_url.h"

namespace careers::testing {

// A database of its own for one test, on the MariaDB that ops/test.sh starts
// (CAREERS_TEST_DB_URL, an account that may create databases). Created
// empty or migrated, dropped when this goes away, so tests can run in
// parallel. Not thread-safe; db() is.
class TestDatabase {
 public:
  // Fails the current test (fatally) if the server cannot be reached.
  static std::unique_ptr<TestDatabase> Create(bool migrate = true,
                                              int pool_size = 8);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& name() const { return target_.database; }
  const store::DbTarget& target() const { return target_; }
  // mysql://user@host:port/name, for careers-server --db-url.
  std::string Url() const;
  // The store's view of it (opened by Create).
  store::Database& db();
  // A separate connection to it, for setting up, inspecting and holding
  // locks as another client would.
  std::unique_ptr<store::Connection> Connect();
  // Runs one statement without results.
  void Exec(const std::string& sql);
  // Runs one query; returns the first column of the first row ("" if none),
  // which is handy for counts.
  std::string Query(const std::string& sql);

 private:
  explicit TestDatabase(store::DbTarget target) : target_(std::move(target)) {}
  store::DbTarget target_;
  int pool_size_ = 8;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::Connection> admin_;
};

}  // namespace careers::testing

#endif  // CAREERS_TESTS_SUPPORT_TEST_DATABASE_H_
