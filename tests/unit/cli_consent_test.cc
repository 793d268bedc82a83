// careersctl's ConsentService commands (consents, guardian-links,
// access-events) against the generated ConsentService mock.
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "careers/v1/consent_service.grpc.pb.h"
#include "careers/v1/consent_service_mock.grpc.pb.h"
#include "careers/v1/directory_service_mock.grpc.pb.h"
#include "careers/v1/profile_service_mock.grpc.pb.h"
#include "clients/cli/app.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace careers::cli {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::_;
using ::testing::DoAll;
using ::testing::HasSubstr;
using ::testing::Invoke;
using ::testing::Return;
using ::testing::SaveArg;
using ::testing::SetArgPointee;
using ::testing::StrictMock;
using v1::AccessEvent;
using v1::Consent;
using v1::GuardianLink;

grpc::Status Unavailable() {
  return grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection refused");
}

Consent SampleConsent() {
  Consent c;
  c.set_name("profiles/p1/consents/c1");
  c.set_purpose(Consent::SHARE_WITH_ORGANISATION);
  c.set_organisation("organisations/sds");
  c.set_state(Consent::ACTIVE);
  c.mutable_grant_time()->set_seconds(1717147800);  // 2024-05-31T09:30:00Z
  c.mutable_granted_by()->set_subject("sian-sub");
  c.mutable_granted_by()->set_role("person");
  c.set_etag("e1");
  return c;
}

GuardianLink SampleLink() {
  GuardianLink g;
  g.set_name("profiles/p1/guardianLinks/g1");
  g.set_guardian_subject("mum-sub");
  g.set_guardian_display_name("Mòrag MacLeod");
  g.set_relationship(GuardianLink::PARENT);
  g.set_state(GuardianLink::ACTIVE);
  g.set_effective(true);
  g.mutable_created_by()->set_subject("adviser-sub");
  g.mutable_created_by()->set_role("adviser");
  g.mutable_created_by()->set_organisation("organisations/sds");
  g.set_etag("e2");
  return g;
}

// Runs careersctl command lines against a strict ConsentService mock.
class CliConsentTest : public ::testing::Test {
 protected:
  // RunCli owns and destroys the mock, so each test runs one command line
  // and sets expectations on stub_ before Run.
  int Run(const std::vector<std::string>& args) {
    return RunCli(
        args,
        [this](const ChannelOptions&) {
          ++stubs_made_;
          return Stubs{
              std::make_unique<StrictMock<v1::MockProfileServiceStub>>(),
              std::make_unique<StrictMock<v1::MockDirectoryServiceStub>>(),
              std::move(owned_), nullptr};
        },
        out_, err_);
  }

  std::unique_ptr<StrictMock<v1::MockConsentServiceStub>> owned_ =
      std::make_unique<StrictMock<v1::MockConsentServiceStub>>();
  StrictMock<v1::MockConsentServiceStub>& stub_ = *owned_;
  int stubs_made_ = 0;
  std::ostringstream out_;
  std::ostringstream err_;
};

// --- consents ---

TEST_F(CliConsentTest, CreateConsentSendsPurposeOrganisationAndRequestId) {
  std::vector<v1::CreateConsentRequest> requests;
  auto record = [&requests](grpc::Status status) {
    return Invoke([&requests, status](grpc::ClientContext*,
                                      const v1::CreateConsentRequest& request,
                                      Consent* response) {
      requests.push_back(request);
      if (status.ok()) *response = SampleConsent();
      return status;
    });
  };
  EXPECT_CALL(stub_, CreateConsent(_, _, _))
      .WillOnce(record(Unavailable()))
      .WillOnce(record(grpc::Status::OK));
  ASSERT_EQ(
      Run({"consents", "create", "profiles/p1", "--purpose",
           "share-with-organisation", "--organisation", "organisations/sds"}),
      0)
      << err_.str();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].parent(), "profiles/p1");
  EXPECT_EQ(requests[0].consent().purpose(), Consent::SHARE_WITH_ORGANISATION);
  EXPECT_EQ(requests[0].consent().organisation(), "organisations/sds");
  EXPECT_TRUE(
      std::regex_match(requests[0].request_id(), std::regex("[0-9a-f-]{36}")))
      << requests[0].request_id();
  // The retry after UNAVAILABLE is the same request.
  EXPECT_TRUE(MessageDifferencer::Equals(requests[0], requests[1]));
  EXPECT_THAT(out_.str(),
              HasSubstr("\npurpose        share-with-organisation\n"));
  EXPECT_THAT(out_.str(), HasSubstr("\ngranted by     sian-sub (person)\n"));
}

