// The skills and experience log through the real server, driven by
// careersctl: a person logs experiences with SDS meta-skills, reads their
// summary and exports them (JSON Resume, xAPI); advisers of an organisation
// the profile is shared with read and add on the person's behalf; an
// outside referee's single-use token (read from the server's development
// log) verifies an experience; ESCO's skills CSV is imported twice.
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "careers/v1/consent_service.pb.h"
#include "careers/v1/skills_service.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "gtest/gtest.h"
#include "tests/e2e/e2e_fixture.h"

namespace careers::e2e {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;
using v1::Attestation;
using v1::Experience;

constexpr char kPupil[] = "profiles/pupil-a";
constexpr char kOtherPupil[] = "profiles/pupil-b";
constexpr char kSchool[] = "organisations/e2e-school";
constexpr char kOtherSchool[] = "organisations/other-school";
constexpr char kFocusing[] = "skills/sds-focusing";
constexpr char kCommunicating[] = "skills/sds-communicating";
constexpr char kTitle[] = "Work experience at Leith Garage";

// A field of a JSON object parsed into a Struct (a null Value if absent).
const google::protobuf::Value& Field(const google::protobuf::Struct& object,
                                     const std::string& name) {
  static const google::protobuf::Value* const kNull =
      new google::protobuf::Value();
  const auto it = object.fields().find(name);
  return it == object.fields().end() ? *kNull : it->second;
}

// What a failed careersctl run printed, for messages.
std::string Printed(const testing::RunResult& r) {
  return absl::StrCat("exit ", r.exit_code, "\nstdout:\n", r.out, "\nstderr:\n",
                      r.err);
}

class SkillsE2eTest : public E2eTest {
 protected:
  // careersctl -o json ARGS as `token`; parses what it prints into
  // `message` when it succeeds.
  testing::RunResult CtlJson(const std::string& token,
                             const std::vector<std::string>& args,
                             google::protobuf::Message* message) {
    std::vector<std::string> argv = {"--output", "json"};
    argv.insert(argv.end(), args.begin(), args.end());
    testing::RunResult result = CtlAs(token, argv);
    if (result.exit_code == 0) ParseJson(result.out, message);
    return result;
  }

  std::string PersonToken() const {
    return TestIssuer::Get().Mint("person", "pupil-a-sub", "", kPupil);
  }
  std::string OtherPersonToken() const {
    return TestIssuer::Get().Mint("person", "pupil-b-sub", "", kOtherPupil);
  }
  std::string AdviserToken() const {
    return TestIssuer::Get().Mint("adviser", "adviser-sub", kSchool);
  }
  std::string OtherAdviserToken() const {
    return TestIssuer::Get().Mint("adviser", "other-adviser-sub", kOtherSchool);
  }
  // The service that carries outside referees' answers.
  std::string RefereeServiceToken() const {
    return TestIssuer::Get().Mint("service", "referee-relay", "", "",
                                  {"attestations.referee"});
  }

  // Two pupils, two schools, an adviser of each (whose records' subjects
  // are the adviser tokens' subs), as the operator.
  void CreateWorld() {
    ASSERT_EQ(CreateProfile("pupil-a").name(), kPupil);
    ASSERT_EQ(CreateProfile("pupil-b", "Reid").name(), kOtherPupil);
    for (const auto& [id, display] :
         std::vector<std::pair<std::string, std::string>>{
             {"e2e-school", "E2E Academy"}, {"other-school", "Other High"}}) {
      const testing::RunResult school =
          Ctl({"organisations", "create", "--id", id, "--display-name", display,
               "--kind", "school"});
      ASSERT_EQ(school.exit_code, 0) << school.err;
    }
    for (const auto& [id, org, subject] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"e2e-adviser", kSchool, "adviser-sub"},
             {"other-adviser", kOtherSchool, "other-adviser-sub"}}) {
      const testing::RunResult adviser =
          Ctl({"advisers", "create", "--id", id, "--organisation", org,
               "--display-name", "Fiona Reid", "--language", "en", "--subject",
               subject});
      ASSERT_EQ(adviser.exit_code, 0) << adviser.err;
    }
  }

  // The person logs a two-week placement showing Focusing (3) and
  // Communicating (2).
  void LogPlacement(Experience* logged) {
    const testing::RunResult added =
        CtlJson(PersonToken(),
                {"experiences",
                 "add",
                 kPupil,
                 "--kind",
                 "work-experience",
                 "--title",
                 kTitle,
                 "--organisation-name",
                 "Leith Garage",
                 "--start",
                 "2025-06-02",
                 "--end",
                 "2025-06-13",
                 "--hours",
                 "35",
                 "--reflection",
                 "I learned to keep at a fiddly job.",
                 "--skill",
                 absl::StrCat(kFocusing, ":3"),
                 "--skill",
                 absl::StrCat(kCommunicating, ":2")},
                logged);
    ASSERT_EQ(added.exit_code, 0) << Printed(added);
  }

  testing::RunResult Summary(const std::string& token,
                             v1::SkillsSummary* summary) {
    summary->Clear();
    return CtlJson(token, {"skills", "summary", kPupil}, summary);
  }

  testing::RunResult GetExperience(const std::string& token,
                                   const std::string& name, Experience* got) {
    got->Clear();
    return CtlJson(token, {"experiences", "get", name}, got);
  }
};

