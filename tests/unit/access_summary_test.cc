// The access record in words: summaries from the methods' options, and how
// actors without a name in the directory are described.
#include "server/domain/access_summary.h"

#include "gtest/gtest.h"

namespace careers::domain {
namespace {

TEST(AccessSummary, AKnownMethodHasItsDeclaredPhrase) {
  EXPECT_EQ(AccessSummary("careers.v1.ProfileService/GetProfile",
                          v1::AccessEvent::READ),
            "viewed your profile");
  EXPECT_EQ(AccessSummary("careers.v1.ProfileService/UpdateProfile",
                          v1::AccessEvent::WRITE),
            "changed your profile");
  EXPECT_EQ(AccessSummary("careers.v1.BookingService/CreateAppointment",
                          v1::AccessEvent::WRITE),
            "booked an appointment");
  EXPECT_EQ(AccessSummary("careers.v1.BookingService/CancelAppointment",
                          v1::AccessEvent::WRITE),
            "cancelled an appointment");
  EXPECT_EQ(AccessSummary("careers.v1.BookingService/ListAppointments",
                          v1::AccessEvent::READ),
            "viewed your appointments");
  EXPECT_EQ(AccessSummary("careers.v1.SkillsService/CreateExperience",
                          v1::AccessEvent::WRITE),
            "logged an experience");
}

TEST(AccessSummary, AnUnknownMethodFallsBackByAction) {
  for (const char* method :
       {"careers.v1.ProfileService/NoSuchMethod", "careers.v1.Nothing/Here",
        "maintenance/ExpireOffers", "GetProfile", ""}) {
    EXPECT_EQ(AccessSummary(method, v1::AccessEvent::READ), "read your data")
        << method;
    EXPECT_EQ(AccessSummary(method, v1::AccessEvent::WRITE),
              "changed your data")
        << method;
  }
  // A method of the API that declares no summary (the public directory).
  EXPECT_EQ(AccessSummary("careers.v1.DirectoryService/GetOrganisation",
                          v1::AccessEvent::READ),
            "read your data");
  // The method name is matched exactly, not by prefix or case.
  EXPECT_EQ(AccessSummary("careers.v1.ProfileService/getprofile",
                          v1::AccessEvent::READ),
            "read your data");
}

v1::Actor ActorWith(const std::string& role, const std::string& subject) {
  v1::Actor actor;
  actor.set_role(role);
  actor.set_subject(subject);
  return actor;
}

TEST(AccessSummary, ActorsWithoutANameAreDescribedByRole) {
  EXPECT_EQ(ActorDescription(ActorWith("guardian", "mum-sub")),
            "your parent or carer");
  EXPECT_EQ(ActorDescription(ActorWith("admin", "operator-7")),
            "a national administrator");
  EXPECT_EQ(ActorDescription(ActorWith("service", "analytics")),
            "analytics service");
  EXPECT_EQ(ActorDescription(ActorWith("service", "booking-service")),
            "booking-service");
  EXPECT_EQ(ActorDescription(ActorWith("adviser", "adviser-sub")),
            "an adviser");
  EXPECT_EQ(ActorDescription(ActorWith("org_admin", "staff-sub")),
            "an organisation administrator");
}

TEST(AccessSummary, DescribeKeepsAResolvedNameAndAddsTheSummary) {
  v1::AccessEvent named;
  *named.mutable_actor() = ActorWith("adviser", "adviser-sub");
  named.set_actor_display_name("Fiona Reid");
  named.set_method("careers.v1.ProfileService/GetProfile");
  named.set_action(v1::AccessEvent::READ);
  DescribeAccessEvent(named);
  EXPECT_EQ(named.actor_display_name(), "Fiona Reid");
  EXPECT_EQ(named.summary(), "viewed your profile");

  v1::AccessEvent guardian;
  *guardian.mutable_actor() = ActorWith("guardian", "mum-sub");
  guardian.set_method("careers.v1.ProfileService/NoSuchMethod");
  guardian.set_action(v1::AccessEvent::WRITE);
  DescribeAccessEvent(guardian);
  EXPECT_EQ(guardian.actor_display_name(), "your parent or carer");
  EXPECT_EQ(guardian.summary(), "changed your data");
}

}  // namespace
}  // namespace careers::domain
