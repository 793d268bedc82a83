// Unit tests of careersctl: command lines run through RunCli against the
// generated gMock stub, plus the flag parsers and printers they rely on.
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "careers/v1/directory_service_mock.grpc.pb.h"
#include "careers/v1/profile_service.grpc.pb.h"
#include "careers/v1/profile_service_mock.grpc.pb.h"
#include "clients/cli/app.h"
#include "clients/cli/errors.h"
#include "clients/cli/flags.h"
#include "clients/cli/output.h"
#include "clients/cli/resource_flags.h"
#include "clients/cli/rpc.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/test/client_context_test_peer.h"
#include "gtest/gtest.h"

namespace careers::cli {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::_;
using ::testing::DoAll;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Invoke;
using ::testing::IsEmpty;
using ::testing::Return;
using ::testing::SaveArg;
using ::testing::SetArgPointee;
using ::testing::StrictMock;
using v1::Action;
using v1::Goal;
using v1::Profile;

grpc::Status Unavailable() {
  return grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection refused");
}

Profile SampleProfile() {
  Profile p;
  p.set_name("profiles/p1");
  p.set_given_name("Siân");
  p.set_family_name("MacLeod");
  p.mutable_birth_date()->set_year(2009);
  p.mutable_birth_date()->set_month(3);
  p.mutable_birth_date()->set_day(7);
  p.set_life_stage(Profile::CAREER_CHANGE);
  p.set_support_level(Profile::TARGETED);
  p.mutable_contact()->set_email("sian@example.org");
  p.add_career_interests("nursing");
  p.mutable_create_time()->set_seconds(1717147800);  // 2024-05-31T09:30:00Z
  p.set_etag("e1");
  return p;
}

std::string WriteTempFile(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

// Runs careersctl command lines against a strict mock stub.
class CliTest : public ::testing::Test {
 protected:
  // The mock is handed to RunCli (which owns and destroys it), so each test
  // runs one command line and sets expectations on stub_ before Run.
  int Run(const std::vector<std::string>& args) {
    return RunCli(
        args,
        [this](const std::string& address) {
          ++stubs_made_;
          address_ = address;
          return Stubs{std::move(owned_stub_), std::move(owned_directory_)};
        },
        out_, err_);
  }

  std::unique_ptr<StrictMock<v1::MockProfileServiceStub>> owned_stub_ =
      std::make_unique<StrictMock<v1::MockProfileServiceStub>>();
  StrictMock<v1::MockProfileServiceStub>& stub_ = *owned_stub_;
  std::unique_ptr<StrictMock<v1::MockDirectoryServiceStub>> owned_directory_ =
      std::make_unique<StrictMock<v1::MockDirectoryServiceStub>>();
  int stubs_made_ = 0;
  std::string address_;
  std::ostringstream out_;
  std::ostringstream err_;
};

// --- Usage errors: exit 2 and no RPC. ---

TEST_F(CliTest, UnknownFlagIsUsageError) {
  EXPECT_EQ(Run({"profiles", "get", "profiles/p1", "--bogus"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("--bogus"));
  EXPECT_EQ(stubs_made_, 0);
}

TEST_F(CliTest, BadDateIsUsageError) {
  EXPECT_EQ(Run({"profiles", "create", "--given-name", "A", "--birth-date",
                 "2023-02-29"}),
            2);
  EXPECT_THAT(err_.str(), HasSubstr("--birth-date"));
  EXPECT_EQ(stubs_made_, 0);
}

TEST_F(CliTest, UnknownEnumIsUsageError) {
  EXPECT_EQ(Run({"goals", "create", "profiles/p1", "--type", "astronaut"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("subject-choice|learning"));
  EXPECT_EQ(stubs_made_, 0);
}

TEST_F(CliTest, UnspecifiedEnumValueIsUsageError) {
  EXPECT_EQ(Run({"profiles", "list", "--life-stage", "life-stage-unspecified"}),
            2);
  EXPECT_EQ(stubs_made_, 0);
}

TEST_F(CliTest, BadTimeoutAndOutputAreUsageErrors) {
  EXPECT_EQ(Run({"--timeout", "soon", "profiles", "get", "profiles/p1"}), 2);
  EXPECT_EQ(Run({"--output", "yaml", "profiles", "get", "profiles/p1"}), 2);
  EXPECT_EQ(stubs_made_, 0);
}

TEST_F(CliTest, MissingSubcommandOrNameIsUsageError) {
  EXPECT_EQ(Run({}), 2);
  EXPECT_EQ(Run({"goals"}), 2);
  EXPECT_EQ(Run({"goals", "achieve"}), 2);
  EXPECT_EQ(stubs_made_, 0);
}

TEST_F(CliTest, RawFilterExcludesFilterFlags) {
  EXPECT_EQ(Run({"profiles", "list", "--filter", "life_stage = SCHOOL",
                 "--life-stage", "school"}),
            2);
  EXPECT_EQ(stubs_made_, 0);
}

TEST_F(CliTest, UpdateWithNothingToUpdateIsUsageError) {
  EXPECT_EQ(Run({"goals", "update", "profiles/p1/goals/g1"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("nothing to update"));
}

TEST_F(CliTest, HelpExitsZero) {
  EXPECT_EQ(Run({"--help"}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("profiles"));
  EXPECT_EQ(Run({"profiles", "create", "--help"}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("--birth-date YYYY-MM-DD"));
  EXPECT_EQ(stubs_made_, 0);
}

// --- Global flags. ---

TEST_F(CliTest, ServerFlag) {
  EXPECT_CALL(stub_, GetProfile(_, _, _)).WillOnce(Return(grpc::Status::OK));
  ASSERT_EQ(Run({"profiles", "get", "profiles/p1", "--server", "h:1"}), 0);
  EXPECT_EQ(address_, "h:1");
}

TEST_F(CliTest, ServerFromEnvironment) {
  setenv("CAREERS_SERVER", "env-host:2", 1);
  EXPECT_CALL(stub_, GetProfile(_, _, _)).WillOnce(Return(grpc::Status::OK));
  const int code = Run({"profiles", "get", "profiles/p1"});
  unsetenv("CAREERS_SERVER");
  ASSERT_EQ(code, 0);
  EXPECT_EQ(address_, "env-host:2");
}

TEST_F(CliTest, TokenIsSentAsBearerMetadataWithDeadline) {
  std::multimap<std::string, std::string> metadata;
  std::chrono::system_clock::time_point deadline;
  const auto before = std::chrono::system_clock::now();
  EXPECT_CALL(stub_, GetGoal(_, _, _))
      .WillOnce(Invoke([&](grpc::ClientContext* context, const auto&, auto*) {
        metadata = grpc::testing::ClientContextTestPeer(context)
                       .GetSendInitialMetadata();
        deadline = context->deadline();
        return grpc::Status::OK;
      }));
  ASSERT_EQ(Run({"--token", "t0k", "--timeout", "1m", "goals", "get",
                 "profiles/p1/goals/g1"}),
            0);
  EXPECT_THAT(metadata, ElementsAre(std::pair<const std::string, std::string>(
                            "authorization", "Bearer t0k")));
  EXPECT_GE(deadline, before + std::chrono::seconds(59));
  EXPECT_LE(deadline,
            std::chrono::system_clock::now() + std::chrono::seconds(61));
}

TEST(PrepareContextTest, NoTokenNoAuthorization) {
  grpc::ClientContext context;
  PrepareContext(CallOptions{absl::Milliseconds(500), ""}, context);
  EXPECT_THAT(
      grpc::testing::ClientContextTestPeer(&context).GetSendInitialMetadata(),
      IsEmpty());
  EXPECT_LE(context.deadline(),
            std::chrono::system_clock::now() + std::chrono::milliseconds(500));
}

// --- Create and retries. ---

TEST_F(CliTest, CreateGeneratesRequestIdAndReusesItOnRetry) {
  std::vector<v1::CreateProfileRequest> requests;
  auto record = [&](grpc::Status status) {
    return Invoke([&requests, status](grpc::ClientContext*,
                                      const v1::CreateProfileRequest& request,
                                      Profile* response) {
      requests.push_back(request);
      if (status.ok()) *response = SampleProfile();
      return status;
    });
  };
  EXPECT_CALL(stub_, CreateProfile(_, _, _))
      .WillOnce(record(Unavailable()))
      .WillOnce(record(grpc::Status::OK));
  ASSERT_EQ(Run({"profiles", "create", "--id", "sian", "--given-name", "Siân",
                 "--family-name", "MacLeod", "--birth-date", "2009-03-07",
                 "--life-stage", "school", "--interest", "nursing",
                 "--interest", "law"}),
            0)
      << err_.str();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_TRUE(std::regex_match(
      requests[0].request_id(),
      std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                 "[0-9a-f]{12}")))
      << requests[0].request_id();
  EXPECT_EQ(requests[1].request_id(), requests[0].request_id());
  EXPECT_EQ(requests[0].profile_id(), "sian");
  const Profile& sent = requests[0].profile();
  EXPECT_EQ(sent.given_name(), "Siân");
  EXPECT_EQ(sent.birth_date().year(), 2009);
  EXPECT_EQ(sent.birth_date().day(), 7);
  EXPECT_EQ(sent.life_stage(), Profile::SCHOOL);
  EXPECT_THAT(sent.career_interests(), ElementsAre("nursing", "law"));
  EXPECT_THAT(out_.str(), HasSubstr("profiles/p1"));
}

TEST_F(CliTest, CreateGivesUpAfterThreeUnavailable) {
  EXPECT_CALL(stub_, CreateGoal(_, _, _))
      .Times(3)
      .WillRepeatedly(Return(Unavailable()));
  EXPECT_EQ(Run({"goals", "create", "profiles/p1", "--title", "Apply", "--type",
                 "EMPLOYMENT", "--request-id", "r-1"}),
            1);
  EXPECT_EQ(err_.str(), "error: UNAVAILABLE: connection refused\n");
}

TEST_F(CliTest, UpdateIsNotRetried) {
  EXPECT_CALL(stub_, UpdateGoal(_, _, _)).WillOnce(Return(Unavailable()));
  EXPECT_EQ(Run({"goals", "update", "profiles/p1/goals/g1", "--title", "x"}),
            1);
}

TEST_F(CliTest, StateChangeIsNotRetriedAndSendsEtag) {
  v1::CancelActionRequest request;
  EXPECT_CALL(stub_, CancelAction(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&request), Return(Unavailable())));
  EXPECT_EQ(
      Run({"actions", "cancel", "profiles/p1/actions/a1", "--etag", "\"7\""}),
      1);
  EXPECT_EQ(request.name(), "profiles/p1/actions/a1");
  EXPECT_EQ(request.etag(), "\"7\"");
}

TEST_F(CliTest, CreateFromJsonWithFlagsOverriding) {
  const std::string path = WriteTempFile(
      "action.json",
      R"({"title": "From file", "owner": "PERSON", "dueDate": {"year": 2030,
          "month": 1, "day": 2}})");
  v1::CreateActionRequest request;
  EXPECT_CALL(stub_, CreateAction(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&request), Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"actions", "create", "profiles/p1", "--json", path, "--owner",
                 "adviser", "--signpost-uri", "https://x.example"}),
            0)
      << err_.str();
  EXPECT_EQ(request.parent(), "profiles/p1");
  EXPECT_EQ(request.action().title(), "From file");
  EXPECT_EQ(request.action().owner(), Action::ADVISER);
  EXPECT_EQ(request.action().due_date().year(), 2030);
  EXPECT_EQ(request.action().signposted_to().uri(), "https://x.example");
}

TEST_F(CliTest, BadJsonFileIsUsageError) {
  const std::string path = WriteTempFile("bad.json", R"({"nonsense": 1})");
  EXPECT_EQ(Run({"goals", "create", "profiles/p1", "--json", path}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("careers.v1.Goal"));
}

// --- Update masks. ---

TEST_F(CliTest, UpdateMaskIsExactlyTheGivenFlags) {
  v1::UpdateProfileRequest request;
  EXPECT_CALL(stub_, UpdateProfile(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&request), Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"profiles", "update", "profiles/p1", "--email", "a@b.org",
                 "--support-level", "Intensive", "--given-name", "Ann",
                 "--etag", "e1"}),
            0)
      << err_.str();
  EXPECT_THAT(request.update_mask().paths(),
              ElementsAre("given_name", "contact.email", "support_level"));
  Profile expected;
  expected.set_name("profiles/p1");
  expected.set_given_name("Ann");
  expected.mutable_contact()->set_email("a@b.org");
  expected.set_support_level(Profile::INTENSIVE);
  expected.set_etag("e1");
  EXPECT_TRUE(MessageDifferencer::Equals(request.profile(), expected))
      << request.profile().DebugString();
}

TEST_F(CliTest, UpdateMaskFromJsonAndExplicitPaths) {
  const std::string path = WriteTempFile(
      "goal.json", R"({"title": "T", "description": "D", "etag": "old"})");
  v1::UpdateGoalRequest request;
  EXPECT_CALL(stub_, UpdateGoal(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&request), Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"goals", "update", "profiles/p1/goals/g1", "--json", path,
                 "--update-mask", "title,description", "--target-date",
                 "2031-12-31"}),
            0)
      << err_.str();
  EXPECT_THAT(request.update_mask().paths(),
              ElementsAre("title", "description", "target_date"));
  EXPECT_EQ(request.goal().name(), "profiles/p1/goals/g1");
  EXPECT_EQ(request.goal().etag(), "old");
  EXPECT_EQ(request.goal().target_date().month(), 12);
}

// --- Lists and filters. ---

TEST_F(CliTest, ProfileFilterIsBuiltAndQuoted) {
  v1::ListProfilesRequest request;
  EXPECT_CALL(stub_, ListProfiles(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&request), Return(grpc::Status::OK)));
  ASSERT_EQ(
      Run({"profiles", "list", "--family-name-prefix", R"(O"Mac\)",
           "--support-level", "targeted", "--organisation", "organisations/x",
           "--life-stage", "SCHOOL", "--page-size", "20"}),
      0)
      << err_.str();
  EXPECT_EQ(request.filter(),
            R"(home_organisation = "organisations/x" AND life_stage = SCHOOL)"
            R"( AND support_level = TARGETED AND family_name = "O\"Mac\\*")");
  EXPECT_EQ(request.page_size(), 20);
}

