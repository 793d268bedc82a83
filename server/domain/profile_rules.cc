#include "server/domain/profile_rules.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "server/common/proto_time.h"
#include "server/common/utf8.h"
#include "server/domain/field_checks.h"
#include "server/domain/resource_names.h"

namespace careers::rules {
namespace {

using checks::CheckCount;
using checks::CheckDate;
using checks::CheckEnum;
using checks::CheckOptionalName;
using checks::CheckText;
using checks::TextLimits;

constexpr TextLimits kName{1, 100};
constexpr TextLimits kOptionalName{0, 100};
constexpr TextLimits kTitle{1, 200};
constexpr TextLimits kOptionalTitle{0, 200};
constexpr TextLimits kDescription{0, 2000, true};

std::string Path(absl::string_view prefix, absl::string_view field) {
  return prefix.empty() ? std::string(field) : absl::StrCat(prefix, ".", field);
}

std::string Indexed(absl::string_view prefix, absl::string_view field, int i) {
  return absl::StrCat(Path(prefix, field), "[", i, "]");
}

void Trim(std::string* s) {
  const absl::string_view t = TrimAsciiWhitespace(*s);
  if (t.size() != s->size()) *s = std::string(t);
}

// An optional end date is not before its start date.
void CheckDateRange(errors::FieldViolations& v, absl::string_view prefix,
                    const google::type::Date* start, bool start_required,
                    const google::type::Date* end) {
  const auto start_day =
      CheckDate(v, Path(prefix, "start_date"), start, start_required);
  const auto end_day = CheckDate(v, Path(prefix, "end_date"), end, false);
  if (start_day && end_day && *end_day < *start_day) {
    v.Add(Path(prefix, "end_date"), "must not be before start_date");
  }
}

void CheckContact(v1::ContactDetails& c, absl::string_view prefix,
                  errors::FieldViolations& v) {
  Trim(c.mutable_email());
  if (!c.email().empty()) {
    CheckText(v, Path(prefix, "email"), c.email(), {0, 254});
    if (!checks::IsValidEmail(c.email())) {
      v.Add(Path(prefix, "email"), "is not a valid email address");
    }
  }
  if (!c.phone().empty()) {
    if (auto phone = checks::NormalizeUkPhone(c.phone())) {
      c.set_phone(*phone);
    } else {
      v.Add(Path(prefix, "phone"),
            "is not a UK phone number (e.g. 07700 900123 or +44 7700 900123)");
    }
  }
  if (c.has_address()) {
    checks::NormalizeAndCheckPostalAddress(v, Path(prefix, "address"),
                                           *c.mutable_address());
  }
}

void CheckQualification(v1::Qualification& q, absl::string_view prefix,
                        absl::CivilDay today, errors::FieldViolations& v) {
  Trim(q.mutable_title());
  CheckText(v, Path(prefix, "title"), q.title(), kTitle);
  CheckText(v, Path(prefix, "subject"), q.subject(), kOptionalName);
  CheckText(v, Path(prefix, "grade"), q.grade(), {0, 20});
  CheckText(v, Path(prefix, "awarding_body"), q.awarding_body(), kOptionalName);
  CheckEnum(v, Path(prefix, "framework"),
            v1::Qualification::Framework_descriptor(), q.framework(), true);
  if (q.framework() == v1::Qualification::SCQF &&
      (q.level() < 1 || q.level() > 12)) {
    v.Add(Path(prefix, "level"), "must be an SCQF level from 1 to 12");
  } else if (q.framework() == v1::Qualification::CQFW &&
             (q.level() < 0 || q.level() > 8)) {
    v.Add(Path(prefix, "level"), "must be a CQFW level from 0 (Entry) to 8");
  }
  CheckEnum(v, Path(prefix, "status"), v1::Qualification::Status_descriptor(),
            q.status(), true);
  if (q.has_award_date()) {
    const auto day =
        CheckDate(v, Path(prefix, "award_date"), &q.award_date(), false);
    if (q.status() != v1::Qualification::ACHIEVED) {
      v.Add(Path(prefix, "award_date"), "is only for ACHIEVED qualifications");
    } else if (day && *day > today) {
      v.Add(Path(prefix, "award_date"), "must not be in the future");
    }
  }
}

}  // namespace

std::string NormalizeSchoolStage(absl::string_view stage) {
  std::string s = absl::AsciiStrToLower(TrimAsciiWhitespace(stage));
  int n = 0;
  if (s.size() == 2 && (s[0] == 's' || s[0] == 'p') &&
      absl::SimpleAtoi(s.substr(1), &n)) {
    if (s[0] == 's' && n >= 1 && n <= 6) return absl::StrCat("S", n);
    if (s[0] == 'p' && (n == 6 || n == 7)) return absl::StrCat("P", n);
    return "";
  }
  if (s.rfind("year", 0) == 0 &&
      absl::SimpleAtoi(TrimAsciiWhitespace(absl::string_view(s).substr(4)),
                       &n) &&
      n >= 6 && n <= 14) {
    return absl::StrCat("Year ", n);
  }
  return "";
}

void NormalizeAndCheckProfile(v1::Profile& p, absl::CivilDay today,
                              absl::string_view prefix,
                              errors::FieldViolations& v) {
  Trim(p.mutable_given_name());
  Trim(p.mutable_family_name());
  Trim(p.mutable_preferred_name());
  CheckText(v, Path(prefix, "given_name"), p.given_name(), kName);
  CheckText(v, Path(prefix, "family_name"), p.family_name(), kName);
  CheckText(v, Path(prefix, "preferred_name"), p.preferred_name(),
            kOptionalName);

  const auto birth =
      CheckDate(v, Path(prefix, "birth_date"),
                p.has_birth_date() ? &p.birth_date() : nullptr, true);
  if (birth) {
    if (*birth > today) {
      v.Add(Path(prefix, "birth_date"), "must not be in the future");
    } else if (const int age = YearsBetween(*birth, today);
               age < kMinAgeYears) {
      v.Add(Path(prefix, "birth_date"),
            absl::StrCat("the person must be at least ", kMinAgeYears,
                         " years old (they are ", age, ")"));
    } else if (age > kMaxAgeYears) {
      v.Add(Path(prefix, "birth_date"),
            absl::StrCat("the person must be at most ", kMaxAgeYears,
                         " years old (this date makes them ", age, ")"));
    }
  }

  if (p.has_contact())
    CheckContact(*p.mutable_contact(), Path(prefix, "contact"), v);

  std::string language =
      absl::AsciiStrToLower(TrimAsciiWhitespace(p.preferred_language_code()));
  if (language.empty()) language = "en";
  if (language != "en" && language != "cy" && language != "gd") {
    v.Add(Path(prefix, "preferred_language_code"),
          "must be \"en\", \"cy\" or \"gd\"");
  } else {
    p.set_preferred_language_code(language);
  }

  CheckEnum(v, Path(prefix, "life_stage"), v1::Profile::LifeStage_descriptor(),
            p.life_stage(), true);
  if (!p.school_stage().empty()) {
    const std::string stage = NormalizeSchoolStage(p.school_stage());
    if (stage.empty()) {
      v.Add(Path(prefix, "school_stage"),
            "must be P6, P7, S1 to S6, or Year 6 to Year 14");
    } else if (p.life_stage() != v1::Profile::SCHOOL) {
      v.Add(Path(prefix, "school_stage"),
            "is only for people whose life_stage is SCHOOL");
    } else {
      p.set_school_stage(stage);
    }
  }

  if (p.support_level() == v1::Profile::SUPPORT_LEVEL_UNSPECIFIED) {
    p.set_support_level(v1::Profile::UNIVERSAL);
  }
  CheckEnum(v, Path(prefix, "support_level"),
            v1::Profile::SupportLevel_descriptor(), p.support_level(), true);
  CheckOptionalName(v, Path(prefix, "home_organisation"), p.home_organisation(),
                    names::kOrganisations);

  CheckCount(v, Path(prefix, "education"), p.education_size(), 30);
  for (int i = 0; i < p.education_size(); ++i) {
    v1::EducationEntry& e = *p.mutable_education(i);
    const std::string at = Indexed(prefix, "education", i);
    Trim(e.mutable_institution());
    CheckText(v, Path(at, "institution"), e.institution(), kTitle);
    CheckText(v, Path(at, "course"), e.course(), kOptionalTitle);
    CheckOptionalName(v, Path(at, "organisation"), e.organisation(),
                      names::kOrganisations);
    CheckDateRange(v, at, e.has_start_date() ? &e.start_date() : nullptr, true,
                   e.has_end_date() ? &e.end_date() : nullptr);
  }

  CheckCount(v, Path(prefix, "qualifications"), p.qualifications_size(), 100);
  for (int i = 0; i < p.qualifications_size(); ++i) {
    CheckQualification(*p.mutable_qualifications(i),
                       Indexed(prefix, "qualifications", i), today, v);
  }

  CheckCount(v, Path(prefix, "employment_history"), p.employment_history_size(),
             50);
  for (int i = 0; i < p.employment_history_size(); ++i) {
    v1::EmploymentEntry& e = *p.mutable_employment_history(i);
    const std::string at = Indexed(prefix, "employment_history", i);
    Trim(e.mutable_employer());
    Trim(e.mutable_job_title());
    CheckText(v, Path(at, "employer"), e.employer(), kTitle);
    CheckText(v, Path(at, "job_title"), e.job_title(), kTitle);
    CheckText(v, Path(at, "description"), e.description(), kDescription);
    CheckDateRange(v, at, e.has_start_date() ? &e.start_date() : nullptr, true,
                   e.has_end_date() ? &e.end_date() : nullptr);
    if (e.weekly_hours() < 0 || e.weekly_hours() > 80) {
      v.Add(Path(at, "weekly_hours"), "must be from 0 to 80");
    }
  }

  CheckCount(v, Path(prefix, "career_interests"), p.career_interests_size(),
             20);
  for (int i = 0; i < p.career_interests_size(); ++i) {
    Trim(p.mutable_career_interests(i));
    CheckText(v, Indexed(prefix, "career_interests", i), p.career_interests(i),
              kName);
  }

  CheckCount(v, Path(prefix, "accessibility_needs"),
             p.accessibility_needs_size(), 20);
  for (int i = 0; i < p.accessibility_needs_size(); ++i) {
    v1::AccessibilityNeed& need = *p.mutable_accessibility_needs(i);
    const std::string at = Indexed(prefix, "accessibility_needs", i);
    CheckEnum(v, Path(at, "kind"), v1::AccessibilityNeed::Kind_descriptor(),
              need.kind(), true);
    Trim(need.mutable_detail());
    CheckText(v, Path(at, "detail"), need.detail(), {0, 500, true});
    if (need.kind() == v1::AccessibilityNeed::OTHER && need.detail().empty()) {
      v.Add(Path(at, "detail"), "is required when kind is OTHER");
    }
  }
}

void NormalizeAndCheckGoal(v1::Goal& goal, absl::string_view prefix,
                           errors::FieldViolations& v) {
  Trim(goal.mutable_title());
  CheckText(v, Path(prefix, "title"), goal.title(), kTitle);
  CheckText(v, Path(prefix, "description"), goal.description(), kDescription);
  CheckEnum(v, Path(prefix, "goal_type"), v1::Goal::GoalType_descriptor(),
            goal.goal_type(), true);
  CheckDate(v, Path(prefix, "target_date"),
            goal.has_target_date() ? &goal.target_date() : nullptr, false);
}

void NormalizeAndCheckAction(v1::Action& action, absl::string_view profile_id,
                             absl::string_view prefix,
                             errors::FieldViolations& v) {
  Trim(action.mutable_title());
  CheckText(v, Path(prefix, "title"), action.title(), kTitle);
  CheckText(v, Path(prefix, "description"), action.description(), kDescription);
  if (!action.goal().empty()) {
    auto goal = names::ParseChildName(Path(prefix, "goal"), action.goal(),
                                      names::kProfiles, names::kGoals);
    if (!goal.ok()) {
      v.Add(Path(prefix, "goal"),
            "must be a resource name of the form profiles/{id}/goals/{id}");
    } else if (goal->parent_id != profile_id) {
      v.Add(Path(prefix, "goal"), "must be a goal of the same profile");
    }
  }
  CheckEnum(v, Path(prefix, "owner"), v1::Action::Owner_descriptor(),
            action.owner(), true);
  CheckOptionalName(v, Path(prefix, "owner_adviser"), action.owner_adviser(),
                    names::kAdvisers);
  if (!action.owner_adviser().empty() &&
      action.owner() != v1::Action::ADVISER) {
    v.Add(Path(prefix, "owner_adviser"),
          "is only for actions owned by an ADVISER");
  }
  CheckDate(v, Path(prefix, "due_date"),
            action.has_due_date() ? &action.due_date() : nullptr, false);
  if (action.has_signposted_to()) {
    v1::Signpost& s = *action.mutable_signposted_to();
    const std::string at = Path(prefix, "signposted_to");
    Trim(s.mutable_title());
    Trim(s.mutable_uri());
    CheckText(v, Path(at, "title"), s.title(), kTitle);
    CheckOptionalName(v, Path(at, "organisation"), s.organisation(),
                      names::kOrganisations);
    if (!s.uri().empty() &&
        (s.uri().size() > 2000 || !checks::IsValidHttpUrl(s.uri()))) {
      v.Add(
          Path(at, "uri"),
          "must be an http:// or https:// address of at most 2000 characters");
    }
  }
}

}  // namespace careers::rules
