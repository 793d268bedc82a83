#ifndef CAREERS_SERVER_DOMAIN_REQUEST_CONTEXT_H_
#define CAREERS_SERVER_DOMAIN_REQUEST_CONTEXT_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "server/auth/principal.h"

namespace careers {

namespace domain {
// One read of a person's data, as it goes on their access record.
struct PersonalRead {
  std::string profile_id;  // the person
  std::string resource;    // the name read
};
}  // namespace domain

// A consent check that travels with a read (RequestContext::consent_in_read).
struct ConsentInRead {
  std::string organisation_id;
  absl::Status denied;
  bool enforced = false;
};

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
  // Where a domain call notes reads of a person's data that its response
  // does not show (a calendar export's appointments); the API layer records
  // them, with those the response shows, once the call succeeded. May be
  // null (no one is listening).
  std::vector<domain::PersonalRead>* noted_reads = nullptr;
  // Set by the access policy when a staff member's read of a profile
  // checks their organisation's consent in the same statement that reads
  // it (one round trip instead of two): the read must find the profile
  // only if it is shared with `organisation_id`, answer `denied` otherwise
  // (whether or not it exists), and set `enforced`. The API layer refuses
  // a call whose check was not enforced.
  ConsentInRead* consent_in_read = nullptr;
};

}  // namespace careers

#endif  // CAREERS_SERVER_DOMAIN_REQUEST_CONTEXT_H_