TEST_F(CliTest, GoalAndActionFilters) {
  v1::ListActionsRequest request;
  EXPECT_CALL(stub_, ListActions(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&request), Return(grpc::Status::OK)));
  ASSERT_EQ(
      Run({"actions", "list", "profiles/p1", "--goal", "profiles/p1/goals/g",
           "--owner", "adviser", "--state", "open"}),
      0)
      << err_.str();
  EXPECT_EQ(request.parent(), "profiles/p1");
  EXPECT_EQ(
      request.filter(),
      R"(state = OPEN AND owner = ADVISER AND goal = "profiles/p1/goals/g")");
}

TEST_F(CliTest, RawFilterIsPassedThrough) {
  v1::ListGoalsRequest request;
  EXPECT_CALL(stub_, ListGoals(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&request), Return(grpc::Status::OK)));
  ASSERT_EQ(
      Run({"goals", "list", "profiles/p1", "--filter", "goal_type = LEARNING"}),
      0);
  EXPECT_EQ(request.filter(), "goal_type = LEARNING");
}

TEST_F(CliTest, AllFollowsPageTokensAndCombines) {
  std::vector<std::string> tokens;
  auto page = [&](std::vector<std::string> names, std::string next) {
    return Invoke([&tokens, names, next](grpc::ClientContext*,
                                         const v1::ListGoalsRequest& request,
                                         v1::ListGoalsResponse* response) {
      tokens.push_back(request.page_token());
      for (const std::string& name : names)
        response->add_goals()->set_name(name);
      response->set_next_page_token(next);
      return grpc::Status::OK;
    });
  };
  EXPECT_CALL(stub_, ListGoals(_, _, _))
      .WillOnce(page({"profiles/p1/goals/a", "profiles/p1/goals/b"}, "t2"))
      .WillOnce(Return(Unavailable()))  // retried
      .WillOnce(page({"profiles/p1/goals/c"}, ""));
  ASSERT_EQ(Run({"goals", "list", "profiles/p1", "--all", "-o", "json"}), 0)
      << err_.str();
  EXPECT_THAT(tokens, ElementsAre("", "t2"));
  v1::ListGoalsResponse combined;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(out_.str(), &combined).ok());
  ASSERT_EQ(combined.goals_size(), 3);
  EXPECT_EQ(combined.goals(2).name(), "profiles/p1/goals/c");
  EXPECT_EQ(combined.next_page_token(), "");
}

