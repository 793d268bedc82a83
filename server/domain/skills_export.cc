#include "server/domain/skills_export.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "nlohmann/json.hpp"
#include "server/common/crypto.h"

namespace careers::domain::skills_export {
namespace {

// Keys keep the order they are added in, so documents read naturally
// (basics first, id first) and are the same bytes for the same input.
using Json = nlohmann::ordered_json;

constexpr char kJsonResumeSchema[] =
    "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/"
    "schema.json";
constexpr char kVerbExperienced[] =
    "http://adlnet.gov/expapi/verbs/experienced";
constexpr char kVerbCompleted[] = "http://adlnet.gov/expapi/verbs/completed";
constexpr char kActivityTypeCourse[] =
    "http://adlnet.gov/expapi/activities/course";
// Verb display and other text of our own is British English.
constexpr char kOwnLanguage[] = "en-GB";

// RFC 4122 Appendix C: NameSpace_URL, 6ba7b811-9dad-11d1-80b4-00c04fd430c8.
constexpr unsigned char kUrlNamespace[16] = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad,
                                             0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0,
                                             0x4f, 0xd4, 0x30, 0xc8};

// Serialises without throwing: text that is not valid UTF-8 (the server
// stores valid UTF-8, so this is defence only) gets U+FFFD.
std::string Dump(const Json& doc) {
  return doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

// The last segment of a resource name ("profiles/p/experiences/e" → "e").
std::string LastSegment(absl::string_view name) {
  const size_t slash = name.rfind('/');
  return std::string(slash == absl::string_view::npos ? name
                                                      : name.substr(slash + 1));
}

bool HasDate(const google::type::Date& date) { return date.year() > 0; }

// "2025-06-30"; "2025-06" or "2025" for a date without day or month (the
// JSON Resume iso8601 pattern allows both).
std::string DateString(const google::type::Date& date) {
  if (date.month() == 0) return absl::StrFormat("%04d", date.year());
  if (date.day() == 0) {
    return absl::StrFormat("%04d-%02d", date.year(), date.month());
  }
  return absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(),
                         date.day());
}

// The first day a (possibly partial) date covers.
absl::CivilDay FirstDay(const google::type::Date& date) {
  return absl::CivilDay(date.year(), std::max(date.month(), 1),
                        std::max(date.day(), 1));
}

// Ended: an end date on or before the day of `now` (UTC).
bool Ended(const v1::Experience& e, absl::Time now) {
  if (!HasDate(e.end_date())) return false;
  if (now == absl::InfiniteFuture()) return true;
  return FirstDay(e.end_date()) <= absl::ToCivilDay(now, absl::UTCTimeZone());
}

// Loosely an RFC 5646 language tag ("en", "cy", "en-GB"): letters and
// digits in subtags of 1-8 separated by '-'. Language-map keys must be tags.
bool LooksLikeLanguageTag(absl::string_view code) {
  if (code.size() < 2 || code.size() > 35) return false;
  if (!absl::ascii_isalpha(static_cast<unsigned char>(code.front()))) {
    return false;
  }
  size_t subtag = 0;
  for (const char c : code) {
    if (c == '-') {
      if (subtag == 0) return false;
      subtag = 0;
    } else if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
               ++subtag > 8) {
      return false;
    }
  }
  return subtag > 0;
}

// The profile's preferred language if it looks like a language tag, else
// "en": the language the person's own text is taken to be in.
std::string PersonLanguage(const v1::Profile& profile) {
  const std::string& code = profile.preferred_language_code();
  return LooksLikeLanguageTag(code) ? code : "en";
}

std::string DisplayName(const v1::Profile& profile) {
  const std::string& first = profile.preferred_name().empty()
                                 ? profile.given_name()
                                 : profile.preferred_name();
  if (first.empty()) return profile.family_name();
  if (profile.family_name().empty()) return first;
  return absl::StrCat(first, " ", profile.family_name());
}

// A skill's label in `language`, else English, else its first, else its id.
std::string SkillLabel(const Record& record, const std::string& skill_name,
                       const std::string& language) {
  const auto it = record.skills.find(skill_name);
  if (it != record.skills.end()) {
    const v1::Skill& skill = it->second;
    for (const std::string& want : {language, std::string("en")}) {
      for (const auto& label : skill.labels()) {
        if (label.language_code() == want && !label.text().empty()) {
          return label.text();
        }
      }
    }
    for (const auto& label : skill.labels()) {
      if (!label.text().empty()) return label.text();
    }
  }
  return LastSegment(skill_name);
}

std::vector<const v1::Experience*> Exported(const Record& record) {
  std::vector<const v1::Experience*> out;
  for (const v1::Experience& e : record.experiences) {
    if (e.state() != v1::Experience::VOIDED) out.push_back(&e);
  }
  return out;
}

