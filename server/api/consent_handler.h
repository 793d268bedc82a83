#ifndef CAREERS_SERVER_API_CONSENT_HANDLER_H_
#define CAREERS_SERVER_API_CONSENT_HANDLER_H_

#include "careers/v1/consent_service.grpc.pb.h"
#include "server/api/call.h"
#include "server/domain/consents.h"

namespace careers::api {

// careers.v1.ConsentService over gRPC: each method authorizes through the
// CallRunner and makes one call into domain::Consents. Thread-safe.
class ConsentHandler final : public v1::ConsentService::Service {
 public:
  ConsentHandler(const CallRunner& calls, domain::Consents& consents)
      : calls_(calls), consents_(consents) {}

  grpc::Status CreateConsent(grpc::ServerContext* context,
                             const v1::CreateConsentRequest* request,
                             v1::Consent* response) override;
  grpc::Status GetConsent(grpc::ServerContext* context,
                          const v1::GetConsentRequest* request,
                          v1::Consent* response) override;
  grpc::Status ListConsents(grpc::ServerContext* context,
                            const v1::ListConsentsRequest* request,
                            v1::ListConsentsResponse* response) override;
  grpc::Status WithdrawConsent(grpc::ServerContext* context,
                               const v1::WithdrawConsentRequest* request,
                               v1::Consent* response) override;
  grpc::Status CreateGuardianLink(grpc::ServerContext* context,
                                  const v1::CreateGuardianLinkRequest* request,
                                  v1::GuardianLink* response) override;
  grpc::Status GetGuardianLink(grpc::ServerContext* context,
                               const v1::GetGuardianLinkRequest* request,
                               v1::GuardianLink* response) override;
  grpc::Status ListGuardianLinks(
      grpc::ServerContext* context, const v1::ListGuardianLinksRequest* request,
      v1::ListGuardianLinksResponse* response) override;
  grpc::Status EndGuardianLink(grpc::ServerContext* context,
                               const v1::EndGuardianLinkRequest* request,
                               v1::GuardianLink* response) override;
  grpc::Status ConfirmGuardianLink(
      grpc::ServerContext* context,
      const v1::ConfirmGuardianLinkRequest* request,
      v1::GuardianLink* response) override;
  grpc::Status ListAccessEvents(
      grpc::ServerContext* context, const v1::ListAccessEventsRequest* request,
      v1::ListAccessEventsResponse* response) override;

 private:
  const CallRunner& calls_;
  domain::Consents& consents_;
};

}  // namespace careers::api

#endif  // CAREERS_SERVER_API_CONSENT_HANDLER_H_
