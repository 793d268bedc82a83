// careersctl's SkillsService commands for the experience log (experiences,
// attestations, skills summary, export) against the generated SkillsService
// mock.
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "careers/v1/booking_service_mock.grpc.pb.h"
#include "careers/v1/consent_service_mock.grpc.pb.h"
#include "careers/v1/directory_service_mock.grpc.pb.h"
#include "careers/v1/profile_service_mock.grpc.pb.h"
#include "careers/v1/skills_service_mock.grpc.pb.h"
#include "clients/cli/app.h"
#include "clients/cli/output.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpcpp/test/client_context_test_peer.h"
#include "gtest/gtest.h"

namespace careers::cli {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::_;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Invoke;
using ::testing::IsEmpty;
using ::testing::StrictMock;
using v1::Attestation;
using v1::Experience;
using MockStub = StrictMock<v1::MockSkillsServiceStub>;

grpc::Status Unavailable() {
  return grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection refused");
}

const std::regex kUuid(
    "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

// Records each request of a call and answers it with `response`, or with
// `status` when it is not OK.
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

google::type::Date Day(int year, int month, int day) {
  google::type::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

Experience SampleExperience(const std::string& name) {
  Experience e;
  e.set_name(name);
  e.set_kind(v1::VOLUNTEERING);
  e.set_title("Volunteering at Leith Food Bank");
  e.set_organisation_name("Leith Food Bank");
  *e.mutable_start_date() = Day(2026, 9, 5);
  e.set_hours(7.5);
  v1::SkillClaim* claim = e.add_skills();
  claim->set_skill("skills/collaborating");
  claim->set_level(2);
  claim->set_source(v1::SELF);
  e.set_state(Experience::SELF_DECLARED);
  e.set_etag("e1");
  return e;
}

std::string WriteTempFile(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// Runs careersctl command lines against a strict SkillsService mock. RunCli
// owns and destroys the mock, so expectations go on stub() before each Run;
// a later stub() is a fresh mock.
class ExperienceCliTest : public ::testing::Test {
 protected:
  int Run(const std::vector<std::string>& args) {
    out_.str("");
    err_.str("");
    return RunCli(
        args,
        [this](const ChannelOptions&) {
          Stubs stubs{
              std::make_unique<StrictMock<v1::MockProfileServiceStub>>(),
              std::make_unique<StrictMock<v1::MockDirectoryServiceStub>>(),
              std::make_unique<StrictMock<v1::MockConsentServiceStub>>(),
              std::make_unique<StrictMock<v1::MockBookingServiceStub>>()};
          stubs.skills = std::move(owned_);
          return stubs;
        },
        out_, err_);
  }

  MockStub& stub() {
    if (owned_ == nullptr) owned_ = std::make_unique<MockStub>();
    return *owned_;
  }

  std::unique_ptr<MockStub> owned_;
  std::ostringstream out_;
  std::ostringstream err_;
};

// ------------------------------------------------------- experiences

TEST_F(ExperienceCliTest, AddSendsEveryFieldAndOneGeneratedRequestId) {
  std::vector<v1::CreateExperienceRequest> requests;
  const Experience created = SampleExperience("profiles/p1/experiences/x1");
  EXPECT_CALL(stub(), CreateExperience(_, _, _))
      .WillOnce(Record(requests, created, Unavailable()))
      .WillOnce(Record(requests, created));
  const std::string sha(64, 'A');
  ASSERT_EQ(Run({"experiences",
                 "add",
                 "profiles/p1",
                 "--kind",
                 "work-experience",
                 "--title",
                 "Work experience at Leith Garage",
                 "--organisation-name",
                 "Leith Garage",
                 "--start",
                 "2026-06-01",
                 "--end",
                 "2026-06-05",
                 "--hours",
                 "37.5",
                 "--reflection",
                 "I learned to diagnose faults",
                 "--skill",
                 "skills/focusing:3",
                 "--skill",
                 "skills/collaborating:2:employer",
                 "--evidence",
                 "https://example.org/cert.pdf,application/pdf," + sha,
                 "--evidence",
                 "https://example.org/photo"}),
            0)
      << err_.str();
  ASSERT_EQ(requests.size(), 2u);  // retried: the request id makes it safe
  const v1::CreateExperienceRequest& request = requests[0];
  EXPECT_EQ(request.parent(), "profiles/p1");
  const Experience& e = request.experience();
  EXPECT_EQ(e.kind(), v1::WORK_EXPERIENCE);
  EXPECT_EQ(e.title(), "Work experience at Leith Garage");
  EXPECT_EQ(e.organisation_name(), "Leith Garage");
  EXPECT_TRUE(MessageDifferencer::Equals(e.start_date(), Day(2026, 6, 1)));
  EXPECT_TRUE(MessageDifferencer::Equals(e.end_date(), Day(2026, 6, 5)));
  EXPECT_EQ(e.hours(), 37.5);
  EXPECT_EQ(e.reflection(), "I learned to diagnose faults");
  ASSERT_EQ(e.skills_size(), 2);
  EXPECT_EQ(e.skills(0).skill(), "skills/focusing");
  EXPECT_EQ(e.skills(0).level(), 3);
  EXPECT_EQ(e.skills(0).source(), v1::SKILL_SOURCE_UNSPECIFIED);
  EXPECT_EQ(e.skills(1).skill(), "skills/collaborating");
  EXPECT_EQ(e.skills(1).level(), 2);
  EXPECT_EQ(e.skills(1).source(), v1::EMPLOYER);
  ASSERT_EQ(e.evidence_size(), 2);
  EXPECT_EQ(e.evidence(0).uri(), "https://example.org/cert.pdf");
  EXPECT_EQ(e.evidence(0).content_type(), "application/pdf");
  EXPECT_EQ(e.evidence(0).sha256(), std::string(64, 'a'));  // lower case
  EXPECT_EQ(e.evidence(1).uri(), "https://example.org/photo");
  EXPECT_EQ(e.evidence(1).content_type(), "");
  EXPECT_EQ(e.evidence(1).sha256(), "");
  EXPECT_TRUE(std::regex_match(request.request_id(), kUuid))
      << request.request_id();
  EXPECT_EQ(requests[1].request_id(), request.request_id());
  EXPECT_THAT(out_.str(),
              HasSubstr("name          profiles/p1/experiences/x1\n"));
  EXPECT_THAT(out_.str(), HasSubstr("\nhours         7.5\n"));
  EXPECT_THAT(out_.str(),
              HasSubstr("\nskills        skills/collaborating level 2 "
                        "(self)\n"));
  EXPECT_THAT(out_.str(), HasSubstr("\nstate         self-declared\n"));
}

TEST_F(ExperienceCliTest, AddKeepsAGivenRequestIdAndReadsAReflectionFile) {
  std::vector<v1::CreateExperienceRequest> requests;
  EXPECT_CALL(stub(), CreateExperience(_, _, _))
      .WillOnce(Record(requests, Experience()));
  const std::string path =
      WriteTempFile("reflection.txt", "Line one.\nLine two, with a comma.\n\n");
  ASSERT_EQ(Run({"experiences", "add", "profiles/p1", "--kind", "award",
                 "--title", "Bronze DofE", "--start", "2026-01-10",
                 "--reflection-file", path, "--request-id", "my-id"}),
            0)
      << err_.str();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].request_id(), "my-id");
  EXPECT_EQ(requests[0].experience().kind(), v1::AWARD);
  EXPECT_EQ(requests[0].experience().reflection(),
            "Line one.\nLine two, with a comma.");
  EXPECT_THAT(requests[0].experience().skills(), IsEmpty());
  EXPECT_FALSE(requests[0].experience().has_end_date());
}

TEST_F(ExperienceCliTest, AddRejectsBadSkillsEvidenceAndHoursWithAMessage) {
  const std::vector<std::string> base = {
      "experiences", "add",     "profiles/p1", "--kind",    "project",
      "--title",     "A robot", "--start",     "2026-01-10"};
  const auto run = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return Run(args);
  };
  EXPECT_EQ(run({"--skill", "skills/focusing:5"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("the level is a whole number from 1 to 4"));
  EXPECT_EQ(run({"--skill", "skills/focusing:0"}), 2);
  EXPECT_EQ(run({"--skill", "skills/focusing"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("write SKILL:LEVEL[:SOURCE]"));
  EXPECT_EQ(run({"--skill", "focusing:3"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("the skill is a name skills/{skill}"));
  EXPECT_EQ(run({"--skill", "skills/focusing:three"}), 2);
  EXPECT_EQ(run({"--skill", "skills/focusing:3:boss"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("self|adviser|employer"));
  EXPECT_EQ(run({"--skill", "skills/focusing:3:self:x"}), 2);
  EXPECT_EQ(run({"--evidence", "https://x/a,pdf"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("'pdf' is not a media type"));
  EXPECT_EQ(run({"--evidence", "https://x/a,application/pdf,abc"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("is not a SHA-256"));
  EXPECT_EQ(run({"--evidence", ",application/pdf"}), 2);
  EXPECT_EQ(run({"--hours", "-1"}), 2);
  EXPECT_EQ(run({"--hours", "seven"}), 2);
  EXPECT_EQ(run({"--hours", "inf"}), 2);
  EXPECT_EQ(run({"--reflection", "x", "--reflection-file", "/dev/null"}), 2);

  // The required fields (checked after --json could have given them).
  EXPECT_EQ(Run({"experiences", "add", "profiles/p1", "--title", "A robot",
                 "--start", "2026-01-10"}),
            2);
  EXPECT_THAT(err_.str(), HasSubstr("--kind is required"));
  EXPECT_EQ(Run({"experiences", "add", "profiles/p1", "--kind", "project",
                 "--title", "A robot"}),
            2);
  EXPECT_THAT(err_.str(), HasSubstr("--start is required"));
  EXPECT_EQ(Run({"experiences", "add", "profiles/p1", "--kind", "kayaking",
                 "--title", "A robot", "--start", "2026-01-10"}),
            2);
}

TEST_F(ExperienceCliTest, AddFromJsonWithFlagsOverriding) {
  std::vector<v1::CreateExperienceRequest> requests;
  EXPECT_CALL(stub(), CreateExperience(_, _, _))
      .WillOnce(Record(requests, Experience()));
  const std::string path = WriteTempFile(
      "experience.json",
      R"({"kind": "COURSE", "title": "First aid", "startDate": {"year": 2026,
          "month": 2, "day": 3}, "skills": [{"skill": "skills/feeling",
          "level": 1}]})");
  ASSERT_EQ(Run({"experiences", "add", "profiles/p1", "--json", path, "--title",
                 "First aid (St Andrew's)"}),
            0)
      << err_.str();
  ASSERT_EQ(requests.size(), 1u);
  const Experience& e = requests[0].experience();
  EXPECT_EQ(e.kind(), v1::COURSE);
  EXPECT_EQ(e.title(), "First aid (St Andrew's)");
  ASSERT_EQ(e.skills_size(), 1);
  EXPECT_EQ(e.skills(0).skill(), "skills/feeling");
}

TEST_F(ExperienceCliTest, ListBuildsTheFilterAndFollowsPages) {
  std::vector<v1::ListExperiencesRequest> requests;
  v1::ListExperiencesResponse first;
  *first.add_experiences() = SampleExperience("profiles/p1/experiences/x2");
  first.set_next_page_token("page-2");
  v1::ListExperiencesResponse second;
  *second.add_experiences() = SampleExperience("profiles/p1/experiences/x1");
  EXPECT_CALL(stub(), ListExperiences(_, _, _))
      .WillOnce(Record(requests, first))
      .WillOnce(Record(requests, second));
  ASSERT_EQ(
      Run({"experiences", "list", "profiles/p1", "--kind", "volunteering",
           "--state", "verified", "--skill", "skills/focusing", "--from",
           "2026-01-01", "--to", "2026-12-31", "--page-size", "1", "--all"}),
      0)
      << err_.str();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].parent(), "profiles/p1");
  EXPECT_EQ(requests[0].filter(),
            "kind = VOLUNTEERING AND state = VERIFIED AND skill = "
            "\"skills/focusing\"");
  EXPECT_EQ(requests[0].page_size(), 1);
  EXPECT_TRUE(MessageDifferencer::Equals(requests[0].start_date_from(),
                                         Day(2026, 1, 1)));
  EXPECT_TRUE(MessageDifferencer::Equals(requests[0].start_date_to(),
                                         Day(2026, 12, 31)));
  EXPECT_EQ(requests[0].page_token(), "");
  EXPECT_EQ(requests[1].page_token(), "page-2");
  EXPECT_EQ(requests[1].filter(), requests[0].filter());
  EXPECT_EQ(out_.str(),
            "NAME                        KIND          TITLE                 "
            "           START       END  HOURS  SKILLS  STATE\n"
            "profiles/p1/experiences/x2  volunteering  Volunteering at Leith "
            "Food Bank  2026-09-05       7.5    1       self-declared\n"
            "profiles/p1/experiences/x1  volunteering  Volunteering at Leith "
            "Food Bank  2026-09-05       7.5    1       self-declared\n");

  // One page without --all, with its token shown; bad dates are usage errors.
  EXPECT_CALL(stub(), ListExperiences(_, _, _))
      .WillOnce(Record(requests, first));
  ASSERT_EQ(Run({"experiences", "list", "profiles/p1"}), 0) << err_.str();
  EXPECT_EQ(requests.back().filter(), "");
  EXPECT_FALSE(requests.back().has_start_date_from());
  EXPECT_THAT(out_.str(), HasSubstr("next page: --page-token page-2\n"));
  EXPECT_EQ(Run({"experiences", "list", "profiles/p1", "--from", "2026-02-30"}),
            2);
  EXPECT_EQ(Run({"experiences", "list"}), 2);
}

TEST_F(ExperienceCliTest, GetPrintsJsonThatParsesBack) {
  std::vector<v1::GetExperienceRequest> requests;
  const Experience sample = SampleExperience("profiles/p1/experiences/x1");
  EXPECT_CALL(stub(), GetExperience(_, _, _))
      .WillOnce(Record(requests, sample));
  ASSERT_EQ(
      Run({"experiences", "get", "profiles/p1/experiences/x1", "-o", "json"}),
      0)
      << err_.str();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].name(), "profiles/p1/experiences/x1");
  EXPECT_THAT(out_.str(), HasSubstr("\"organisationName\""));
  Experience parsed;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(out_.str(), &parsed).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(parsed, sample));
}

TEST_F(ExperienceCliTest, UpdateSendsTheGivenPathsAndNeedsAnEtag) {
  std::vector<v1::UpdateExperienceRequest> requests;
  EXPECT_CALL(stub(), UpdateExperience(_, _, _))
      .WillOnce(Record(requests, Experience(), Unavailable()));
  EXPECT_EQ(
      Run({"experiences", "update", "profiles/p1/experiences/x1", "--title",
           "New title", "--hours", "12", "--skill", "skills/leading:4:adviser",
           "--update-mask", "end_date", "--etag", "e7"}),
      1);  // not retried
  ASSERT_EQ(requests.size(), 1u);
  const Experience& e = requests[0].experience();
  EXPECT_EQ(e.name(), "profiles/p1/experiences/x1");
  EXPECT_EQ(e.etag(), "e7");
  EXPECT_EQ(e.title(), "New title");
  EXPECT_EQ(e.hours(), 12);
  ASSERT_EQ(e.skills_size(), 1);
  EXPECT_EQ(e.skills(0).source(), v1::ADVISER);
  EXPECT_FALSE(e.has_end_date());  // cleared: in the mask, not set
  EXPECT_THAT(requests[0].update_mask().paths(),
              ElementsAre("end_date", "title", "hours", "skills"));

  EXPECT_EQ(Run({"experiences", "update", "profiles/p1/experiences/x1",
                 "--title", "New title"}),
            2);
  EXPECT_THAT(err_.str(), HasSubstr("--etag is required"));
  EXPECT_EQ(Run({"experiences", "update", "profiles/p1/experiences/x1",
                 "--etag", "e7"}),
            2);
  EXPECT_THAT(err_.str(), HasSubstr("nothing to update"));
}

TEST_F(ExperienceCliTest, VoidSendsReasonAndEtagAndIsNotRetried) {
  std::vector<v1::VoidExperienceRequest> requests;
  EXPECT_CALL(stub(), VoidExperience(_, _, _))
      .WillOnce(Record(requests, Experience(), Unavailable()));
  EXPECT_EQ(Run({"experiences", "void", "profiles/p1/experiences/x1",
                 "--reason", "Logged twice", "--etag", "e3"}),
            1);
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].name(), "profiles/p1/experiences/x1");
  EXPECT_EQ(requests[0].reason(), "Logged twice");
  EXPECT_EQ(requests[0].etag(), "e3");
  EXPECT_THAT(err_.str(), HasSubstr("UNAVAILABLE"));

  Experience voided = SampleExperience("profiles/p1/experiences/x1");
  voided.set_state(Experience::VOIDED);
  voided.set_void_reason("Logged twice");
  EXPECT_CALL(stub(), VoidExperience(_, _, _))
      .WillOnce(Record(requests, voided));
  ASSERT_EQ(Run({"experiences", "void", "profiles/p1/experiences/x1",
                 "--reason", "Logged twice"}),
            0);
  EXPECT_EQ(requests.back().etag(), "");
  EXPECT_THAT(out_.str(), HasSubstr("\nstate         voided\n"));
  EXPECT_THAT(out_.str(), HasSubstr("\nvoid reason   Logged twice\n"));

  EXPECT_EQ(Run({"experiences", "void", "profiles/p1/experiences/x1"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("--reason is required"));
}

// ------------------------------------------------------ attestations

TEST_F(ExperienceCliTest, RequestAttestationOfAnAdviserOrAReferee) {
  std::vector<v1::RequestAttestationRequest> requests;
  Attestation pending;
  pending.set_name("profiles/p1/experiences/x1/attestations/a1");
  pending.set_state(Attestation::PENDING);
  pending.set_adviser("advisers/morag");
  EXPECT_CALL(stub(), RequestAttestation(_, _, _))
      .WillOnce(Record(requests, pending, Unavailable()))
      .WillOnce(Record(requests, pending));
  ASSERT_EQ(Run({"attestations", "request", "profiles/p1/experiences/x1",
                 "--adviser", "advisers/morag"}),
            0)
      << err_.str();
  ASSERT_EQ(requests.size(), 2u);  // retried with the same request id
  EXPECT_EQ(requests[0].parent(), "profiles/p1/experiences/x1");
  EXPECT_EQ(requests[0].attestation().adviser(), "advisers/morag");
  EXPECT_FALSE(requests[0].attestation().has_referee());
  EXPECT_TRUE(std::regex_match(requests[0].request_id(), kUuid));
  EXPECT_EQ(requests[1].request_id(), requests[0].request_id());
  EXPECT_THAT(out_.str(), HasSubstr("\nattester      advisers/morag\n"));

  pending.mutable_referee()->set_display_name("Ali Khan");
  pending.mutable_referee()->set_email("ali@leithgarage.example");
  pending.mutable_referee()->set_organisation_name("Leith Garage");
  EXPECT_CALL(stub(), RequestAttestation(_, _, _))
      .WillOnce(Record(requests, pending));
  ASSERT_EQ(Run({"attestations", "request", "profiles/p1/experiences/x1",
                 "--referee-name", "Ali Khan", "--referee-email",
                 "ali@leithgarage.example", "--referee-organisation",
                 "Leith Garage", "--request-id", "r1"}),
            0)
      << err_.str();
  const Attestation& referee = requests.back().attestation();
  EXPECT_EQ(referee.attester_case(), Attestation::kReferee);
  EXPECT_EQ(referee.referee().display_name(), "Ali Khan");
  EXPECT_EQ(referee.referee().email(), "ali@leithgarage.example");
  EXPECT_EQ(referee.referee().organisation_name(), "Leith Garage");
  EXPECT_EQ(requests.back().request_id(), "r1");
  EXPECT_THAT(out_.str(),
              HasSubstr("\nattester      Ali Khan <ali@leithgarage.example>, "
                        "Leith Garage\n"));

  // Exactly one attester, and a referee needs both name and email.
  const std::string experience = "profiles/p1/experiences/x1";
  EXPECT_EQ(Run({"attestations", "request", experience}), 2);
  EXPECT_EQ(
      Run({"attestations", "request", experience, "--adviser", "advisers/morag",
           "--referee-name", "Ali", "--referee-email", "ali@x.example"}),
      2);
  EXPECT_EQ(
      Run({"attestations", "request", experience, "--referee-name", "Ali"}), 2);
  EXPECT_EQ(Run({"attestations", "request", experience, "--referee-email",
                 "ali@x.example"}),
            2);
  EXPECT_EQ(Run({"attestations", "request", experience, "--adviser",
                 "advisers/morag", "--referee-organisation", "Garage"}),
            2);
}

TEST_F(ExperienceCliTest, DecideMapsTheDecisionPassesTheRefereeTokenOnce) {
  std::vector<v1::DecideAttestationRequest> requests;
  std::multimap<std::string, std::string> metadata;
  Attestation decided;
  decided.set_state(Attestation::VERIFIED);
  EXPECT_CALL(stub(), DecideAttestation(_, _, _))
      .WillOnce(Invoke([&](grpc::ClientContext* context,
                           const v1::DecideAttestationRequest& request,
                           Attestation* out) {
        metadata = grpc::testing::ClientContextTestPeer(context)
                       .GetSendInitialMetadata();
        requests.push_back(request);
        *out = decided;
        return grpc::Status::OK;
      }));
  const std::string name = "profiles/p1/experiences/x1/attestations/a1";
  ASSERT_EQ(Run({"attestations", "decide", name, "--verified", "--comment",
                 "Reliable and keen", "--referee-token", "ref-tok", "--token",
                 "service-bearer"}),
            0)
      << err_.str();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].name(), name);
  EXPECT_EQ(requests[0].decision(), Attestation::VERIFIED);
  EXPECT_EQ(requests[0].comment(), "Reliable and keen");
  EXPECT_EQ(requests[0].referee_token(), "ref-tok");
  // The global --token stays the caller's bearer token.
  EXPECT_THAT(metadata, ElementsAre(std::pair<const std::string, std::string>(
                            "authorization", "Bearer service-bearer")));

  EXPECT_CALL(stub(), DecideAttestation(_, _, _))
      .WillOnce(Record(requests, decided, Unavailable()));
  EXPECT_EQ(Run({"attestations", "decide", name, "--rejected"}), 1);
  ASSERT_EQ(requests.size(), 2u);  // not retried
  EXPECT_EQ(requests[1].decision(), Attestation::REJECTED);
  EXPECT_EQ(requests[1].referee_token(), "");

  EXPECT_EQ(Run({"attestations", "decide", name}), 2);
  EXPECT_EQ(Run({"attestations", "decide", name, "--verified", "--rejected"}),
            2);
}

TEST_F(ExperienceCliTest, ListAttestationsOfAnExperience) {
  std::vector<v1::ListAttestationsRequest> requests;
  v1::ListAttestationsResponse response;
  Attestation* a = response.add_attestations();
  a->set_name("profiles/p1/experiences/x1/attestations/a1");
  a->set_adviser("advisers/morag");
  a->set_state(Attestation::REJECTED);
  a->mutable_create_time()->set_seconds(1780000000);
  EXPECT_CALL(stub(), ListAttestations(_, _, _))
      .WillOnce(Record(requests, response));
  ASSERT_EQ(Run({"attestations", "list", "profiles/p1/experiences/x1"}), 0)
      << err_.str();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].parent(), "profiles/p1/experiences/x1");
  EXPECT_EQ(out_.str(),
            "NAME                                        ATTESTER        "
            "STATE     REQUESTED             DECIDED\n"
            "profiles/p1/experiences/x1/attestations/a1  advisers/morag  "
            "rejected  2026-05-28T20:26:40Z\n");
}

// ---------------------------------------------- summary and export

TEST_F(ExperienceCliTest, SkillsSummaryTable) {
  std::vector<v1::GetSkillsSummaryRequest> requests;
  v1::SkillsSummary summary;
  summary.set_profile("profiles/p1");
  v1::SkillsSummary::Entry* entry = summary.add_entries();
  entry->set_skill("skills/sds-communicating");
  entry->set_label("Communicating");
  entry->set_experience_count(3);
  entry->set_total_hours(42.25);
  entry->set_verified_count(1);
  entry->set_max_level(3);
  *entry->mutable_first_evidenced() = Day(2025, 9, 1);
  *entry->mutable_last_evidenced() = Day(2026, 6, 5);
  entry = summary.add_entries();
  entry->set_skill("skills/x-unlabelled");
  entry->set_experience_count(1);
  entry->set_total_hours(150000);
  entry->set_max_level(1);
  *entry->mutable_first_evidenced() = Day(2026, 1, 10);
  *entry->mutable_last_evidenced() = Day(2026, 1, 10);
  EXPECT_CALL(stub(), GetSkillsSummary(_, _, _))
      .WillOnce(Record(requests, summary));
  ASSERT_EQ(Run({"skills", "summary", "profiles/p1"}), 0) << err_.str();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].profile(), "profiles/p1");
  EXPECT_EQ(out_.str(),
            "SKILL                EXPERIENCES  HOURS   VERIFIED  MAX LEVEL  "
            "FIRST       LAST\n"
            "Communicating        3            42.25   1         3          "
            "2025-09-01  2026-06-05\n"
            "skills/x-unlabelled  1            150000  0         1          "
            "2026-01-10  2026-01-10\n");

