#ifndef CAREERS_SERVER_DOMAIN_EXPERIENCES_H_
#define CAREERS_SERVER_DOMAIN_EXPERIENCES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "careers/v1/skills_service.pb.h"
#include "google/api/httpbody.pb.h"
#include "server/common/clock.h"
#include "server/domain/consent_repository.h"
#include "server/domain/directory_lookup.h"
#include "server/domain/experience_repository.h"
#include "server/domain/paging.h"
#include "server/domain/profile_repository.h"
#include "server/domain/skill_lookup.h"

namespace careers::domain {

// Tells an outside referee they have been asked to vouch for an experience.
// Called once per new referee attestation, after it is stored; `token` is
// the plain single-use token for their link (the server keeps only its
// hash, so this is the one place it exists). Implementations must not
// fail the call (queue or log instead) and are thread-safe.
class AttestationNotifier {
 public:
  virtual ~AttestationNotifier() = default;
  virtual void RefereeAsked(const v1::Attestation& attestation,
                            const v1::Experience& experience,
                            const std::string& token) = 0;
};

struct ExperienceOptions {
  // How long an outside referee's link works.
  absl::Duration attestation_ttl = absl::Hours(24 * 14);
  // Attestation requests a profile may make in any 24 hours.
  int max_attestation_requests_per_day = 10;
  // The service's home page: xAPI accounts are named under it.
  std::string service_home_page = "https://careers.example";
};

// The rules of the experience log: what a valid experience is, who is
// recorded as the source of a skill claim, the lifecycle (self-declared →
// attestation pending → verified or rejected; any state → voided), the
// attestation tokens of outside referees, the per-profile rate limit, the
// skills summary and the exports. Who may call what is the access policy's
// business.
//
// Decisions worth knowing:
// - Skill sources: the person claims SELF only (the default for them);
//   anyone else (advisers, administrators, services) claims ADVISER (the
//   default) or EMPLOYER, never SELF. On update, a claim that is unchanged
//   (same skill and level) keeps the source it had, whoever sends it.
// - An experience with a PENDING attestation cannot be edited
//   (FAILED_PRECONDITION): the attester must see what they vouch for. It
//   can be voided; a pending request then lapses (EXPIRED).
// - A referee's token is 32 random bytes in unpadded base64url; the store
//   keeps SHA-256 of that text. A wrong token (or a token for an
//   attestation that does not exist) is PERMISSION_DENIED, before anything
//   about the attestation's state is revealed.
// - A referee link that has expired turns the attestation EXPIRED (and
//   the experience back to its state before the request) when it is used,
//   or when the maintenance loop calls ExpireAttestations.
//
// Thread-safe; collaborators must outlive it.
class Experiences {
 public:
  Experiences(ExperienceRepository& repository, SkillLookup& skills,
              ProfileRepository& profiles, DirectoryLookup& directory,
              AttestationNotifier& notifier, const Clock& clock,
              const PageTokenCodec& page_tokens,
              ExperienceOptions options = {});
  Experiences(const Experiences&) = delete;
  Experiences& operator=(const Experiences&) = delete;

  absl::StatusOr<v1::Experience> CreateExperience(
      const RequestContext& ctx, const v1::CreateExperienceRequest& req);
  absl::StatusOr<v1::Experience> GetExperience(
      const RequestContext& ctx, const v1::GetExperienceRequest& req);
  absl::StatusOr<v1::ListExperiencesResponse> ListExperiences(
      const RequestContext& ctx, const v1::ListExperiencesRequest& req);
  absl::StatusOr<v1::Experience> UpdateExperience(
      const RequestContext& ctx, const v1::UpdateExperienceRequest& req);
  absl::StatusOr<v1::Experience> VoidExperience(
      const RequestContext& ctx, const v1::VoidExperienceRequest& req);

  absl::StatusOr<v1::Attestation> RequestAttestation(
      const RequestContext& ctx, const v1::RequestAttestationRequest& req);
  absl::StatusOr<v1::Attestation> GetAttestation(
      const RequestContext& ctx, const v1::GetAttestationRequest& req);
  absl::StatusOr<v1::ListAttestationsResponse> ListAttestations(
      const RequestContext& ctx, const v1::ListAttestationsRequest& req);
  absl::StatusOr<v1::Attestation> DecideAttestation(
      const RequestContext& ctx, const v1::DecideAttestationRequest& req);

  absl::StatusOr<v1::SkillsSummary> GetSkillsSummary(
      const RequestContext& ctx, const v1::GetSkillsSummaryRequest& req);
  // application/json: JSON Resume 1.0.0 or an array of xAPI statements.
  absl::StatusOr<google::api::HttpBody> ExportSkillsRecord(
      const RequestContext& ctx, const v1::ExportSkillsRecordRequest& req);

  // Referee requests whose link expired become EXPIRED (the maintenance
  // loop calls it). Returns how many did.
  absl::StatusOr<int> ExpireAttestations(const RequestContext& ctx);

  static constexpr int kDefaultPageSize = 50;
  static constexpr int kMaxPageSize = 200;

 private:
  absl::CivilDay Today() const;
  // Normalizes and checks `e` (fields the client sets) under `prefix`,
  // filling unset skill sources for the caller; `before` is the stored
  // version on update (its unchanged claims keep their sources).
  absl::Status NormalizeAndCheck(const RequestContext& ctx, v1::Experience& e,
                                 const std::string& prefix,
                                 const v1::Experience* before);

  ExperienceRepository& repository_;
  SkillLookup& skills_;
  ProfileRepository& profiles_;
  DirectoryLookup& directory_;
  AttestationNotifier& notifier_;
  const Clock& clock_;
  const PageTokenCodec& page_tokens_;
  const ExperienceOptions options_;
};

}  // namespace careers::domain

#endif  // CAREERS_SERVER_DOMAIN_EXPERIENCES_H_
