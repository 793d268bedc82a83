// careersctl's skills taxonomy commands (search, get, create, import-esco)
// against the generated SkillsService mock, and the ESCO CSV reading under
// import-esco.
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "careers/v1/consent_service_mock.grpc.pb.h"
#include "careers/v1/directory_service_mock.grpc.pb.h"
#include "careers/v1/profile_service_mock.grpc.pb.h"
#include "careers/v1/skills_service_mock.grpc.pb.h"
#include "clients/cli/app.h"
#include "clients/cli/esco_import.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace careers::cli {
namespace {

using ::testing::_;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Invoke;
using ::testing::Not;
using ::testing::StrictMock;
using v1::Skill;
using MockStub = StrictMock<v1::MockSkillsServiceStub>;

constexpr char kHeader[] =
    "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels,"
    "hiddenLabels,status,modifiedDate,scopeNote,definition,inScheme,"
    "description\n";
constexpr char kUri[] = "http://data.europa.eu/esco/skill/";

// An ESCO skills file: quoted commas, doubled quotes and line breaks in
// altLabels and description, a row whose conceptUri is not a concept's,
// and a row repeating an earlier concept.
std::string EscoFile() {
  return absl::StrCat(
      kHeader,
      // line 2 (to 6: altLabels has four line breaks)
      "KnowledgeSkillCompetence,", kUri,
      "0005c151-5b5a-4a66-8aac-60e734beb1ab,skill/competence,"
      "sector-specific,manage musical staff,\"assign and manage staff tasks\n"
      "  manage staff of music  \n\nassign and manage staff tasks\n\","
      ",released,2016-12-20T19:32:45Z,,,"
      "\"http://data.europa.eu/esco/concept-scheme/member-skills\","
      "\"Assign and manage staff tasks in areas such as scoring, arranging, "
      "copying music and vocal coaching.\"\n",
      // line 7: quotes in the label, a description over two lines
      "KnowledgeSkillCompetence,", kUri,
      "00064735-8fad-454b-90c7-ed858cc993f2,skill/competence,cross-sector,"
      "\"supervise \"\"correctional\"\" procedures\",,,released,"
      "2016-12-20T20:09:41Z,,,,\"Supervise the operations, in a café, of a "
      "correctional facility\r\nor other procedures.\"\n",
      // line 9: not a concept URI
      "KnowledgeSkillCompetence,http://data.europa.eu/esco/skill/not-a-uuid,"
      "skill/competence,,broken row,,,released,,,,,\n",
      // line 10: the first concept again
      "KnowledgeSkillCompetence,", kUri,
      "0005C151-5B5A-4A66-8AAC-60E734BEB1AB,skill/competence,,manage musical "
      "staff again,,,released,,,,,\n",
      // line 11
      "KnowledgeSkillCompetence,", kUri,
      "000709ed-2be5-4193-b056-45a97698d828,knowledge,,Java (computer "
      "programming),Java,,released,,,,,\n");
}

std::string WriteTempFile(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

template <typename Request, typename Response>
auto Record(std::vector<Request>& requests, Response response,
            grpc::Status status = grpc::Status::OK) {
  return Invoke([&requests, response, status](grpc::ClientContext*,
                                              const Request& request,
                                              Response* out) {
    requests.push_back(request);
    if (status.ok()) *out = response;
    return status;
  });
}

v1::ImportSkillsResponse Counts(int created, int updated, int unchanged) {
  v1::ImportSkillsResponse r;
  r.set_created_count(created);
  r.set_updated_count(updated);
  r.set_unchanged_count(unchanged);
  return r;
}

std::vector<std::string> Ids(const v1::ImportSkillsRequest& request) {
  std::vector<std::string> ids;
  for (const Skill& s : request.skills()) ids.push_back(s.name());
  return ids;
}

// Runs careersctl command lines against a strict SkillsService mock, which
// RunCli owns and destroys: expectations go on stub() before each Run.
class SkillsCliTest : public ::testing::Test {
 protected:
  int Run(const std::vector<std::string>& args, bool terminal = false) {
    out_.str("");
    err_.str("");
    return RunCli(
        args,
        [this](const ChannelOptions&) {
          Stubs stubs;
          stubs.profiles =
              std::make_unique<StrictMock<v1::MockProfileServiceStub>>();
          stubs.directory =
              std::make_unique<StrictMock<v1::MockDirectoryServiceStub>>();
          stubs.consents =
              std::make_unique<StrictMock<v1::MockConsentServiceStub>>();
          stubs.skills = std::move(owned_);
          return stubs;
        },
        out_, err_, terminal);
  }

  MockStub& stub() {
    if (owned_ == nullptr) owned_ = std::make_unique<MockStub>();
    return *owned_;
  }

  std::unique_ptr<MockStub> owned_;
  std::ostringstream out_;
  std::ostringstream err_;
};

// ------------------------------------------------------------ the file

TEST(EscoCsvTest, MapsEachRowToASkill) {
  absl::StatusOr<std::vector<EscoRow>> rows = ParseEscoCsv(EscoFile());
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 5u);
  const EscoRow& first = (*rows)[0];
  EXPECT_EQ(first.line, 2);
  EXPECT_EQ(first.error, "");
  EXPECT_EQ(first.skill.name(),
            "skills/esco-0005c151-5b5a-4a66-8aac-60e734beb1ab");
  EXPECT_EQ(first.skill.framework(), Skill::ESCO);
  EXPECT_EQ(first.skill.code(),
            absl::StrCat(kUri, "0005c151-5b5a-4a66-8aac-60e734beb1ab"));
  ASSERT_EQ(first.skill.labels_size(), 1);
  EXPECT_EQ(first.skill.labels(0).language_code(), "en");
  EXPECT_EQ(first.skill.labels(0).text(), "manage musical staff");
  EXPECT_THAT(
      first.skill.alternative_labels(),
      ElementsAre("assign and manage staff tasks", "manage staff of music"));
  EXPECT_EQ(first.skill.group(), "skill/competence");
  EXPECT_EQ(first.skill.description(),
            "Assign and manage staff tasks in areas such as scoring, "
            "arranging, copying music and vocal coaching.");

  const EscoRow& second = (*rows)[1];
  EXPECT_EQ(second.line, 7);
  EXPECT_EQ(second.skill.labels(0).text(),
            "supervise \"correctional\" procedures");
  EXPECT_EQ(second.skill.description(),
            "Supervise the operations, in a café, of a correctional "
            "facility\nor other procedures.");

  EXPECT_EQ((*rows)[2].line, 9);
  EXPECT_THAT((*rows)[2].error, HasSubstr("does not end in a concept's UUID"));
  EXPECT_EQ((*rows)[3].line, 10);
  EXPECT_EQ((*rows)[3].error, "repeats the concept of line 2");
  EXPECT_EQ((*rows)[4].line, 11);
  EXPECT_EQ((*rows)[4].skill.group(), "knowledge");

  EXPECT_FALSE(ParseEscoCsv("conceptType,preferredLabel\nx,y\n").ok());
  EXPECT_FALSE(ParseEscoCsv("").ok());
}

TEST(EscoCsvTest, CutsLongTextAtACharacterBoundary) {
  EXPECT_EQ(TruncateUtf8("café", 3), "caf");
  EXPECT_EQ(TruncateUtf8("café", 4), "café");
  EXPECT_EQ(TruncateUtf8("ééé", 2), "éé");
  std::string description;
  for (int i = 0; i < 2500; ++i) description += "é";  // 5000 bytes
  const std::string file =
      absl::StrCat("conceptUri,preferredLabel,description\n", kUri,
                   "000709ed-2be5-4193-b056-45a97698d828,x,", description,
                   description, "\n");
  absl::StatusOr<std::vector<EscoRow>> rows = ParseEscoCsv(file);
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_EQ((*rows)[0].skill.description().size(), 8000u);  // 4000 × 2 bytes
}

// ------------------------------------------------------------ import-esco

TEST_F(SkillsCliTest, ImportEscoSendsBatchesAndPrintsTheSummary) {
  const std::string path = WriteTempFile("skills_en.csv", EscoFile());
  std::vector<v1::ImportSkillsRequest> requests;
  EXPECT_CALL(stub(), ImportSkills(_, _, _))
      .WillOnce(Record(requests, Counts(2, 0, 0)))
      .WillOnce(Record(requests, Counts(1, 0, 0)));
  ASSERT_EQ(Run({"skills", "import-esco", path, "--batch-size", "2"}), 0)
      << err_.str();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_THAT(Ids(requests[0]),
              ElementsAre("skills/esco-0005c151-5b5a-4a66-8aac-60e734beb1ab",
                          "skills/esco-00064735-8fad-454b-90c7-ed858cc993f2"));
  EXPECT_THAT(Ids(requests[1]),
              ElementsAre("skills/esco-000709ed-2be5-4193-b056-45a97698d828"));
  EXPECT_THAT(
      requests[0].skills(0).alternative_labels(),
      ElementsAre("assign and manage staff tasks", "manage staff of music"));
  EXPECT_THAT(requests[1].skills(0).alternative_labels(), ElementsAre("Java"));
  const std::string summary = out_.str();
  EXPECT_THAT(summary, HasSubstr("created    3"));
  EXPECT_THAT(summary, HasSubstr("skipped    2"));
  EXPECT_THAT(summary,
              HasSubstr("line 9: conceptUri \"http://data.europa.eu/esco/"
                        "skill/not-a-uuid\" does not end in a concept's UUID"));
  EXPECT_THAT(summary, HasSubstr("line 10: repeats the concept of line 2"));
  EXPECT_THAT(err_.str(), Not(HasSubstr("rows")));  // no progress bar

  // A second run sends the same requests; the server finds them unchanged.
  std::vector<v1::ImportSkillsRequest> again;
  EXPECT_CALL(stub(), ImportSkills(_, _, _))
      .WillOnce(Record(again, Counts(0, 0, 2)))
      .WillOnce(Record(again, Counts(0, 0, 1)));
  ASSERT_EQ(Run({"skills", "import-esco", path, "--batch-size", "2"},
                /*terminal=*/true),
            0);
  ASSERT_EQ(again.size(), 2u);
  EXPECT_EQ(again[0].SerializeAsString(), requests[0].SerializeAsString());
  EXPECT_EQ(again[1].SerializeAsString(), requests[1].SerializeAsString());
  EXPECT_THAT(out_.str(), HasSubstr("created    0"));
  EXPECT_THAT(out_.str(), HasSubstr("unchanged  3"));
  EXPECT_THAT(err_.str(), HasSubstr("] 5/5 rows"));
}

TEST_F(SkillsCliTest, ImportEscoRetriesUnavailableAndLeavesOutRefusedRows) {
  const std::string path = WriteTempFile("skills_refused.csv", EscoFile());
  google::rpc::BadRequest bad;
  auto* violation = bad.add_field_violations();
  violation->set_field("skills[1].labels[0].text");
  violation->set_description("must be at most 300 characters");
  google::rpc::Status details;
  details.set_code(grpc::StatusCode::INVALID_ARGUMENT);
  details.add_details()->PackFrom(bad);
  const grpc::Status refused(grpc::StatusCode::INVALID_ARGUMENT,
                             "skills[1].labels[0].text: too long",
                             details.SerializeAsString());
  std::vector<v1::ImportSkillsRequest> requests;
  EXPECT_CALL(stub(), ImportSkills(_, _, _))
      .WillOnce(Record(requests, Counts(0, 0, 0),
                       grpc::Status(grpc::StatusCode::UNAVAILABLE, "down")))
      .WillOnce(Record(requests, Counts(0, 0, 0), refused))
      .WillOnce(Record(requests, Counts(2, 0, 0)));
  ASSERT_EQ(Run({"skills", "import-esco", path}), 0) << err_.str();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].skills_size(), 3);
  EXPECT_EQ(requests[1].SerializeAsString(), requests[0].SerializeAsString());
  EXPECT_THAT(Ids(requests[2]),
              ElementsAre("skills/esco-0005c151-5b5a-4a66-8aac-60e734beb1ab",
                          "skills/esco-000709ed-2be5-4193-b056-45a97698d828"));
  EXPECT_THAT(out_.str(),
              HasSubstr("line 7: refused by the server: "
                        "skills[1].labels[0].text: must be at most 300"));
  EXPECT_THAT(out_.str(), HasSubstr("skipped    3"));
}