TEST_F(CliTest, ListTableShowsHeaderRowsAndNextPage) {
  v1::ListGoalsResponse response;
  Goal* goal = response.add_goals();
  goal->set_name("profiles/p1/goals/g1");
  goal->set_title("Get a place at college");
  goal->set_goal_type(Goal::WORK_EXPERIENCE);
  goal->set_state(Goal::NO_LONGER_RELEVANT);
  response.set_next_page_token("tok");
  EXPECT_CALL(stub_, ListGoals(_, _, _))
      .WillOnce(DoAll(SetArgPointee<2>(response), Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"goals", "list", "profiles/p1"}), 0);
  EXPECT_EQ(out_.str(),
            "NAME                  TITLE                   TYPE             "
            "STATE               TARGET DATE\n"
            "profiles/p1/goals/g1  Get a place at college  work-experience  "
            "no-longer-relevant\n"
            "next page: --page-token tok\n");
}

// --- Output. ---

TEST_F(CliTest, JsonOutputParsesBack) {
  EXPECT_CALL(stub_, GetProfile(_, _, _))
      .WillOnce(
          DoAll(SetArgPointee<2>(SampleProfile()), Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"profiles", "get", "profiles/p1", "--output", "json"}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("\"givenName\""));
  Profile parsed;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(out_.str(), &parsed).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(parsed, SampleProfile()));
}

