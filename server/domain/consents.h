#ifndef CAREERS_SERVER_DOMAIN_CONSENTS_H_
#define CAREERS_SERVER_DOMAIN_CONSENTS_H_

#include "absl/status/statusor.h"
#include "careers/v1/consent_service.pb.h"
#include "server/common/clock.h"
#include "server/domain/consent_repository.h"
#include "server/domain/paging.h"
#include "server/domain/profile_repository.h"

namespace careers::domain {

// The rules of consent, guardian links and the access record: what a
// valid grant or link is, who is recorded as having made it, state changes
// as compare-and-set, when a guardian's access is in force, and listing
// the record. Who may call what is the access policy's business, not this.
// Thread-safe; collaborators must outlive it.
class Consents {
 public:
  Consents(ConsentRepository& repository, DirectoryLookup& directory,
           const Clock& clock, const PageTokenCodec& page_tokens);
  Consents(const Consents&) = delete;
  Consents& operator=(const Consents&) = delete;

  absl::StatusOr<v1::Consent> CreateConsent(
      const RequestContext& ctx, const v1::CreateConsentRequest& req);
  absl::StatusOr<v1::Consent> GetConsent(const RequestContext& ctx,
                                         const v1::GetConsentRequest& req);
  absl::StatusOr<v1::ListConsentsResponse> ListConsents(
      const RequestContext& ctx, const v1::ListConsentsRequest& req);
  absl::StatusOr<v1::Consent> WithdrawConsent(
      const RequestContext& ctx, const v1::WithdrawConsentRequest& req);

  absl::StatusOr<v1::GuardianLink> CreateGuardianLink(
      const RequestContext& ctx, const v1::CreateGuardianLinkRequest& req);
  absl::StatusOr<v1::GuardianLink> GetGuardianLink(
      const RequestContext& ctx, const v1::GetGuardianLinkRequest& req);
  absl::StatusOr<v1::ListGuardianLinksResponse> ListGuardianLinks(
      const RequestContext& ctx, const v1::ListGuardianLinksRequest& req);
  absl::StatusOr<v1::GuardianLink> EndGuardianLink(
      const RequestContext& ctx, const v1::EndGuardianLinkRequest& req);
  // Only for a person aged 16 or over (FAILED_PRECONDITION otherwise).
  absl::StatusOr<v1::GuardianLink> ConfirmGuardianLink(
      const RequestContext& ctx, const v1::ConfirmGuardianLinkRequest& req);

  absl::StatusOr<v1::ListAccessEventsResponse> ListAccessEvents(
      const RequestContext& ctx, const v1::ListAccessEventsRequest& req);

  static constexpr int kDefaultPageSize = 50;
  static constexpr int kMaxPageSize = 200;

 private:
  absl::CivilDay Today() const;
  v1::GuardianLink WithEffect(const GuardianLinkRow& row) const;

  ConsentRepository& repository_;
  DirectoryLookup& directory_;
  const Clock& clock_;
  const PageTokenCodec& page_tokens_;
};

// The principal as it goes on the record.
v1::Actor ActorOf(const auth::Principal& principal);

}  // namespace careers::domain

#endif  // CAREERS_SERVER_DOMAIN_CONSENTS_H_