TEST_F(CliConsentTest, CreateConsentKeepsGivenRequestId) {
  v1::CreateConsentRequest request;
  EXPECT_CALL(stub_, CreateConsent(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&request), Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"consents", "create", "profiles/p1", "--purpose", "RESEARCH",
                 "--request-id", "r-1"}),
            0)
      << err_.str();
  EXPECT_EQ(request.request_id(), "r-1");
  EXPECT_EQ(request.consent().purpose(), Consent::RESEARCH);
  EXPECT_EQ(request.consent().organisation(), "");
}

TEST_F(CliConsentTest, CreateConsentUsageErrors) {
  EXPECT_EQ(Run({"consents", "create", "profiles/p1"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("--purpose"));
  EXPECT_EQ(Run({"consents", "create", "profiles/p1", "--purpose", "gossip"}),
            2);
  EXPECT_THAT(err_.str(),
              HasSubstr("share-with-organisation|research|special-category-"
                        "data"));
  EXPECT_EQ(Run({"consents", "create", "--purpose", "research"}), 2);
  EXPECT_EQ(stubs_made_, 0);
}

TEST_F(CliConsentTest, GetConsentPrintsJson) {
  v1::GetConsentRequest request;
  EXPECT_CALL(stub_, GetConsent(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&request), SetArgPointee<2>(SampleConsent()),
                      Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"consents", "get", "profiles/p1/consents/c1", "-o", "json"}),
            0);
  EXPECT_EQ(request.name(), "profiles/p1/consents/c1");
  EXPECT_THAT(out_.str(), HasSubstr("\"grantedBy\""));
  Consent parsed;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(out_.str(), &parsed).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(parsed, SampleConsent()));
}

TEST_F(CliConsentTest, ListConsentsBuildsFilter) {
  v1::ListConsentsRequest request;
  EXPECT_CALL(stub_, ListConsents(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&request), Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"consents", "list", "profiles/p1", "--organisation",
                 "organisations/sds", "--state", "active", "--purpose",
                 "share-with-organisation", "--page-size", "5"}),
            0)
      << err_.str();
  EXPECT_EQ(request.parent(), "profiles/p1");
  EXPECT_EQ(request.filter(),
            "state = ACTIVE AND purpose = SHARE_WITH_ORGANISATION AND "
            "organisation = \"organisations/sds\"");
  EXPECT_EQ(request.page_size(), 5);
}

TEST_F(CliConsentTest, ListConsentsTable) {
  v1::ListConsentsResponse response;
  *response.add_consents() = SampleConsent();
  Consent* research = response.add_consents();
  research->set_name("profiles/p1/consents/c0");
  research->set_purpose(Consent::RESEARCH);
  research->set_state(Consent::WITHDRAWN);
  EXPECT_CALL(stub_, ListConsents(_, _, _))
      .WillOnce(DoAll(SetArgPointee<2>(response), Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"consents", "list", "profiles/p1"}), 0);
  EXPECT_EQ(out_.str(),
            "NAME                     PURPOSE                  ORGANISATION    "
            "   STATE      GRANTED               BY\n"
            "profiles/p1/consents/c1  share-with-organisation  "
            "organisations/sds  active     2024-05-31T09:30:00Z  sian-sub\n"
            "profiles/p1/consents/c0  research                 "
            "                   withdrawn\n");
}

TEST_F(CliConsentTest, WithdrawSendsEtagAndIsNotRetried) {
  v1::WithdrawConsentRequest request;
  EXPECT_CALL(stub_, WithdrawConsent(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&request), Return(Unavailable())));
  EXPECT_EQ(
      Run({"consents", "withdraw", "profiles/p1/consents/c1", "--etag", "e1"}),
      1);
  EXPECT_EQ(request.name(), "profiles/p1/consents/c1");
  EXPECT_EQ(request.etag(), "e1");
  EXPECT_EQ(err_.str(), "error: UNAVAILABLE: connection refused\n");
}

// --- guardian-links ---

TEST_F(CliConsentTest, CreateGuardianLink) {
  v1::CreateGuardianLinkRequest request;
  EXPECT_CALL(stub_, CreateGuardianLink(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&request), SetArgPointee<2>(SampleLink()),
                      Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"guardian-links", "create", "profiles/p1",
                 "--guardian-subject", "mum-sub", "--display-name",
                 "Mòrag MacLeod", "--relationship", "other-adult"}),
            0)
      << err_.str();
  EXPECT_EQ(request.parent(), "profiles/p1");
  EXPECT_EQ(request.guardian_link().guardian_subject(), "mum-sub");
  EXPECT_EQ(request.guardian_link().guardian_display_name(), "Mòrag MacLeod");
  EXPECT_EQ(request.guardian_link().relationship(), GuardianLink::OTHER_ADULT);
  EXPECT_FALSE(request.request_id().empty());
  EXPECT_THAT(out_.str(), HasSubstr("\ncreated by        adviser-sub (adviser, "
                                    "organisations/sds)\n"));
  EXPECT_THAT(out_.str(), HasSubstr("\neffective         yes\n"));
}