TEST_F(CliTest, TableOutputOfAProfile) {
  EXPECT_CALL(stub_, GetProfile(_, _, _))
      .WillOnce(
          DoAll(SetArgPointee<2>(SampleProfile()), Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"profiles", "get", "profiles/p1"}), 0);
  const std::string out = out_.str();
  EXPECT_THAT(out, HasSubstr("\nlife stage           career-change\n"));
  EXPECT_THAT(out, HasSubstr("\ngiven name           Siân\n"));
  EXPECT_THAT(out, HasSubstr("\nbirth date           2009-03-07\n"));
  EXPECT_THAT(out, HasSubstr("\nqualifications       0\n"));
  EXPECT_THAT(out, HasSubstr("\ncreate time          2024-05-31T09:30:00Z\n"));
  EXPECT_THAT(out, HasSubstr("\nschool stage\n"));  // empty, no padding
}

// --- RPC errors. ---

TEST_F(CliTest, InvalidArgumentPrintsFieldViolations) {
  google::rpc::BadRequest bad_request;
  auto* v = bad_request.add_field_violations();
  v->set_field("profile.birth_date");
  v->set_description("must not be in the future");
  v = bad_request.add_field_violations();
  v->set_field("profile.given_name");
  v->set_description("must not be empty");
  google::rpc::Status details;
  details.set_code(3);
  details.set_message("profile.birth_date: must not be in the future");
  details.add_details()->PackFrom(bad_request);
  EXPECT_CALL(stub_, CreateProfile(_, _, _))
      .WillOnce(
          Return(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                              details.message(), details.SerializeAsString())));
  EXPECT_EQ(Run({"profiles", "create", "--birth-date", "2099-01-01"}), 1);
  EXPECT_EQ(err_.str(),
            "error: INVALID_ARGUMENT: profile.birth_date: must not be in the "
            "future\n"
            "  profile.birth_date: must not be in the future\n"
            "  profile.given_name: must not be empty\n");
  EXPECT_EQ(out_.str(), "");
}

