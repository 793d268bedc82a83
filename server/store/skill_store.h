#ifndef CAREERS_SERVER_STORE_SKILL_STORE_H_
#define CAREERS_SERVER_STORE_SKILL_STORE_H_

#include <map>
#include <string>
#include <vector>

#include "server/domain/skill_lookup.h"
#include "server/domain/skill_repository.h"
#include "server/store/database.h"

namespace careers::store {

// The skills taxonomy on MariaDB/MySQL (db/migrations/0007), and the
// lookup the experience log makes in it. Columns hold what is filtered,
// sorted and searched on (labels, and `search_text` under a FULLTEXT
// index); `details` holds the skill without its name and times as a
// serialized careers.v1.Skill, always written together with the columns.
// Thread-safe; `db` must outlive it.
class SkillStore final : public domain::SkillRepository,
                         public domain::SkillLookup {
 public:
  explicit SkillStore(Database& db) : db_(db) {}
  SkillStore(const SkillStore&) = delete;
  SkillStore& operator=(const SkillStore&) = delete;

  // domain::SkillRepository.
  absl::StatusOr<v1::Skill> CreateSkill(
      const RequestContext& ctx, const std::string& id, const v1::Skill& skill,
      const domain::IdempotencyKey* key) override;
  absl::StatusOr<v1::Skill> GetSkill(const RequestContext& ctx,
                                     const std::string& id) override;
  // A search reads the FULLTEXT index (each word as a boolean-mode prefix)
  // and sorts what matched; a plain list walks the label index.
  absl::StatusOr<domain::Page<v1::Skill>> ListSkills(
      const RequestContext& ctx, const domain::SkillQuery& query) override;
  // One transaction: one SELECT ... FOR UPDATE of the ids, then the new
  // and changed skills in a few multi-row INSERT ... ON DUPLICATE KEY
  // UPDATE statements (at most kMaxRowsPerInsert rows each).
  absl::StatusOr<domain::SkillImportCounts> ImportSkills(
      const RequestContext& ctx, const std::vector<v1::Skill>& skills,
      absl::Time now) override;

  // domain::SkillLookup.
  absl::StatusOr<std::map<std::string, v1::Skill>> FindSkills(
      const RequestContext& ctx, const std::vector<std::string>& ids) override;

  // Ids bound in one `IN (...)` list; lists are padded to a power of two so
  // a connection caches few statement shapes.
  static constexpr size_t kMaxInList = 1024;
  // Rows of one INSERT; smaller statements take power-of-two sizes, again
  // for few statement shapes.
  static constexpr size_t kMaxRowsPerInsert = 256;

 private:
  Database& db_;
};

}  // namespace careers::store

#endif  // CAREERS_SERVER_STORE_SKILL_STORE_H_
