#ifndef CAREERS_SERVER_STORE_SQL_ERROR_H_
#define CAREERS_SERVER_STORE_SQL_ERROR_H_

#include <cppconn/exception.h>

#include "absl/status/status.h"

namespace careers::store {

// MySQL/MariaDB error numbers the store treats specially.
namespace mysql_errors {
inline constexpr int kDuplicateKey = 1062;
inline constexpr int kRowIsReferenced = 1451;
inline constexpr int kNoReferencedRow = 1452;
inline constexpr int kLockWaitTimeout = 1205;
inline constexpr int kDeadlock = 1213;
inline constexpr int kQueryInterrupted = 1317;
inline constexpr int kStatementTimeoutMariaDb = 1969;
inline constexpr int kStatementTimeoutMySql = 3024;
inline constexpr int kTooManyConnections = 1040;
inline constexpr int kServerShutdown = 1053;
inline constexpr int kConnectionKilled = 1927;
inline constexpr int kCantConnectSocket = 2002;
inline constexpr int kCantConnectHost = 2003;
inline constexpr int kServerGone = 2006;
inline constexpr int kServerLost = 2013;
inline constexpr int kServerLostExtended = 2055;
}  // namespace mysql_errors

// The one mapping from database errors to status codes:
//   1062 → ALREADY_EXISTS; 1451/1452 → FAILED_PRECONDITION;
//   1213/1205 → ABORTED (after the store's retries);
//   1969/3024/1317 (statement timeout) → DEADLINE_EXCEEDED;
//   lost or refused connections, 1040, 1053 → UNAVAILABLE;
//   anything else → INTERNAL.
// Messages never carry SQL text or values from the database's message.
absl::Status FromSqlException(const sql::SQLException& e);

// Deadlocks and lock wait timeouts: the transaction may succeed if re-run.
bool IsRetryable(const sql::SQLException& e);

// The connection cannot be used again (lost, killed, or a client error).
bool BreaksConnection(const sql::SQLException& e);

}  // namespace careers::store

#endif  // CAREERS_SERVER_STORE_SQL_ERROR_H_
