#include "server/store/sql_error.h"

namespace careers::store {

using namespace mysql_errors;  // NOLINT(build/namespaces): local constants

absl::Status FromSqlException(const sql::SQLException& e) {
  switch (e.getErrorCode()) {
    case kDuplicateKey:
      return absl::AlreadyExistsError("the resource already exists");
    case kRowIsReferenced:
      return absl::FailedPreconditionError(
          "the resource is still referred to by others");
    case kNoReferencedRow:
      return absl::FailedPreconditionError(
          "a resource this one refers to does not exist");
    case kDeadlock:
    case kLockWaitTimeout:
      return absl::AbortedError(
          "the change conflicted with concurrent changes; retry");
    case kStatementTimeoutMariaDb:
    case kStatementTimeoutMySql:
    case kQueryInterrupted:
      return absl::DeadlineExceededError(
          "the database did not finish before the call's deadline");
    case kTooManyConnections:
    case kServerShutdown:
    case kConnectionKilled:
    case kCantConnectSocket:
    case kCantConnectHost:
    case kServerGone:
    case kServerLost:
    case kServerLostExtended:
      return absl::UnavailableError("the database is unavailable; retry later");
    default:
      return absl::InternalError("database error");
  }
}

bool IsRetryable(const sql::SQLException& e) {
  return e.getErrorCode() == kDeadlock || e.getErrorCode() == kLockWaitTimeout;
}

bool BreaksConnection(const sql::SQLException& e) {
  const int code = e.getErrorCode();
  // 2000-2999 are client-side errors (CR_*): the connection state is unknown.
  // Code 0 comes from Connector/C++ itself (closed connection, bad use).
  return code == 0 || (code >= 2000 && code < 3000) ||
         code == kServerShutdown || code == kConnectionKilled;
}

}  // namespace careers::store
