#ifndef CAREERS_SERVER_DOMAIN_RESOURCE_NAMES_H_
#define CAREERS_SERVER_DOMAIN_RESOURCE_NAMES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

// AIP-122 resource names. Parsing errors are INVALID_ARGUMENT naming the
// request field the name came from.
namespace careers::names {

inline constexpr absl::string_view kProfiles = "profiles";
inline constexpr absl::string_view kGoals = "goals";
inline constexpr absl::string_view kActions = "actions";
inline constexpr absl::string_view kOrganisations = "organisations";
inline constexpr absl::string_view kAdvisers = "advisers";
inline constexpr absl::string_view kLocations = "locations";
inline constexpr absl::string_view kAppointmentTypes = "appointmentTypes";
inline constexpr absl::string_view kAvailabilityRules = "availabilityRules";
inline constexpr absl::string_view kAppointments = "appointments";
inline constexpr absl::string_view kWaitlistEntries = "waitlistEntries";
inline constexpr absl::string_view kSlots = "slots";

// Ids the server accepts in names: 1–63 of [a-z0-9-], not starting with '-'.
bool IsValidId(absl::string_view id);

// Ids a client may choose (AIP-122): 1–63 of [a-z0-9-], starting with a
// letter and not ending with '-'.
bool IsValidClientChosenId(absl::string_view id);

// "{collection}/{id}" → id.
absl::StatusOr<std::string> ParseName(absl::string_view field,
                                      absl::string_view name,
                                      absl::string_view collection);

struct ChildId {
  std::string parent_id;
  std::string id;
};

// "{parent_collection}/{parent_id}/{collection}/{id}" → both ids.
absl::StatusOr<ChildId> ParseChildName(absl::string_view field,
                                       absl::string_view name,
                                       absl::string_view parent_collection,
                                       absl::string_view collection);

std::string Name(absl::string_view collection, absl::string_view id);

// The profile id of a name under profiles/{profile} ("profiles/p/goals/g"
// → "p"); "" for other names.
std::string ProfileIdOf(absl::string_view name);
std::string ChildName(absl::string_view parent_collection,
                      absl::string_view parent_id, absl::string_view collection,
                      absl::string_view id);

// The identity of a slot (or a group session) in errors about it, such as
// a google.rpc.PreconditionFailure subject:
// "advisers/{adviser}/slots/2027-03-29T08:00:00Z" (the start in UTC).
std::string SlotName(absl::string_view adviser_name, absl::Time start);

}  // namespace careers::names

#endif  // CAREERS_SERVER_DOMAIN_RESOURCE_NAMES_H_
