#include "server/domain/skills.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "server/common/ids.h"
#include "server/common/proto_time.h"
#include "server/common/status_macros.h"
#include "server/common/utf8.h"
#include "server/domain/errors.h"
#include "server/domain/field_checks.h"
#include "server/domain/field_mask.h"
#include "server/domain/filter.h"
#include "server/domain/resource_names.h"
#include "server/domain/standard_methods.h"

namespace careers::domain {
namespace {

using errors::FieldViolations;
using v1::Skill;

constexpr absl::string_view kSkills = "skills";

// The place of a language in label order (en, cy, gd); -1 for others.
int LanguageRank(absl::string_view code) {
  for (int i = 0; i < static_cast<int>(std::size(kSkillLanguages)); ++i) {
    if (code == kSkillLanguages[i]) return i;
  }
  return -1;
}

std::string Trimmed(absl::string_view s) {
  return std::string(TrimAsciiWhitespace(s));
}

// Brings `skill` to its stored form (trimmed text, lower-case language
// codes, labels in language order, alternative labels without repeats) and
// checks every field but name, framework and organisation, which depend on
// how it arrives. `field` is its path in the request ("skill", "skills[3]").
void NormalizeAndCheckSkill(Skill& skill, const std::string& field,
                            FieldViolations& v) {
  const std::string labels_field = absl::StrCat(field, ".labels");
  std::map<int, int> seen;  // language rank → index
  bool has_english = false;
  for (int i = 0; i < skill.labels_size(); ++i) {
    Skill::Label& label = *skill.mutable_labels(i);
    const std::string at = absl::StrCat(labels_field, "[", i, "]");
    label.set_language_code(
        absl::AsciiStrToLower(Trimmed(label.language_code())));
    label.set_text(Trimmed(label.text()));
    const int rank = LanguageRank(label.language_code());
    if (rank < 0) {
      v.Add(absl::StrCat(at, ".language_code"),
            label.language_code().empty()
                ? std::string("is required")
                : absl::StrCat("\"", label.language_code(),
                               "\" is not a label language; use en, cy or gd"));
    } else if (auto [it, inserted] = seen.emplace(rank, i); !inserted) {
      v.Add(absl::StrCat(at, ".language_code"),
            absl::StrCat("repeats ", label.language_code(), " (", labels_field,
                         "[", it->second, "]); give each language once"));
    }
    if (rank == 0) has_english = true;
    checks::CheckText(v, absl::StrCat(at, ".text"), label.text(),
                      {1, Skills::kMaxLabelChars});
  }
  if (!has_english) {
    v.Add(labels_field, "must include an English (en) label");
  }
  std::stable_sort(skill.mutable_labels()->begin(),
                   skill.mutable_labels()->end(),
                   [](const Skill::Label& a, const Skill::Label& b) {
                     return LanguageRank(a.language_code()) <
                            LanguageRank(b.language_code());
                   });

  const std::string alt_field = absl::StrCat(field, ".alternative_labels");
  std::vector<std::string> alternatives;
  for (int i = 0; i < skill.alternative_labels_size(); ++i) {
    std::string text = Trimmed(skill.alternative_labels(i));
    checks::CheckText(v, absl::StrCat(alt_field, "[", i, "]"), text,
                      {1, Skills::kMaxLabelChars});
    if (std::find(alternatives.begin(), alternatives.end(), text) ==
        alternatives.end()) {
      alternatives.push_back(std::move(text));
    }
  }
  checks::CheckCount(v, alt_field, static_cast<int>(alternatives.size()),
                     Skills::kMaxAlternativeLabels);
  skill.clear_alternative_labels();
  for (std::string& text : alternatives) {
    skill.add_alternative_labels(std::move(text));
  }

  skill.set_group(Trimmed(skill.group()));
  checks::CheckText(v, absl::StrCat(field, ".group"), skill.group(),
                    {0, Skills::kMaxGroupChars});
  skill.set_code(Trimmed(skill.code()));
  checks::CheckText(v, absl::StrCat(field, ".code"), skill.code(),
                    {0, Skills::kMaxCodeChars});
  checks::CheckText(v, absl::StrCat(field, ".description"), skill.description(),
                    {0, Skills::kMaxDescriptionChars, /*multiline=*/true});
}

}  // namespace

const std::string& LabelIn(const Skill& skill,
                           absl::string_view language_code) {
  static const std::string* const kEmpty = new std::string();
  const std::string* english = kEmpty;
  for (const Skill::Label& label : skill.labels()) {
    if (label.language_code() == language_code) return label.text();
    if (label.language_code() == "en") english = &label.text();
  }
  return *english;
}

std::vector<std::string> SkillSearchWords(absl::string_view query) {
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    if (!word.empty() &&
        std::find(words.begin(), words.end(), word) == words.end()) {
      words.push_back(word);
    }
    word.clear();
  };
  for (char c : query) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80 || absl::ascii_isalnum(c) || c == '_') {
      word.push_back(c);
    } else {
      flush();
    }
  }
  flush();
  return words;
}