TEST(PrintRpcErrorTest, PreconditionFailureAndResourceInfo) {
  google::rpc::PreconditionFailure precondition;
  auto* v = precondition.add_violations();
  v->set_type("STATE");
  v->set_subject("profiles/p1/goals/g1");
  v->set_description("goal is ACHIEVED, not IN_PROGRESS");
  google::rpc::ResourceInfo resource;
  resource.set_resource_name("profiles/p9");
  resource.set_description("not found");
  google::rpc::Status details;
  details.add_details()->PackFrom(precondition);
  details.add_details()->PackFrom(resource);
  std::ostringstream err;
  PrintRpcError(grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "no",
                             details.SerializeAsString()),
                err);
  EXPECT_EQ(err.str(),
            "error: FAILED_PRECONDITION: no\n"
            "  profiles/p1/goals/g1: goal is ACHIEVED, not IN_PROGRESS\n"
            "  profiles/p9: not found\n");
}

TEST(StatusCodeNameTest, UpperSnake) {
  EXPECT_EQ(StatusCodeName(grpc::StatusCode::DEADLINE_EXCEEDED),
            "DEADLINE_EXCEEDED");
  EXPECT_EQ(StatusCodeName(grpc::StatusCode::OK), "OK");
}

// --- Flag values. ---

