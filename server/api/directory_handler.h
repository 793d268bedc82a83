#ifndef CAREERS_SERVER_API_DIRECTORY_HANDLER_H_
#define CAREERS_SERVER_API_DIRECTORY_HANDLER_H_

#include "careers/v1/directory_service.grpc.pb.h"
#include "server/api/call.h"
#include "server/domain/directory.h"

namespace careers::api {

// careers.v1.DirectoryService over gRPC: each method authorizes through the
// CallRunner and makes one call into domain::Directory. The resource the
// access policy is asked about is the resource's name; for a create, the
// organisation the new resource will belong to (an organisation's parent,
// an adviser's or location's organisation; "" if none); for a list, "".
// Thread-safe.
class DirectoryHandler final : public v1::DirectoryService::Service {
 public:
  DirectoryHandler(const CallRunner& calls, domain::Directory& directory)
      : calls_(calls), directory_(directory) {}

  grpc::Status CreateOrganisation(grpc::ServerContext* context,
                                  const v1::CreateOrganisationRequest* request,
                                  v1::Organisation* response) override;
  grpc::Status GetOrganisation(grpc::ServerContext* context,
                               const v1::GetOrganisationRequest* request,
                               v1::Organisation* response) override;
  grpc::Status ListOrganisations(
      grpc::ServerContext* context, const v1::ListOrganisationsRequest* request,
      v1::ListOrganisationsResponse* response) override;
  grpc::Status UpdateOrganisation(grpc::ServerContext* context,
                                  const v1::UpdateOrganisationRequest* request,
                                  v1::Organisation* response) override;

  grpc::Status CreateAdviser(grpc::ServerContext* context,
                             const v1::CreateAdviserRequest* request,
                             v1::Adviser* response) override;
  grpc::Status GetAdviser(grpc::ServerContext* context,
                          const v1::GetAdviserRequest* request,
                          v1::Adviser* response) override;
  grpc::Status ListAdvisers(grpc::ServerContext* context,
                            const v1::ListAdvisersRequest* request,
                            v1::ListAdvisersResponse* response) override;
  grpc::Status UpdateAdviser(grpc::ServerContext* context,
                             const v1::UpdateAdviserRequest* request,
                             v1::Adviser* response) override;
  grpc::Status DeleteAdviser(grpc::ServerContext* context,
                             const v1::DeleteAdviserRequest* request,
                             v1::Adviser* response) override;
  grpc::Status UndeleteAdviser(grpc::ServerContext* context,
                               const v1::UndeleteAdviserRequest* request,
                               v1::Adviser* response) override;

  grpc::Status CreateLocation(grpc::ServerContext* context,
                              const v1::CreateLocationRequest* request,
                              v1::Location* response) override;
  grpc::Status GetLocation(grpc::ServerContext* context,
                           const v1::GetLocationRequest* request,
                           v1::Location* response) override;
  grpc::Status ListLocations(grpc::ServerContext* context,
                             const v1::ListLocationsRequest* request,
                             v1::ListLocationsResponse* response) override;
  grpc::Status UpdateLocation(grpc::ServerContext* context,
                              const v1::UpdateLocationRequest* request,
                              v1::Location* response) override;

 private:
  const CallRunner& calls_;
  domain::Directory& directory_;
};

}  // namespace careers::api

#endif  // CAREERS_SERVER_API_DIRECTORY_HANDLER_H_