// Sets `key` only when `value` is not empty: JSON Resume and xAPI both
// read better without empty strings.
void SetIfNotEmpty(Json& obj, const char* key, const std::string& value) {
  if (!value.empty()) obj[key] = value;
}

void SetDates(Json& obj, const v1::Experience& e) {
  if (HasDate(e.start_date())) obj["startDate"] = DateString(e.start_date());
  if (HasDate(e.end_date())) obj["endDate"] = DateString(e.end_date());
}

Json SkillLabels(const Record& record, const v1::Experience& e,
                 const std::string& language) {
  Json labels = Json::array();
  for (const v1::SkillClaim& claim : e.skills()) {
    labels.push_back(SkillLabel(record, claim.skill(), language));
  }
  return labels;
}

const char* LevelWord(int level) {
  switch (level) {
    case 1:
      return "Beginner";
    case 2:
      return "Developing";
    case 3:
      return "Competent";
    case 4:
      return "Advanced";
    default:
      return "";
  }
}

// --- xAPI ---------------------------------------------------------------

// RFC 4122 4.3: version 5 (SHA-1) name-based UUID in the URL namespace.
std::string UuidV5(absl::string_view name) {
  std::string input(reinterpret_cast<const char*>(kUrlNamespace),
                    sizeof(kUrlNamespace));
  input.append(name.data(), name.size());
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  EVP_Digest(input.data(), input.size(), digest, &digest_size, EVP_sha1(),
             nullptr);
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0f) | 0x50);
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3f) | 0x80);
  const std::string hex =
      HexEncode(absl::string_view(reinterpret_cast<const char*>(digest), 16));
  return absl::StrCat(hex.substr(0, 8), "-", hex.substr(8, 4), "-",
                      hex.substr(12, 4), "-", hex.substr(16, 4), "-",
                      hex.substr(20, 12));
}

// ISO 8601 duration of `hours`, to the nearest second: 7.5 → "PT7H30M".
// Hours are not carried into days (a day of an experience is not 24 of
// its hours). Empty for no time.
std::string Duration(double hours) {
  if (!(hours > 0) || !std::isfinite(hours)) return "";
  const int64_t total = static_cast<int64_t>(std::llround(hours * 3600));
  if (total <= 0) return "";
  const int64_t h = total / 3600;
  const int64_t m = total % 3600 / 60;
  const int64_t s = total % 60;
  std::string out = "PT";
  if (h > 0) absl::StrAppend(&out, h, "H");
  if (m > 0) absl::StrAppend(&out, m, "M");
  if (s > 0) absl::StrAppend(&out, s, "S");
  return out;
}

const char* KindSlug(v1::ExperienceKind kind) {
  switch (kind) {
    case v1::WORK_EXPERIENCE:
      return "work-experience";
    case v1::VOLUNTEERING:
      return "volunteering";
    case v1::PART_TIME_JOB:
      return "part-time-job";
    case v1::COURSE:
      return "course";
    case v1::PROJECT:
      return "project";
    case v1::AWARD:
      return "award";
    case v1::SCHOOL_ACTIVITY:
      return "school-activity";
    case v1::APPRENTICESHIP:
      return "apprenticeship";
    default:
      return "experience";
  }
}

const char* SourceWord(v1::SkillSource source) {
  switch (source) {
    case v1::SELF:
      return "self";
    case v1::ADVISER:
      return "adviser";
    case v1::EMPLOYER:
      return "employer";
    default:
      return "";
  }
}

const char* FrameworkWord(v1::Skill::Framework framework) {
  switch (framework) {
    case v1::Skill::SDS_META_SKILLS:
      return "sds-meta-skills";
    case v1::Skill::ESCO:
      return "esco";
    case v1::Skill::CUSTOM:
      return "custom";
    default:
      return "";
  }
}

// 2.4.2.3: the domain of an email address is case-insensitive; lower case
// is what 2.2 asks for such data.
std::string Mailto(const std::string& email) {
  const size_t at = email.rfind('@');
  if (at == std::string::npos) return absl::StrCat("mailto:", email);
  return absl::StrCat("mailto:", email.substr(0, at),
                      absl::AsciiStrToLower(email.substr(at)));
}