TEST_F(CliConsentTest, CreateGuardianLinkNeedsItsFlags) {
  EXPECT_EQ(Run({"guardian-links", "create", "profiles/p1",
                 "--guardian-subject", "mum-sub", "--display-name", "Mum"}),
            2);
  EXPECT_THAT(err_.str(), HasSubstr("--relationship"));
  EXPECT_EQ(
      Run({"guardian-links", "create", "profiles/p1", "--guardian-subject",
           "mum-sub", "--display-name", "Mum", "--relationship", "uncle"}),
      2);
  EXPECT_THAT(err_.str(), HasSubstr("parent|carer|other-adult"));
  EXPECT_EQ(stubs_made_, 0);
}

TEST_F(CliConsentTest, GetGuardianLink) {
  v1::GetGuardianLinkRequest request;
  EXPECT_CALL(stub_, GetGuardianLink(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&request), Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"guardian-links", "get", "profiles/p1/guardianLinks/g1"}), 0);
  EXPECT_EQ(request.name(), "profiles/p1/guardianLinks/g1");
}

TEST_F(CliConsentTest, ListGuardianLinksHasNoFilterAndFollowsPages) {
  std::vector<std::string> tokens;
  auto page = [&](std::string name, std::string next) {
    return Invoke(
        [&tokens, name, next](grpc::ClientContext*,
                              const v1::ListGuardianLinksRequest& request,
                              v1::ListGuardianLinksResponse* response) {
          EXPECT_EQ(request.parent(), "profiles/p1");
          tokens.push_back(request.page_token());
          *response->add_guardian_links() = SampleLink();
          response->mutable_guardian_links(0)->set_name(name);
          response->set_next_page_token(next);
          return grpc::Status::OK;
        });
  };
  EXPECT_CALL(stub_, ListGuardianLinks(_, _, _))
      .WillOnce(page("profiles/p1/guardianLinks/g2", "t2"))
      .WillOnce(page("profiles/p1/guardianLinks/g1", ""));
  ASSERT_EQ(Run({"guardian-links", "list", "profiles/p1", "--all"}), 0)
      << err_.str();
  EXPECT_EQ(tokens, (std::vector<std::string>{"", "t2"}));
  EXPECT_EQ(out_.str(),
            "NAME                          GUARDIAN  DISPLAY NAME   "
            "RELATIONSHIP  STATE   EFFECTIVE\n"
            "profiles/p1/guardianLinks/g2  mum-sub   Mòrag MacLeod  parent  "
            "      active  yes\n"
            "profiles/p1/guardianLinks/g1  mum-sub   Mòrag MacLeod  parent  "
            "      active  yes\n");
}

TEST_F(CliConsentTest, ListGuardianLinksTakesNoFilter) {
  EXPECT_EQ(Run({"guardian-links", "list", "profiles/p1", "--filter", "x"}), 2);
  EXPECT_EQ(stubs_made_, 0);
}

TEST_F(CliConsentTest, EndGuardianLink) {
  v1::EndGuardianLinkRequest end;
  EXPECT_CALL(stub_, EndGuardianLink(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&end), Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"guardian-links", "end", "profiles/p1/guardianLinks/g1",
                 "--etag", "e2"}),
            0)
      << err_.str();
  EXPECT_EQ(end.name(), "profiles/p1/guardianLinks/g1");
  EXPECT_EQ(end.etag(), "e2");
}

TEST_F(CliConsentTest, ConfirmGuardianLink) {
  v1::ConfirmGuardianLinkRequest confirm;
  EXPECT_CALL(stub_, ConfirmGuardianLink(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&confirm), Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"guardian-links", "confirm", "profiles/p1/guardianLinks/g1"}),
            0)
      << err_.str();
  EXPECT_EQ(confirm.name(), "profiles/p1/guardianLinks/g1");
  EXPECT_EQ(confirm.etag(), "");
}

// --- access-events ---

TEST_F(CliConsentTest, AccessEventsAcrossProfilesByActor) {
  v1::ListAccessEventsRequest request;
  EXPECT_CALL(stub_, ListAccessEvents(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&request), Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"access-events", "list", "profiles/-", "--actor",
                 "adviser-sub", "--action", "write"}),
            0)
      << err_.str();
  EXPECT_EQ(request.parent(), "profiles/-");
  EXPECT_EQ(request.filter(), R"(actor = "adviser-sub" AND action = WRITE)");
}

