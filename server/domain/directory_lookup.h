#ifndef CAREERS_SERVER_DOMAIN_DIRECTORY_LOOKUP_H_
#define CAREERS_SERVER_DOMAIN_DIRECTORY_LOOKUP_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "server/domain/request_context.h"

namespace careers::domain {

// What the server knows about the adviser a sign-in belongs to.
struct AdviserIdentity {
  std::string adviser_id;       // advisers/{adviser_id}
  std::string organisation_id;  // organisations/{organisation_id}
  bool active = false;
  bool deleted = false;  // soft-deleted (delete_time set)
};

// Small questions about the directory that other parts of the server ask:
// whether what a profile refers to exists, who a signed-in adviser is, and
// which organisation an adviser or location belongs to (for the access
// policy). Ids in and out are bare ids, not resource names. Implementations
// are thread-safe.
class DirectoryLookup {
 public:
  virtual ~DirectoryLookup() = default;

  virtual absl::StatusOr<bool> OrganisationExists(const RequestContext& ctx,
                                                  const std::string& id) = 0;
  // False for a deleted adviser too: nothing new may refer to one.
  virtual absl::StatusOr<bool> AdviserExists(const RequestContext& ctx,
                                             const std::string& id) = 0;

  // The adviser whose `subject` is `subject` (deleted or not), or nullopt.
  virtual absl::StatusOr<std::optional<AdviserIdentity>> FindAdviserBySubject(
      const RequestContext& ctx, const std::string& subject) = 0;

  // The organisation id of an adviser (deleted or not) or a location;
  // nullopt if there is no such adviser or location.
  virtual absl::StatusOr<std::optional<std::string>> OrganisationOfAdviser(
      const RequestContext& ctx, const std::string& adviser_id) = 0;
  virtual absl::StatusOr<std::optional<std::string>> OrganisationOfLocation(
      const RequestContext& ctx, const std::string& location_id) = 0;
  // The IANA time zone of a location, nullopt if there is no such location.
  virtual absl::StatusOr<std::optional<std::string>> TimeZoneOfLocation(
      const RequestContext& ctx, const std::string& location_id) = 0;
};

}  // namespace careers::domain

#endif  // CAREERS_SERVER_DOMAIN_DIRECTORY_LOOKUP_H_
