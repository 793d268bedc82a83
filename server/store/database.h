#ifndef CAREERS_SERVER_STORE_DATABASE_H_
#define CAREERS_SERVER_STORE_DATABASE_H_

#include <functional>
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
  // The longest a new connection may take to open. A connection opened for
  // a call is also bounded by the time left before the call's deadline
  // (ConnectTimeoutBefore), in whole seconds and at least 1 s.
  absl::Duration connect_timeout = absl::Seconds(5);
  // Socket read/write limit, set when a connection opens: the longest the
  // store waits for one answer from a database that has stopped answering
  // (frozen, or a network gone silent); a statement limit cannot end that
  // wait, as the server is not running to apply it. Make it a little more
  // than the longest deadline a call can have (the server sets
  // --max-deadline + 1 s), so it never ends a statement that is within its
  // deadline.
  absl::Duration io_timeout = absl::Seconds(31);
  // The same for WithConnection (migrations, loading data), whose
  // statements have no deadline and may run long (an ALTER TABLE).
  absl::Duration unlimited_io_timeout = absl::Hours(1);
  // Idle connections are pinged before reuse after this long.
  absl::Duration validate_after = absl::Seconds(5);
  // Re-runs of a transaction after a deadlock or lock wait timeout.
  int max_retries = 3;
  // A transaction with less than this left before its deadline when it
  // would commit is rolled back instead (DEADLINE_EXCEEDED): the COMMIT
  // itself takes time, and a caller told DEADLINE_EXCEEDED must not find
  // the change made.
  absl::Duration commit_margin = absl::Milliseconds(5);
};

// The connect timeout for a connection opened with `deadline` ahead at
// `now`: min(cap, deadline - now), rounded down to whole seconds (all that
// Connector/C++ takes), and at least 1 s.
absl::Duration ConnectTimeoutBefore(absl::Time deadline, absl::Duration cap,
                                    absl::Time now);

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
  // left before `deadline` at that statement (Connection::set_deadline). If
  // less than commit_margin is left when `fn` returns OK, the transaction
  // is rolled back and the result is DEADLINE_EXCEEDED, so a call past its
  // deadline never commits afterwards. (The one exception: a COMMIT sent in
  // time to a database that then stops answering. The store cannot tell
  // whether it was applied; the database may apply it when it resumes, after
  // the caller has been told the call failed.) Deadlocks and lock wait
  // timeouts re-run `fn` (so it must be safe to re-run) up to max_retries
  // times, then ABORTED. `what` names the operation in logs. Exceptions
  // never escape.
  absl::Status Transact(absl::string_view what, absl::Time deadline,
                        absl::FunctionRef<absl::Status(Connection&)> fn);

  // Like Transact without a transaction (autocommit): for reads. A lost
  // connection is retried once on a fresh one.
  absl::Status Read(absl::string_view what, absl::Time deadline,
                    absl::FunctionRef<absl::Status(Connection&)> fn);

  // Runs `fn` without a time limit or transaction, for migrations and data
  // loading before serving, on a connection of its own (not the pool's,
  // closed afterwards) whose socket timeout is unlimited_io_timeout. Not
  // interrupted by InterruptAll.
  absl::Status WithConnection(absl::string_view what,
                              absl::FunctionRef<absl::Status(Connection&)> fn);

  // For the end of shutdown: no more connections are lent, and the
  // statement running on each connection on loan is interrupted (KILL QUERY),
  // so no call outlives the shutdown timeout. Returns how many were.
  int InterruptAll();

  // OK if the database answers within `timeout`, on a connection of its
  // own so a busy pool does not look like a dead database.
  absl::Status Ping(absl::Duration timeout);

  // Another Database for the same server and options with a pool of its own
  // of `pool_size` connections, opened lazily (no round trip here). For
  // background writers that must not wait behind calls for a connection,
  // nor lose theirs when InterruptAll closes this pool at shutdown.
  std::unique_ptr<Database> OpenSibling(int pool_size) const;

  // Told after each write that committed change records (store::Write),
  // on the writer's thread: it must be quick (the change feed's wake-up).
  // Set once, before any write.
  void set_change_listener(std::function<void()> listener) {
    change_listener_ = std::move(listener);
  }
  void NotifyChanges() const {
    if (change_listener_) change_listener_();
  }

  ConnectionPool& pool() { return *pool_; }
  ServerFlavor flavor() const { return flavor_; }
  const DbTarget& target() const { return options_.target; }
  const DatabaseOptions& options() const { return options_; }

 private:
  Database(DatabaseOptions options, ServerFlavor flavor);
  enum class Mode { kTransaction, kAutocommit, kUnlimited };
  // A pooled connection; for kUnlimited, one of its own.
  absl::StatusOr<PooledConnection> Lease(Mode mode, absl::Time deadline);
  absl::Status Run(Mode mode, absl::string_view what, absl::Time deadline,
                   absl::FunctionRef<absl::Status(Connection&)> fn);

  const DatabaseOptions options_;
  const ServerFlavor flavor_;
  std::unique_ptr<ConnectionPool> pool_;

  std::function<void()> change_listener_;

  std::mutex ping_mu_;
  std::unique_ptr<Connection> ping_connection_;  // guarded by ping_mu_
};

// Opens one connection with the store's session settings (UTC, strict SQL
// mode, READ COMMITTED, utf8mb4). `connect_timeout` bounds the connect and
// the wait for the server's greeting; `io_timeout` every later socket read
// or write (both in whole seconds, rounded up, at least 1 s). UNAVAILABLE
// on failure, logged as a warning unless `log_failure` is false.
absl::StatusOr<std::unique_ptr<Connection>> OpenConnection(
    const DbTarget& target, absl::Duration connect_timeout,
    absl::Duration io_timeout, ServerFlavor flavor, bool log_failure = true);

}  // namespace careers::store

#endif  // CAREERS_SERVER_STORE_DATABASE_H_
