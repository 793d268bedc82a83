#ifndef CAREERS_SERVER_DOMAIN_REQUEST_CONTEXT_H_
#define CAREERS_SERVER_DOMAIN_REQUEST_CONTEXT_H_

#include "absl/time/time.h"
#include "server/auth/principal.h"

namespace careers {

// What every domain and store call knows about the request it serves: when
// it must be finished and who asked. Built once per RPC by the API layer.
struct RequestContext {
  // The call's deadline, already clamped to the server's maximum. Database
  // statements are given only the time that is left.
  absl::Time deadline = absl::InfiniteFuture();
  auth::Principal principal;
};

}  // namespace careers

#endif  // CAREERS_SERVER_DOMAIN_REQUEST_CONTEXT_H_
