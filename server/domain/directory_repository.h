#ifndef CAREERS_SERVER_DOMAIN_DIRECTORY_REPOSITORY_H_
#define CAREERS_SERVER_DOMAIN_DIRECTORY_REPOSITORY_H_

#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "careers/v1/directory_service.pb.h"
#include "server/domain/directory_lookup.h"
#include "server/domain/repository.h"
#include "server/domain/request_context.h"

namespace careers::domain {

// Where a listing by display name resumes: after this (display_name, id).
struct NameCursor {
  std::string display_name;
  std::string id;
};

struct OrganisationQuery {
  std::optional<v1::Organisation::Kind> kind;
  std::optional<std::string> region;  // equal, ignoring case
  std::optional<std::string> parent_id;
  std::optional<NameCursor> after;
  int limit = 50;
};

struct AdviserQuery {
  std::optional<std::string> organisation_id;
  std::optional<bool> active;
  std::optional<std::string> language_code;  // one of language_codes
  bool show_deleted = false;
  std::optional<NameCursor> after;
  int limit = 50;
};

struct LocationQuery {
  std::optional<std::string> organisation_id;
  std::optional<v1::Location::Kind> kind;
  std::optional<NameCursor> after;
  int limit = 50;
};

// The parent id of organisation `id`: "" when it has none, nullopt when
// there is no such organisation.
using ParentLookup = std::function<absl::StatusOr<std::optional<std::string>>(
    const std::string& id)>;

// An organisation update that may look up parents (for the cycle rule) in
// the update's own transaction. Like Mutation, it may run more than once.
using OrganisationMutation =
    std::function<absl::Status(v1::Organisation&, const ParentLookup&)>;

// Storage of organisations, advisers and locations. Resources go in with
// every field but etag set (names and times chosen by the domain) and come
// out with their etag and every field, email and subject included: hiding
// those is the domain's job. Missing resources are NOT_FOUND.
// Implementations are thread-safe.
class DirectoryRepository : public DirectoryLookup {
 public:
  // ALREADY_EXISTS if the id is taken. With a key, a retry returns the
  // first response instead of creating again.
  virtual absl::StatusOr<v1::Organisation> CreateOrganisation(
      const RequestContext& ctx, const std::string& id,
      const v1::Organisation& organisation, const IdempotencyKey* key) = 0;
  virtual absl::StatusOr<v1::Organisation> GetOrganisation(
      const RequestContext& ctx, const std::string& id) = 0;
  // In (display name, id) order.
  virtual absl::StatusOr<Page<v1::Organisation>> ListOrganisations(
      const RequestContext& ctx, const OrganisationQuery& query) = 0;
  // Reads the organisation under a row lock and applies `mutate`, whose
  // parent lookups read under shared locks in the same transaction: two
  // concurrent updates cannot together make a cycle (one waits, or
  // deadlocks and is re-run, and then sees the other's parent).
  virtual absl::StatusOr<v1::Organisation> UpdateOrganisation(
      const RequestContext& ctx, const std::string& id,
      const OrganisationMutation& mutate) = 0;

  // ALREADY_EXISTS if the id, or the subject, is taken.
  virtual absl::StatusOr<v1::Adviser> CreateAdviser(
      const RequestContext& ctx, const std::string& id,
      const v1::Adviser& adviser, const IdempotencyKey* key) = 0;
  // Deleted advisers too.
  virtual absl::StatusOr<v1::Adviser> GetAdviser(const RequestContext& ctx,
                                                 const std::string& id) = 0;
  // In (display name, id) order; deleted advisers only with show_deleted.
  virtual absl::StatusOr<Page<v1::Adviser>> ListAdvisers(
      const RequestContext& ctx, const AdviserQuery& query) = 0;
  // One transaction, as UpdateOrganisation. The mutation also deletes and
  // undeletes (delete_time). ALREADY_EXISTS if the new subject is taken.
  virtual absl::StatusOr<v1::Adviser> UpdateAdviser(
      const RequestContext& ctx, const std::string& id,
      const Mutation<v1::Adviser>& mutate) = 0;

  virtual absl::StatusOr<v1::Location> CreateLocation(
      const RequestContext& ctx, const std::string& id,
      const v1::Location& location, const IdempotencyKey* key) = 0;
  virtual absl::StatusOr<v1::Location> GetLocation(const RequestContext& ctx,
                                                   const std::string& id) = 0;
  virtual absl::StatusOr<Page<v1::Location>> ListLocations(
      const RequestContext& ctx, const LocationQuery& query) = 0;
  virtual absl::StatusOr<v1::Location> UpdateLocation(
      const RequestContext& ctx, const std::string& id,
      const Mutation<v1::Location>& mutate) = 0;
};

}  // namespace careers::domain

#endif  // CAREERS_SERVER_DOMAIN_DIRECTORY_REPOSITORY_H_
