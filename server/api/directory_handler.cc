#include "server/api/directory_handler.h"

#include <utility>

namespace careers::api {
grpc::Status DirectoryHandler::CreateOrganisation(
    grpc::ServerContext* context, const v1::CreateOrganisationRequest* request,
    v1::Organisation* response) {
  return calls_.Run(
      context, *request, "careers.v1.DirectoryService/CreateOrganisation",
      request->organisation().parent(), [&](const RequestContext& ctx) {
        return Reply(directory_.CreateOrganisation(ctx, *request), response);
      });
}

grpc::Status DirectoryHandler::GetOrganisation(
    grpc::ServerContext* context, const v1::GetOrganisationRequest* request,
    v1::Organisation* response) {
  return calls_.Run(
      context, *request, "careers.v1.DirectoryService/GetOrganisation",
      request->name(), [&](const RequestContext& ctx) {
        return Reply(directory_.GetOrganisation(ctx, *request), response);
      });
}

grpc::Status DirectoryHandler::ListOrganisations(
    grpc::ServerContext* context, const v1::ListOrganisationsRequest* request,
    v1::ListOrganisationsResponse* response) {
  return calls_.Run(
      context, *request, "careers.v1.DirectoryService/ListOrganisations", "",
      [&](const RequestContext& ctx) {
        return Reply(directory_.ListOrganisations(ctx, *request), response);
      });
}

grpc::Status DirectoryHandler::UpdateOrganisation(
    grpc::ServerContext* context, const v1::UpdateOrganisationRequest* request,
    v1::Organisation* response) {
  return calls_.Run(
      context, *request, "careers.v1.DirectoryService/UpdateOrganisation",
      request->organisation().name(), [&](const RequestContext& ctx) {
        return Reply(directory_.UpdateOrganisation(ctx, *request), response);
      });
}

grpc::Status DirectoryHandler::CreateAdviser(
    grpc::ServerContext* context, const v1::CreateAdviserRequest* request,
    v1::Adviser* response) {
  return calls_.Run(
      context, *request, "careers.v1.DirectoryService/CreateAdviser",
      request->adviser().organisation(), [&](const RequestContext& ctx) {
        return Reply(directory_.CreateAdviser(ctx, *request), response);
      });
}

grpc::Status DirectoryHandler::GetAdviser(grpc::ServerContext* context,
                                          const v1::GetAdviserRequest* request,
                                          v1::Adviser* response) {
  return calls_.Run(context, *request, "careers.v1.DirectoryService/GetAdviser",
                    request->name(), [&](const RequestContext& ctx) {
                      return Reply(directory_.GetAdviser(ctx, *request),
                                   response);
                    });
}

grpc::Status DirectoryHandler::ListAdvisers(
    grpc::ServerContext* context, const v1::ListAdvisersRequest* request,
    v1::ListAdvisersResponse* response) {
  return calls_.Run(
      context, *request, "careers.v1.DirectoryService/ListAdvisers", "",
      [&](const RequestContext& ctx) {
        return Reply(directory_.ListAdvisers(ctx, *request), response);
      });
}

grpc::Status DirectoryHandler::UpdateAdviser(
    grpc::ServerContext* context, const v1::UpdateAdviserRequest* request,
    v1::Adviser* response) {
  return calls_.Run(
      context, *request, "careers.v1.DirectoryService/UpdateAdviser",
      request->adviser().name(), [&](const RequestContext& ctx) {
        return Reply(directory_.UpdateAdviser(ctx, *request), response);
      });
}

grpc::Status DirectoryHandler::DeleteAdviser(
    grpc::ServerContext* context, const v1::DeleteAdviserRequest* request,
    v1::Adviser* response) {
  return calls_.Run(
      context, *request, "careers.v1.DirectoryService/DeleteAdviser",
      request->name(), [&](const RequestContext& ctx) {
        return Reply(directory_.DeleteAdviser(ctx, *request), response);
      });
}

grpc::Status DirectoryHandler::UndeleteAdviser(
    grpc::ServerContext* context, const v1::UndeleteAdviserRequest* request,
    v1::Adviser* response) {
  return calls_.Run(
      context, *request, "careers.v1.DirectoryService/UndeleteAdviser",
      request->name(), [&](const RequestContext& ctx) {
        return Reply(directory_.UndeleteAdviser(ctx, *request), response);
      });
}

grpc::Status DirectoryHandler::CreateLocation(
    grpc::ServerContext* context, const v1::CreateLocationRequest* request,
    v1::Location* response) {
  return calls_.Run(
      context, *request, "careers.v1.DirectoryService/CreateLocation",
      request->location().organisation(), [&](const RequestContext& ctx) {
        return Reply(directory_.CreateLocation(ctx, *request), response);
      });
}

grpc::Status DirectoryHandler::GetLocation(
    grpc::ServerContext* context, const v1::GetLocationRequest* request,
    v1::Location* response) {
  return calls_.Run(
      context, *request, "careers.v1.DirectoryService/GetLocation",
      request->name(), [&](const RequestContext& ctx) {
        return Reply(directory_.GetLocation(ctx, *request), response);
      });
}

grpc::Status DirectoryHandler::ListLocations(
    grpc::ServerContext* context, const v1::ListLocationsRequest* request,
    v1::ListLocationsResponse* response) {
  return calls_.Run(
      context, *request, "careers.v1.DirectoryService/ListLocations", "",
      [&](const RequestContext& ctx) {
        return Reply(directory_.ListLocations(ctx, *request), response);
      });
}

grpc::Status DirectoryHandler::UpdateLocation(
    grpc::ServerContext* context, const v1::UpdateLocationRequest* request,
    v1::Location* response) {
  return calls_.Run(
      context, *request, "careers.v1.DirectoryService/UpdateLocation",
      request->location().name(), [&](const RequestContext& ctx) {
        return Reply(directory_.UpdateLocation(ctx, *request), response);
      });
}

}  // namespace careers::api
