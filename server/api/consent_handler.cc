#include "server/api/consent_handler.h"

#include <utility>

namespace careers::api {
grpc::Status ConsentHandler::CreateConsent(
    grpc::ServerContext* context, const v1::CreateConsentRequest* request,
    v1::Consent* response) {
  return calls_.Run(
      context, *request, "careers.v1.ConsentService/CreateConsent",
      request->parent(), [&](const RequestContext& ctx) {
        return Reply(consents_.CreateConsent(ctx, *request), response);
      });
}

grpc::Status ConsentHandler::GetConsent(grpc::ServerContext* context,
                                        const v1::GetConsentRequest* request,
                                        v1::Consent* response) {
  return calls_.Run(context, *request, "careers.v1.ConsentService/GetConsent",
                    request->name(), [&](const RequestContext& ctx) {
                      return Reply(consents_.GetConsent(ctx, *request),
                                   response);
                    });
}

grpc::Status ConsentHandler::ListConsents(
    grpc::ServerContext* context, const v1::ListConsentsRequest* request,
    v1::ListConsentsResponse* response) {
  return calls_.Run(context, *request, "careers.v1.ConsentService/ListConsents",
                    request->parent(), [&](const RequestContext& ctx) {
                      return Reply(consents_.ListConsents(ctx, *request),
                                   response);
                    });
}

grpc::Status ConsentHandler::WithdrawConsent(
    grpc::ServerContext* context, const v1::WithdrawConsentRequest* request,
    v1::Consent* response) {
  return calls_.Run(
      context, *request, "careers.v1.ConsentService/WithdrawConsent",
      request->name(), [&](const RequestContext& ctx) {
        return Reply(consents_.WithdrawConsent(ctx, *request), response);
      });
}

grpc::Status ConsentHandler::CreateGuardianLink(
    grpc::ServerContext* context, const v1::CreateGuardianLinkRequest* request,
    v1::GuardianLink* response) {
  return calls_.Run(
      context, *request, "careers.v1.ConsentService/CreateGuardianLink",
      request->parent(), [&](const RequestContext& ctx) {
        return Reply(consents_.CreateGuardianLink(ctx, *request), response);
      });
}

grpc::Status ConsentHandler::GetGuardianLink(
    grpc::ServerContext* context, const v1::GetGuardianLinkRequest* request,
    v1::GuardianLink* response) {
  return calls_.Run(
      context, *request, "careers.v1.ConsentService/GetGuardianLink",
      request->name(), [&](const RequestContext& ctx) {
        return Reply(consents_.GetGuardianLink(ctx, *request), response);
      });
}

grpc::Status ConsentHandler::ListGuardianLinks(
    grpc::ServerContext* context, const v1::ListGuardianLinksRequest* request,
    v1::ListGuardianLinksResponse* response) {
  return calls_.Run(
      context, *request, "careers.v1.ConsentService/ListGuardianLinks",
      request->parent(), [&](const RequestContext& ctx) {
        return Reply(consents_.ListGuardianLinks(ctx, *request), response);
      });
}

grpc::Status ConsentHandler::EndGuardianLink(
    grpc::ServerContext* context, const v1::EndGuardianLinkRequest* request,
    v1::GuardianLink* response) {
  return calls_.Run(
      context, *request, "careers.v1.ConsentService/EndGuardianLink",
      request->name(), [&](const RequestContext& ctx) {
        return Reply(consents_.EndGuardianLink(ctx, *request), response);
      });
}

grpc::Status ConsentHandler::ConfirmGuardianLink(
    grpc::ServerContext* context, const v1::ConfirmGuardianLinkRequest* request,
    v1::GuardianLink* response) {
  return calls_.Run(
      context, *request, "careers.v1.ConsentService/ConfirmGuardianLink",
      request->name(), [&](const RequestContext& ctx) {
        return Reply(consents_.ConfirmGuardianLink(ctx, *request), response);
      });
}

grpc::Status ConsentHandler::ListAccessEvents(
    grpc::ServerContext* context, const v1::ListAccessEventsRequest* request,
    v1::ListAccessEventsResponse* response) {
  return calls_.Run(
      context, *request, "careers.v1.ConsentService/ListAccessEvents",
      request->parent(), [&](const RequestContext& ctx) {
        return Reply(consents_.ListAccessEvents(ctx, *request), response);
      });
}

}  // namespace careers::api