// ---------------------------------------------------------------- 1.

TEST_F(SkillsE2eTest, APersonLogsAnExperienceSeesTheSummaryAndExportsIt) {
  ASSERT_TRUE(StartServer());
  ASSERT_NO_FATAL_FAILURE(CreateWorld());
  const std::string person = PersonToken();

  Experience logged;
  ASSERT_NO_FATAL_FAILURE(LogPlacement(&logged));
  EXPECT_THAT(logged.name(), StartsWith(absl::StrCat(kPupil, "/experiences/")));
  EXPECT_EQ(logged.kind(), v1::WORK_EXPERIENCE);
  EXPECT_EQ(logged.title(), kTitle);
  EXPECT_EQ(logged.state(), Experience::SELF_DECLARED);
  EXPECT_EQ(logged.hours(), 35);
  EXPECT_EQ(logged.start_date().day(), 2);
  EXPECT_EQ(logged.end_date().day(), 13);
  ASSERT_EQ(logged.skills_size(), 2) << logged.DebugString();
  EXPECT_EQ(logged.skills(0).skill(), kFocusing);
  EXPECT_EQ(logged.skills(0).level(), 3);
  EXPECT_EQ(logged.skills(0).source(), v1::SELF);
  EXPECT_EQ(logged.skills(1).skill(), kCommunicating);
  EXPECT_EQ(logged.created_by().subject(), "pupil-a-sub");
  EXPECT_THAT(logged.etag(), Not(IsEmpty()));

  v1::ListExperiencesResponse listed;
  const testing::RunResult list =
      CtlJson(person, {"experiences", "list", kPupil}, &listed);
  ASSERT_EQ(list.exit_code, 0) << Printed(list);
  ASSERT_EQ(listed.experiences_size(), 1) << list.out;
  EXPECT_EQ(listed.experiences(0).name(), logged.name());
  // The table names it too.
  const testing::RunResult table =
      CtlAs(person, {"experiences", "list", kPupil});
  ASSERT_EQ(table.exit_code, 0) << Printed(table);
  EXPECT_THAT(table.out, HasSubstr(logged.name()));

  v1::SkillsSummary summary;
  const testing::RunResult summarised = Summary(person, &summary);
  ASSERT_EQ(summarised.exit_code, 0) << Printed(summarised);
  EXPECT_EQ(summary.profile(), kPupil);
  ASSERT_EQ(summary.entries_size(), 2) << summary.DebugString();
  for (const v1::SkillsSummary::Entry& e : summary.entries()) {
    EXPECT_EQ(e.experience_count(), 1) << e.skill();
    EXPECT_EQ(e.total_hours(), 35) << e.skill();
    EXPECT_EQ(e.verified_count(), 0) << e.skill();
    EXPECT_EQ(e.first_evidenced().year(), 2025) << e.skill();
    EXPECT_EQ(e.first_evidenced().month(), 6) << e.skill();
    EXPECT_EQ(e.first_evidenced().day(), 2) << e.skill();
    EXPECT_EQ(e.last_evidenced().day(), 13) << e.skill();
    if (e.skill() == kFocusing) {
      EXPECT_EQ(e.label(), "Focusing");
      EXPECT_EQ(e.max_level(), 3);
    } else {
      EXPECT_EQ(e.skill(), kCommunicating);
      EXPECT_EQ(e.label(), "Communicating");
      EXPECT_EQ(e.max_level(), 2);
    }
  }
  const testing::RunResult summary_table =
      CtlAs(person, {"skills", "summary", kPupil});
  ASSERT_EQ(summary_table.exit_code, 0) << Printed(summary_table);
  EXPECT_THAT(summary_table.out,
              AllOf(HasSubstr("Focusing"), HasSubstr("Communicating")));

  // JSON Resume: valid JSON naming the placement.
  const testing::RunResult resume =
      CtlAs(person, {"export", kPupil, "--format", "jsonresume"});
  ASSERT_EQ(resume.exit_code, 0) << Printed(resume);
  google::protobuf::Struct resume_json;
  ParseJson(resume.out, &resume_json);
  EXPECT_THAT(resume.out, HasSubstr(kTitle));
  EXPECT_TRUE(Field(resume_json, "basics").has_struct_value()) << resume.out;

  // xAPI: an array of one statement, with an ADL verb.
  const testing::RunResult xapi =
      CtlAs(person, {"export", kPupil, "--format", "xapi"});
  ASSERT_EQ(xapi.exit_code, 0) << Printed(xapi);
  google::protobuf::Value statements;
  ParseJson(xapi.out, &statements);
  ASSERT_TRUE(statements.has_list_value()) << xapi.out;
  ASSERT_EQ(statements.list_value().values_size(), 1) << xapi.out;
  const google::protobuf::Struct& statement =
      statements.list_value().values(0).struct_value();
  EXPECT_THAT(
      Field(Field(statement, "verb").struct_value(), "id").string_value(),
      StartsWith("http://adlnet.gov/expapi/verbs/"))
      << xapi.out;
  EXPECT_THAT(xapi.out, HasSubstr(kTitle));

  // An unknown skill is refused, naming the claim.
  const testing::RunResult unknown =
      CtlAs(person, {"experiences", "add", kPupil, "--kind", "volunteering",
                     "--title", "Food bank", "--start", "2025-07-01", "--skill",
                     "skills/no-such-skill:2"});
  EXPECT_EQ(unknown.exit_code, 1) << Printed(unknown);
  EXPECT_THAT(unknown.err, HasSubstr("INVALID_ARGUMENT"));
  EXPECT_THAT(unknown.err,
              HasSubstr("experience.skills[0].skill: skills/no-such-skill"))
      << unknown.err;
  // ...and nothing was logged.
  listed.Clear();
  ASSERT_EQ(CtlJson(person, {"experiences", "list", kPupil}, &listed).exit_code,
            0);
  EXPECT_EQ(listed.experiences_size(), 1) << listed.DebugString();
}

