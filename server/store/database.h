#ifndef CAREERS_SERVER_STORE_DATABASE_H_
#define CAREERS_SERVER_STORE_DATABASE_H_

#include <memory>
#include <mutex>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/store/connection.h"
#include "server/store/connection_pool.h"
#include "server/store/db_url.h"

namespace careers::store {

struct DatabaseOptions {
  DbTarget target;
  int pool_size = 8;
  absl::Duration connect_timeout = absl::Seconds(5);
  // Socket read/write limit: a backstop for a database that stops answering
  // on an open connection. Statement limits follow each call's deadline.
  absl::Duration io_timeout = absl::Seconds(60);
  // Idle connections are pinged before reuse after this long.
  absl::Duration validate_after = absl::Seconds(5);
  // Re-runs of a transaction after a deadlock or lock wait timeout.
  int max_retries = 3;
};

// The database as the store sees it: a connection pool plus the one place
// where statements run, exceptions become statuses, statement time limits
// follow deadlines, and deadlocks are retried. Thread-safe.
class Database {
 public:
  // Connects once to learn the server (MariaDB or MySQL) and fail early.
  static absl::StatusOr<std::unique_ptr<Database>> Open(
      DatabaseOptions options);
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // Runs `fn` in one transaction on a pooled connection and commits if it
  // returns OK, rolls back otherwise. Every statement is limited to the time
  // left before `deadline`. Deadlocks and lock wait timeouts re-run `fn`
  // (so it must be safe to re-run) up to max_retries times, then ABORTED.
  // `what` names the operation in logs. Exceptions never escape.
  absl::Status Transact(absl::string_view what, absl::Time deadline,
                        absl::FunctionRef<absl::Status(Connection&)> fn);

  // Like Transact without a transaction (autocommit): for reads. A lost
  // connection is retried once on a fresh one.
  absl::Status Read(absl::string_view what, absl::Time deadline,
                    absl::FunctionRef<absl::Status(Connection&)> fn);

  // Runs `fn` on one connection without a time limit or transaction, for
  // migrations and data loading before serving.
  absl::Status WithConnection(absl::string_view what,
                              absl::FunctionRef<absl::Status(Connection&)> fn);

  // For the end of shutdown: no more connections are lent, and the
  // statement running on each connection on loan is interrupted (KILL QUERY),
  // so no call outlives the shutdown timeout. Returns how many were.
  int InterruptAll();

  // OK if the database answers within `timeout`, on a connection of its
  // own so a busy pool does not look like a dead database.
  absl::Status Ping(absl::Duration timeout);

  ConnectionPool& pool() { return *pool_; }
  ServerFlavor flavor() const { return flavor_; }
  const DbTarget& target() const { return options_.target; }

 private:
  Database(DatabaseOptions options, ServerFlavor flavor);
  enum class Mode { kTransaction, kAutocommit, kUnlimited };
  absl::Status Run(Mode mode, absl::string_view what, absl::Time deadline,
                   absl::FunctionRef<absl::Status(Connection&)> fn);

  const DatabaseOptions options_;
  const ServerFlavor flavor_;
  std::unique_ptr<ConnectionPool> pool_;

  std::mutex ping_mu_;
  std::unique_ptr<Connection> ping_connection_;  // guarded by ping_mu_
};

// Opens one connection with the store's session settings (UTC, strict SQL
// mode, READ COMMITTED, utf8mb4). UNAVAILABLE on failure.
absl::StatusOr<std::unique_ptr<Connection>> OpenConnection(
    const DbTarget& target, absl::Duration connect_timeout,
    absl::Duration io_timeout, ServerFlavor flavor);

}  // namespace careers::store

#endif  // CAREERS_SERVER_STORE_DATABASE_H_
