#include "tests/support/test_database.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "db/embedded_files.h"
#include "gtest/gtest.h"
#include "server/common/crypto.h"
#include "server/common/ids.h"
#include "server/store/migrator.h"

namespace careers::testing {
namespace {

std::unique_ptr<store::Connection> OpenOrFail(const store::DbTarget& target) {
  auto c = store::OpenConnection(target, absl::Seconds(5), absl::Seconds(60),
                                 store::ServerFlavor::kMariaDb);
  if (!c.ok()) {
    ADD_FAILURE() << "cannot reach the test database: " << c.status();
    return nullptr;
  }
  return *std::move(c);
}

}  // namespace

std::unique_ptr<TestDatabase> TestDatabase::Create(bool migrate,
                                                   int pool_size) {
  const char* url = std::getenv("CAREERS_TEST_DB_URL");
  if (url == nullptr || *url == '\0') {
    ADD_FAILURE()
        << "CAREERS_TEST_DB_URL is not set: run the tests with ops/test.sh";
    return nullptr;
  }
  auto server = store::ParseDbUrl(url);
  if (!server.ok()) {
    ADD_FAILURE() << server.status();
    return nullptr;
  }
  auto admin = OpenOrFail(*server);
  if (admin == nullptr) return nullptr;
  store::DbTarget target = *server;
  target.database = absl::StrCat("careers_t_", HexEncode(RandomBytes(6)));
  admin->Execute(
      absl::StrCat("CREATE DATABASE ", target.database,
                   " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci"));
  std::unique_ptr<TestDatabase> test_db(new TestDatabase(target));
  test_db->pool_size_ = pool_size;
  test_db->admin_ = OpenOrFail(target);
  test_db->db();  // open now: db() is then safe to share between threads
  if (migrate) {
    auto migrations = store::LoadMigrations(db::MigrationFiles());
    if (!migrations.ok()) {
      ADD_FAILURE() << migrations.status();
      return nullptr;
    }
    store::Migrator migrator(test_db->db(), *migrations);
    auto applied = migrator.Up();
    if (!applied.ok()) {
      ADD_FAILURE() << "migrating the test database: " << applied.status();
      return nullptr;
    }
  }
  return test_db;
}

TestDatabase::~TestDatabase() {
  db_.reset();
  if (admin_ != nullptr) {
    try {
      admin_->Execute(
          absl::StrCat("DROP DATABASE IF EXISTS ", target_.database));
    } catch (const sql::SQLException& e) {
      ADD_FAILURE() << "dropping " << target_.database << ": " << e.what();
    }
  }
}

std::string TestDatabase::Url() const {
  return absl::StrCat("mysql://", target_.user,
                      target_.password.empty() ? "" : ":", target_.password,
                      "@", target_.host, ":", target_.port, "/",
                      target_.database);
}

store::Database& TestDatabase::db() {
  if (db_ == nullptr) {
    store::DatabaseOptions options;
    options.target = target_;
    options.pool_size = pool_size_;
    auto opened = store::Database::Open(options);
    if (!opened.ok()) {
      ADD_FAILURE() << opened.status();
      std::abort();
    }
    db_ = *std::move(opened);
  }
  return *db_;
}

std::unique_ptr<store::Connection> TestDatabase::Connect() {
  return OpenOrFail(target_);
}

void TestDatabase::Exec(const std::string& sql) { admin_->Execute(sql); }

std::string TestDatabase::Query(const std::string& sql) {
  auto rs = admin_->Query(sql);
  if (rs->next()) return rs->isNull(1) ? "" : store::GetString(*rs, 1);
  return "";
}

}  // namespace careers::testing
