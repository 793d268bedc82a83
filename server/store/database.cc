#include "server/store/database.h"

#include <cppconn/driver.h>
#include <cppconn/exception.h>
#include <mysql_driver.h>

#include <algorithm>
#include <mutex>
#include <random>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/common/logging.h"
#include "server/store/sql_error.h"

namespace careers::store {
namespace {

// get_driver_instance() is not thread-safe: call it once.
sql::mysql::MySQL_Driver* Driver() {
  static sql::mysql::MySQL_Driver* driver =
      sql::mysql::get_mysql_driver_instance();
  return driver;
}

// Connector/C++ takes timeouts in whole seconds: rounded up, 1 s to a day.
int WholeSeconds(absl::Duration d) {
  d = std::min(d, absl::Hours(24));
  return static_cast<int>(std::max<int64_t>(
      1, absl::ToInt64Seconds(absl::Ceil(d, absl::Seconds(1)))));
}

// A transaction rolled back because it could no longer commit in time.
absl::Status TooLateToCommit() {
  return absl::DeadlineExceededError(
      "the call's deadline passed before its change could be committed; "
      "nothing was changed");
}

// After a failed call: ends the transaction if it can, else drops the
// connection (the server rolls back a connection that goes away).
void RollBackQuietly(Connection& c) {
  try {
    c.Control("ROLLBACK");
  } catch (const sql::SQLException&) {
    c.MarkBroken();
  }
}

// Error numbers whose message is about our SQL, not about data: safe and
// useful to log in full.
bool IsProgrammingError(int code) {
  return code == 1054 /* unknown column */ || code == 1064 /* syntax */ ||
         code == 1146 /* no such table */ || code == 1210 /* bad arguments */ ||
         code == 0 /* Connector/C++ misuse */;
}

void LogSqlError(absl::string_view what, const sql::SQLException& e,
                 absl::string_view outcome) {
  if (IsProgrammingError(e.getErrorCode())) {
    spdlog::error("database: {}: error {} ({}) {}: {}", what, e.getErrorCode(),
                  e.getSQLStateCStr(), outcome, e.what());
  } else {
    spdlog::warn("database: {}: error {} ({}) {}", what, e.getErrorCode(),
                 e.getSQLStateCStr(), outcome);
  }
}

absl::Duration Backoff(int attempt) {
  thread_local std::mt19937 rng{std::random_device{}()};
  const int64_t base_ms = int64_t{5} << attempt;  // 5, 10, 20 ms
  std::uniform_int_distribution<int64_t> jitter(base_ms, 2 * base_ms);
  return absl::Milliseconds(jitter(rng));
}

}  // namespace

absl::Duration ConnectTimeoutBefore(absl::Time deadline, absl::Duration cap,
                                    absl::Time now) {
  const absl::Duration whole =
      absl::Floor(std::min(cap, deadline - now), absl::Seconds(1));
  return std::max(whole, absl::Seconds(1));
}

absl::StatusOr<std::unique_ptr<Connection>> OpenConnection(
    const DbTarget& target, absl::Duration connect_timeout,
    absl::Duration io_timeout, ServerFlavor flavor, bool log_failure) {
  sql::ConnectOptionsMap options;
  if (target.socket.empty()) {
    options["hostName"] =
        sql::SQLString(absl::StrCat("tcp://", target.host, ":", target.port));
  } else {
    options["hostName"] =
        sql::SQLString(absl::StrCat("unix://", target.socket));
  }
  options["userName"] = sql::SQLString(target.user);
  options["password"] = sql::SQLString(target.password);
  options["schema"] = sql::SQLString(target.database);
  options["OPT_CONNECT_TIMEOUT"] = WholeSeconds(connect_timeout);
  options["OPT_READ_TIMEOUT"] = WholeSeconds(io_timeout);
  options["OPT_WRITE_TIMEOUT"] = WholeSeconds(io_timeout);
  options["OPT_RECONNECT"] = false;
  options["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
  try {
    std::unique_ptr<sql::Connection> raw(Driver()->connect(options));
    auto connection = std::make_unique<Connection>(std::move(raw), flavor);
    connection->Control(
        "SET SESSION time_zone = '+00:00', sql_mode = '"
        "STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,"
        "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'");
    connection->Control(
        "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
    auto rs = connection->Query("SELECT CONNECTION_ID()");
    if (rs->next()) connection->set_server_id(rs->getInt64(1));
    return connection;
  } catch (const sql::SQLException& e) {
    if (log_failure) {
      spdlog::warn("database: cannot connect to {}: error {} ({})",
                   target.Redacted(), e.getErrorCode(), e.getSQLStateCStr());
    }
    return absl::UnavailableError(
        absl::StrCat("cannot connect to the database at ", target.Redacted(),
                     " (error ", e.getErrorCode(), ")"));
  }
}

absl::StatusOr<std::unique_ptr<Database>> Database::Open(
    DatabaseOptions options) {
  // Probe the server once: which flavour, and whether it is there at all.
  auto probe = OpenConnection(options.target, options.connect_timeout,
                              options.io_timeout, ServerFlavor::kMariaDb);
  if (!probe.ok()) return probe.status();
  ServerFlavor flavor = ServerFlavor::kMySql;
  try {
    auto rs = (*probe)->Query("SELECT VERSION()");
    if (rs->next() &&
        absl::StrContains(absl::AsciiStrToLower(GetString(*rs, 1)),
                          "mariadb")) {
      flavor = ServerFlavor::kMariaDb;
    }
  } catch (const sql::SQLException& e) {
    return FromSqlException(e);
  }
  return std::unique_ptr<Database>(new Database(std::move(options), flavor));
}

Database::Database(DatabaseOptions options, ServerFlavor flavor)
    : options_(std::move(options)), flavor_(flavor) {
  // A connection opened for a call gives up by the call's deadline.
  pool_ = std::make_unique<ConnectionPool>(
      [this](absl::Time deadline) {
        return OpenConnection(
            options_.target,
            ConnectTimeoutBefore(deadline, options_.connect_timeout,
                                 absl::Now()),
            options_.io_timeout, flavor_);
      },
      options_.pool_size, options_.validate_after);
}

Database::~Database() = default;

std::unique_ptr<Database> Database::OpenSibling(int pool_size) const {
  DatabaseOptions options = options_;
  options.pool_size = pool_size;
  return std::unique_ptr<Database>(new Database(std::move(options), flavor_));
}

absl::StatusOr<PooledConnection> Database::Lease(Mode mode,
                                                 absl::Time deadline) {
  if (mode != Mode::kUnlimited) return pool_->Acquire(deadline);
  absl::StatusOr<std::unique_ptr<Connection>> own =
      OpenConnection(options_.target, options_.connect_timeout,
                     options_.unlimited_io_timeout, flavor_);
  if (!own.ok()) return own.status();
  // Not the pool's: closed when the lease ends.
  return PooledConnection(nullptr, *std::move(own));
}

absl::Status Database::Transact(
    absl::string_view what, absl::Time deadline,
    absl::FunctionRef<absl::Status(Connection&)> fn) {
  return Run(Mode::kTransaction, what, deadline, fn);
}

absl::Status Database::Read(absl::string_view what, absl::Time deadline,
                            absl::FunctionRef<absl::Status(Connection&)> fn) {
  return Run(Mode::kAutocommit, what, deadline, fn);
}

absl::Status Database::WithConnection(
    absl::string_view what, absl::FunctionRef<absl::Status(Connection&)> fn) {
  return Run(Mode::kUnlimited, what, absl::InfiniteFuture(), fn);
}

absl::Status Database::Run(Mode mode, absl::string_view what,
                           absl::Time deadline,
                           absl::FunctionRef<absl::Status(Connection&)> fn) {
  for (int attempt = 0;; ++attempt) {
    if (deadline - absl::Now() <= absl::Milliseconds(1)) {
      return absl::DeadlineExceededError(
          "the call's deadline passed before the database was reached");
    }
    absl::Status result;
    bool again = false;  // re-run on a fresh attempt
    absl::Duration pause = absl::ZeroDuration();
    {
      absl::StatusOr<PooledConnection> leased = Lease(mode, deadline);
      if (!leased.ok()) return leased.status();
      Connection& c = **leased;
      // Each statement fn sends is limited to the time left at that
      // statement (and not sent once none is).
      c.set_deadline(mode == Mode::kUnlimited ? absl::InfiniteFuture()
                                              : deadline);
      bool in_transaction = false;
      try {
        if (mode == Mode::kTransaction) {
          c.Control("START TRANSACTION");
          in_transaction = true;
        }
        c.ResetStatementsSent();
        result = fn(c);
        if (in_transaction) {
          in_transaction = false;
          if (result.ok() && deadline - absl::Now() < options_.commit_margin) {
            // Too late: the caller has been (or is about to be) told
            // DEADLINE_EXCEEDED, so the change must not happen.
            spdlog::warn(
                "database: {}: the deadline passed before COMMIT: rolled back",
                what);
            result = TooLateToCommit();
          }
          if (!result.ok()) {
            RollBackQuietly(c);
            return result;
          }
          // Sent with time left. Should the database stop answering now,
          // the outcome is unknown: the read times out (io_timeout), the
          // call fails, and the database may still apply this COMMIT when
          // it resumes. See docs/architecture.md.
          c.Control("COMMIT");
        }
        return result;
      } catch (const sql::SQLException& e) {
        const bool sent_by_fn = c.statements_sent() > 0;
        if (BreaksConnection(e)) {
          c.MarkBroken();
        } else if (in_transaction) {
          RollBackQuietly(c);
        }
        const bool time_left = deadline - absl::Now() > absl::Milliseconds(2);
        // A connection that died before `fn` sent anything, or during a
        // read, can be replaced safely: nothing was written.
        const bool safe_to_reconnect = !sent_by_fn || mode == Mode::kAutocommit;
        if (IsRetryable(e) && attempt < options_.max_retries && time_left &&
            mode != Mode::kUnlimited) {
          LogSqlError(what, e, "retrying");
          again = true;
          pause = std::min(Backoff(attempt), deadline - absl::Now());
        } else if (c.broken() && safe_to_reconnect && attempt == 0 &&
                   time_left) {
          LogSqlError(what, e, "reconnecting");
          again = true;
        } else {
          LogSqlError(what, e, "failed");
          result = IsRetryable(e)
                       ? absl::AbortedError(
                             "the change kept conflicting with concurrent "
                             "changes; retry")
                       : FromSqlException(e);
        }
      } catch (const std::exception& e) {
        c.MarkBroken();
        spdlog::error("database: {}: unexpected exception", what);
        result = absl::InternalError("database error");
      }
    }  // the connection goes back to the pool (or is dropped) here
    if (!again) return result;
    if (pause > absl::ZeroDuration()) absl::SleepFor(pause);
  }
}

int Database::InterruptAll() {
  pool_->Close();
  const std::vector<int64_t> ids = pool_->LeasedServerIds();
  if (ids.empty()) return 0;
  auto killer = OpenConnection(options_.target, absl::Seconds(2),
                               absl::Seconds(2), flavor_);
  if (!killer.ok()) return 0;
  int interrupted = 0;
  for (int64_t id : ids) {
    try {
      (*killer)->Execute(absl::StrCat("KILL QUERY ", id));
      ++interrupted;
    } catch (const sql::SQLException& e) {
      // The statement may have finished meanwhile (unknown thread id).
      spdlog::warn("database: KILL QUERY {}: error {}", id, e.getErrorCode());
    }
  }
  return interrupted;
}

absl::Status Database::Ping(absl::Duration timeout) {
  std::lock_guard<std::mutex> lock(ping_mu_);
  if (ping_connection_ == nullptr || ping_connection_->broken()) {
    auto opened = OpenConnection(options_.target, timeout, timeout, flavor_);
    if (!opened.ok()) return opened.status();
    ping_connection_ = *std::move(opened);
  }
  try {
    auto rs = ping_connection_->Query("SELECT 1");
    if (rs->next()) return absl::OkStatus();
    return absl::UnavailableError("the database gave no answer");
  } catch (const sql::SQLException& e) {
    ping_connection_->MarkBroken();
    return FromSqlException(e);
  }
}

}  // namespace careers::store
