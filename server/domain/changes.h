#ifndef CAREERS_SERVER_DOMAIN_CHANGES_H_
#define CAREERS_SERVER_DOMAIN_CHANGES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "careers/v1/change_service.pb.h"
#include "google/protobuf/message.h"
#include "server/auth/principal.h"

// The change feed's rules: what a write's change record says (kind, field
// paths, whose data it is), who may see a change, and the tokens a client
// resumes from. No SQL: the store records and reads, this decides.
namespace careers::domain {

// A change as a write notes it in its unit of work; the store adds the
// sequence, the commit time, the actor and who is entitled to see it.
struct ChangeNote {
  std::string resource;       // "appointments/01J..."
  std::string resource_type;  // "careers.uk/Appointment"
  v1::Change::Kind kind = v1::Change::KIND_UNSPECIFIED;
  std::vector<std::string>
      field_paths;         // top-level fields, UPDATED/STATE_CHANGED
  std::string profile_id;  // the person whose data it is; "" for public data
  std::string adviser_id;  // appointments, waitlist entries: whose adviser
};

// `resource` (a careers.v1 resource message) was created.
ChangeNote CreatedChange(const google::protobuf::Message& resource);
// `before` became `after` (the same resource): the top-level fields that
// differ, leaving out `etag` and `update_time`. STATE_CHANGED when `state`
// is one of them (VOIDED when it became VOIDED), UPDATED otherwise.
ChangeNote UpdatedChange(const google::protobuf::Message& before,
                         const google::protobuf::Message& after);
// `resource` was deleted (ERASED: erased with the person's data).
ChangeNote DeletedChange(const google::protobuf::Message& resource,
                         v1::Change::Kind kind = v1::Change::DELETED);

// The top-level fields of two messages of one type that differ, in field
// number order.
std::vector<std::string> ChangedFieldPaths(
    const google::protobuf::Message& before,
    const google::protobuf::Message& after);

// `careers.uk/Profile`: the message's google.api.resource type ("" if it
// has none).
std::string ResourceTypeOf(const google::protobuf::Descriptor& descriptor);

// An active guardian link as it stood when a change committed.
struct GuardianFact {
  std::string subject;
  std::optional<absl::Time> confirm_time;
  absl::CivilDay birth_date;
};

// A change as recorded, with who was entitled to see it when it committed.
struct RecordedChange {
  v1::Change change;  // all but change_token
  std::string profile_id;
  std::vector<std::string> organisations;  // ids
  std::vector<GuardianFact> guardians;
};

// Whether `caller` may see `change`: administrators all; everyone signed
// in the public directory and catalogue (changes of no person's data);
// a person their own data's; a guardian a person's while their link was in
// force when the change committed (consents.h GuardianLinkInForce); staff
// a person's whose profile was shared with their organisation when it
// committed, and appointments and waitlist entries of their
// organisation's advisers; a service the resource types its scopes read
// (profiles.read, appointments.read, skills.read).
bool MaySee(const auth::Principal& caller, const RecordedChange& change);

// The resource types a request's `resource_types` names, normalized to
// `careers.uk/X` (a bare "X" is accepted): INVALID_ARGUMENT naming
// `field` for a type the feed does not carry. Empty: all.
absl::StatusOr<std::vector<std::string>> ParseResourceTypes(
    absl::string_view field,
    const google::protobuf::RepeatedPtrField<std::string>& types);

// Whether `type` is one of `types` (all when empty).
bool TypeWanted(const std::vector<std::string>& types, absl::string_view type);

// Change tokens: opaque to clients, a position in the feed (resume after
// this sequence). Not secret: a made-up token only picks a position, and
// what is shown from there is still filtered.
std::string EncodeChangeToken(int64_t sequence);
// INVALID_ARGUMENT naming `field` if `token` is not one of ours.
absl::StatusOr<int64_t> DecodeChangeToken(absl::string_view field,
                                          absl::string_view token);

// The feed's bounds: the newest sequence committed, and the newest one
// that may already have been pruned.
struct FeedBounds {
  int64_t last_sequence = 0;
  int64_t pruned_through = 0;
};

// A token's position, checked against the feed: FAILED_PRECONDITION with
// reason RESYNC_REQUIRED when changes after it may be gone (older than the
// retention) or it is ahead of the feed (a database restored from an older
// backup).
absl::Status CheckResumable(absl::string_view field, int64_t after,
                            const FeedBounds& bounds);


}  // namespace careers::domain

#endif  // CAREERS_SERVER_DOMAIN_CHANGES_H_
