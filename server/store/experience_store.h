#ifndef CAREERS_SERVER_STORE_EXPERIENCE_STORE_H_
#define CAREERS_SERVER_STORE_EXPERIENCE_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "server/domain/experience_repository.h"
#include "server/domain/skill_lookup.h"
#include "server/store/database.h"

namespace careers::store {

// Experiences, their skill claims and attestations on MariaDB/MySQL
// (db/migrations/0008), and the attestation look-up the access policy
// makes. Columns hold what is filtered, sorted, locked on or constrained;
// `details` holds the whole resource (without its etag) as its serialized
// careers.v1 message, always written with the columns. experience_skills
// is rewritten with its experience in the same transaction.
//
// Lock order, in every transaction that takes more than one: profile,
// experience, attestation. Thread-safe; `db` must outlive it.
class ExperienceStore final : public domain::ExperienceRepository,
                              public domain::AttestationLookup {
 public:
  explicit ExperienceStore(Database& db) : db_(db) {}
  ExperienceStore(const ExperienceStore&) = delete;
  ExperienceStore& operator=(const ExperienceStore&) = delete;

  // domain::ExperienceRepository.
  absl::StatusOr<v1::Experience> CreateExperience(
      const RequestContext& ctx, const std::string& profile_id,
      const std::string& id, const v1::Experience& experience,
      const domain::IdempotencyKey* key) override;
  absl::StatusOr<v1::Experience> GetExperience(const RequestContext& ctx,
                                               const std::string& profile_id,
                                               const std::string& id) override;
  absl::StatusOr<domain::Page<v1::Experience>> ListExperiences(
      const RequestContext& ctx, const domain::ExperienceQuery& query) override;
  absl::StatusOr<domain::ExperienceChange> UpdateExperience(
      const RequestContext& ctx, const std::string& profile_id,
      const std::string& id,
      const domain::Mutation<domain::ExperienceChange>& mutate) override;

  absl::StatusOr<v1::Attestation> CreateAttestation(
      const RequestContext& ctx, const std::string& profile_id,
      const std::string& experience_id, absl::Time since,
      const domain::IdempotencyKey* key,
      const domain::AttestationDecision& decide) override;
  absl::StatusOr<domain::StoredAttestation> GetAttestation(
      const RequestContext& ctx, const std::string& profile_id,
      const std::string& experience_id, const std::string& id) override;
  absl::StatusOr<domain::Page<v1::Attestation>> ListAttestations(
      const RequestContext& ctx,
      const domain::AttestationQuery& query) override;
  absl::StatusOr<std::vector<v1::Attestation>> ListVerifiedAttestations(
      const RequestContext& ctx, const std::string& profile_id) override;
  absl::StatusOr<domain::ExperienceChange> UpdateAttestation(
      const RequestContext& ctx, const std::string& profile_id,
      const std::string& experience_id, const std::string& id,
      const domain::Mutation<domain::ExperienceChange>& mutate) override;
  absl::StatusOr<std::vector<std::string>> ListDueAttestations(
      const RequestContext& ctx, absl::Time now, int limit) override;

  // One GROUP BY over experience_skills joined with experiences.
  absl::StatusOr<std::vector<domain::SkillTally>> SummarizeSkills(
      const RequestContext& ctx, const std::string& profile_id) override;

  // domain::AttestationLookup.
  absl::StatusOr<std::optional<std::string>> AdviserOfAttestation(
      const RequestContext& ctx, const std::string& profile_id,
      const std::string& experience_id,
      const std::string& attestation_id) override;

 private:
  // Locks the experience and one attestation (`attestation_id`, or the
  // pending one when nullopt), mutates, writes what changed.
  absl::StatusOr<domain::ExperienceChange> Change(
      const RequestContext& ctx, absl::string_view what,
      const std::string& profile_id, const std::string& experience_id,
      const std::optional<std::string>& attestation_id,
      const domain::Mutation<domain::ExperienceChange>& mutate);

  Database& db_;
};

}  // namespace careers::store

#endif  // CAREERS_SERVER_STORE_EXPERIENCE_STORE_H_