// ---------------------------------------------------------------- 2.

TEST_F(SkillsE2eTest, OnlyAdvisersOfASharedOrganisationReadAndAddForThePerson) {
  ASSERT_TRUE(StartServer());
  ASSERT_NO_FATAL_FAILURE(CreateWorld());
  Experience logged;
  ASSERT_NO_FATAL_FAILURE(LogPlacement(&logged));
  Experience got;

  // Another person cannot read it, nor list, summarise or export the log.
  const testing::RunResult other =
      GetExperience(OtherPersonToken(), logged.name(), &got);
  EXPECT_EQ(other.exit_code, 1);
  EXPECT_THAT(other.err, HasSubstr("PERMISSION_DENIED"));
  EXPECT_THAT(other.out, Not(HasSubstr(kTitle)));
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{
           {"experiences", "list", kPupil},
           {"skills", "summary", kPupil},
           {"export", kPupil, "--format", "xapi"}}) {
    const testing::RunResult r = CtlAs(OtherPersonToken(), args);
    EXPECT_EQ(r.exit_code, 1) << args[0] << " " << args[1];
    EXPECT_THAT(r.err, HasSubstr("PERMISSION_DENIED")) << args[0];
  }
  // Nor can the school's adviser before the profile is shared.
  const testing::RunResult before =
      GetExperience(AdviserToken(), logged.name(), &got);
  EXPECT_EQ(before.exit_code, 1);
  EXPECT_THAT(before.err, HasSubstr("PERMISSION_DENIED"));

  v1::Consent consent;
  const testing::RunResult granted =
      CtlJson(PersonToken(),
              {"consents", "create", kPupil, "--purpose",
               "share-with-organisation", "--organisation", kSchool},
              &consent);
  ASSERT_EQ(granted.exit_code, 0) << Printed(granted);
  ASSERT_EQ(consent.state(), v1::Consent::ACTIVE);

  // The shared school's adviser reads it...
  const testing::RunResult read =
      GetExperience(AdviserToken(), logged.name(), &got);
  ASSERT_EQ(read.exit_code, 0) << Printed(read);
  EXPECT_EQ(got.title(), kTitle);
  // ...and adds one on the person's behalf, claimed as ADVISER.
  Experience added;
  const testing::RunResult add = CtlJson(
      AdviserToken(),
      {"experiences", "add", kPupil, "--kind", "school-activity", "--title",
       "Captain of the debating team", "--start", "2025-09-01", "--hours",
       "12.5", "--skill", "skills/sds-leading:3"},
      &added);
  ASSERT_EQ(add.exit_code, 0) << Printed(add);
  EXPECT_THAT(added.name(), StartsWith(absl::StrCat(kPupil, "/experiences/")));
  ASSERT_EQ(added.skills_size(), 1);
  EXPECT_EQ(added.skills(0).source(), v1::ADVISER);
  EXPECT_EQ(added.created_by().subject(), "adviser-sub");
  EXPECT_EQ(added.state(), Experience::SELF_DECLARED);

  // The person sees both, newest (by start) first.
  v1::ListExperiencesResponse listed;
  ASSERT_EQ(CtlJson(PersonToken(), {"experiences", "list", kPupil}, &listed)
                .exit_code,
            0);
  ASSERT_EQ(listed.experiences_size(), 2) << listed.DebugString();
  EXPECT_EQ(listed.experiences(0).name(), added.name());
  EXPECT_EQ(listed.experiences(1).name(), logged.name());

  // An adviser of a school the profile is not shared with can do neither.
  const testing::RunResult foreign =
      GetExperience(OtherAdviserToken(), logged.name(), &got);
  EXPECT_EQ(foreign.exit_code, 1);
  EXPECT_THAT(foreign.err, HasSubstr("PERMISSION_DENIED"));
  EXPECT_THAT(foreign.out, Not(HasSubstr(kTitle)));
  const testing::RunResult foreign_add = CtlAs(
      OtherAdviserToken(),
      {"experiences", "add", kPupil, "--kind", "course", "--title", "Intruder",
       "--start", "2025-09-01", "--skill", "skills/sds-leading:1"});
  EXPECT_EQ(foreign_add.exit_code, 1);
  EXPECT_THAT(foreign_add.err, HasSubstr("PERMISSION_DENIED"));
  const testing::RunResult foreign_list =
      CtlAs(OtherAdviserToken(), {"experiences", "list", kPupil});
  EXPECT_EQ(foreign_list.exit_code, 1);
  EXPECT_THAT(foreign_list.err, HasSubstr("PERMISSION_DENIED"));
}

