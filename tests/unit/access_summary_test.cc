// The access record in words: summaries from the methods' options.
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

}  // namespace
}  // namespace careers::domain
