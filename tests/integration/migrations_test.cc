// The migration runner on a real MariaDB: up, down, up again; refusing
// dirty, unknown, edited and pending schemas; concurrent runners.
#include <thread>

#include "db/embedded_files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/store/migrator.h"
#include "tests/support/test_database.h"

namespace careers::store {
namespace {

using ::careers::testing::TestDatabase;
using ::testing::HasSubstr;

std::vector<Migration> Shipped() {
  auto migrations = LoadMigrations(db::MigrationFiles());
  EXPECT_TRUE(migrations.ok()) << migrations.status();
  return migrations.value_or(std::vector<Migration>());
}

class MigrationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test_db_ = TestDatabase::Create(/*migrate=*/false);
    ASSERT_NE(test_db_, nullptr);
  }
  int Tables() {
    return std::stoi(
        test_db_->Query("SELECT COUNT(*) FROM information_schema.tables WHERE "
                        "table_schema = DATABASE() "
                        "AND table_name <> 'schema_migrations'"));
  }
  std::unique_ptr<TestDatabase> test_db_;
};

TEST_F(MigrationsTest, UpDownUpOnAnEmptyDatabase) {
  const std::vector<Migration> migrations = Shipped();
  Migrator migrator(test_db_->db(), migrations);
  ASSERT_EQ(*migrator.Up(), static_cast<int>(migrations.size()));
  EXPECT_TRUE(migrator.Verify().ok());
  EXPECT_GE(Tables(), 6);
  EXPECT_EQ(*migrator.Up(), 0);  // nothing left to do

  ASSERT_EQ(*migrator.DownTo(0), static_cast<int>(migrations.size()));
  EXPECT_EQ(Tables(), 0);
  EXPECT_EQ(test_db_->Query("SELECT COUNT(*) FROM schema_migrations"), "0");

  ASSERT_EQ(*migrator.Up(), static_cast<int>(migrations.size()));
  EXPECT_TRUE(migrator.Verify().ok());
}

TEST_F(MigrationsTest, PartialRollbackKeepsTheOlderMigrations) {
  const std::vector<Migration> migrations = Shipped();
  Migrator migrator(test_db_->db(), migrations);
  ASSERT_TRUE(migrator.Up().ok());
  ASSERT_EQ(*migrator.DownTo(1), static_cast<int>(migrations.size()) - 1);
  EXPECT_EQ(test_db_->Query("SELECT MAX(version) FROM schema_migrations"), "1");
  EXPECT_EQ(test_db_->Query(
                "SELECT COUNT(*) FROM information_schema.tables WHERE "
                "table_schema = DATABASE() AND table_name = 'organisations'"),
            "1");
  EXPECT_THAT(std::string(migrator.Verify().message()),
              HasSubstr("not applied"));
}

TEST_F(MigrationsTest, TheAccessReasonColumnComesAndGoesWith0009) {
  const std::vector<Migration> migrations = Shipped();
  ASSERT_GE(migrations.size(), 9u);
  EXPECT_EQ(migrations[8].version, 9);
  EXPECT_EQ(migrations[8].name, "access_reason");
  Migrator migrator(test_db_->db(), migrations);
  auto reason_columns = [&] {
    return test_db_->Query(
        "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema "
        "= DATABASE() AND table_name = 'access_events' AND column_name = "
        "'reason' AND is_nullable = 'YES'");
  };
  ASSERT_TRUE(migrator.Up().ok());
  EXPECT_EQ(reason_columns(), "1");
  ASSERT_TRUE(migrator.DownTo(8).ok());
  EXPECT_EQ(reason_columns(), "0");
  EXPECT_EQ(test_db_->Query("SELECT MAX(version) FROM schema_migrations"), "8");
  ASSERT_TRUE(migrator.Up().ok());
  EXPECT_EQ(reason_columns(), "1");
  EXPECT_TRUE(migrator.Verify().ok());
}

TEST_F(MigrationsTest, VerifyRefusesAnEmptyDatabase) {
  Migrator migrator(test_db_->db(), Shipped());
  const absl::Status status = migrator.Verify();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(status.message()), HasSubstr("--migrate"));
}

TEST_F(MigrationsTest, VerifyAndUpRefuseADirtySchema) {
  Migrator migrator(test_db_->db(), Shipped());
  ASSERT_TRUE(migrator.Up().ok());
  test_db_->Exec("UPDATE schema_migrations SET dirty = TRUE WHERE version = 2");
  EXPECT_THAT(std::string(migrator.Verify().message()), HasSubstr("dirty"));
  EXPECT_EQ(migrator.Up().status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(MigrationsTest, VerifyRefusesUnknownAndEditedMigrations) {
  Migrator migrator(test_db_->db(), Shipped());
  ASSERT_TRUE(migrator.Up().ok());
  test_db_->Exec(
      "UPDATE schema_migrations SET checksum = REPEAT('0', 64) WHERE version = "
      "1");
  EXPECT_THAT(std::string(migrator.Verify().message()), HasSubstr("edited"));
  test_db_->Exec("DELETE FROM schema_migrations WHERE version = 1");
  test_db_->Exec("INSERT INTO schema_migrations VALUES (1, 'directory', '" +
                 Shipped()[0].checksum + "', FALSE, UTC_TIMESTAMP(6))");
  EXPECT_TRUE(migrator.Verify().ok());
  test_db_->Exec(
      "INSERT INTO schema_migrations VALUES (999, 'future', REPEAT('a', 64), "
      "FALSE, UTC_TIMESTAMP(6))");
  EXPECT_THAT(std::string(migrator.Verify().message()),
              HasSubstr("does not know"));
}

TEST_F(MigrationsTest, AFailingMigrationIsLeftDirty) {
  std::vector<Migration> migrations = Shipped();
  Migration broken;
  broken.version = static_cast<int64_t>(migrations.size()) + 1;
  broken.name = "broken";
  broken.up =
      "CREATE TABLE ok_part (id INT PRIMARY KEY);\nCREATE TABLE oops (;";
  broken.down = "DROP TABLE ok_part;";
  broken.checksum = std::string(64, 'b');
  migrations.push_back(broken);
  Migrator migrator(test_db_->db(), migrations);
  const absl::StatusOr<int> applied = migrator.Up();
  EXPECT_FALSE(applied.ok());
  EXPECT_THAT(std::string(applied.status().message()),
              HasSubstr("statement 2"));
  EXPECT_EQ(
      test_db_->Query("SELECT dirty FROM schema_migrations WHERE version = " +
                      std::to_string(broken.version)),
      "1");
  EXPECT_THAT(std::string(migrator.Verify().message()), HasSubstr("dirty"));
}

TEST_F(MigrationsTest, ConcurrentRunnersApplyEachMigrationOnce) {
  const std::vector<Migration> migrations = Shipped();
  auto other = test_db_->Connect();  // make sure a second Database can reach it
  ASSERT_NE(other, nullptr);
  DatabaseOptions options;
  options.target = test_db_->target();
  auto second_db = Database::Open(options);
  ASSERT_TRUE(second_db.ok());
  absl::StatusOr<int> a, b;
  std::thread ta([&] { a = Migrator(test_db_->db(), migrations).Up(); });
  std::thread tb([&] { b = Migrator(**second_db, migrations).Up(); });
  ta.join();
  tb.join();
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(*a + *b, static_cast<int>(migrations.size()));
  EXPECT_EQ(test_db_->Query("SELECT COUNT(*) FROM schema_migrations"),
            std::to_string(migrations.size()));
}

}  // namespace
}  // namespace careers::store