TEST(FlagsTest, ParseTimeout) {
  EXPECT_EQ(*ParseTimeout("500ms"), absl::Milliseconds(500));
  EXPECT_EQ(*ParseTimeout("10s"), absl::Seconds(10));
  EXPECT_EQ(*ParseTimeout("1m"), absl::Minutes(1));
  EXPECT_FALSE(ParseTimeout("10").ok());
  EXPECT_FALSE(ParseTimeout("-1s").ok());
  EXPECT_FALSE(ParseTimeout("inf").ok());
}

TEST(FlagsTest, ParseDate) {
  const auto leap = ParseDate("2024-02-29");
  ASSERT_TRUE(leap.ok());
  EXPECT_EQ(leap->year(), 2024);
  EXPECT_EQ(leap->month(), 2);
  EXPECT_EQ(leap->day(), 29);
  for (const char* bad : {"2023-02-29", "2024-13-01", "2024-1-01", "24-01-01",
                          "2024/01/01", "0000-01-01", ""}) {
    EXPECT_FALSE(ParseDate(bad).ok()) << bad;
  }
}

TEST(FlagsTest, EnumNamesAreCaseInsensitiveWithHyphens) {
  const auto& type = *Profile::LifeStage_descriptor();
  EXPECT_EQ(*ParseEnumValue(type, "career-change"), Profile::CAREER_CHANGE);
  EXPECT_EQ(*ParseEnumValue(type, "CAREER_CHANGE"), Profile::CAREER_CHANGE);
  EXPECT_EQ(*ParseEnumValue(type, "School"), Profile::SCHOOL);
  EXPECT_FALSE(ParseEnumValue(type, "LIFE_STAGE_UNSPECIFIED").ok());
  EXPECT_EQ(EnumDisplayName(type, Profile::CAREER_CHANGE), "career-change");
  EXPECT_EQ(EnumDisplayName(type, 0), "");
}

TEST(FlagsTest, QuoteFilterString) {
  EXPECT_EQ(QuoteFilterString(R"(a"b\c)"), R"("a\"b\\c")");
}

TEST(OutputTest, TableAlignsByCodePoints) {
  std::ostringstream out;
  PrintTable({{"Siân", "x"}, {"Anna", "y"}}, out);
  EXPECT_EQ(out.str(), "Siân  x\nAnna  y\n");
}

}  // namespace
}  // namespace careers::cli
