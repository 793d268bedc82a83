#ifndef CAREERS_SERVER_STORE_MIGRATOR_H_
#define CAREERS_SERVER_STORE_MIGRATOR_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "db/embedded_files.h"
#include "server/store/database.h"

namespace careers::store {

// One numbered schema change: db/migrations/NNNN_name.{up,down}.sql.
struct Migration {
  int64_t version = 0;
  std::string name;
  std::string up;
  std::string down;
  std::string checksum;  // hex SHA-256 of `up`
};

// Pairs the .up.sql and .down.sql files by version. Every version needs
// both, versions are unique, and names follow NNNN_lower_snake.
absl::StatusOr<std::vector<Migration>> LoadMigrations(
    absl::Span<const db::EmbeddedFile> files);

// Splits SQL text into statements at semicolons outside quotes and
// comments. Comments are kept; empty statements are dropped.
std::vector<std::string> SplitSqlStatements(absl::string_view sql);

// Runs every statement of `sql` on one connection, outside any time limit
// (for trusted scripts such as demo data). The error names the statement.
absl::Status RunSqlScript(Database& db, absl::string_view label,
                          absl::string_view sql);

// Applies and verifies migrations, recording each in
// schema_migrations(version, name, checksum, dirty, applied_at). MariaDB
// DDL is not transactional, so a migration is marked dirty before it starts
// and clean when it is done: a failure leaves it dirty for a person to
// repair. Changes run under GET_LOCK, so concurrent runners apply each
// migration once. Thread-compatible; `db` must outlive it.
class Migrator {
 public:
  Migrator(Database& db, std::vector<Migration> migrations);

  // Applies every pending migration in order; returns how many. Refuses a
  // dirty, unknown, edited or out-of-order schema.
  absl::StatusOr<int> Up();

  // Reverts applied migrations above `version`, newest first; returns how
  // many. DownTo(0) leaves only an empty schema_migrations table.
  absl::StatusOr<int> DownTo(int64_t version);

  // OK only if every migration this binary knows is applied, cleanly and
  // unedited, and nothing else is: the server refuses to serve otherwise.
  absl::Status Verify();

  struct Applied {
    int64_t version = 0;
    std::string name;
    std::string checksum;
    bool dirty = false;
  };
  absl::StatusOr<std::vector<Applied>> ListApplied();

 private:
  static std::vector<Applied> ReadApplied(Connection& c);
  // Problems with what is applied so far, before anything is changed.
  absl::Status CheckApplied(const std::vector<Applied>& applied) const;
  absl::Status WithLock(absl::string_view what,
                        absl::FunctionRef<absl::Status(Connection&)> fn);

  Database& db_;
  std::vector<Migration> migrations_;
};

}  // namespace careers::store

#endif  // CAREERS_SERVER_STORE_MIGRATOR_H_
