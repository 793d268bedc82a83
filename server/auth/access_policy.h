#ifndef CAREERS_SERVER_AUTH_ACCESS_POLICY_H_
#define CAREERS_SERVER_AUTH_ACCESS_POLICY_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/domain/booking_repository.h"
#include "server/domain/consent_repository.h"
#include "server/domain/profile_repository.h"
#include "server/domain/request_context.h"
#include "server/domain/skill_lookup.h"

namespace careers::auth {

// What an allowed call touches.
struct AccessGrant {
  // It reads or changes a person's data: callers other than the person go
  // on the person's access record.
  bool person_data = false;
};

// Decides every RPC from (principal, method, resource). Handlers ask before
// touching data. Deny by default: a method without a rule (its
// `(careers.v1.access)` option in the protos, read by
// domain/method_access.h) is refused, to administrators too. A caller who
// may not see a resource is refused the same way whether or not it exists.
// Implementations are thread-safe.
class AccessPolicy {
 public:
  virtual ~AccessPolicy() = default;

  // `method` is "careers.v1.ProfileService/GetProfile"; `resource` the name
  // the call acts on, or for creates and lists the parent (for directory
  // creates, the organisation the new resource belongs to). OK with what
  // the call touches, or PERMISSION_DENIED.
  virtual absl::StatusOr<AccessGrant> Check(
      const RequestContext& ctx, absl::string_view method,
      absl::string_view resource) const = 0;

  // Which profiles `principal` sees in lists.
  virtual ProfileVisibility VisibilityFor(const Principal& principal) const = 0;
};

// The service's policy (docs/product.md#roles):
// - admin: everything (and every access to a person's data is recorded);
// - person: their own profile, plan, consents, guardian links and access
//   record;
// - guardian: read a linked person's profile, plan, consents and access
//   record while the link is in force; grant or withdraw consent while the
//   person is under 16; end their own link;
// - adviser, org_admin: read and change profiles and plans shared with
//   their organisation; create and end guardian links for them; create
//   profiles;
// - org_admin: their own organisation, its advisers and locations;
// - service: only what its scopes name (profiles.read, profiles.write);
// - anyone signed in: the public directory (organisations, advisers'
//   public fields, locations), appointment types and bookable slots;
// - booking: the person books for themselves, a guardian for a linked
//   person (while the link is in force), staff for a profile shared with
//   their organisation, a service with `appointments.write`; an
//   appointment or waitlist entry is seen and changed by its person, their
//   guardian, and staff of the adviser's organisation; attendance is
//   recorded by the appointment's adviser or their org_admin; an adviser
//   manages their own availability rules, an org_admin those of their
//   organisation's advisers and its appointment types;
// - skills log: the person reads and writes their own experiences; staff
//   of an organisation the profile is shared with read, add on the
//   person's behalf and ask for attestations; a guardian reads; services
//   with `skills.read` / `skills.write`; an attestation is decided by the
//   adviser asked, or by a service with `attestations.referee` carrying a
//   referee's token; org_admins add custom skills; only administrators
//   import a framework's skills.
// Thread-safe; the facts and directory must outlive it.
class ServicePolicy final : public AccessPolicy {
 public:
  ServicePolicy(domain::AccessFacts& facts, domain::DirectoryLookup& directory,
                domain::BookingLookup& booking,
                domain::AttestationLookup& attestations);

  absl::StatusOr<AccessGrant> Check(const RequestContext& ctx,
                                    absl::string_view method,
                                    absl::string_view resource) const override;
  ProfileVisibility VisibilityFor(const Principal& principal) const override;

 private:
  domain::AccessFacts& facts_;
  domain::DirectoryLookup& directory_;
  domain::BookingLookup& booking_;
  domain::AttestationLookup& attestations_;
};

}  // namespace careers::auth

#endif  // CAREERS_SERVER_AUTH_ACCESS_POLICY_H_
