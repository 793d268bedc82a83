#ifndef CAREERS_SERVER_DOMAIN_EXPERIENCE_REPOSITORY_H_
#define CAREERS_SERVER_DOMAIN_EXPERIENCE_REPOSITORY_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "careers/v1/skills_service.pb.h"
#include "server/domain/profile_repository.h"
#include "server/domain/repository.h"
#include "server/domain/request_context.h"

namespace careers::domain {

// Where an experience listing resumes: after this (start_date, id), newest
// first.
struct ExperienceCursor {
  absl::CivilDay start_date;
  std::string id;
};

struct ExperienceQuery {
  std::string profile_id;
  std::optional<v1::ExperienceKind> kind;
  std::optional<v1::Experience::State> state;
  bool exclude_voided = false;               // exports
  std::optional<std::string> skill_id;       // claimed this skill
  std::optional<absl::CivilDay> start_from;  // start_date >= this
  std::optional<absl::CivilDay> start_to;    // start_date <= this
  std::optional<ExperienceCursor> after;     // (start_date, id) desc
  int limit = 50;
};

struct AttestationQuery {
  std::string profile_id;
  std::string experience_id;
  std::optional<CreationCursor> before;  // newest first
  int limit = 50;
};

// An attestation with what only the server sees: the SHA-256 of an outside
// referee's token (32 raw bytes, "" for an adviser) and the experience's
// state before the request (restored if the request lapses).
struct StoredAttestation {
  v1::Attestation attestation;
  std::string token_hash;
  v1::Experience::State prior_state = v1::Experience::SELF_DECLARED;
};

// An experience and one of its attestations as a transaction sees them
// under lock, and as a mutation leaves them to be written.
struct ExperienceChange {
  v1::Experience experience;
  std::optional<StoredAttestation> attestation;
};

// What RequestAttestation decides on, read after the profile's and the
// experience's rows were locked.
struct AttestationRequestFacts {
  v1::Experience experience;
  bool has_pending = false;  // a PENDING attestation of the experience
  int recent_requests = 0;   // the profile's requests created after `since`
};

// What a request writes: the new attestation (complete but for its etag)
// and the experience as it becomes.
struct AttestationPlan {
  StoredAttestation attestation;
  v1::Experience experience;
};

using AttestationDecision = std::function<absl::StatusOr<AttestationPlan>(
    const AttestationRequestFacts&)>;

// One skill's evidence across a profile's experiences that are not voided.
struct SkillTally {
  std::string skill_id;
  int experience_count = 0;
  double total_hours = 0;
  int verified_count = 0;
  int max_level = 0;
  absl::CivilDay first_evidenced;  // min(start_date)
  absl::CivilDay last_evidenced;   // max(coalesce(end_date, start_date))
};

// Storage of experiences, the skills they claim, and attestations.
// Resources go in complete (names, times, actors and states chosen by the
// domain) and come out with their etag. Every write keeps an experience's
// skill rows (for summaries and filters) in step with it, in the same
// transaction, and goes on the person's access record when the context
// says so. Missing resources are NOT_FOUND. Mutations may run more than
// once (deadlock retries). Implementations are thread-safe.
class ExperienceRepository {
 public:
  virtual ~ExperienceRepository() = default;

  // NOT_FOUND if the profile does not exist. With a key, a retry returns
  // the first response.
  virtual absl::StatusOr<v1::Experience> CreateExperience(
      const RequestContext& ctx, const std::string& profile_id,
      const std::string& id, const v1::Experience& experience,
      const IdempotencyKey* key) = 0;
  virtual absl::StatusOr<v1::Experience> GetExperience(
      const RequestContext& ctx, const std::string& profile_id,
      const std::string& id) = 0;
  // In (start_date, id) descending order.
  virtual absl::StatusOr<Page<v1::Experience>> ListExperiences(
      const RequestContext& ctx, const ExperienceQuery& query) = 0;
  // Locks the experience and its PENDING attestation (if any, as
  // `attestation`), applies `mutate`, writes back what changed.
  virtual absl::StatusOr<ExperienceChange> UpdateExperience(
      const RequestContext& ctx, const std::string& profile_id,
      const std::string& id, const Mutation<ExperienceChange>& mutate) = 0;

  // One transaction: lock the profile (the rate limit counts its
  // requests) and the experience, read the facts (requests created after
  // `since`), let `decide` rule, insert the attestation and write the
  // experience. With a key, a retry returns the first response without
  // calling `decide`.
  virtual absl::StatusOr<v1::Attestation> CreateAttestation(
      const RequestContext& ctx, const std::string& profile_id,
      const std::string& experience_id, absl::Time since,
      const IdempotencyKey* key, const AttestationDecision& decide) = 0;
  virtual absl::StatusOr<StoredAttestation> GetAttestation(
      const RequestContext& ctx, const std::string& profile_id,
      const std::string& experience_id, const std::string& id) = 0;
  // Newest first.
  virtual absl::StatusOr<Page<v1::Attestation>> ListAttestations(
      const RequestContext& ctx, const AttestationQuery& query) = 0;
  // The profile's VERIFIED attestations (for exports).
  virtual absl::StatusOr<std::vector<v1::Attestation>> ListVerifiedAttestations(
      const RequestContext& ctx, const std::string& profile_id) = 0;
  // Locks the experience, then the attestation; applies `mutate`; writes
  // back what changed.
  virtual absl::StatusOr<ExperienceChange> UpdateAttestation(
      const RequestContext& ctx, const std::string& profile_id,
      const std::string& experience_id, const std::string& id,
      const Mutation<ExperienceChange>& mutate) = 0;
  // Names of PENDING attestations whose expire_time is at or before `now`,
  // oldest first, at most `limit`.
  virtual absl::StatusOr<std::vector<std::string>> ListDueAttestations(
      const RequestContext& ctx, absl::Time now, int limit) = 0;

  // Per skill, over the profile's experiences that are not VOIDED, in SQL.
  // NOT_FOUND if the profile does not exist.
  virtual absl::StatusOr<std::vector<SkillTally>> SummarizeSkills(
      const RequestContext& ctx, const std::string& profile_id) = 0;
};

}  // namespace careers::domain

#endif  // CAREERS_SERVER_DOMAIN_EXPERIENCE_REPOSITORY_H_
