#ifndef CAREERS_SERVER_DOMAIN_REQUEST_CONTEXT_H_
#define CAREERS_SERVER_DOMAIN_REQUEST_CONTEXT_H_

#include <string>

#include "absl/time/time.h"
#include "server/auth/principal.h"

namespace careers {

// Which profiles a caller may see in a list, as the access policy decided
// from who they are. Lists filter by it in the database.
struct ProfileVisibility {
  enum class Kind {
    kNone,        // none at all
    kAll,         // every profile (administrators, services with a scope)
    kOwn,         // only `id`, the caller's own profile
    kSharedWith,  // profiles with an active consent for organisation `id`
    kGuardedBy,   // profiles the guardian with subject `id` has access to
  };
  Kind kind = Kind::kNone;
  std::string id;
};

// What every domain and store call knows about the request it serves: when
// it must be finished, who asked, what they may see in lists, and whether
// their access to a person's data goes on the record. Built once per RPC by
// the API layer.
struct RequestContext {
  // The call's deadline, already clamped to the server's maximum. Database
  // statements are given only the time that is left.
  absl::Time deadline = absl::InfiniteFuture();
  auth::Principal principal;
  ProfileVisibility visibility;

  // True when the caller is not the person themselves (staff, a guardian, a
  // service or an administrator): every read and write of a person's data
  // then writes an AccessEvent, writes in the same transaction.
  bool record_access = false;
  std::string method;      // "careers.v1.ProfileService/GetProfile"
  std::string request_id;  // the client's x-request-id, or one made up
  // Why the caller says they access the data: the `access-reason` request
  // metadata, validated (at most 200 code points of UTF-8, no control
  // characters); "" when none was given. Kept on the access record.
  std::string access_reason;
};

}  // namespace careers

#endif  // CAREERS_SERVER_DOMAIN_REQUEST_CONTEXT_H_