// ---------------------------------------------------------------- 3.

TEST_F(SkillsE2eTest, AnOutsideRefereesSingleUseTokenVerifiesTheExperience) {
  ASSERT_TRUE(StartServer({"--dev-log-referee-links"}));
  ASSERT_NO_FATAL_FAILURE(CreateWorld());
  const std::string person = PersonToken();
  const std::string relay = RefereeServiceToken();
  Experience logged;
  ASSERT_NO_FATAL_FAILURE(LogPlacement(&logged));

  Attestation requested;
  const testing::RunResult request =
      CtlJson(person,
              {"attestations", "request", logged.name(), "--referee-name",
               "Morag Stewart", "--referee-email", "morag@leith-garage.example",
               "--referee-organisation", "Leith Garage"},
              &requested);
  ASSERT_EQ(request.exit_code, 0) << Printed(request);
  EXPECT_THAT(requested.name(),
              StartsWith(absl::StrCat(logged.name(), "/attestations/")));
  EXPECT_EQ(requested.state(), Attestation::PENDING);
  EXPECT_EQ(requested.referee().display_name(), "Morag Stewart");
  EXPECT_TRUE(requested.has_expire_time());
  Experience got;
  ASSERT_EQ(GetExperience(person, logged.name(), &got).exit_code, 0);
  EXPECT_EQ(got.state(), Experience::ATTESTATION_PENDING);
  v1::ListAttestationsResponse attestations;
  ASSERT_EQ(
      CtlJson(person, {"attestations", "list", logged.name()}, &attestations)
          .exit_code,
      0);
  ASSERT_EQ(attestations.attestations_size(), 1);
  EXPECT_EQ(attestations.attestations(0).name(), requested.name());

  // The development log gives the referee's token.
  const std::string marker = absl::StrCat(
      "development: referee asked for ", requested.name(), "; their token is ");
  std::string token;
  ASSERT_TRUE(PollUntil(
      [&] {
        const std::string log = server().process().Stderr();
        const size_t at = log.find(marker);
        if (at == std::string::npos) return false;
        const size_t begin = at + marker.size();
        const size_t end = log.find_first_of(" \r\n", begin);
        if (end == std::string::npos) return false;  // not the whole line yet
        token = log.substr(begin, end - begin);
        return true;
      },
      absl::Seconds(10)))
      << server().process().Stderr();
  ASSERT_GE(token.size(), 40u) << token;

  // A wrong token is refused (and does not use the right one up).
  std::string wrong = token;
  wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
  const testing::RunResult refused =
      CtlAs(relay, {"attestations", "decide", requested.name(), "--verified",
                    "--referee-token", wrong});
  EXPECT_EQ(refused.exit_code, 1) << Printed(refused);
  EXPECT_THAT(refused.err, HasSubstr("PERMISSION_DENIED"));
  // The person cannot decide it, not even with the right token.
  const testing::RunResult self =
      CtlAs(person, {"attestations", "decide", requested.name(), "--verified",
                     "--referee-token", token});
  EXPECT_EQ(self.exit_code, 1) << Printed(self);
  EXPECT_THAT(self.err, HasSubstr("PERMISSION_DENIED"));
  const testing::RunResult self_without =
      CtlAs(person, {"attestations", "decide", requested.name(), "--verified"});
  EXPECT_EQ(self_without.exit_code, 1) << Printed(self_without);
  EXPECT_THAT(self_without.err, HasSubstr("PERMISSION_DENIED"));
  ASSERT_EQ(GetExperience(person, logged.name(), &got).exit_code, 0);
  EXPECT_EQ(got.state(), Experience::ATTESTATION_PENDING);

  Attestation decided;
  const testing::RunResult decide = CtlJson(
      relay,
      {"attestations", "decide", requested.name(), "--verified", "--comment",
       "Morag confirms the placement.", "--referee-token", token},
      &decided);
  ASSERT_EQ(decide.exit_code, 0) << Printed(decide);
  EXPECT_EQ(decided.state(), Attestation::VERIFIED);
  EXPECT_EQ(decided.comment(), "Morag confirms the placement.");
  EXPECT_EQ(decided.decided_by().subject(), "referee-relay");
  ASSERT_EQ(GetExperience(person, logged.name(), &got).exit_code, 0);
  EXPECT_EQ(got.state(), Experience::VERIFIED);
  EXPECT_EQ(got.verified_by(), requested.name());
  Attestation read_back;
  ASSERT_EQ(
      CtlJson(person, {"attestations", "get", requested.name()}, &read_back)
          .exit_code,
      0);
  EXPECT_EQ(read_back.state(), Attestation::VERIFIED);

  // Single use: the same token again is refused as already decided.
  const testing::RunResult again =
      CtlAs(relay, {"attestations", "decide", requested.name(), "--rejected",
                    "--referee-token", token});
  EXPECT_EQ(again.exit_code, 1) << Printed(again);
  EXPECT_THAT(again.err, HasSubstr("FAILED_PRECONDITION"));
  ASSERT_EQ(GetExperience(person, logged.name(), &got).exit_code, 0);
  EXPECT_EQ(got.state(), Experience::VERIFIED);

  v1::SkillsSummary summary;
  ASSERT_EQ(Summary(person, &summary).exit_code, 0);
  ASSERT_EQ(summary.entries_size(), 2) << summary.DebugString();
  for (const v1::SkillsSummary::Entry& e : summary.entries()) {
    EXPECT_EQ(e.verified_count(), 1) << e.skill();
  }

  // A verified experience cannot be changed...
  const testing::RunResult update =
      CtlAs(person, {"experiences", "update", logged.name(), "--title",
                     "Two weeks at Leith Garage", "--etag", got.etag()});
  EXPECT_EQ(update.exit_code, 1) << Printed(update);
  EXPECT_THAT(update.err, HasSubstr("FAILED_PRECONDITION"));
  // ...only voided, which keeps it but leaves it out of the summary.
  Experience voided;
  const testing::RunResult void_run =
      CtlJson(person,
              {"experiences", "void", logged.name(), "--reason",
               "Logged the wrong dates"},
              &voided);
  ASSERT_EQ(void_run.exit_code, 0) << Printed(void_run);
  EXPECT_EQ(voided.state(), Experience::VOIDED);
  EXPECT_EQ(voided.void_reason(), "Logged the wrong dates");
  ASSERT_EQ(GetExperience(person, logged.name(), &got).exit_code, 0);
  EXPECT_EQ(got.state(), Experience::VOIDED);
  EXPECT_EQ(got.title(), kTitle);
  ASSERT_EQ(Summary(person, &summary).exit_code, 0);
  EXPECT_EQ(summary.entries_size(), 0) << summary.DebugString();
  const testing::RunResult xapi =
      CtlAs(person, {"export", kPupil, "--format", "xapi"});
  ASSERT_EQ(xapi.exit_code, 0) << Printed(xapi);
  EXPECT_THAT(xapi.out, Not(HasSubstr(kTitle)));
}

