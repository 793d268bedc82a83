#ifndef CAREERS_SERVER_STORE_CONNECTION_H_
#define CAREERS_SERVER_STORE_CONNECTION_H_

#include <cppconn/connection.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

// One database connection and the helpers to use it. Everything here may
// throw sql::SQLException; only code inside server/store sees these types,
// and Database turns the exceptions into statuses.
namespace careers::store {

enum class ServerFlavor { kMariaDb, kMySql };

// The statement time limit to set for `remaining` time: the largest value of
// a geometric grid (1 ms × 1.1^k) not above it, so a connection serving
// calls with similar deadlines keeps its limit and rarely needs a SET.
// At least 90% of `remaining`; zero for infinite (no limit).
absl::Duration QuantizeStatementTimeout(absl::Duration remaining);

class Connection;

// A prepared statement with parameters bound in order. Cheap; made by
// Connection::Prepare for one execution. Query and Execute run it under the
// connection's time limit (see Connection::set_deadline).
class Statement {
 public:
  Statement& Bind(absl::string_view value);
  Statement& Bind(const std::string& value) {
    return Bind(absl::string_view(value));
  }
  Statement& Bind(const char* value) { return Bind(absl::string_view(value)); }
  Statement& Bind(int64_t value);
  Statement& Bind(int value) { return Bind(static_cast<int64_t>(value)); }
  Statement& Bind(uint64_t value);
  Statement& Bind(bool value);
  Statement& Bind(absl::Time value);      // DATETIME(6), UTC
  Statement& Bind(absl::CivilDay value);  // DATE
  Statement& BindNull();
  // NULL for nullopt or, with the overload for strings, an empty string.
  Statement& BindOrNull(const std::optional<absl::CivilDay>& value);
  Statement& BindOrNull(absl::string_view value);

  std::unique_ptr<sql::ResultSet> Query();
  // Rows affected.
  uint64_t Execute();

 private:
  friend class Connection;
  Statement(Connection* connection, sql::PreparedStatement* statement);

  Connection* connection_;
  sql::PreparedStatement* statement_;
  unsigned next_ = 1;
};

// Column readers by 1-based index.
std::string GetString(sql::ResultSet& rs, int column);
absl::Time GetTime(sql::ResultSet& rs, int column);
std::optional<absl::CivilDay> GetDay(sql::ResultSet& rs, int column);
uint64_t GetUint64(sql::ResultSet& rs, int column);

std::string FormatDateTime(absl::Time t);
std::string FormatDate(absl::CivilDay d);

// A live connection with a cache of prepared statements. Not thread-safe:
// one user at a time, as handed out by ConnectionPool.
class Connection {
 public:
  Connection(std::unique_ptr<sql::Connection> connection, ServerFlavor flavor);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // The deadline of the call using the connection (Database::Run sets it
  // for each attempt; InfiniteFuture, the default, means no limit). Every
  // statement sent after this is limited to the time left before it at that
  // statement, and one whose deadline has passed is not sent at all: it
  // throws error 1969 (statement timeout, so DEADLINE_EXCEEDED) instead.
  //  - Prepared statements (all of the store's SQL): the session's
  //    max_statement_time (MySQL: max_execution_time, SELECTs only), rounded
  //    down to QuantizeStatementTimeout's grid and SET only when that value
  //    changes, so most statements need no extra round trip. (MariaDB's
  //    SET STATEMENT ... FOR prefix cannot take a placeholder, so with it
  //    each limit would be a prepared statement of its own.)
  //  - Text statements (Execute, Query) on MariaDB: a
  //    `SET STATEMENT max_statement_time=<time left> FOR` prefix, exact and
  //    in the same round trip.
  void set_deadline(absl::Time deadline) { deadline_ = deadline; }
  absl::Time deadline() const { return deadline_; }

  // A cached server-side prepared statement for `sql` (one round trip the
  // first time on this connection, none after). A ResultSet from it must be
  // gone before the same SQL is prepared again.
  Statement Prepare(const std::string& sql);
  // Runs a statement without results through the text protocol.
  void Execute(const std::string& sql);
  // Runs a query through the text protocol.
  std::unique_ptr<sql::ResultSet> Query(const std::string& sql);
  // The store's own statements (START TRANSACTION, COMMIT, ROLLBACK, session
  // settings): no time limit, and not counted in statements_sent().
  void Control(const std::string& sql);

  // Limits every following statement to about `remaining` (see
  // QuantizeStatementTimeout); sends a SET only when the limit changes.
  // Statements call it themselves (see set_deadline).
  void SetStatementTimeout(absl::Duration remaining);

  // True if the server answers.
  bool Ping();

  ServerFlavor flavor() const { return flavor_; }
  // The server's id for this connection (CONNECTION_ID()), for KILL QUERY.
  int64_t server_id() const { return server_id_; }
  void set_server_id(int64_t id) { server_id_ = id; }
  absl::Time last_used() const { return last_used_; }
  void set_last_used(absl::Time t) { last_used_ = t; }
  bool broken() const { return broken_; }
  void MarkBroken() { broken_ = true; }
  // Statements sent since the counter was last reset.
  int statements_sent() const { return statements_sent_; }
  void ResetStatementsSent() { statements_sent_ = 0; }
  // Requests sent to the server over the connection's life: statements,
  // PREPAREs, SETs of the time limit, transaction control and pings.
  int64_t round_trips() const { return round_trips_; }

 private:
  friend class Statement;
  // Before each prepared statement of the caller's: applies the deadline.
  void BeforeStatement();
  // A text statement of the caller's with its time limit.
  std::string LimitedText(const std::string& sql);

  std::unique_ptr<sql::Connection> connection_;
  std::unique_ptr<sql::Statement> plain_;
  absl::flat_hash_map<std::string, std::unique_ptr<sql::PreparedStatement>>
      prepared_;
  ServerFlavor flavor_;
  absl::Duration statement_timeout_ = absl::ZeroDuration();
  absl::Time deadline_ = absl::InfiniteFuture();
  absl::Time last_used_ = absl::InfinitePast();
  bool broken_ = false;
  int statements_sent_ = 0;
  int64_t round_trips_ = 0;
  int64_t server_id_ = 0;
};

}  // namespace careers::store

#endif  // CAREERS_SERVER_STORE_CONNECTION_H_