TEST_F(CliConsentTest, AccessEventsTableSaysWhoWhatAndWhyInWords) {
  v1::ListAccessEventsResponse response;
  AccessEvent* e = response.add_access_events();
  e->set_name("profiles/p1/accessEvents/a1");
  e->mutable_actor()->set_subject("adviser-sub");
  e->mutable_actor()->set_role("adviser");
  e->mutable_actor()->set_organisation("organisations/sds");
  e->set_adviser("advisers/morag");
  e->set_actor_display_name("Morag Campbell");
  e->set_organisation_display_name("Skills Development Scotland");
  e->set_summary("viewed your profile");
  e->set_reason("preparing for appointments/01J");
  e->set_action(AccessEvent::READ);
  e->set_method("careers.v1.ProfileService/GetProfile");
  e->set_resource("profiles/p1");
  e->mutable_time()->set_seconds(1717147800);
  e = response.add_access_events();
  e->mutable_actor()->set_subject("admin-sub");
  e->mutable_actor()->set_role("admin");
  e->set_actor_display_name("a national administrator");
  e->set_summary("withdrew your consent");
  e->set_action(AccessEvent::WRITE);
  e->set_method("careers.v1.ConsentService/WithdrawConsent");
  e->set_resource("profiles/p1/consents/c1");
  e->mutable_time()->set_seconds(1717147860);
  // From a server that resolves no names: the subject and the method.
  e = response.add_access_events();
  e->mutable_actor()->set_subject("staff-sub");
  e->mutable_actor()->set_role("org_admin");
  e->mutable_actor()->set_organisation("organisations/x");
  e->set_action(AccessEvent::READ);
  e->set_method("careers.v1.ProfileService/ListGoals");
  e->set_resource("profiles/p1/goals");
  e->mutable_time()->set_seconds(1717147920);
  response.set_next_page_token("more");
  EXPECT_CALL(stub_, ListAccessEvents(_, _, _))
      .WillOnce(DoAll(SetArgPointee<2>(response), Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"access-events", "list", "profiles/p1"}), 0);
  EXPECT_EQ(
      out_.str(),
      "WHEN                  WHO                                           "
      "ROLE                WHAT                      RESOURCE            "
      "     WHY\n"
      "2024-05-31 09:30 UTC  Morag Campbell (Skills Development Scotland)  "
      "adviser             viewed your profile       profiles/p1         "
      "     preparing for appointments/01J\n"
      "2024-05-31 09:31 UTC  a national administrator                      "
      "administrator       withdrew your consent     "
      "profiles/p1/consents/c1\n"
      "2024-05-31 09:32 UTC  staff-sub (organisations/x)                   "
      "organisation admin  ProfileService/ListGoals  profiles/p1/goals\n"
      "next page: --page-token more\n");
}

TEST_F(CliConsentTest, AccessEventsJsonIsTheProtobufMapping) {
  v1::ListAccessEventsResponse response;
  AccessEvent* e = response.add_access_events();
  e->set_actor_display_name("Morag Campbell");
  e->set_organisation_display_name("Skills Development Scotland");
  e->set_summary("viewed your profile");
  e->set_reason("preparing");
  EXPECT_CALL(stub_, ListAccessEvents(_, _, _))
      .WillOnce(DoAll(SetArgPointee<2>(response), Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"--output", "json", "access-events", "list", "profiles/p1"}),
            0);
  v1::ListAccessEventsResponse printed;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(out_.str(), &printed).ok())
      << out_.str();
  EXPECT_EQ(printed.SerializeAsString(), response.SerializeAsString());
  EXPECT_THAT(out_.str(),
              HasSubstr("\"actorDisplayName\": \"Morag Campbell\""));
}

// --- errors from the server ---

TEST_F(CliConsentTest, PermissionDeniedIsPrinted) {
  EXPECT_CALL(stub_, ListConsents(_, _, _))
      .WillOnce(Return(
          grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                       "a caller with role person may not call ListConsents on "
                       "profiles/p2")));
  EXPECT_EQ(Run({"consents", "list", "profiles/p2"}), 1);
  EXPECT_EQ(err_.str(),
            "error: PERMISSION_DENIED: a caller with role person may not call "
            "ListConsents on profiles/p2\n");
  EXPECT_EQ(out_.str(), "");
}

TEST_F(CliConsentTest, UnauthenticatedIsPrintedAndNotRetried) {
  EXPECT_CALL(stub_, GetConsent(_, _, _))
      .WillOnce(Return(grpc::Status(
          grpc::StatusCode::UNAUTHENTICATED,
          "missing credentials: send the metadata `authorization: Bearer "
          "<token>`")));
  EXPECT_EQ(Run({"consents", "get", "profiles/p1/consents/c1"}), 1);
  EXPECT_EQ(err_.str(),
            "error: UNAUTHENTICATED: missing credentials: send the metadata "
            "`authorization: Bearer <token>`\n");
}

}  // namespace
}  // namespace careers::cli