// ---------------------------------------------------------------- 4.

// Three skills in ESCO's column layout: an inScheme and a description with
// commas (quoted), altLabels with line breaks (quoted), and a doubled quote.
constexpr char kEscoCsv[] =
    "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels,"
    "hiddenLabels,status,modifiedDate,scopeNote,definition,inScheme,"
    "description\n"
    "KnowledgeSkillCompetence,"
    "http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab,"
    "skill/competence,sector-specific,manage musical staff,"
    "\"orchestrate musical staff\n"
    "coordinate duties of musical staff\n"
    "manage music staff\","
    ",released,2023-09-14T11:07:33.404Z,,,"
    "\"http://data.europa.eu/esco/concept-scheme/skills, "
    "http://data.europa.eu/esco/concept-scheme/member-skills\","
    "\"Assign and manage staff tasks in areas such as scoring, arranging, "
    "copying music and vocal coaching.\"\n"
    "KnowledgeSkillCompetence,"
    "http://data.europa.eu/esco/skill/00064735-8fad-454b-90c7-ed858cc993f2,"
    "skill/competence,cross-sector,supervise correctional procedures,"
    "\"supervise prison procedures\n"
    "manage correctional procedures\","
    ",released,2023-09-14T11:07:33.404Z,,,"
    "http://data.europa.eu/esco/concept-scheme/skills,"
    "\"Supervise the operations of a correctional facility, the \"\"safe "
    "custody\"\" of its residents.\"\n"
    "KnowledgeSkillCompetence,"
    "http://data.europa.eu/esco/skill/000f1d3d-220f-4789-9c0a-cc742521fb02,"
    "knowledge,sector-specific,Java (computer programming),"
    "Java,,released,2023-09-14T11:07:33.404Z,,,"
    "http://data.europa.eu/esco/concept-scheme/skills,"
    "The computer programming language Java.\n";
