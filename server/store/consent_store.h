#ifndef CAREERS_SERVER_STORE_CONSENT_STORE_H_
#define CAREERS_SERVER_STORE_CONSENT_STORE_H_

#include "server/common/clock.h"
#include "server/domain/consent_repository.h"
#include "server/store/database.h"

namespace careers::store {

// Consents, guardian links and access events on MariaDB/MySQL
// (db/migrations/0005), and the access facts the policy reads from them.
// Thread-safe; `db` and `clock` must outlive it.
class ConsentStore final : public domain::ConsentRepository,
                           public domain::AccessFacts {
 public:
  ConsentStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  absl::StatusOr<v1::Consent> CreateConsent(
      const RequestContext& ctx, const std::string& profile_id,
      const std::string& id, const v1::Consent& consent,
      const domain::IdempotencyKey* key) override;
  absl::StatusOr<v1::Consent> GetConsent(const RequestContext& ctx,
                                         const std::string& profile_id,
                                         const std::string& id) override;
  absl::StatusOr<domain::Page<v1::Consent>> ListConsents(
      const RequestContext& ctx, const domain::ConsentQuery& query) override;
  absl::StatusOr<v1::Consent> UpdateConsent(
      const RequestContext& ctx, const std::string& profile_id,
      const std::string& id,
      const domain::Mutation<v1::Consent>& mutate) override;

  absl::StatusOr<domain::GuardianLinkRow> CreateGuardianLink(
      const RequestContext& ctx, const std::string& profile_id,
      const std::string& id, const v1::GuardianLink& link,
      const domain::IdempotencyKey* key) override;
  absl::StatusOr<domain::GuardianLinkRow> GetGuardianLink(
      const RequestContext& ctx, const std::string& profile_id,
      const std::string& id) override;
  absl::StatusOr<domain::Page<domain::GuardianLinkRow>> ListGuardianLinks(
      const RequestContext& ctx,
      const domain::GuardianLinkQuery& query) override;
  absl::StatusOr<domain::GuardianLinkRow> UpdateGuardianLink(
      const RequestContext& ctx, const std::string& profile_id,
      const std::string& id,
      const domain::Mutation<domain::GuardianLinkRow>& mutate) override;

  absl::StatusOr<domain::Page<v1::AccessEvent>> ListAccessEvents(
      const RequestContext& ctx,
      const domain::AccessEventQuery& query) override;

  absl::StatusOr<bool> IsSharedWith(
      const RequestContext& ctx, const std::string& profile_id,
      const std::string& organisation_id) override;
  absl::StatusOr<bool> IsGuardianOf(const RequestContext& ctx,
                                    const std::string& profile_id,
                                    const std::string& subject) override;
  absl::StatusOr<bool> IsUnder16(const RequestContext& ctx,
                                 const std::string& profile_id) override;
  absl::StatusOr<std::optional<std::string>> GuardianOfLink(
      const RequestContext& ctx, const std::string& profile_id,
      const std::string& link_id) override;

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace careers::store

#endif  // CAREERS_SERVER_STORE_CONSENT_STORE_H_
