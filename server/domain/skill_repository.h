#ifndef CAREERS_SERVER_DOMAIN_SKILL_REPOSITORY_H_
#define CAREERS_SERVER_DOMAIN_SKILL_REPOSITORY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "careers/v1/skills_service.pb.h"
#include "server/domain/directory_repository.h"
#include "server/domain/profile_repository.h"
#include "server/domain/repository.h"
#include "server/domain/request_context.h"

namespace careers::domain {

// The label languages of the taxonomy.
inline constexpr const char* kSkillLanguages[] = {"en", "cy", "gd"};

struct SkillQuery {
  std::optional<v1::Skill::Framework> framework;
  std::optional<std::string> group;
  std::optional<std::string> organisation_id;
  // Words that must each begin a word of some label or alternative label,
  // ignoring case and accents; empty for no search. Letters, digits and
  // non-ASCII characters only.
  std::vector<std::string> words;
  // The label language the list is sorted by ("en", "cy" or "gd"); a skill
  // without a label in it sorts by its English label.
  std::string language_code = "en";
  // (sort label, id) of the last served.
  std::optional<NameCursor> after;
  int limit = 50;
};

// What an import did.
struct SkillImportCounts {
  int created = 0;
  int updated = 0;
  int unchanged = 0;
};

// Storage of the skills taxonomy. Skills go in complete (their name, and
// their times where the store does not decide them) and come out with
// name, create_time and update_time. Skills are nobody's personal data:
// nothing goes on an access record. Thread-safe.
class SkillRepository {
 public:
  virtual ~SkillRepository() = default;

  // ALREADY_EXISTS if the id is taken; FAILED_PRECONDITION if the
  // organisation does not exist. With a key, a retry returns the first
  // response.
  virtual absl::StatusOr<v1::Skill> CreateSkill(const RequestContext& ctx,
                                                const std::string& id,
                                                const v1::Skill& skill,
                                                const IdempotencyKey* key) = 0;
  virtual absl::StatusOr<v1::Skill> GetSkill(const RequestContext& ctx,
                                             const std::string& id) = 0;
  virtual absl::StatusOr<Page<v1::Skill>> ListSkills(
      const RequestContext& ctx, const SkillQuery& query) = 0;

  // Creates or updates `skills` (names set, distinct ids, one framework,
  // not CUSTOM) in one transaction: a skill whose stored fields equal the
  // given ones is left as it is (unchanged); a changed one keeps its
  // create_time and gets update_time `now`; a new one gets both `now`.
  // FAILED_PRECONDITION, changing nothing, if an id belongs to a skill of
  // another framework.
  virtual absl::StatusOr<SkillImportCounts> ImportSkills(
      const RequestContext& ctx, const std::vector<v1::Skill>& skills,
      absl::Time now) = 0;
};

}  // namespace careers::domain

#endif  // CAREERS_SERVER_DOMAIN_SKILL_REPOSITORY_H_
