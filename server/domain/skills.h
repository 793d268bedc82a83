#ifndef CAREERS_SERVER_DOMAIN_SKILLS_H_
#define CAREERS_SERVER_DOMAIN_SKILLS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "careers/v1/skills_service.pb.h"
#include "server/common/clock.h"
#include "server/domain/directory_lookup.h"
#include "server/domain/paging.h"
#include "server/domain/skill_repository.h"

namespace careers::domain {

// The label of `skill` in `language_code`, or its English label when it
// has none in that language ("" if it has neither).
const std::string& LabelIn(const v1::Skill& skill,
                           absl::string_view language_code);

// The search words of a ListSkills query: split at ASCII characters that
// are not letters or digits (spaces, hyphens, punctuation), in order,
// without repeats. "Sense-mak" → {"Sense", "mak"}.
std::vector<std::string> SkillSearchWords(absl::string_view query);

// The rules of the skills taxonomy: what a custom skill and an imported
// skill must look like, the search and paging of the skill picker, and
// idempotent bulk imports of published frameworks. Who may call what (an
// org_admin for custom skills, administrators for imports) is the access
// policy's business. Thread-safe; collaborators must outlive it.
class Skills {
 public:
  Skills(SkillRepository& repository, DirectoryLookup& directory,
         const Clock& clock, const PageTokenCodec& page_tokens);
  Skills(const Skills&) = delete;
  Skills& operator=(const Skills&) = delete;

  absl::StatusOr<v1::Skill> CreateSkill(const RequestContext& ctx,
                                        const v1::CreateSkillRequest& req);
  absl::StatusOr<v1::Skill> GetSkill(const RequestContext& ctx,
                                     const v1::GetSkillRequest& req);
  absl::StatusOr<v1::ListSkillsResponse> ListSkills(
      const RequestContext& ctx, const v1::ListSkillsRequest& req);
  absl::StatusOr<v1::ImportSkillsResponse> ImportSkills(
      const RequestContext& ctx, const v1::ImportSkillsRequest& req);

  static constexpr int kDefaultPageSize = 50;
  static constexpr int kMaxPageSize = 200;
  static constexpr int kMaxImportSkills = 1000;
  static constexpr int kMaxAlternativeLabels = 50;
  static constexpr size_t kMaxLabelChars = 300;
  static constexpr size_t kMaxGroupChars = 200;
  static constexpr size_t kMaxDescriptionChars = 4000;
  static constexpr size_t kMaxCodeChars = 300;
  static constexpr size_t kMinQueryChars = 2;
  static constexpr size_t kMaxQueryChars = 100;

 private:
  SkillRepository& repository_;
  DirectoryLookup& directory_;
  const Clock& clock_;
  const PageTokenCodec& page_tokens_;
};

}  // namespace careers::domain

#endif  // CAREERS_SERVER_DOMAIN_SKILLS_H_
