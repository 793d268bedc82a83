// The change feed's rules without a database: what a change record says,
// who may see it, tokens, and when changes after a gap may be handed out.
#include "server/domain/changes.h"

#include "careers/v1/booking_service.pb.h"
#include "careers/v1/profile_service.pb.h"
#include "careers/v1/skills_service.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/proto_time.h"

namespace careers::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

absl::Time Utc(int y, int m, int d) {
  return absl::FromCivil(absl::CivilDay(y, m, d), absl::UTCTimeZone());
}

TEST(Changes, NotesNameTheResourceItsTypeAndWhoseItIs) {
  v1::Appointment a;
  a.set_name("appointments/a1");
  a.set_profile("profiles/p1");
  a.set_adviser("advisers/adv-1");
  ChangeNote created = CreatedChange(a);
  EXPECT_EQ(created.resource, "appointments/a1");
  EXPECT_EQ(created.resource_type, "careers.uk/Appointment");
  EXPECT_EQ(created.kind, v1::Change::CREATED);
  EXPECT_EQ(created.profile_id, "p1");
  EXPECT_EQ(created.adviser_id, "adv-1");
  EXPECT_THAT(created.field_paths, IsEmpty());

  v1::Goal g;
  g.set_name("profiles/p2/goals/g1");
  EXPECT_EQ(CreatedChange(g).profile_id, "p2");
  v1::AppointmentType t;
  t.set_name("appointmentTypes/talk");
  EXPECT_EQ(CreatedChange(t).profile_id, "");  // the public catalogue
}

TEST(Changes, UpdatesListTheTopLevelFieldsThatDiffer) {
  v1::Appointment before;
  before.set_name("appointments/a1");
  before.set_state(v1::Appointment::BOOKED);
  before.set_etag("e1");
  v1::Appointment after = before;
  after.set_etag("e2");
  after.set_notes("Brought her CV");
  ChangeNote note = UpdatedChange(before, after);
  EXPECT_EQ(note.kind, v1::Change::UPDATED);
  EXPECT_THAT(note.field_paths, ElementsAre("notes"));  // not the etag
  v1::Goal goal;
  goal.set_name("profiles/p1/goals/g1");
  v1::Goal touched = goal;
  *touched.mutable_update_time() = ToProtoTimestamp(Utc(2027, 1, 1));
  EXPECT_THAT(UpdatedChange(goal, touched).field_paths, IsEmpty());

  after.set_state(v1::Appointment::CANCELLED);
  after.set_cancel_reason(v1::Appointment::PERSON_UNAVAILABLE);
  note = UpdatedChange(before, after);
  EXPECT_EQ(note.kind, v1::Change::STATE_CHANGED);
  EXPECT_THAT(note.field_paths, ElementsAre("state", "notes", "cancel_reason"));

  v1::Experience e;
  e.set_name("profiles/p1/experiences/e1");
  v1::Experience voided = e;
  voided.set_state(v1::Experience::VOIDED);
  EXPECT_EQ(UpdatedChange(e, voided).kind, v1::Change::VOIDED);
  // Repeated fields: an element changed is a change of the field.
  v1::Experience more = e;
  more.add_skills()->set_skill("skills/sds-leading");
  EXPECT_THAT(ChangedFieldPaths(e, more), ElementsAre("skills"));
  EXPECT_THAT(ChangedFieldPaths(more, more), IsEmpty());
}

RecordedChange PersonsChange(absl::string_view type) {
  RecordedChange c;
  c.change.set_resource_type(std::string(type));
  c.change.set_resource("profiles/p1");
  *c.change.mutable_commit_time() = ToProtoTimestamp(Utc(2026, 12, 1));
  c.profile_id = "p1";
  c.organisations = {"school-a"};
  c.guardians.push_back({"mum", std::nullopt, absl::CivilDay(2011, 4, 12)});
  c.guardians.push_back({"dad", std::nullopt, absl::CivilDay(2009, 1, 1)});
  return c;
}

auth::Principal Caller(auth::Role role, std::string subject,
                       std::string organisation = "",
                       std::string profile = "") {
  auth::Principal p;
  p.role = role;
  p.subject = std::move(subject);
  p.organisation = std::move(organisation);
  p.profile = std::move(profile);
  return p;
}

TEST(Changes, WhoMaySeeAChange) {
  using auth::Role;
  const RecordedChange c = PersonsChange("careers.uk/Profile");
  EXPECT_TRUE(MaySee(Caller(Role::kAdmin, "op"), c));
  EXPECT_TRUE(MaySee(Caller(Role::kPerson, "s", "", "profiles/p1"), c));
  EXPECT_FALSE(MaySee(Caller(Role::kPerson, "s", "", "profiles/p2"), c));
  EXPECT_TRUE(MaySee(Caller(Role::kAdviser, "a", "organisations/school-a"), c));
  EXPECT_FALSE(
      MaySee(Caller(Role::kOrgAdmin, "b", "organisations/school-b"), c));
  // mum's child is 15 when it commits; dad's linked person is 17 and never
  // confirmed the link at 16.
  EXPECT_TRUE(MaySee(Caller(Role::kGuardian, "mum"), c));
  EXPECT_FALSE(MaySee(Caller(Role::kGuardian, "dad"), c));
  RecordedChange confirmed = c;
  confirmed.guardians[1].confirm_time = Utc(2025, 2, 1);
  EXPECT_TRUE(MaySee(Caller(Role::kGuardian, "dad"), confirmed));

  auth::Principal service = Caller(Role::kService, "mis");
  EXPECT_FALSE(MaySee(service, c));
  service.scopes = {"appointments.read"};
  EXPECT_FALSE(MaySee(service, c));
  EXPECT_TRUE(MaySee(service, PersonsChange("careers.uk/Appointment")));
  service.scopes = {"skills.read"};
  EXPECT_TRUE(MaySee(service, PersonsChange("careers.uk/Attestation")));

  RecordedChange public_change;
  public_change.change.set_resource_type("careers.uk/Adviser");
  EXPECT_TRUE(MaySee(Caller(Role::kService, "nobody"), public_change));
  EXPECT_TRUE(MaySee(Caller(Role::kGuardian, "anyone"), public_change));
}

TEST(Changes, TokensRoundTripAndStrangersAreRefusedByField) {
  EXPECT_EQ(*DecodeChangeToken("f", EncodeChangeToken(0)), 0);
  EXPECT_EQ(*DecodeChangeToken("f", EncodeChangeToken(123456789)), 123456789);
  for (const char* bad : {"", "ct1_", "ct1_!!", "x", "ct1_LTE"}) {
    const absl::Status s = DecodeChangeToken("sync_token", bad).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(std::string(s.message()), ::testing::HasSubstr("sync_token"));
  }
  const FeedBounds bounds{100, 40};
  EXPECT_TRUE(CheckResumable("t", 40, bounds).ok());
  EXPECT_TRUE(CheckResumable("t", 100, bounds).ok());
  EXPECT_EQ(CheckResumable("t", 39, bounds).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckResumable("t", 101, bounds).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(Changes, ResourceTypesAreCheckedAndNormalized) {
  google::protobuf::RepeatedPtrField<std::string> types;
  *types.Add() = "Appointment";
  *types.Add() = "careers.uk/Profile";
  EXPECT_THAT(*ParseResourceTypes("resource_types", types),
              ElementsAre("careers.uk/Appointment", "careers.uk/Profile"));
  *types.Add() = "AccessEvent";  // not on the feed
  const absl::Status s = ParseResourceTypes("resource_types", types).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()),
              ::testing::HasSubstr("resource_types[2]"));
}

}  // namespace
}  // namespace careers::domain
