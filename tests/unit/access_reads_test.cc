// Which of a person's data a read returned, as their access record has it.
#include "server/domain/access_reads.h"

#include <string>
#include <utility>
#include <vector>

#include "careers/v1/booking_service.pb.h"
#include "careers/v1/profile_service.pb.h"
#include "careers/v1/skills_service.pb.h"
#include "gmock/gmock.h"
#include "google/api/httpbody.pb.h"
#include "gtest/gtest.h"

namespace careers::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::pair<std::string, std::string>> Reads(
    const google::protobuf::Message& response, const std::string& resource,
    const std::vector<PersonalRead>& noted = {}) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const PersonalRead& r : ReadsIn(response, resource, noted)) {
    out.emplace_back(r.profile_id, r.resource);
  }
  return out;
}

TEST(ReadsIn, AResourceIsItself) {
  v1::Profile profile;
  profile.set_name("profiles/p1");
  EXPECT_THAT(Reads(profile, "profiles/p1"),
              ElementsAre(std::pair{"p1", "profiles/p1"}));
  v1::Appointment appointment;  // top level: its person is its `profile`
  appointment.set_name("appointments/a1");
  appointment.set_profile("profiles/p2");
  EXPECT_THAT(Reads(appointment, "appointments/a1"),
              ElementsAre(std::pair{"p2", "appointments/a1"}));
}

TEST(ReadsIn, APersonsListIsOneEntryForTheCollection) {
  v1::ListGoalsResponse goals;
  goals.add_goals()->set_name("profiles/p1/goals/g1");
  goals.add_goals()->set_name("profiles/p1/goals/g2");
  EXPECT_THAT(Reads(goals, "profiles/p1"),
              ElementsAre(std::pair{"p1", "profiles/p1/goals"}));
  v1::ListAppointmentsResponse mine;
  mine.add_appointments()->set_profile("profiles/p1");
  EXPECT_THAT(Reads(mine, "profiles/p1"),
              ElementsAre(std::pair{"p1", "profiles/p1/appointments"}));
}

TEST(ReadsIn, AListOfSeveralPeoplesResourcesIsAnEntryEach) {
  v1::ListAppointmentsResponse agenda;
  v1::Appointment* a = agenda.add_appointments();
  a->set_name("appointments/a1");
  a->set_profile("profiles/p1");
  v1::Appointment* b = agenda.add_appointments();
  b->set_name("appointments/a2");
  b->set_profile("profiles/p2");
  EXPECT_THAT(Reads(agenda, "advisers/x"),
              ElementsAre(std::pair{"p1", "appointments/a1"},
                          std::pair{"p2", "appointments/a2"}));
  v1::ListProfilesResponse shared;
  shared.add_profiles()->set_name("profiles/p3");
  EXPECT_THAT(Reads(shared, ""), ElementsAre(std::pair{"p3", "profiles/p3"}));
  EXPECT_THAT(Reads(v1::ListProfilesResponse(), ""), IsEmpty());
}

TEST(ReadsIn, AnythingElseAboutAPersonIsTheResourceAsked) {
  v1::SkillsSummary summary;
  EXPECT_THAT(Reads(summary, "profiles/p1"),
              ElementsAre(std::pair{"p1", "profiles/p1"}));
  // What belongs to nobody is not on anyone's record.
  EXPECT_THAT(Reads(google::api::HttpBody(), "advisers/x"), IsEmpty());
  EXPECT_THAT(Reads(google::api::HttpBody(), "profiles/-"), IsEmpty());
}

TEST(ReadsIn, WhatTheDomainNotedIsAddedToWhatTheResponseShows) {
  EXPECT_THAT(Reads(google::api::HttpBody(), "advisers/x",
                    {{"p1", "appointments/a1"}, {"", "appointments/a2"}}),
              ElementsAre(std::pair{"p1", "appointments/a1"}));
}

}  // namespace
}  // namespace careers::domain
