// Unit tests of careersctl: command lines run through RunCli against the
// generated gMock stub, plus the flag parsers and printers they rely on.
#include <openssl/evp.h>
#include <openssl/hmac.h>

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

#include "absl/strings/escaping.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "careers/v1/consent_service_mock.grpc.pb.h"
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
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/test/client_context_test_peer.h"
#include "gtest/gtest.h"
#include "server/auth/jwt_keys.h"

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
        [this](const ChannelOptions& channel) {
          ++stubs_made_;
          address_ = channel.address;
          channel_ = channel;
          return Stubs{std::move(owned_stub_), std::move(owned_directory_),
                       std::make_unique<v1::MockConsentServiceStub>(), nullptr};
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
  ChannelOptions channel_;
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

TEST_F(CliTest, AccessReasonIsSentAsMetadataOnEveryCall) {
  std::multimap<std::string, std::string> metadata;
  EXPECT_CALL(stub_, GetGoal(_, _, _))
      .WillOnce(Invoke([&](grpc::ClientContext* context, const auto&, auto*) {
        metadata = grpc::testing::ClientContextTestPeer(context)
                       .GetSendInitialMetadata();
        return grpc::Status::OK;
      }));
  ASSERT_EQ(Run({"goals", "get", "profiles/p1/goals/g1", "--access-reason",
                 "preparing for appointments/01J"}),
            0);
  EXPECT_THAT(metadata,
              ElementsAre(std::pair<const std::string, std::string>(
                  "access-reason", "preparing for appointments/01J")));
}

TEST(PrepareContextTest, AReasonThatIsNotAsciiTravelsAsBinaryMetadata) {
  // Text metadata carries only printable ASCII; gRPC base64-encodes -bin.
  CallOptions options;
  options.access_reason = "paratoi ar gyfer cyfweliad Siân";
  grpc::ClientContext context;
  PrepareContext(options, context);
  EXPECT_THAT(
      grpc::testing::ClientContextTestPeer(&context).GetSendInitialMetadata(),
      ElementsAre(std::pair<const std::string, std::string>(
          "access-reason-bin", "paratoi ar gyfer cyfweliad Siân")));
}

TEST(PrepareContextTest, NoTokenNoAuthorization) {
  grpc::ClientContext context;
  PrepareContext(CallOptions{absl::Milliseconds(500), "", ""}, context);
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

TEST(PrintRpcErrorTest, ErrorInfoMetadataIsPrintedInKeyOrder) {
  google::rpc::ErrorInfo info;
  info.set_reason("BEYOND_HORIZON");
  info.set_domain("careers.uk");
  (*info.mutable_metadata())["bookable_until"] = "2027-01-12T00:00:00Z";
  (*info.mutable_metadata())["bookable_from"] = "2027-01-05T00:00:00Z";
  google::rpc::Status details;
  details.add_details()->PackFrom(info);
  std::ostringstream err;
  PrintRpcError(grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "later",
                             details.SerializeAsString()),
                err);
  EXPECT_EQ(err.str(),
            "error: FAILED_PRECONDITION: later\n"
            "  bookable_from: 2027-01-05T00:00:00Z\n"
            "  bookable_until: 2027-01-12T00:00:00Z\n");
}

TEST(StatusCodeNameTest, UpperSnake) {
  EXPECT_EQ(StatusCodeName(grpc::StatusCode::DEADLINE_EXCEEDED),
            "DEADLINE_EXCEEDED");
  EXPECT_EQ(StatusCodeName(grpc::StatusCode::OK), "OK");
}

// --- TLS flags. ---

TEST_F(CliTest, PlainTextByDefault) {
  EXPECT_CALL(stub_, GetProfile(_, _, _)).WillOnce(Return(grpc::Status::OK));
  ASSERT_EQ(Run({"profiles", "get", "profiles/p1"}), 0);
  EXPECT_FALSE(channel_.tls);
  EXPECT_EQ(channel_.root_certs_pem, "");
}

TEST_F(CliTest, TlsWithSystemRoots) {
  EXPECT_CALL(stub_, GetProfile(_, _, _)).WillOnce(Return(grpc::Status::OK));
  ASSERT_EQ(Run({"profiles", "get", "profiles/p1", "--tls"}), 0);
  EXPECT_TRUE(channel_.tls);
  EXPECT_EQ(channel_.root_certs_pem, "");
  EXPECT_EQ(channel_.cert_chain_pem, "");
}

const char kPem[] =
    "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

TEST_F(CliTest, TlsCaTurnsTlsOnAndClientCertificateIsRead) {
  const std::string ca = WriteTempFile("ca.pem", std::string("ca ") + kPem);
  const std::string cert =
      WriteTempFile("client.pem", std::string("cert ") + kPem);
  const std::string key = WriteTempFile(
      "client.key",
      "-----BEGIN PRIVATE KEY-----\nk\n-----END PRIVATE KEY-----\n");
  EXPECT_CALL(stub_, GetProfile(_, _, _)).WillOnce(Return(grpc::Status::OK));
  ASSERT_EQ(Run({"--tls-ca", ca, "--tls-cert", cert, "--tls-key", key,
                 "profiles", "get", "profiles/p1"}),
            0)
      << err_.str();
  EXPECT_TRUE(channel_.tls);
  EXPECT_EQ(channel_.root_certs_pem, std::string("ca ") + kPem);
  EXPECT_EQ(channel_.cert_chain_pem, std::string("cert ") + kPem);
  EXPECT_THAT(channel_.private_key_pem, HasSubstr("BEGIN PRIVATE KEY"));
}

TEST_F(CliTest, TlsCaFromEnvironment) {
  const std::string ca = WriteTempFile("env-ca.pem", kPem);
  setenv("CAREERS_TLS_CA", ca.c_str(), 1);
  EXPECT_CALL(stub_, GetProfile(_, _, _)).WillOnce(Return(grpc::Status::OK));
  const int code = Run({"profiles", "get", "profiles/p1"});
  unsetenv("CAREERS_TLS_CA");
  ASSERT_EQ(code, 0) << err_.str();
  EXPECT_TRUE(channel_.tls);
  EXPECT_EQ(channel_.root_certs_pem, kPem);
}

TEST_F(CliTest, TlsCertWithoutKeyIsUsageError) {
  const std::string cert = WriteTempFile("lonely.pem", kPem);
  EXPECT_EQ(Run({"--tls-cert", cert, "profiles", "get", "profiles/p1"}), 2);
  EXPECT_EQ(err_.str(),
            "error: --tls-cert and --tls-key go together: give both or "
            "neither\n");
  EXPECT_EQ(Run({"profiles", "get", "profiles/p1", "--tls-key", cert}), 2);
  EXPECT_EQ(stubs_made_, 0);
}

TEST_F(CliTest, UnreadableOrNonPemTlsFileIsUsageError) {
  EXPECT_EQ(Run({"--tls-ca", "/nonexistent/ca.pem", "profiles", "get",
                 "profiles/p1"}),
            2);
  EXPECT_THAT(err_.str(),
              HasSubstr("cannot read --tls-ca file '/nonexistent/ca.pem'"));
  const std::string text = WriteTempFile("not.pem", "hello");
  EXPECT_EQ(Run({"--tls-ca", text, "profiles", "get", "profiles/p1"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("is not a PEM file"));
  EXPECT_EQ(stubs_made_, 0);
}

// --- token mint ---

// A JWT's parts: header and payload JSON, and what the signature covers.
struct DecodedToken {
  google::protobuf::Struct header;
  google::protobuf::Struct payload;
  std::string signing_input;  // header.payload as sent
  std::string signature;      // raw bytes
};

// Decodes `token`; fails the test unless it is three base64url parts with
// JSON objects in the first two.
DecodedToken Decode(const std::string& token) {
  DecodedToken decoded;
  const std::vector<std::string> parts = absl::StrSplit(token, '.');
  if (parts.size() != 3) {
    ADD_FAILURE() << "not a JWT: " << token;
    return decoded;
  }
  decoded.signing_input = parts[0] + "." + parts[1];
  std::string header;
  std::string payload;
  EXPECT_TRUE(absl::WebSafeBase64Unescape(parts[0], &header));
  EXPECT_TRUE(absl::WebSafeBase64Unescape(parts[1], &payload));
  EXPECT_TRUE(absl::WebSafeBase64Unescape(parts[2], &decoded.signature));
  EXPECT_TRUE(
      google::protobuf::util::JsonStringToMessage(header, &decoded.header).ok())
      << header;
  EXPECT_TRUE(
      google::protobuf::util::JsonStringToMessage(payload, &decoded.payload)
          .ok())
      << payload;
  return decoded;
}

std::string Claim(const google::protobuf::Struct& object,
                  const std::string& name) {
  auto it = object.fields().find(name);
  return it == object.fields().end() ? "<absent>" : it->second.string_value();
}

int64_t NumberClaim(const google::protobuf::Struct& object,
                    const std::string& name) {
  auto it = object.fields().find(name);
  return it == object.fields().end()
             ? -1
             : static_cast<int64_t>(it->second.number_value());
}

std::string PrivateKeyFile(const std::string& name,
                           auth::JwtAlgorithm algorithm) {
  absl::StatusOr<auth::PemKeyPair> pair = auth::GenerateKeyPair(algorithm);
  EXPECT_TRUE(pair.ok()) << pair.status();
  return WriteTempFile(name, pair.ok() ? pair->private_pem : "");
}

TEST_F(CliTest, TokenMintEs256AdviserWithDefaults) {
  const std::string key = PrivateKeyFile("ec.pem", auth::JwtAlgorithm::kEs256);
  const int64_t before = absl::ToUnixSeconds(absl::Now());
  ASSERT_EQ(Run({"token", "mint", "--role", "adviser", "--organisation",
                 "organisations/sds", "--key", key, "--key-id", "k1"}),
            0)
      << err_.str();
  const int64_t after = absl::ToUnixSeconds(absl::Now());
  EXPECT_EQ(stubs_made_, 0);  // no RPC, no channel
  EXPECT_EQ(err_.str(), "");
  const std::string out = out_.str();
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out.back(), '\n');
  EXPECT_EQ(out.find('\n'), out.size() - 1);  // one line: the token
  const DecodedToken token = Decode(out.substr(0, out.size() - 1));
  EXPECT_EQ(Claim(token.header, "alg"), "ES256");
  EXPECT_EQ(Claim(token.header, "kid"), "k1");
  EXPECT_EQ(token.signature.size(), 64u);  // ES256: r || s
  EXPECT_EQ(Claim(token.payload, "iss"), "https://careers.local/dev");
  EXPECT_EQ(Claim(token.payload, "aud"), "careers-api");
  EXPECT_EQ(Claim(token.payload, "sub"), "dev-adviser");
  EXPECT_EQ(Claim(token.payload, "role"), "adviser");
  EXPECT_EQ(Claim(token.payload, "organisation"), "organisations/sds");
  EXPECT_EQ(Claim(token.payload, "profile"), "<absent>");
  const int64_t iat = NumberClaim(token.payload, "iat");
  EXPECT_GE(iat, before);
  EXPECT_LE(iat, after);
  EXPECT_EQ(NumberClaim(token.payload, "exp"), iat + 3600);
}

TEST_F(CliTest, TokenMintHs256PersonIsSignedWithTheSecretAsIs) {
  const std::string secret = "0123456789abcdef0123456789abcdef\n";
  const std::string file = WriteTempFile("hs256.secret", secret);
  ASSERT_EQ(
      Run({"token", "mint", "--role", "person", "--profile", "profiles/sian",
           "--subject", "sian-sub", "--hs256-secret-file", file, "--issuer",
           "https://id.example", "--audience", "aud-1", "--ttl", "30m"}),
      0)
      << err_.str();
  const std::string out = out_.str();
  const DecodedToken token = Decode(out.substr(0, out.size() - 1));
  EXPECT_EQ(Claim(token.header, "alg"), "HS256");
  EXPECT_EQ(Claim(token.header, "kid"), "<absent>");
  EXPECT_EQ(Claim(token.payload, "iss"), "https://id.example");
  EXPECT_EQ(Claim(token.payload, "aud"), "aud-1");
  EXPECT_EQ(Claim(token.payload, "sub"), "sian-sub");
  EXPECT_EQ(Claim(token.payload, "role"), "person");
  EXPECT_EQ(Claim(token.payload, "profile"), "profiles/sian");
  EXPECT_EQ(
      NumberClaim(token.payload, "exp") - NumberClaim(token.payload, "iat"),
      30 * 60);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  ASSERT_NE(
      HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(token.signing_input.data()),
           token.signing_input.size(), mac, &mac_size),
      nullptr);
  EXPECT_EQ(token.signature,
            std::string(reinterpret_cast<const char*>(mac), mac_size));
}

TEST_F(CliTest, TokenMintRs256ServiceFromEnvironment) {
  const std::string key = PrivateKeyFile("rsa.pem", auth::JwtAlgorithm::kRs256);
  setenv("CAREERS_DEV_JWT_KEY", key.c_str(), 1);
  setenv("CAREERS_JWT_ISSUER", "https://env-issuer", 1);
  setenv("CAREERS_JWT_AUDIENCE", "env-aud", 1);
  const int code = Run({"token", "mint", "--role", "service", "--scope",
                        "profiles.read", "--scope", "profiles.write"});
  unsetenv("CAREERS_DEV_JWT_KEY");
  unsetenv("CAREERS_JWT_ISSUER");
  unsetenv("CAREERS_JWT_AUDIENCE");
  ASSERT_EQ(code, 0) << err_.str();
  const std::string out = out_.str();
  const DecodedToken token = Decode(out.substr(0, out.size() - 1));
  EXPECT_EQ(Claim(token.header, "alg"), "RS256");
  EXPECT_EQ(Claim(token.payload, "iss"), "https://env-issuer");
  EXPECT_EQ(Claim(token.payload, "aud"), "env-aud");
  EXPECT_EQ(Claim(token.payload, "sub"), "dev-service");
  EXPECT_EQ(Claim(token.payload, "scope"), "profiles.read profiles.write");
}

TEST_F(CliTest, TokenMintIgnoresConnectionFlags) {
  const std::string key = PrivateKeyFile("ec2.pem", auth::JwtAlgorithm::kEs256);
  // A half-set mTLS environment only matters to commands that connect.
  setenv("CAREERS_TLS_CERT", "/nonexistent/cert.pem", 1);
  const int code = Run({"token", "mint", "--role", "admin", "--key", key});
  unsetenv("CAREERS_TLS_CERT");
  EXPECT_EQ(code, 0) << err_.str();
  EXPECT_EQ(stubs_made_, 0);
}

TEST_F(CliTest, TokenMintUsageErrors) {
  const std::string key = PrivateKeyFile("ec3.pem", auth::JwtAlgorithm::kEs256);
  const std::string secret =
      WriteTempFile("secret", "0123456789abcdef0123456789abcdef");
  const std::string short_secret = WriteTempFile("short", "too short");
  const std::string not_a_key = WriteTempFile("not-a-key.pem", kPem);
  unsetenv("CAREERS_DEV_JWT_KEY");
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"--role", "adviser", "--key", key},
       "role adviser needs --organisation organisations/{organisation}"},
      {{"--role", "org_admin", "--key", key},
       "role org_admin needs --organisation"},
      {{"--role", "adviser", "--organisation", "sds", "--key", key},
       "role adviser needs --organisation"},
      {{"--role", "person", "--key", key},
       "role person needs --profile profiles/{profile}"},
      {{"--role", "admin", "--key", key, "--hs256-secret-file", secret},
       "give --key or --hs256-secret-file, not both"},
      {{"--role", "admin"}, "give --key FILE"},
      {{"--role", "admin", "--key", "/nonexistent/key.pem"},
       "cannot read --key file '/nonexistent/key.pem'"},
      {{"--role", "admin", "--key", not_a_key}, "not a PEM private key"},
      {{"--role", "admin", "--hs256-secret-file", short_secret},
       "needs at least 32"},
      {{"--role", "admin", "--key", key, "--ttl", "25h"},
       "not between 1s and 24h"},
      {{"--role", "admin", "--key", key, "--ttl", "soon"},
       "not a positive duration"},
      {{"--role", "root", "--key", key}, "--role"},
      {{"--key", key}, "--role is required"},
  };
  for (const Case& c : cases) {
    err_.str("");
    out_.str("");
    std::vector<std::string> args = {"token", "mint"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    EXPECT_EQ(Run(args), 2) << c.message;
    EXPECT_THAT(err_.str(), HasSubstr(c.message));
    EXPECT_EQ(out_.str(), "") << c.message;
  }
  EXPECT_EQ(stubs_made_, 0);
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