constexpr char kStaffSkill[] =
    "skills/esco-0005c151-5b5a-4a66-8aac-60e734beb1ab";

TEST_F(SkillsE2eTest, EscoImportIsIdempotentAndSearchable) {
  ASSERT_TRUE(StartServer());
  ASSERT_NO_FATAL_FAILURE(CreateWorld());
  char dir_template[] = "/tmp/careers-e2e-esco.XXXXXX";
  const std::string dir = mkdtemp(dir_template);
  const std::string csv = absl::StrCat(dir, "/skills_en.csv");
  std::ofstream(csv, std::ios::binary) << kEscoCsv;

  google::protobuf::Struct first;
  const testing::RunResult run1 = CtlJson(
      TestIssuer::Get().Admin(), {"skills", "import-esco", csv}, &first);
  ASSERT_EQ(run1.exit_code, 0) << Printed(run1);
  EXPECT_EQ(Field(first, "created").number_value(), 3) << run1.out;
  EXPECT_EQ(Field(first, "updated").number_value(), 0) << run1.out;
  EXPECT_EQ(Field(first, "unchanged").number_value(), 0) << run1.out;
  EXPECT_EQ(Field(first, "skipped").number_value(), 0) << run1.out;
  EXPECT_EQ(Field(first, "failed").number_value(), 0) << run1.out;

  google::protobuf::Struct second;
  const testing::RunResult run2 = CtlJson(
      TestIssuer::Get().Admin(), {"skills", "import-esco", csv}, &second);
  ASSERT_EQ(run2.exit_code, 0) << Printed(run2);
  EXPECT_EQ(Field(second, "created").number_value(), 0) << run2.out;
  EXPECT_EQ(Field(second, "updated").number_value(), 0) << run2.out;
  EXPECT_EQ(Field(second, "unchanged").number_value(), 3) << run2.out;
  // The table says so too.
  const testing::RunResult run3 = Ctl({"skills", "import-esco", csv});
  ASSERT_EQ(run3.exit_code, 0) << Printed(run3);
  EXPECT_THAT(run3.out, HasSubstr("unchanged"));

  // The quoted fields came through whole.
  v1::Skill staff;
  const testing::RunResult got =
      CtlJson(PersonToken(), {"skills", "get", kStaffSkill}, &staff);
  ASSERT_EQ(got.exit_code, 0) << Printed(got);
  EXPECT_EQ(staff.framework(), v1::Skill::ESCO);
  EXPECT_EQ(staff.code(),
            "http://data.europa.eu/esco/skill/"
            "0005c151-5b5a-4a66-8aac-60e734beb1ab");
  ASSERT_EQ(staff.labels_size(), 1);
  EXPECT_EQ(staff.labels(0).text(), "manage musical staff");
  EXPECT_THAT(staff.alternative_labels(),
              ::testing::ElementsAre("orchestrate musical staff",
                                     "coordinate duties of musical staff",
                                     "manage music staff"));
  EXPECT_EQ(staff.group(), "skill/competence");
  EXPECT_EQ(staff.description(),
            "Assign and manage staff tasks in areas such as scoring, "
            "arranging, copying music and vocal coaching.");

  // A word prefix of an alternative label only finds it; each once.
  v1::ListSkillsResponse found;
  const testing::RunResult search =
      CtlJson(PersonToken(), {"skills", "search", "orchestr"}, &found);
  ASSERT_EQ(search.exit_code, 0) << Printed(search);
  ASSERT_EQ(found.skills_size(), 1) << search.out;
  EXPECT_EQ(found.skills(0).name(), kStaffSkill);
  found.Clear();
  ASSERT_EQ(
      CtlJson(PersonToken(),
              {"skills", "search", "--framework", "esco", "--all"}, &found)
          .exit_code,
      0);
  EXPECT_EQ(found.skills_size(), 3) << found.DebugString();

  // Only administrators import.
  const std::string org_admin =
      TestIssuer::Get().Mint("org_admin", "school-admin-sub", kSchool);
  for (const std::string& token : {org_admin, PersonToken()}) {
    const testing::RunResult denied =
        CtlAs(token, {"skills", "import-esco", csv});
    EXPECT_EQ(denied.exit_code, 1) << Printed(denied);
    EXPECT_THAT(absl::StrCat(denied.out, denied.err),
                HasSubstr("PERMISSION_DENIED"));
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace careers::e2e
