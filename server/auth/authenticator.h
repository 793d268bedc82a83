#ifndef CAREERS_SERVER_AUTH_AUTHENTICATOR_H_
#define CAREERS_SERVER_AUTH_AUTHENTICATOR_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/auth/principal.h"

namespace careers::auth {

// Turns a call's credentials into a Principal, or UNAUTHENTICATED with a
// message saying what is wrong. Implementations are thread-safe.
class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // `authorization` is the call's `authorization` metadata ("" if absent);
  // lookups it needs finish before `deadline`.
  virtual absl::StatusOr<Principal> Authenticate(
      absl::string_view authorization, absl::Time deadline) const = 0;
};

}  // namespace careers::auth

#endif  // CAREERS_SERVER_AUTH_AUTHENTICATOR_H_
