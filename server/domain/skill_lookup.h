#ifndef CAREERS_SERVER_DOMAIN_SKILL_LOOKUP_H_
#define CAREERS_SERVER_DOMAIN_SKILL_LOOKUP_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "careers/v1/skills_service.pb.h"
#include "server/domain/request_context.h"

namespace careers::domain {

// What the experience log asks of the skills taxonomy. Thread-safe.
class SkillLookup {
 public:
  virtual ~SkillLookup() = default;
  // The skills of `ids` (skill ids, not names) that exist, by id; missing
  // ones are simply absent.
  virtual absl::StatusOr<std::map<std::string, v1::Skill>> FindSkills(
      const RequestContext& ctx, const std::vector<std::string>& ids) = 0;
};

// What the access policy asks about attestations. Thread-safe.
class AttestationLookup {
 public:
  virtual ~AttestationLookup() = default;
  // The adviser id an attestation was asked of ("" for an outside
  // referee), or nullopt if there is no such attestation.
  virtual absl::StatusOr<std::optional<std::string>> AdviserOfAttestation(
      const RequestContext& ctx, const std::string& profile_id,
      const std::string& experience_id, const std::string& attestation_id) = 0;
};

}  // namespace careers::domain

#endif  // CAREERS_SERVER_DOMAIN_SKILL_LOOKUP_H_
