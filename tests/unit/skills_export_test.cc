#include "server/domain/skills_export.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "tests/support/server_process.h"
#include "tests/support/test_data.h"

namespace careers::domain::skills_export {
namespace {

using careers::testing::Date;
using careers::testing::RunProcess;
using careers::testing::RunResult;
using careers::testing::TestNow;
using nlohmann::json;

constexpr char kHome[] = "https://careers.example";
constexpr char kWelshReflection[] =
    "Dysgais sut i siarad â chwsmeriaid.\n\"Gwaith da\", meddai'r rheolwr.";

v1::Skill MakeSkill(const std::string& name, v1::Skill::Framework framework,
                    const std::string& code, const std::string& en,
                    const std::string& cy) {
  v1::Skill skill;
  skill.set_name(name);
  skill.set_framework(framework);
  skill.set_code(code);
  auto* label = skill.add_labels();
  label->set_language_code("en");
  label->set_text(en);
  if (!cy.empty()) {
    label = skill.add_labels();
    label->set_language_code("cy");
    label->set_text(cy);
  }
  return skill;
}

v1::Experience MakeExperience(const std::string& id, v1::ExperienceKind kind,
                              const std::string& title,
                              const std::string& organisation,
                              google::type::Date start,
                              std::optional<google::type::Date> end,
                              double hours) {
  v1::Experience e;
  e.set_name(absl::StrCat("profiles/p1/experiences/", id));
  e.set_kind(kind);
  e.set_title(title);
  e.set_organisation_name(organisation);
  *e.mutable_start_date() = start;
  if (end) *e.mutable_end_date() = *end;
  e.set_hours(hours);
  e.set_state(v1::Experience::SELF_DECLARED);
  return e;
}

void AddSkill(v1::Experience& e, const std::string& skill, int level,
              v1::SkillSource source) {
  auto* claim = e.add_skills();
  claim->set_skill(skill);
  claim->set_level(level);
  claim->set_source(source);
}

// A Welsh-speaking pupil's record with every kind of experience, open end
// dates, one experience verified by an adviser and one by an outside
// referee, and one voided experience (which the exports must skip).
Record FullRecord() {
  Record r;
  r.service_home_page = kHome;
  r.now = TestNow();  // 2026-11-23 12:00 UTC
  r.profile = careers::testing::ValidProfile("Siân", "Llywelyn");
  r.profile.set_name("profiles/p1");
  r.profile.set_preferred_language_code("cy");
  r.profile.mutable_contact()->set_phone("+447700900123");

  r.skills["skills/sm-communicating"] =
      MakeSkill("skills/sm-communicating", v1::Skill::SDS_META_SKILLS, "SM-COM",
                "Communicating", "Cyfathrebu");
  r.skills["skills/sm-collaborating"] =
      MakeSkill("skills/sm-collaborating", v1::Skill::SDS_META_SKILLS, "SM-COL",
                "Collaborating", "Cydweithio");
  r.skills["skills/esco-spreadsheets"] = MakeSkill(
      "skills/esco-spreadsheets", v1::Skill::ESCO,
      "http://data.europa.eu/esco/skill/1973c966-f236-40c9-b2d4-5d71a89019be",
      "use spreadsheets software", "");

  v1::Experience work = MakeExperience(
      "e-work", v1::WORK_EXPERIENCE, "Work experience at Leith Garage",
      "Leith Garage", Date(2025, 6, 23), Date(2025, 6, 27), 37.5);
  work.set_reflection(kWelshReflection);
  AddSkill(work, "skills/sm-communicating", 3, v1::EMPLOYER);
  auto* evidence = work.add_evidence();
  evidence->set_uri("https://files.example/certificate.pdf");
  evidence->set_content_type("application/pdf");
  evidence->set_sha256(std::string(64, 'a'));
  work.set_state(v1::Experience::VERIFIED);
  work.set_verified_by("profiles/p1/experiences/e-work/attestations/a-ref");
  r.experiences.push_back(work);

  v1::Experience volunteering =
      MakeExperience("e-vol", v1::VOLUNTEERING, "Volunteer at the food bank",
                     "Leith Food Bank", Date(2025, 1, 10), std::nullopt, 7.5);
  AddSkill(volunteering, "skills/sm-collaborating", 2, v1::SELF);
  AddSkill(volunteering, "skills/sm-communicating", 4, v1::SELF);
  r.experiences.push_back(volunteering);

  r.experiences.push_back(MakeExperience("e-job", v1::PART_TIME_JOB,
                                         "Saturday job", "Caffi Cymraeg",
                                         Date(2025, 9, 6), std::nullopt, 120));

  v1::Experience course = MakeExperience(
      "e-course", v1::COURSE, "First aid course", "St John Ambulance",
      Date(2025, 3, 1), Date(2025, 3, 2), 12);
  AddSkill(course, "skills/esco-spreadsheets", 1, v1::ADVISER);
  course.set_state(v1::Experience::VERIFIED);
  course.set_verified_by("profiles/p1/experiences/e-course/attestations/a-adv");
  r.experiences.push_back(course);

  v1::Experience project =
      MakeExperience("e-project", v1::PROJECT, "Eco-school garden", "",
                     Date(2024, 9, 1), Date(2025, 6, 30), 20.25);
  AddSkill(project, "skills/sm-collaborating", 4, v1::SELF);
  r.experiences.push_back(project);

  r.experiences.push_back(MakeExperience(
      "e-award", v1::AWARD, "Duke of Edinburgh's Award (Bronze)",
      "The Duke of Edinburgh's Award", Date(2024, 4, 1), Date(2025, 5, 20), 0));
  r.experiences.push_back(MakeExperience("e-club", v1::SCHOOL_ACTIVITY,
                                         "Debating club", "Leith Academy",
                                         Date(2023, 9, 1), std::nullopt, 0.25));
  r.experiences.push_back(
      MakeExperience("e-app", v1::APPRENTICESHIP, "Foundation Apprenticeship",
                     "Edinburgh College", Date(2025, 8, 18), std::nullopt, 0));

  v1::Experience voided =
      MakeExperience("e-voided", v1::WORK_EXPERIENCE, "Logged twice",
                     "Leith Garage", Date(2025, 6, 23), Date(2025, 6, 27), 1);
  voided.set_state(v1::Experience::VOIDED);
  r.experiences.push_back(voided);

  v1::Attestation referee;
  referee.set_name("profiles/p1/experiences/e-work/attestations/a-ref");
  referee.mutable_referee()->set_display_name("Morag Ross");
  referee.mutable_referee()->set_email("Morag.Ross@LeithGarage.Example");
  referee.set_state(v1::Attestation::VERIFIED);
  r.attestations[referee.name()] = referee;
  v1::Attestation adviser;
  adviser.set_name("profiles/p1/experiences/e-course/attestations/a-adv");
  adviser.set_adviser("advisers/adv-7");
  adviser.set_state(v1::Attestation::VERIFIED);
  r.attestations[adviser.name()] = adviser;
  return r;
}

// The statement about experience `id` in an xAPI export.
json StatementFor(const json& statements, const std::string& id) {
  const std::string suffix = absl::StrCat("/p1/", id);
  for (const json& s : statements) {
    if (absl::EndsWith(s["object"]["id"].get<std::string>(), suffix)) return s;
  }
  ADD_FAILURE() << "no statement for " << id;
  return json::object();
}

// Nulls or empty strings anywhere in `doc`.
void ExpectNoNullsOrEmptyStrings(const json& doc, const std::string& where) {
  if (doc.is_null()) ADD_FAILURE() << "null at " << where;
  if (doc.is_string() && doc.get<std::string>().empty()) {
    ADD_FAILURE() << "empty string at " << where;
  }
  if (doc.is_object()) {
    for (const auto& [key, value] : doc.items()) {
      ExpectNoNullsOrEmptyStrings(value, where + "/" + key);
    }
  }
  if (doc.is_array()) {
    for (size_t i = 0; i < doc.size(); ++i) {
      ExpectNoNullsOrEmptyStrings(doc[i], where + "/" + std::to_string(i));
    }
  }
}

// --- JSON Resume -----------------------------------------------------------

TEST(JsonResumeTest, PutsEachKindInItsSectionAndSkipsVoided) {
  const json doc = json::parse(ToJsonResume(FullRecord()));
  EXPECT_EQ(doc["$schema"],
            "https://raw.githubusercontent.com/jsonresume/resume-schema/"
            "v1.0.0/schema.json");
  ASSERT_EQ(doc["work"].size(), 3u);
  EXPECT_EQ(doc["work"][0]["position"], "Work experience at Leith Garage");
  EXPECT_EQ(doc["work"][0]["name"], "Leith Garage");
  EXPECT_EQ(doc["work"][1]["position"], "Saturday job");
  EXPECT_EQ(doc["work"][2]["position"], "Foundation Apprenticeship");
  ASSERT_EQ(doc["volunteer"].size(), 1u);
  EXPECT_EQ(doc["volunteer"][0]["organization"], "Leith Food Bank");
  EXPECT_EQ(doc["volunteer"][0]["position"], "Volunteer at the food bank");
  ASSERT_EQ(doc["education"].size(), 1u);
  EXPECT_EQ(doc["education"][0]["institution"], "St John Ambulance");
  EXPECT_EQ(doc["education"][0]["area"], "First aid course");
  ASSERT_EQ(doc["awards"].size(), 1u);
  EXPECT_EQ(doc["awards"][0]["title"], "Duke of Edinburgh's Award (Bronze)");
  EXPECT_EQ(doc["awards"][0]["awarder"], "The Duke of Edinburgh's Award");
  EXPECT_EQ(doc["awards"][0]["date"], "2025-05-20");
  ASSERT_EQ(doc["projects"].size(), 2u);
  EXPECT_EQ(doc["projects"][0]["name"], "Eco-school garden");
  EXPECT_EQ(doc["projects"][0]["type"], "Project");
  EXPECT_FALSE(doc["projects"][0].contains("entity"));  // no organisation
  EXPECT_EQ(doc["projects"][1]["name"], "Debating club");
  EXPECT_EQ(doc["projects"][1]["type"], "School activity");
  EXPECT_EQ(doc["projects"][1]["entity"], "Leith Academy");
  EXPECT_EQ(ToJsonResume(FullRecord()).find("Logged twice"), std::string::npos);
}

TEST(JsonResumeTest, BasicsFromTheProfile) {
  Record r = FullRecord();
  json doc = json::parse(ToJsonResume(r));
  EXPECT_EQ(doc["basics"], json::parse(R"({"name": "Siân Llywelyn",
                            "email": "pupil@example.org",
                            "phone": "+447700900123"})"));
  r.profile.set_preferred_name("Sia");
  r.profile.mutable_contact()->clear_phone();
  doc = json::parse(ToJsonResume(r));
  EXPECT_EQ(doc["basics"], json::parse(R"({"name": "Sia Llywelyn",
                                           "email": "pupil@example.org"})"));
}

TEST(JsonResumeTest, DatesAsIsoDaysAndOpenEndsLeftOut) {
  const json doc = json::parse(ToJsonResume(FullRecord()));
  EXPECT_EQ(doc["work"][0]["startDate"], "2025-06-23");
  EXPECT_EQ(doc["work"][0]["endDate"], "2025-06-27");
  EXPECT_EQ(doc["volunteer"][0]["startDate"], "2025-01-10");
  EXPECT_FALSE(doc["volunteer"][0].contains("endDate"));
  EXPECT_FALSE(doc["work"][1].contains("endDate"));
  EXPECT_EQ(doc["education"][0]["endDate"], "2025-03-02");

  Record partial;
  partial.experiences.push_back(
      MakeExperience("e1", v1::PROJECT, "Partial dates", "", Date(2024, 9, 0),
                     Date(2025, 0, 0), 0));
  const json p = json::parse(ToJsonResume(partial));
  EXPECT_EQ(p["projects"][0]["startDate"], "2024-09");
  EXPECT_EQ(p["projects"][0]["endDate"], "2025");
}

TEST(JsonResumeTest, SkillsWithLevelWordsAndExperienceTitles) {
  const json doc = json::parse(ToJsonResume(FullRecord()));
  // In order of first appearance, labels in the profile's language (Welsh)
  // where the skill has one, the highest level claimed as a word.
  EXPECT_EQ(doc["skills"], json::parse(R"([
    {"name": "Cyfathrebu", "level": "Advanced",
     "keywords": ["Work experience at Leith Garage",
                  "Volunteer at the food bank"]},
    {"name": "Cydweithio", "level": "Advanced",
     "keywords": ["Volunteer at the food bank", "Eco-school garden"]},
    {"name": "use spreadsheets software", "level": "Beginner",
     "keywords": ["First aid course"]}
  ])"));
  EXPECT_EQ(doc["volunteer"][0]["highlights"],
            json::parse(R"(["Cydweithio", "Cyfathrebu"])"));
  EXPECT_EQ(doc["projects"][0]["keywords"], json::parse(R"(["Cydweithio"])"));

  Record english = FullRecord();
  english.profile.clear_preferred_language_code();
  const json en = json::parse(ToJsonResume(english));
  EXPECT_EQ(en["skills"][0]["name"], "Communicating");
}

TEST(JsonResumeTest, EveryLevelHasAWord) {
  const std::vector<std::string> words = {"Beginner", "Developing", "Competent",
                                          "Advanced"};
  for (int level = 1; level <= 4; ++level) {
    Record r;
    r.experiences.push_back(MakeExperience("e1", v1::PROJECT, "P", "",
                                           Date(2025, 1, 1), std::nullopt, 0));
    AddSkill(r.experiences[0], "skills/x", level, v1::SELF);
    const json doc = json::parse(ToJsonResume(r));
    EXPECT_EQ(doc["skills"][0]["level"], words[level - 1]);
    // A skill missing from the taxonomy map is named by its id.
    EXPECT_EQ(doc["skills"][0]["name"], "x");
  }
}

TEST(JsonResumeTest, EscapesQuotesAndNewlinesInWelshText) {
  const std::string out = ToJsonResume(FullRecord());
  EXPECT_TRUE(absl::StrContains(
      out,
      R"("summary": "Dysgais sut i siarad â chwsmeriaid.\n\"Gwaith da\", meddai'r rheolwr.")"))
      << out;
  const json doc = json::parse(out);
  EXPECT_EQ(doc["work"][0]["summary"], kWelshReflection);
}

TEST(JsonResumeTest, NoNullsOrEmptyValues) {
  ExpectNoNullsOrEmptyStrings(json::parse(ToJsonResume(FullRecord())), "");
  const json empty = json::parse(ToJsonResume(Record{}));
  EXPECT_EQ(
      empty,
      json::parse(
          R"({"$schema": "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"})"));
}

TEST(JsonResumeTest, ExactOutputOfASmallRecord) {
  Record r;
  r.profile.set_name("profiles/p1");
  r.profile.set_given_name("Eilidh");
  r.profile.set_family_name("MacDonald");
  r.skills["skills/sm-focusing"] =
      MakeSkill("skills/sm-focusing", v1::Skill::SDS_META_SKILLS, "SM-FOC",
                "Focusing", "Canolbwyntio");
  v1::Experience e = MakeExperience("e1", v1::VOLUNTEERING, "Beach clean",
                                    "Portobello Beach Trust", Date(2025, 4, 5),
                                    std::nullopt, 3);
  e.set_reflection("Tidied 2 km.");
  AddSkill(e, "skills/sm-focusing", 2, v1::SELF);
  r.experiences.push_back(e);
  EXPECT_EQ(ToJsonResume(r), R"({
  "$schema": "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json",
  "basics": {
    "name": "Eilidh MacDonald"
  },
  "volunteer": [
    {
      "organization": "Portobello Beach Trust",
      "position": "Beach clean",
      "startDate": "2025-04-05",
      "summary": "Tidied 2 km.",
      "highlights": [
        "Focusing"
      ]
    }
  ],
  "skills": [
    {
      "name": "Focusing",
      "level": "Developing",
      "keywords": [
        "Beach clean"
      ]
    }
  ]
}
)");
}

// --- xAPI ------------------------------------------------------------------

TEST(XapiTest, OneStatementPerExperienceWithAdlVerbs) {
  const json statements = json::parse(ToXapiStatements(FullRecord()));
  ASSERT_TRUE(statements.is_array());
  ASSERT_EQ(statements.size(), 8u);  // the voided one left out
  const std::string experienced = "http://adlnet.gov/expapi/verbs/experienced";
  const std::string completed = "http://adlnet.gov/expapi/verbs/completed";
  EXPECT_EQ(StatementFor(statements, "e-work")["verb"],
            json::parse(R"({"id": "http://adlnet.gov/expapi/verbs/experienced",
                            "display": {"en-GB": "experienced"}})"));
  EXPECT_EQ(StatementFor(statements, "e-course")["verb"],
            json::parse(R"({"id": "http://adlnet.gov/expapi/verbs/completed",
                            "display": {"en-GB": "completed"}})"));
  EXPECT_EQ(StatementFor(statements, "e-award")["verb"]["id"], completed);
  EXPECT_EQ(StatementFor(statements, "e-vol")["verb"]["id"], experienced);
  EXPECT_EQ(StatementFor(statements, "e-project")["verb"]["id"], experienced);
  EXPECT_EQ(StatementFor(statements, "e-club")["verb"]["id"], experienced);
}

TEST(XapiTest, ActorIsTheServiceAccount) {
  const json statements = json::parse(ToXapiStatements(FullRecord()));
  for (const json& s : statements) {
    EXPECT_EQ(s["actor"], json::parse(R"({"objectType": "Agent",
        "name": "Siân Llywelyn",
        "account": {"homePage": "https://careers.example", "name": "p1"}})"));
  }
  // A trailing slash on the home page is not doubled.
  Record r = FullRecord();
  r.service_home_page = "https://careers.example/";
  const json s = json::parse(ToXapiStatements(r))[0];
  EXPECT_EQ(s["actor"]["account"]["homePage"], "https://careers.example");
  EXPECT_EQ(s["object"]["id"],
            "https://careers.example/xapi/activities/experiences/p1/e-work");
}

TEST(XapiTest, ActivityWithDefinitionInThePersonsLanguage) {
  const json statements = json::parse(ToXapiStatements(FullRecord()));
  const json work = StatementFor(statements, "e-work");
  EXPECT_EQ(work["object"], json::parse(R"({
    "objectType": "Activity",
    "id": "https://careers.example/xapi/activities/experiences/p1/e-work",
    "definition": {
      "name": {"cy": "Work experience at Leith Garage"},
      "description": {"cy": "Dysgais sut i siarad \u00e2 chwsmeriaid.\n\"Gwaith da\", meddai'r rheolwr."},
      "type": "https://careers.example/xapi/activity-types/work-experience"
    }})"));
  EXPECT_EQ(
      StatementFor(statements, "e-course")["object"]["definition"]["type"],
      "http://adlnet.gov/expapi/activities/course");
  EXPECT_EQ(StatementFor(statements, "e-club")["object"]["definition"]["type"],
            "https://careers.example/xapi/activity-types/school-activity");
  // No reflection, no description.
  EXPECT_FALSE(
      StatementFor(statements, "e-job")["object"]["definition"].contains(
          "description"));
}

TEST(XapiTest, LanguageMapKeysAreLanguageTags) {
  Record r = FullRecord();
  r.profile.set_preferred_language_code("en_GB");  // not a tag: "en"
  auto* label = r.skills["skills/sm-communicating"].add_labels();
  label->set_language_code("not a tag");
  label->set_text("Ignored");
  const json work = StatementFor(json::parse(ToXapiStatements(r)), "e-work");
  EXPECT_EQ(work["object"]["definition"]["name"],
            json::parse(R"({"en": "Work experience at Leith Garage"})"));
  EXPECT_EQ(work["context"]["extensions"]
                ["https://careers.example/xapi/extensions/skills"][0]["label"],
            json::parse(R"({"en": "Communicating", "cy": "Cyfathrebu"})"));
}

TEST(XapiTest, DurationFromHoursAndCompletion) {
  const json statements = json::parse(ToXapiStatements(FullRecord()));
  EXPECT_EQ(StatementFor(statements, "e-vol")["result"],
            json::parse(R"({"completion": false, "duration": "PT7H30M"})"));
  EXPECT_EQ(StatementFor(statements, "e-work")["result"],
            json::parse(R"({"completion": true, "duration": "PT37H30M"})"));
  EXPECT_EQ(StatementFor(statements, "e-course")["result"]["duration"],
            "PT12H");
  EXPECT_EQ(StatementFor(statements, "e-project")["result"]["duration"],
            "PT20H15M");
  EXPECT_EQ(StatementFor(statements, "e-club")["result"]["duration"], "PT15M");
  EXPECT_EQ(StatementFor(statements, "e-job")["result"]["duration"], "PT120H");
  // No hours, no duration.
  EXPECT_EQ(StatementFor(statements, "e-award")["result"],
            json::parse(R"({"completion": true})"));

  Record odd;
  odd.service_home_page = kHome;
  odd.experiences.push_back(MakeExperience(
      "e1", v1::PROJECT, "P", "", Date(2025, 1, 1), std::nullopt, 1.01));
  EXPECT_EQ(json::parse(ToXapiStatements(odd))[0]["result"]["duration"],
            "PT1H36S");
}

TEST(XapiTest, StatementIdsAreStableVersion5Uuids) {
  const Record r = FullRecord();
  const json first = json::parse(ToXapiStatements(r));
  Record reordered = r;
  std::reverse(reordered.experiences.begin(), reordered.experiences.end());
  const json second = json::parse(ToXapiStatements(reordered));

  const std::regex v5(
      "^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  std::set<std::string> ids;
  for (const std::string id : {"e-work", "e-vol", "e-job", "e-course",
                               "e-project", "e-award", "e-club", "e-app"}) {
    const std::string uuid = StatementFor(first, id)["id"];
    EXPECT_TRUE(std::regex_match(uuid, v5)) << uuid;
    EXPECT_EQ(StatementFor(second, id)["id"], uuid) << id;
    ids.insert(uuid);
  }
  EXPECT_EQ(ids.size(), 8u);
  // RFC 4122 version 5 of "https://careers.example/profiles/p1/experiences/
  // e-work" in the URL namespace, as Python's uuid.uuid5 computes it.
  EXPECT_EQ(StatementFor(first, "e-work")["id"],
            "2c050fa8-7181-5c74-ac8a-2ba661c23534");
}

TEST(XapiTest, ContextExtensionsNameTheSkills) {
  const json statements = json::parse(ToXapiStatements(FullRecord()));
  EXPECT_EQ(StatementFor(statements, "e-work")["context"], json::parse(R"({
    "extensions": {
      "https://careers.example/xapi/extensions/skills": [
        {"skill": "skills/sm-communicating",
         "label": {"en": "Communicating", "cy": "Cyfathrebu"},
         "level": 3, "source": "employer",
         "framework": "sds-meta-skills", "code": "SM-COM"}
      ],
      "https://careers.example/xapi/extensions/organisation": "Leith Garage",
      "https://careers.example/xapi/extensions/evidence": [
        {"uri": "https://files.example/certificate.pdf",
         "contentType": "application/pdf",
         "sha256": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}
      ]
    }})"));
  const json course = StatementFor(statements, "e-course");
  EXPECT_EQ(course["context"]["extensions"]
                  ["https://careers.example/xapi/extensions/skills"][0]["code"],
            "http://data.europa.eu/esco/skill/"
            "1973c966-f236-40c9-b2d4-5d71a89019be");
}

TEST(XapiTest, AuthorityNamesTheAttesterOfVerifiedExperiences) {
  const Record r = FullRecord();
  const json statements = json::parse(ToXapiStatements(r));
  EXPECT_EQ(StatementFor(statements, "e-course")["authority"],
            json::parse(R"({"objectType": "Agent",
                "account": {"homePage": "https://careers.example",
                            "name": "advisers/adv-7"}})"));
  // The domain of the referee's address in lower case (xAPI 2.4.2.3).
  EXPECT_EQ(StatementFor(statements, "e-work")["authority"],
            json::parse(R"({"objectType": "Agent", "name": "Morag Ross",
                "mbox": "mailto:Morag.Ross@leithgarage.example"})"));
  for (const std::string id :
       {"e-vol", "e-job", "e-project", "e-award", "e-club", "e-app"}) {
    EXPECT_FALSE(StatementFor(statements, id).contains("authority")) << id;
  }

  // Verified, but the attestation is not in the record, or not VERIFIED:
  // no authority rather than a wrong one.
  Record missing = r;
  missing.attestations.clear();
  Record rejected = r;
  for (auto& [name, a] : rejected.attestations) {
    a.set_state(v1::Attestation::REJECTED);
  }
  for (const Record* variant : {&missing, &rejected}) {
    const json s = json::parse(ToXapiStatements(*variant));
    EXPECT_FALSE(StatementFor(s, "e-work").contains("authority"));
    EXPECT_FALSE(StatementFor(s, "e-course").contains("authority"));
  }
}

TEST(XapiTest, TimestampIsTheEndElseStartAndNeverInTheFuture) {
  Record r = FullRecord();
  v1::Experience planned =
      MakeExperience("e-planned", v1::COURSE, "Higher Chemistry",
                     "Leith Academy", Date(2026, 8, 17), Date(2027, 6, 30), 0);
  r.experiences.push_back(planned);
  const json statements = json::parse(ToXapiStatements(r));
  EXPECT_EQ(StatementFor(statements, "e-work")["timestamp"],
            "2025-06-27T00:00:00.000Z");
  EXPECT_EQ(StatementFor(statements, "e-vol")["timestamp"],
            "2025-01-10T00:00:00.000Z");
  // Ends after `now`: not finished, and stamped `now`.
  const json p = StatementFor(statements, "e-planned");
  EXPECT_EQ(p["timestamp"], "2026-11-23T12:00:00.000Z");
  EXPECT_EQ(p["verb"]["id"], "http://adlnet.gov/expapi/verbs/experienced");
  EXPECT_EQ(p["result"]["completion"], false);
}

TEST(XapiTest, EmptyRecordIsAnEmptyArray) {
  EXPECT_EQ(ToXapiStatements(Record{}), "[]\n");
}

TEST(XapiTest, ExactOutputOfASmallRecord) {
  Record r;
  r.service_home_page = kHome;
  r.now = TestNow();
  r.profile.set_name("profiles/p1");
  r.profile.set_given_name("Eilidh");
  r.profile.set_family_name("MacDonald");
  r.skills["skills/sm-focusing"] =
      MakeSkill("skills/sm-focusing", v1::Skill::SDS_META_SKILLS, "SM-FOC",
                "Focusing", "");
  v1::Experience e =
      MakeExperience("e1", v1::COURSE, "Food hygiene", "Leith Academy",
                     Date(2025, 2, 3), Date(2025, 2, 4), 7.5);
  AddSkill(e, "skills/sm-focusing", 2, v1::SELF);
  r.experiences.push_back(e);
  EXPECT_EQ(ToXapiStatements(r), R"([
  {
    "id": "3905de9a-136d-598a-901f-5a67dab3201d",
    "actor": {
      "objectType": "Agent",
      "name": "Eilidh MacDonald",
      "account": {
        "homePage": "https://careers.example",
        "name": "p1"
      }
    },
    "verb": {
      "id": "http://adlnet.gov/expapi/verbs/completed",
      "display": {
        "en-GB": "completed"
      }
    },
    "object": {
      "objectType": "Activity",
      "id": "https://careers.example/xapi/activities/experiences/p1/e1",
      "definition": {
        "name": {
          "en": "Food hygiene"
        },
        "type": "http://adlnet.gov/expapi/activities/course"
      }
    },
    "result": {
      "completion": true,
      "duration": "PT7H30M"
    },
    "context": {
      "extensions": {
        "https://careers.example/xapi/extensions/skills": [
          {
            "skill": "skills/sm-focusing",
            "label": {
              "en": "Focusing"
            },
            "level": 2,
            "source": "self",
            "framework": "sds-meta-skills",
            "code": "SM-FOC"
          }
        ],
        "https://careers.example/xapi/extensions/organisation": "Leith Academy"
      }
    },
    "timestamp": "2025-02-04T00:00:00.000Z"
  }
]
)");
}

TEST(ExportTest, SameInputSameBytes) {
  EXPECT_EQ(ToJsonResume(FullRecord()), ToJsonResume(FullRecord()));
  EXPECT_EQ(ToXapiStatements(FullRecord()), ToXapiStatements(FullRecord()));
}

// --- Validation against the public schemas ----------------------------------
//
// tests/schema/validate.js runs ajv with JSON Resume's schema 1.0.0
// (resume-schema@1.0.0 from ops/tools) and with the xAPI 1.0.3 statement
// schema transcribed in tests/schema, plus Learning Locker's xAPI validator.
// The documents are kept under the build directory for a look afterwards.

std::string WriteSample(const std::string& file, const std::string& content) {
  const std::filesystem::path dir =
      std::filesystem::path(CAREERS_EXPORT_SAMPLE_DIR);
  std::filesystem::create_directories(dir);
  const std::filesystem::path path = dir / file;
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
  return path.string();
}

RunResult Validate(const std::string& format, const std::string& path) {
  return RunProcess({CAREERS_NODE_BIN, CAREERS_SCHEMA_VALIDATOR, format, path},
                    absl::Seconds(60));
}

TEST(SchemaValidationTest, JsonResumeExportsAreValid) {
  Record minimal;
  minimal.profile = careers::testing::ValidProfile();
  for (const auto& [file, content] :
       std::vector<std::pair<std::string, std::string>>{
           {"full.resume.json", ToJsonResume(FullRecord())},
           {"minimal.resume.json", ToJsonResume(minimal)},
           {"empty.resume.json", ToJsonResume(Record{})}}) {
    const RunResult result = Validate("jsonresume", WriteSample(file, content));
    EXPECT_EQ(result.exit_code, 0) << file << "\n" << result.out << result.err;
  }
}

TEST(SchemaValidationTest, XapiExportsAreValid) {
  Record minimal;
  minimal.service_home_page = kHome;
  minimal.profile.set_name("profiles/p2");
  minimal.experiences.push_back(MakeExperience(
      "e1", v1::AWARD, "Award", "", Date(2025, 1, 1), std::nullopt, 0));
  for (const auto& [file, content] :
       std::vector<std::pair<std::string, std::string>>{
           {"full.xapi.json", ToXapiStatements(FullRecord())},
           {"minimal.xapi.json", ToXapiStatements(minimal)},
           {"empty.xapi.json", ToXapiStatements(Record{})}}) {
    const RunResult result = Validate("xapi", WriteSample(file, content));
    EXPECT_EQ(result.exit_code, 0) << file << "\n" << result.out << result.err;
  }
}

// The validator must say no: our own exports, each broken in a way the
// schemas forbid.
TEST(SchemaValidationTest, BrokenJsonResumeIsRejected) {
  json doc = json::parse(ToJsonResume(FullRecord()));
  doc["work"][0]["startDate"] = "23/06/2025";
  doc["basics"]["email"] = "not an address";
  doc["work"][0]["hours"] = 37.5;  // a property the schema does not declare
  const RunResult result =
      Validate("jsonresume", WriteSample("broken.resume.json", doc.dump(2)));
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_TRUE(absl::StrContains(result.err, "/work/0/startDate")) << result.err;
  EXPECT_TRUE(absl::StrContains(result.err, "/basics/email")) << result.err;
  EXPECT_TRUE(absl::StrContains(result.err, "(hours)")) << result.err;

  const RunResult not_json = Validate(
      "jsonresume", WriteSample("truncated.resume.json", "{\"basics\": {"));
  EXPECT_EQ(not_json.exit_code, 1) << not_json.err;
}

TEST(SchemaValidationTest, BrokenXapiIsRejected) {
  json statements = json::parse(ToXapiStatements(FullRecord()));
  std::string id = statements[0]["id"];
  id[14] = '0';  // version 0: not an RFC 4122 UUID
  statements[0]["id"] = id;
  statements[1]["result"]["duration"] = "7.5 hours";
  statements[2].erase("verb");
  statements[3]["timestamp"] = "yesterday";
  statements[4]["object"]["definition"]["name"] = {{"not a tag!", "x"}};
  statements[5]["actor"]["mbox"] = "mailto:eilidh@example.org";  // two IFIs
  statements[6]["result"]["completion"] = "true";
  statements[7]["context"] = json::object();
  const RunResult result =
      Validate("xapi", WriteSample("broken.xapi.json", statements.dump(2)));
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  for (const char* where :
       {"/0/id", "/1/result/duration", "/2: must have required property 'verb'",
        "/3/timestamp", "/4/object/definition/name", "/5/actor",
        "/6/result/completion", "/7/context: empty object"}) {
    EXPECT_TRUE(absl::StrContains(result.err, where)) << where << "\n"
                                                      << result.err;
  }
}

}  // namespace
}  // namespace careers::domain::skills_export
