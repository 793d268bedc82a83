#ifndef CAREERS_SERVER_COMMON_STATUS_MACROS_H_
#define CAREERS_SERVER_COMMON_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Abseil 20220623 has no public status macros; these are the usual two.

// Returns from the enclosing function if `expr` (an absl::Status) is not OK.
#define CAREERS_RETURN_IF_ERROR(expr)                  \
  do {                                                 \
    ::absl::Status careers_status_ = (expr);           \
    if (!careers_status_.ok()) return careers_status_; \
  } while (0)

#define CAREERS_STATUS_CONCAT_INNER_(a, b) a##b
#define CAREERS_STATUS_CONCAT_(a, b) CAREERS_STATUS_CONCAT_INNER_(a, b)

// `CAREERS_ASSIGN_OR_RETURN(auto x, F());` assigns the value of an
// absl::StatusOr or returns its status from the enclosing function.
#define CAREERS_ASSIGN_OR_RETURN(lhs, expr) \
  CAREERS_ASSIGN_OR_RETURN_IMPL_(           \
      CAREERS_STATUS_CONCAT_(careers_statusor_, __LINE__), lhs, expr)

#define CAREERS_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                   \
  if (!statusor.ok()) return std::move(statusor).status();  \
  lhs = std::move(statusor).value()

#endif  // CAREERS_SERVER_COMMON_STATUS_MACROS_H_