std::optional<Json> Authority(const Record& record, const v1::Experience& e,
                              const std::string& home) {
  if (e.state() != v1::Experience::VERIFIED || e.verified_by().empty()) {
    return std::nullopt;
  }
  const auto it = record.attestations.find(e.verified_by());
  if (it == record.attestations.end() ||
      it->second.state() != v1::Attestation::VERIFIED) {
    return std::nullopt;
  }
  const v1::Attestation& a = it->second;
  Json agent;
  agent["objectType"] = "Agent";
  if (a.has_referee()) {
    if (a.referee().email().empty()) return std::nullopt;
    SetIfNotEmpty(agent, "name", a.referee().display_name());
    agent["mbox"] = Mailto(a.referee().email());
  } else if (!a.adviser().empty()) {
    agent["account"] = {{"homePage", home}, {"name", a.adviser()}};
  } else {
    return std::nullopt;
  }
  return agent;
}

std::string Timestamp(const v1::Experience& e, absl::Time now) {
  const google::type::Date& date =
      HasDate(e.end_date()) ? e.end_date() : e.start_date();
  absl::Time t = absl::FromCivil(FirstDay(date), absl::UTCTimeZone());
  if (now < t) t = now;
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", t, absl::UTCTimeZone());
}

Json SkillsExtension(const Record& record, const v1::Experience& e) {
  Json skills = Json::array();
  for (const v1::SkillClaim& claim : e.skills()) {
    Json entry;
    entry["skill"] = claim.skill();
    Json labels = Json::object();
    const auto it = record.skills.find(claim.skill());
    if (it != record.skills.end()) {
      for (const auto& label : it->second.labels()) {
        if (LooksLikeLanguageTag(label.language_code()) &&
            !label.text().empty()) {
          labels[label.language_code()] = label.text();
        }
      }
    }
    if (labels.empty()) labels["en"] = LastSegment(claim.skill());
    entry["label"] = std::move(labels);
    entry["level"] = claim.level();
    SetIfNotEmpty(entry, "source", SourceWord(claim.source()));
    if (it != record.skills.end()) {
      SetIfNotEmpty(entry, "framework", FrameworkWord(it->second.framework()));
      SetIfNotEmpty(entry, "code", it->second.code());
    }
    skills.push_back(std::move(entry));
  }
  return skills;
}

Json Statement(const Record& record, const v1::Experience& e,
               const std::string& home, const std::string& profile_id,
               const Json& actor, const std::string& language) {
  const bool ended = Ended(e, record.now);
  const bool completed =
      ended && (e.kind() == v1::COURSE || e.kind() == v1::AWARD);

  Json statement;
  statement["id"] = UuidV5(absl::StrCat(home, "/", e.name()));
  statement["actor"] = actor;
  statement["verb"] = {
      {"id", completed ? kVerbCompleted : kVerbExperienced},
      {"display", {{kOwnLanguage, completed ? "completed" : "experienced"}}}};

  Json definition;
  definition["name"] = {{language, e.title()}};
  if (!e.reflection().empty()) {
    definition["description"] = {{language, e.reflection()}};
  }
  definition["type"] =
      e.kind() == v1::COURSE
          ? std::string(kActivityTypeCourse)
          : absl::StrCat(home, "/xapi/activity-types/", KindSlug(e.kind()));
  statement["object"] = {
      {"objectType", "Activity"},
      {"id", absl::StrCat(home, "/xapi/activities/experiences/", profile_id,
                          "/", LastSegment(e.name()))},
      {"definition", std::move(definition)}};

  Json result;
  result["completion"] = ended;
  SetIfNotEmpty(result, "duration", Duration(e.hours()));
  statement["result"] = std::move(result);

  Json extensions;
  if (e.skills_size() > 0) {
    extensions[absl::StrCat(home, "/xapi/extensions/skills")] =
        SkillsExtension(record, e);
  }
  if (!e.organisation_name().empty()) {
    extensions[absl::StrCat(home, "/xapi/extensions/organisation")] =
        e.organisation_name();
  }
  if (e.evidence_size() > 0) {
    Json evidence = Json::array();
    for (const v1::Evidence& item : e.evidence()) {
      Json entry;
      entry["uri"] = item.uri();
      SetIfNotEmpty(entry, "contentType", item.content_type());
      SetIfNotEmpty(entry, "sha256", item.sha256());
      evidence.push_back(std::move(entry));
    }
    extensions[absl::StrCat(home, "/xapi/extensions/evidence")] =
        std::move(evidence);
  }
  if (!extensions.empty()) {
    statement["context"] = {{"extensions", std::move(extensions)}};
  }

  statement["timestamp"] = Timestamp(e, record.now);
  if (std::optional<Json> authority = Authority(record, e, home)) {
    statement["authority"] = std::move(*authority);
  }
  return statement;
}

}  // namespace