TEST_F(SkillsCliTest, ImportEscoStopsAtAFailedBatch) {
  const std::string path = WriteTempFile("skills_fail.csv", EscoFile());
  EXPECT_CALL(stub(), ImportSkills(_, _, _))
      .WillOnce(Invoke([](grpc::ClientContext*, const v1::ImportSkillsRequest&,
                          v1::ImportSkillsResponse*) {
        return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                            "administrators only");
      }));
  EXPECT_EQ(Run({"skills", "import-esco", path, "--batch-size", "2"}), 1);
  EXPECT_THAT(out_.str(), HasSubstr("failed     2"));
  EXPECT_THAT(out_.str(),
              HasSubstr("stopped: PERMISSION_DENIED: administrators only"));
  EXPECT_EQ(Run({"skills", "import-esco", "/nonexistent/skills.csv"}), 2);
}

// --------------------------------------------------------- search, get

TEST_F(SkillsCliTest, SearchPrintsATable) {
  v1::ListSkillsResponse response;
  Skill* s = response.add_skills();
  s->set_name("skills/sds-communicating");
  s->set_framework(Skill::SDS_META_SKILLS);
  s->set_group("Social intelligence");
  Skill::Label* label = s->add_labels();
  label->set_language_code("en");
  label->set_text("Communicating");
  response.set_next_page_token("tok");
  std::vector<v1::ListSkillsRequest> requests;
  EXPECT_CALL(stub(), ListSkills(_, _, _)).WillOnce(Record(requests, response));
  ASSERT_EQ(Run({"skills", "search", "commun", "--framework", "sds-meta-skills",
                 "--group", "Social \"intelligence\""}),
            0)
      << err_.str();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].query(), "commun");
  EXPECT_EQ(requests[0].filter(),
            "framework = SDS_META_SKILLS AND group = "
            "\"Social \\\"intelligence\\\"\"");
  EXPECT_EQ(out_.str(),
            "NAME                      LABEL          FRAMEWORK        GROUP\n"
            "skills/sds-communicating  Communicating  sds-meta-skills  "
            "Social intelligence\n"
            "next page: --page-token tok\n");
}