  EXPECT_CALL(stub(), GetSkillsSummary(_, _, _))
      .WillOnce(Record(requests, v1::SkillsSummary()));
  ASSERT_EQ(Run({"skills", "summary", "profiles/p1"}), 0);
  EXPECT_EQ(out_.str(), "No skills evidenced.\n");

  EXPECT_CALL(stub(), GetSkillsSummary(_, _, _))
      .WillOnce(Record(requests, summary));
  ASSERT_EQ(Run({"skills", "summary", "profiles/p1", "-o", "json"}), 0);
  v1::SkillsSummary parsed;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(out_.str(), &parsed).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(parsed, summary));
}

TEST_F(ExperienceCliTest, ExportWritesExactlyTheBodyBytes) {
  std::vector<v1::ExportSkillsRecordRequest> requests;
  google::api::HttpBody body;
  body.set_content_type("application/json");
  // No trailing newline, non-ASCII text and a NUL: written as they are.
  const std::string bytes =
      std::string("{\"basics\":{\"name\":\"Siân\"}}") + '\0' + "x";
  body.set_data(bytes);
  EXPECT_CALL(stub(), ExportSkillsRecord(_, _, _))
      .WillOnce(Record(requests, body, Unavailable()))
      .WillOnce(Record(requests, body));
  ASSERT_EQ(Run({"export", "profiles/p1", "--format", "jsonresume"}), 0)
      << err_.str();
  ASSERT_EQ(requests.size(), 2u);  // a read: retried
  EXPECT_EQ(requests[0].profile(), "profiles/p1");
  EXPECT_EQ(requests[0].format(), v1::ExportSkillsRecordRequest::JSON_RESUME);
  EXPECT_EQ(out_.str(), bytes);
  EXPECT_EQ(err_.str(), "");

  EXPECT_CALL(stub(), ExportSkillsRecord(_, _, _))
      .WillOnce(Record(requests, body));
  ASSERT_EQ(Run({"export", "profiles/p1", "--format", "XAPI"}), 0);
  EXPECT_EQ(requests.back().format(), v1::ExportSkillsRecordRequest::XAPI);

  EXPECT_EQ(Run({"export", "profiles/p1", "--format", "pdf"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("not one of jsonresume|xapi"));
  EXPECT_EQ(Run({"export", "profiles/p1"}), 2);

  EXPECT_CALL(stub(), ExportSkillsRecord(_, _, _))
      .WillOnce(Record(
          requests, body,
          grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "not yours")));
  EXPECT_EQ(Run({"export", "profiles/p2", "--format", "xapi"}), 1);
  EXPECT_EQ(out_.str(), "");
  EXPECT_THAT(err_.str(), HasSubstr("PERMISSION_DENIED: not yours"));
}

TEST(FormatHoursTest, QuartersWithoutTrailingZerosOrExponents) {
  EXPECT_EQ(FormatHours(7.5), "7.5");
  EXPECT_EQ(FormatHours(12), "12");
  EXPECT_EQ(FormatHours(0.25), "0.25");
  EXPECT_EQ(FormatHours(0), "0");
  EXPECT_EQ(FormatHours(200000000), "200000000");
}

}  // namespace
}  // namespace careers::cli