Skills::Skills(SkillRepository& repository, DirectoryLookup& directory,
               const Clock& clock, const PageTokenCodec& page_tokens)
    : repository_(repository),
      directory_(directory),
      clock_(clock),
      page_tokens_(page_tokens) {}

absl::StatusOr<Skill> Skills::CreateSkill(const RequestContext& ctx,
                                          const v1::CreateSkillRequest& req) {
  Skill skill = req.skill();
  ClearOutputOnlyFields(skill);
  FieldViolations v;
  if (!req.has_skill()) {
    v.Add("skill", "is required");
  } else if (skill.framework() == Skill::FRAMEWORK_UNSPECIFIED) {
    v.Add("skill.framework", "is required (CUSTOM)");
  } else if (skill.framework() != Skill::CUSTOM) {
    v.Add("skill.framework",
          absl::StrCat(
              "must be CUSTOM: ", Skill::Framework_Name(skill.framework()),
              " skills come from their framework (ImportSkills)"));
  }
  std::string org_id;
  if (skill.organisation().empty()) {
    v.Add("skill.organisation",
          "is required: a custom skill belongs to an organisation");
  } else {
    checks::CheckOptionalName(v, "skill.organisation", skill.organisation(),
                              names::kOrganisations);
    org_id = LastSegment(skill.organisation());
  }
  NormalizeAndCheckSkill(skill, "skill", v);
  CheckClientChosenId("skill_id", req.skill_id(), v);
  const std::optional<IdempotencyKey> key =
      IdempotencyKeyFor("CreateSkill", ctx, req, v);
  CAREERS_RETURN_IF_ERROR(v.ToStatus());
  CAREERS_ASSIGN_OR_RETURN(bool org_exists,
                           directory_.OrganisationExists(ctx, org_id));
  if (!org_exists) {
    return errors::InvalidField(
        "skill.organisation",
        absl::StrCat(skill.organisation(), " does not exist"));
  }
  const absl::Time now = clock_.Now();
  const std::string id =
      req.skill_id().empty() ? NewResourceId(now) : req.skill_id();
  skill.set_name(names::Name(kSkills, id));
  *skill.mutable_create_time() = ToProtoTimestamp(now);
  *skill.mutable_update_time() = ToProtoTimestamp(now);
  return repository_.CreateSkill(ctx, id, skill, KeyPtr(key));
}

absl::StatusOr<Skill> Skills::GetSkill(const RequestContext& ctx,
                                       const v1::GetSkillRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(std::string id,
                           names::ParseName("name", req.name(), kSkills));
  return repository_.GetSkill(ctx, id);
}