TEST_F(SkillsCliTest, GetAcceptsABareIdAndCreateMakesACustomSkill) {
  std::vector<v1::GetSkillRequest> gets;
  Skill skill;
  skill.set_name("skills/sds-focusing");
  EXPECT_CALL(stub(), GetSkill(_, _, _)).WillOnce(Record(gets, skill));
  ASSERT_EQ(Run({"skills", "get", "sds-focusing"}), 0) << err_.str();
  ASSERT_EQ(gets.size(), 1u);
  EXPECT_EQ(gets[0].name(), "skills/sds-focusing");
  EXPECT_THAT(out_.str(), HasSubstr("skills/sds-focusing"));

  std::vector<v1::CreateSkillRequest> creates;
  EXPECT_CALL(stub(), CreateSkill(_, _, _)).WillOnce(Record(creates, skill));
  ASSERT_EQ(Run({"skills", "create", "--label", "Welding", "--label-cy",
                 "Weldio", "--organisation", "school-a", "--alt-label",
                 "Metal joining", "--group", "Workshop"}),
            0)
      << err_.str();
  ASSERT_EQ(creates.size(), 1u);
  const Skill& sent = creates[0].skill();
  EXPECT_EQ(sent.framework(), Skill::CUSTOM);
  EXPECT_EQ(sent.organisation(), "organisations/school-a");
  ASSERT_EQ(sent.labels_size(), 2);
  EXPECT_EQ(sent.labels(1).language_code(), "cy");
  EXPECT_THAT(sent.alternative_labels(), ElementsAre("Metal joining"));
  EXPECT_FALSE(creates[0].request_id().empty());
}

}  // namespace
}  // namespace careers::cli
