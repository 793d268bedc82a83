#ifndef CAREERS_SERVER_DOMAIN_DIRECTORY_H_
#define CAREERS_SERVER_DOMAIN_DIRECTORY_H_

#include <string>

#include "absl/status/statusor.h"
#include "careers/v1/directory_service.pb.h"
#include "server/common/clock.h"
#include "server/domain/directory_repository.h"
#include "server/domain/paging.h"
#include "server/domain/request_context.h"

namespace careers::domain {

// The rules of the directory: organisations (with their parent hierarchy),
// advisers (with soft delete) and locations. Validation and normal forms,
// ids and times, idempotent creates, field-mask updates with etags, filters
// and page tokens, and the hiding of advisers' email and subject from
// callers who may not see them (in every adviser it returns). Whether the
// caller may call a method at all is the access policy's decision, made
// before. Thread-safe; the repository, clock and codec must outlive it.
class Directory {
 public:
  Directory(DirectoryRepository& repository, const Clock& clock,
            const PageTokenCodec& page_tokens);
  Directory(const Directory&) = delete;
  Directory& operator=(const Directory&) = delete;

  absl::StatusOr<v1::Organisation> CreateOrganisation(
      const RequestContext& ctx, const v1::CreateOrganisationRequest& req);
  absl::StatusOr<v1::Organisation> GetOrganisation(
      const RequestContext& ctx, const v1::GetOrganisationRequest& req);
  absl::StatusOr<v1::ListOrganisationsResponse> ListOrganisations(
      const RequestContext& ctx, const v1::ListOrganisationsRequest& req);
  absl::StatusOr<v1::Organisation> UpdateOrganisation(
      const RequestContext& ctx, const v1::UpdateOrganisationRequest& req);

  absl::StatusOr<v1::Adviser> CreateAdviser(
      const RequestContext& ctx, const v1::CreateAdviserRequest& req);
  absl::StatusOr<v1::Adviser> GetAdviser(const RequestContext& ctx,
                                         const v1::GetAdviserRequest& req);
  absl::StatusOr<v1::ListAdvisersResponse> ListAdvisers(
      const RequestContext& ctx, const v1::ListAdvisersRequest& req);
  // FAILED_PRECONDITION for a deleted adviser.
  absl::StatusOr<v1::Adviser> UpdateAdviser(
      const RequestContext& ctx, const v1::UpdateAdviserRequest& req);
  // Sets delete_time; NOT_FOUND if the adviser is already deleted.
  absl::StatusOr<v1::Adviser> DeleteAdviser(
      const RequestContext& ctx, const v1::DeleteAdviserRequest& req);
  // Clears delete_time; ALREADY_EXISTS if the adviser is not deleted.
  absl::StatusOr<v1::Adviser> UndeleteAdviser(
      const RequestContext& ctx, const v1::UndeleteAdviserRequest& req);

  absl::StatusOr<v1::Location> CreateLocation(
      const RequestContext& ctx, const v1::CreateLocationRequest& req);
  absl::StatusOr<v1::Location> GetLocation(const RequestContext& ctx,
                                           const v1::GetLocationRequest& req);
  absl::StatusOr<v1::ListLocationsResponse> ListLocations(
      const RequestContext& ctx, const v1::ListLocationsRequest& req);
  absl::StatusOr<v1::Location> UpdateLocation(
      const RequestContext& ctx, const v1::UpdateLocationRequest& req);

  static constexpr int kDefaultPageSize = 50;
  static constexpr int kMaxPageSize = 200;

 private:
  // A violation under `field` unless `name` is empty or names an
  // organisation that exists.
  absl::Status CheckOrganisationExists(const RequestContext& ctx,
                                       const std::string& field,
                                       const std::string& name);
  // Whether the page token (if any) fits the query; its cursor.
  absl::StatusOr<std::optional<NameCursor>> DecodeCursor(
      const std::string& token, const std::string& digest,
      absl::Time now) const;
  std::string EncodeCursor(const std::string& digest,
                           const std::string& display_name,
                           const std::string& name, absl::Time now) const;

  DirectoryRepository& repository_;
  const Clock& clock_;
  const PageTokenCodec& page_tokens_;
};

}  // namespace careers::domain

#endif  // CAREERS_SERVER_DOMAIN_DIRECTORY_H_