absl::StatusOr<v1::ListSkillsResponse> Skills::ListSkills(
    const RequestContext& ctx, const v1::ListSkillsRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      const int page_size,
      ResolvePageSize(req.page_size(), kDefaultPageSize, kMaxPageSize));
  CAREERS_ASSIGN_OR_RETURN(
      std::vector<FilterTerm> terms,
      ParseFilter(req.filter(), {"framework", "group", "organisation"}));
  SkillQuery query;
  query.limit = page_size;
  FieldViolations v;
  for (const FilterTerm& term : terms) {
    if (term.field == "framework") {
      if (std::optional<int> value =
              EnumFilterValue(term, Skill::Framework_descriptor(), v)) {
        query.framework = static_cast<Skill::Framework>(*value);
      }
    } else if (term.field == "group") {
      query.group = term.value;
    } else {
      query.organisation_id = NameFilterValue(term, names::kOrganisations, v);
    }
  }
  if (!req.query().empty()) {
    const size_t errors_before = v.size();
    checks::CheckText(v, "query", req.query(), {1, kMaxQueryChars});
    const std::optional<size_t> length = Utf8Length(req.query());
    if (v.size() == errors_before && length && *length < kMinQueryChars) {
      v.Add("query",
            absl::StrCat("must be at least ", kMinQueryChars, " characters"));
    }
    if (v.size() == errors_before) {
      query.words = SkillSearchWords(req.query());
      if (query.words.empty()) {
        v.Add("query", "must contain a letter or a digit");
      }
    }
  }
  if (!req.language_code().empty()) {
    query.language_code = absl::AsciiStrToLower(req.language_code());
    if (LanguageRank(query.language_code) < 0) {
      v.Add("language_code",
            absl::StrCat("\"", req.language_code(),
                         "\" is not a label language; use en, cy or gd"));
    }
  }
  CAREERS_RETURN_IF_ERROR(v.ToStatus());
  const absl::Time now = clock_.Now();
  const std::string digest = PageTokenCodec::QueryDigest(
      {"ListSkills", req.filter(), req.query(), query.language_code});
  if (!req.page_token().empty()) {
    CAREERS_ASSIGN_OR_RETURN(
        std::vector<std::string> key,
        page_tokens_.Decode(req.page_token(), digest, now));
    if (key.size() != 2) {
      return errors::InvalidField("page_token", "is not a valid page token");
    }
    query.after = NameCursor{key[0], key[1]};
  }
  CAREERS_ASSIGN_OR_RETURN(Page<Skill> page,
                           repository_.ListSkills(ctx, query));
  v1::ListSkillsResponse resp;
  for (Skill& skill : page.items) *resp.add_skills() = std::move(skill);
  if (page.has_more && resp.skills_size() > 0) {
    const Skill& last = *resp.skills().rbegin();
    resp.set_next_page_token(page_tokens_.Encode(
        digest, {LabelIn(last, query.language_code), LastSegment(last.name())},
        now));
  }
  return resp;
}

absl::StatusOr<v1::ImportSkillsResponse> Skills::ImportSkills(
    const RequestContext& ctx, const v1::ImportSkillsRequest& req) {
  FieldViolations v;
  if (req.skills_size() == 0) {
    v.Add("skills", "must hold at least one skill");
  }
  checks::CheckCount(v, "skills", req.skills_size(), kMaxImportSkills);
  CAREERS_RETURN_IF_ERROR(v.ToStatus());

  std::vector<Skill> skills;
  skills.reserve(req.skills_size());
  std::map<std::string, int> ids;  // id → index
  for (int i = 0; i < req.skills_size(); ++i) {
    const std::string field = absl::StrCat("skills[", i, "]");
    Skill skill = req.skills(i);
    const std::string name = skill.name();
    ClearOutputOnlyFields(skill);
    absl::StatusOr<std::string> id =
        names::ParseName(absl::StrCat(field, ".name"), name, kSkills);
    if (name.empty()) {
      v.Add(absl::StrCat(field, ".name"), "is required (skills/{id})");
    } else if (!id.ok()) {
      v.Add(absl::StrCat(field, ".name"),
            absl::StrCat("\"", name,
                         "\" is not a skill name (skills/{id}, the id 1-63 "
                         "of a-z, 0-9 and -)"));
    } else if (auto [it, inserted] = ids.emplace(*id, i); !inserted) {
      v.Add(absl::StrCat(field, ".name"),
            absl::StrCat("repeats skills[", it->second, "]"));
    }
    if (skill.framework() == Skill::FRAMEWORK_UNSPECIFIED) {
      v.Add(absl::StrCat(field, ".framework"), "is required");
    } else if (skill.framework() == Skill::CUSTOM) {
      v.Add(absl::StrCat(field, ".framework"),
            "must not be CUSTOM: custom skills are added with CreateSkill");
    } else if (skill.framework() != req.skills(0).framework()) {
      v.Add(
          absl::StrCat(field, ".framework"),
          absl::StrCat("must be the same for every skill of an import "
                       "(skills[0] is ",
                       Skill::Framework_Name(req.skills(0).framework()), ")"));
    }
    if (!skill.organisation().empty()) {
      v.Add(absl::StrCat(field, ".organisation"),
            "must be empty: only CUSTOM skills belong to an organisation");
    }
    NormalizeAndCheckSkill(skill, field, v);
    if (id.ok()) skill.set_name(names::Name(kSkills, *id));
    skills.push_back(std::move(skill));
  }
  CAREERS_RETURN_IF_ERROR(v.ToStatus());
  CAREERS_ASSIGN_OR_RETURN(SkillImportCounts counts,
                           repository_.ImportSkills(ctx, skills, clock_.Now()));
  v1::ImportSkillsResponse resp;
  resp.set_created_count(counts.created);
  resp.set_updated_count(counts.updated);
  resp.set_unchanged_count(counts.unchanged);
  return resp;
}

}  // namespace careers::domain