std::string ToJsonResume(const Record& record) {
  const std::string language = PersonLanguage(record.profile);
  Json doc;
  doc["$schema"] = kJsonResumeSchema;

  Json basics;
  SetIfNotEmpty(basics, "name", DisplayName(record.profile));
  SetIfNotEmpty(basics, "email", record.profile.contact().email());
  SetIfNotEmpty(basics, "phone", record.profile.contact().phone());
  if (!basics.empty()) doc["basics"] = std::move(basics);

  Json work = Json::array();
  Json volunteer = Json::array();
  Json education = Json::array();
  Json awards = Json::array();
  Json projects = Json::array();

  // Skills in order of first appearance, each with its highest level and
  // the titles of the experiences that showed it (each title once).
  struct SkillEntry {
    std::string name;
    int level = 0;
    std::vector<std::string> titles;
  };
  std::vector<SkillEntry> skills;

  for (const v1::Experience* e : Exported(record)) {
    Json entry;
    switch (e->kind()) {
      case v1::WORK_EXPERIENCE:
      case v1::PART_TIME_JOB:
      case v1::APPRENTICESHIP:
      case v1::VOLUNTEERING: {
        const bool volunteering = e->kind() == v1::VOLUNTEERING;
        SetIfNotEmpty(entry, volunteering ? "organization" : "name",
                      e->organisation_name());
        entry["position"] = e->title();
        SetDates(entry, *e);
        SetIfNotEmpty(entry, "summary", e->reflection());
        if (e->skills_size() > 0) {
          entry["highlights"] = SkillLabels(record, *e, language);
        }
        (volunteering ? volunteer : work).push_back(std::move(entry));
        break;
      }
      case v1::COURSE:
        SetIfNotEmpty(entry, "institution", e->organisation_name());
        entry["area"] = e->title();
        entry["studyType"] = "Course";
        SetDates(entry, *e);
        education.push_back(std::move(entry));
        break;
      case v1::AWARD:
        entry["title"] = e->title();
        if (HasDate(e->end_date()) || HasDate(e->start_date())) {
          entry["date"] = DateString(HasDate(e->end_date()) ? e->end_date()
                                                            : e->start_date());
        }
        SetIfNotEmpty(entry, "awarder", e->organisation_name());
        SetIfNotEmpty(entry, "summary", e->reflection());
        awards.push_back(std::move(entry));
        break;
      default:  // PROJECT, SCHOOL_ACTIVITY
        entry["name"] = e->title();
        SetIfNotEmpty(entry, "description", e->reflection());
        if (e->skills_size() > 0) {
          entry["keywords"] = SkillLabels(record, *e, language);
        }
        SetDates(entry, *e);
        SetIfNotEmpty(entry, "entity", e->organisation_name());
        entry["type"] =
            e->kind() == v1::SCHOOL_ACTIVITY ? "School activity" : "Project";
        projects.push_back(std::move(entry));
        break;
    }

    for (const v1::SkillClaim& claim : e->skills()) {
      auto it = std::find_if(
          skills.begin(), skills.end(),
          [&](const SkillEntry& s) { return s.name == claim.skill(); });
      if (it == skills.end()) {
        skills.push_back({claim.skill(), 0, {}});
        it = std::prev(skills.end());
      }
      it->level = std::max(it->level, claim.level());
      if (std::find(it->titles.begin(), it->titles.end(), e->title()) ==
          it->titles.end()) {
        it->titles.push_back(e->title());
      }
    }
  }

  if (!work.empty()) doc["work"] = std::move(work);
  if (!volunteer.empty()) doc["volunteer"] = std::move(volunteer);
  if (!education.empty()) doc["education"] = std::move(education);
  if (!awards.empty()) doc["awards"] = std::move(awards);
  if (!projects.empty()) doc["projects"] = std::move(projects);
  if (!skills.empty()) {
    Json out = Json::array();
    for (const SkillEntry& s : skills) {
      Json entry;
      entry["name"] = SkillLabel(record, s.name, language);
      SetIfNotEmpty(entry, "level", LevelWord(s.level));
      entry["keywords"] = s.titles;
      out.push_back(std::move(entry));
    }
    doc["skills"] = std::move(out);
  }
  return Dump(doc);
}

std::string ToXapiStatements(const Record& record) {
  const std::string home(absl::StripSuffix(record.service_home_page, "/"));
  const std::string profile_id = LastSegment(record.profile.name());
  const std::string language = PersonLanguage(record.profile);

  Json actor;
  actor["objectType"] = "Agent";
  SetIfNotEmpty(actor, "name", DisplayName(record.profile));
  actor["account"] = {{"homePage", home}, {"name", profile_id}};

  Json statements = Json::array();
  for (const v1::Experience* e : Exported(record)) {
    statements.push_back(
        Statement(record, *e, home, profile_id, actor, language));
  }
  return Dump(statements);
}

}  // namespace careers::domain::skills_export
