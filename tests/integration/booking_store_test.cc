// Appointment types, availability rules, calendars, bookings and waitlists
// on the MariaDB store: round trips and paging, the facts a booking decision
// gets under its locks, idempotent bookings, the database's backstops
// (one live appointment per seat, seats within the session, one reschedule)
// when a decision does not check, reminders and waitlist offers written in
// the same transaction, access events, and 64 concurrent bookings of one
// slot.
#include "server/store/booking_store.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/proto_time.h"
#include "server/domain/booking_rules.h"
#include "server/domain/errors.h"
#include "server/store/directory_store.h"
#include "server/store/profile_store.h"
#include "server/store/row_helpers.h"
#include "tests/support/test_data.h"
#include "tests/support/test_database.h"

namespace careers::store {
namespace {

using ::careers::testing::Date;
using ::careers::testing::TestDatabase;
using ::careers::testing::TestNow;
using ::careers::testing::ValidProfile;
using domain::BookingFacts;
using domain::BookingPlan;
using domain::BookingTarget;
using domain::OfferTerms;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
using v1::Appointment;
using v1::WaitlistEntry;

// Wednesday 2026-11-25, 10:00 UTC (GMT in London).
absl::Time At(int day, int hour, int minute = 0) {
  return absl::FromCivil(absl::CivilSecond(2026, 11, day, hour, minute, 0),
                         absl::UTCTimeZone());
}

std::vector<std::string> Names(const std::vector<Appointment>& items) {
  std::vector<std::string> out;
  for (const auto& a : items) out.push_back(a.name());
  return out;
}

class BookingStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test_db_ = TestDatabase::Create(/*migrate=*/true, /*pool_size=*/16);
    ASSERT_NE(test_db_, nullptr);
    test_db_->Exec(
        "INSERT INTO organisations (id, display_name, kind, create_time, "
        "update_time) VALUES "
        "('sds', 'SDS', 'CAREERS_SERVICE', UTC_TIMESTAMP(6), "
        "UTC_TIMESTAMP(6)), "
        "('cw', 'Careers Wales', 'CAREERS_SERVICE', UTC_TIMESTAMP(6), "
        "UTC_TIMESTAMP(6))");
    store_ = std::make_unique<BookingStore>(test_db_->db());
    profiles_ = std::make_unique<ProfileStore>(test_db_->db());
    directory_ = std::make_unique<DirectoryStore>(test_db_->db());
    person_.deadline = absl::Now() + absl::Seconds(60);
    person_.principal.subject = "pupil-sub";
    person_.principal.role = auth::Role::kPerson;
    person_.principal.profile = "profiles/pupil";
    staff_ = person_;
    staff_.principal = auth::Principal{};
    staff_.principal.subject = "adviser-sub";
    staff_.principal.role = auth::Role::kAdviser;
    staff_.principal.organisation = "organisations/sds";
    staff_.record_access = true;
    staff_.method = "careers.v1.BookingService/CreateAppointment";
    staff_.request_id = "req-1";

    ASSERT_TRUE(AddProfile("pupil").ok());
    ASSERT_TRUE(
        AddAdviser("ann", "sds", {"en", "gd"}, {v1::Adviser::VIDEO}).ok());
    ASSERT_TRUE(AddType("interview", "sds", "Interview", 1).ok());
    ASSERT_TRUE(AddType("talk", "sds", "Class talk", 3).ok());
  }

  absl::Status AddProfile(const std::string& id) {
    v1::Profile p = ValidProfile();
    p.set_name("profiles/" + id);
    p.set_preferred_language_code("en");
    p.set_support_level(v1::Profile::UNIVERSAL);
    *p.mutable_create_time() = ToProtoTimestamp(TestNow());
    *p.mutable_update_time() = ToProtoTimestamp(TestNow());
    return profiles_->CreateProfile(person_, id, p, nullptr).status();
  }

  absl::Status AddAdviser(const std::string& id, const std::string& org,
                          std::vector<std::string> languages,
                          std::vector<v1::Adviser::Channel> channels = {}) {
    v1::Adviser a;
    a.set_name("advisers/" + id);
    a.set_organisation("organisations/" + org);
    a.set_display_name("Adviser " + id);
    for (const auto& l : languages) a.add_language_codes(l);
    for (auto c : channels) a.add_channels(c);
    *a.mutable_create_time() = ToProtoTimestamp(TestNow());
    *a.mutable_update_time() = ToProtoTimestamp(TestNow());
    return directory_->CreateAdviser(person_, id, a, nullptr).status();
  }

  static v1::AppointmentType NewType(const std::string& org,
                                     const std::string& display_name,
                                     int seats) {
    v1::AppointmentType t;
    t.set_organisation("organisations/" + org);
    t.set_display_name(display_name);
    t.set_duration_minutes(30);
    t.set_buffer_before_minutes(5);
    t.set_buffer_after_minutes(10);
    t.set_seats(seats);
    t.set_booking_horizon_days(60);
    t.add_channels(v1::Adviser::VIDEO);
    *t.mutable_create_time() = ToProtoTimestamp(TestNow());
    *t.mutable_update_time() = ToProtoTimestamp(TestNow());
    return t;
  }

  absl::StatusOr<v1::AppointmentType> AddType(const std::string& id,
                                              const std::string& org,
                                              const std::string& display_name,
                                              int seats) {
    v1::AppointmentType t = NewType(org, display_name, seats);
    t.set_name("appointmentTypes/" + id);
    return store_->CreateAppointmentType(person_, id, t, nullptr);
  }

  static v1::AvailabilityRule WeeklyRule(
      const std::string& adviser, const std::string& id,
      google::type::Date from,
      std::optional<google::type::Date> to = std::nullopt) {
    v1::AvailabilityRule r;
    r.set_name("advisers/" + adviser + "/availabilityRules/" + id);
    r.set_kind(v1::AvailabilityRule::WEEKLY);
    r.mutable_start_time()->set_hours(9);
    r.mutable_end_time()->set_hours(17);
    r.set_time_zone("Europe/London");
    *r.mutable_valid_from() = from;
    if (to) *r.mutable_valid_to() = *to;
    *r.mutable_create_time() = ToProtoTimestamp(TestNow());
    return r;
  }

  static BookingTarget Target(const std::string& profile,
                              const std::string& adviser,
                              const std::string& type, absl::Time start) {
    BookingTarget t;
    t.profile_id = profile;
    t.adviser_id = adviser;
    t.appointment_type_id = type;
    t.start = start;
    t.end = start + absl::Minutes(30);
    t.now = TestNow();
    return t;
  }

  // What the domain would write for `target`, in seat `seat` of a session
  // of `seats`, without looking at the facts.
  static BookingPlan PlanFor(const BookingTarget& target, int seat = 1,
                             int seats = 1) {
    static std::atomic<int> counter{0};
    BookingPlan plan;
    Appointment& a = plan.appointment;
    a.set_name(absl::StrCat("appointments/a", counter++, "-",
                            absl::ToUnixMicros(absl::Now())));
    a.set_profile("profiles/" + target.profile_id);
    a.set_adviser("advisers/" + target.adviser_id);
    a.set_appointment_type("appointmentTypes/" + target.appointment_type_id);
    a.set_channel(v1::Adviser::VIDEO);
    *a.mutable_start_time() = ToProtoTimestamp(target.start);
    *a.mutable_end_time() = ToProtoTimestamp(target.end);
    a.set_time_zone("Europe/London");
    a.set_state(Appointment::BOOKED);
    a.set_seat(seat);
    a.mutable_booked_by()->set_subject("pupil-sub");
    *a.mutable_create_time() = ToProtoTimestamp(target.now);
    plan.seats = seats;
    plan.block_start = target.start - absl::Minutes(5);
    plan.block_end = target.end + absl::Minutes(10);
    plan.reminders = {{"24h", target.start - absl::Hours(24)},
                      {"1h", target.start - absl::Hours(1)}};
    return plan;
  }

  absl::StatusOr<BookingPlan> BookPlain(const BookingTarget& target,
                                        int seat = 1, int seats = 1) {
    return store_->Book(
        person_, target, nullptr,
        [&](const BookingFacts&) -> absl::StatusOr<BookingPlan> {
          return PlanFor(target, seat, seats);
        });
  }

  // A waitlist entry for the 3-seat talk of ann at `start`.
  absl::StatusOr<WaitlistEntry> Wait(const std::string& id,
                                     const std::string& profile,
                                     absl::Time start, absl::Time created) {
    WaitlistEntry e;
    e.set_name("waitlistEntries/" + id);
    e.set_profile("profiles/" + profile);
    e.set_adviser("advisers/ann");
    e.set_appointment_type("appointmentTypes/talk");
    *e.mutable_start_time() = ToProtoTimestamp(start);
    e.set_channel(v1::Adviser::VIDEO);
    e.set_state(WaitlistEntry::WAITING);
    *e.mutable_create_time() = ToProtoTimestamp(created);
    return store_->CreateWaitlistEntry(person_, id, e, nullptr,
                                       rules::CheckMayJoinWaitlist);
  }

  absl::StatusOr<Appointment> Cancel(const RequestContext& ctx,
                                     const std::string& id, absl::Time now,
                                     absl::Duration ttl) {
    return store_->UpdateAppointment(
        ctx, id,
        [&](Appointment& a) {
          a.set_state(Appointment::CANCELLED);
          a.set_cancel_reason(Appointment::PERSON_UNAVAILABLE);
          *a.mutable_cancel_time() = ToProtoTimestamp(now);
          a.set_sequence(a.sequence() + 1);
          return absl::OkStatus();
        },
        {now, ttl});
  }

  std::string EntryState(const std::string& id) {
    return test_db_->Query("SELECT state FROM waitlist_entries WHERE id = '" +
                           id + "'");
  }

  std::unique_ptr<TestDatabase> test_db_;
  std::unique_ptr<BookingStore> store_;
  std::unique_ptr<ProfileStore> profiles_;
  std::unique_ptr<DirectoryStore> directory_;
  RequestContext person_;
  RequestContext staff_;
};

// ------------------------------------------------------- appointment types

TEST_F(BookingStoreTest, AppointmentTypesRoundTripPageAndUpdate) {
  auto got = store_->GetAppointmentType(person_, "interview");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->name(), "appointmentTypes/interview");
  EXPECT_EQ(got->display_name(), "Interview");
  EXPECT_EQ(got->duration_minutes(), 30);
  EXPECT_FALSE(got->etag().empty());
  EXPECT_EQ(store_->GetAppointmentType(person_, "nope").status().code(),
            absl::StatusCode::kNotFound);

  EXPECT_EQ(AddType("interview", "sds", "Again", 1).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(AddType("orphan", "no-such-org", "Orphan", 1).status().code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(AddType("welsh-chat", "cw", "Sgwrs", 1).ok());
  ASSERT_TRUE(AddType("another", "sds", "Interview", 1).ok());  // same name

  // All, by (display_name, id), two at a time.
  domain::AppointmentTypeQuery q;
  q.limit = 2;
  std::vector<std::string> seen;
  for (int page = 0; page < 5; ++page) {
    auto listed = store_->ListAppointmentTypes(person_, q);
    ASSERT_TRUE(listed.ok()) << listed.status();
    for (const auto& t : listed->items) seen.push_back(t.name());
    if (!listed->has_more) break;
    const auto& last = listed->items.back();
    q.after = domain::NameCursor{last.display_name(), rows::IdOf(last.name())};
  }
  EXPECT_THAT(
      seen,
      ElementsAre("appointmentTypes/talk", "appointmentTypes/another",
                  "appointmentTypes/interview", "appointmentTypes/welsh-chat"));
  domain::AppointmentTypeQuery wales;
  wales.organisation_id = "cw";
  auto welsh = store_->ListAppointmentTypes(person_, wales);
  ASSERT_TRUE(welsh.ok());
  ASSERT_EQ(welsh->items.size(), 1u);
  EXPECT_EQ(welsh->items[0].display_name(), "Sgwrs");

  auto updated = store_->UpdateAppointmentType(
      person_, "interview", [](v1::AppointmentType& t) {
        t.set_display_name("Careers interview");
        t.set_duration_minutes(45);
        *t.mutable_update_time() = ToProtoTimestamp(TestNow() + absl::Hours(1));
        return absl::OkStatus();
      });
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_NE(updated->etag(), got->etag());
  auto again = store_->GetAppointmentType(person_, "interview");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->display_name(), "Careers interview");
  EXPECT_EQ(again->duration_minutes(), 45);
  EXPECT_EQ(again->etag(), updated->etag());
  EXPECT_EQ(test_db_->Query("SELECT CONCAT(display_name, '/', version, '/', "
                            "update_time) FROM appointment_types WHERE id = "
                            "'interview'"),
            "Careers interview/2/2026-11-23 13:00:00.000000");
  // A refusing mutation changes nothing.
  EXPECT_EQ(store_
                ->UpdateAppointmentType(person_, "interview",
                                        [](v1::AppointmentType&) {
                                          return absl::AbortedError("stale");
                                        })
                .status()
                .code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(store_
                ->UpdateAppointmentType(
                    person_, "nope",
                    [](v1::AppointmentType&) { return absl::OkStatus(); })
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->OrganisationOfAppointmentType(person_, "interview")
                ->value_or("none"),
            "sds");
  EXPECT_FALSE(
      store_->OrganisationOfAppointmentType(person_, "nope")->has_value());
}

// ------------------------------------------------------ availability rules

TEST_F(BookingStoreTest, AvailabilityRulesCreateListDelete) {
  for (int i = 0; i < 3; ++i) {
    v1::AvailabilityRule r =
        WeeklyRule("ann", absl::StrCat("r", i), Date(2026, 11, 1));
    *r.mutable_create_time() = ToProtoTimestamp(TestNow() + absl::Minutes(i));
    auto created = store_->CreateAvailabilityRule(
        person_, "ann", absl::StrCat("r", i), r, nullptr);
    ASSERT_TRUE(created.ok()) << created.status();
    EXPECT_EQ(created->name(),
              absl::StrCat("advisers/ann/availabilityRules/r", i));
  }
  EXPECT_EQ(store_
                ->CreateAvailabilityRule(
                    person_, "ann", "r0",
                    WeeklyRule("ann", "r0", Date(2026, 11, 1)), nullptr)
                .status()
                .code(),
            absl::StatusCode::kAlreadyExists);
  auto got = store_->GetAvailabilityRule(person_, "ann", "r1");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->start_time().hours(), 9);
  EXPECT_EQ(got->time_zone(), "Europe/London");
  EXPECT_EQ(test_db_->Query("SELECT CONCAT(kind, ' ', valid_from, ' ', "
                            "IFNULL(valid_to, '-')) FROM availability_rules "
                            "WHERE id = 'r1'"),
            "WEEKLY 2026-11-01 -");

  domain::AvailabilityRuleQuery q;
  q.adviser_id = "ann";
  q.limit = 2;
  auto first = store_->ListAvailabilityRules(person_, q);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_TRUE(first->has_more);
  EXPECT_EQ(first->items[0].name(), "advisers/ann/availabilityRules/r0");
  q.after = domain::CreationCursor{
      FromProtoTimestamp(first->items[1].create_time()), "r1"};
  auto second = store_->ListAvailabilityRules(person_, q);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_FALSE(second->has_more);
  EXPECT_EQ(second->items[0].name(), "advisers/ann/availabilityRules/r2");

  EXPECT_TRUE(store_->DeleteAvailabilityRule(person_, "ann", "r1").ok());
  EXPECT_EQ(store_->DeleteAvailabilityRule(person_, "ann", "r1").code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->GetAvailabilityRule(person_, "ann", "r1").status().code(),
            absl::StatusCode::kNotFound);

  // A missing or deleted adviser has no rules.
  EXPECT_EQ(store_
                ->CreateAvailabilityRule(
                    person_, "nobody", "x",
                    WeeklyRule("nobody", "x", Date(2026, 11, 1)), nullptr)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  ASSERT_TRUE(AddAdviser("gone", "sds", {"en"}).ok());
  test_db_->Exec(
      "UPDATE advisers SET delete_time = UTC_TIMESTAMP(6) WHERE id = 'gone'");
  EXPECT_EQ(store_
                ->CreateAvailabilityRule(
                    person_, "gone", "x",
                    WeeklyRule("gone", "x", Date(2026, 11, 1)), nullptr)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

// --------------------------------------------------------------- calendars

TEST_F(BookingStoreTest, ReadCalendarsReadsRulesLiveAppointmentsAndHeldSeats) {
  ASSERT_TRUE(AddAdviser("bob", "sds", {"en"}).ok());
  ASSERT_TRUE(AddAdviser("idle", "sds", {"en", "gd"}).ok());
  ASSERT_TRUE(AddAdviser("gone", "sds", {"en", "gd"}).ok());
  ASSERT_TRUE(AddAdviser("dai", "cw", {"cy", "en"}).ok());
  test_db_->Exec("UPDATE advisers SET active = FALSE WHERE id = 'idle'");
  test_db_->Exec(
      "UPDATE advisers SET delete_time = UTC_TIMESTAMP(6) WHERE id = 'gone'");
  for (const char* p : {"p2", "p3", "p4"}) ASSERT_TRUE(AddProfile(p).ok());

  auto add_rule = [&](const std::string& adviser, const std::string& id,
                      google::type::Date from,
                      std::optional<google::type::Date> to) {
    ASSERT_TRUE(store_
                    ->CreateAvailabilityRule(person_, adviser, id,
                                             WeeklyRule(adviser, id, from, to),
                                             nullptr)
                    .ok());
  };
  add_rule("ann", "open", Date(2026, 11, 1), std::nullopt);
  add_rule("ann", "ended", Date(2026, 10, 1), Date(2026, 11, 22));  // too early
  add_rule("ann", "just", Date(2026, 10, 1),
           Date(2026, 11, 24));                               // a day before
  add_rule("ann", "later", Date(2026, 12, 2), std::nullopt);  // too late
  add_rule("bob", "bob-rule", Date(2026, 11, 26), std::nullopt);  // a day after
  add_rule("dai", "dai-rule", Date(2026, 11, 1), std::nullopt);

  // Searching Wednesday 25th, 09:00–17:00.
  const absl::Time from = At(25, 9), to = At(25, 17);
  auto live = BookPlain(Target("pupil", "ann", "interview", At(25, 10)));
  ASSERT_TRUE(live.ok()) << live.status();
  auto cancelled = BookPlain(Target("p2", "ann", "interview", At(25, 11)));
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  ASSERT_TRUE(Cancel(person_, rows::IdOf(cancelled->appointment.name()),
                     TestNow(), absl::Hours(1))
                  .ok());
  ASSERT_TRUE(
      BookPlain(Target("p2", "ann", "interview", At(27, 10))).ok());  // far
  ASSERT_TRUE(
      BookPlain(Target("p3", "bob", "interview", At(24, 20))).ok());  // near
  // Held seats: an offer still open, one expired, one too far away.
  const absl::Time talk = At(25, 14);
  for (const char* id : {"held", "expired", "far"}) {
    const absl::Time start = std::string(id) == "far" ? At(28, 14) : talk;
    ASSERT_TRUE(
        Wait(id, std::string(id) == "expired" ? "p3" : "p4", start, TestNow())
            .ok());
    ASSERT_TRUE(store_
                    ->UpdateWaitlistEntry(
                        person_, id,
                        [&](WaitlistEntry& e) {
                          e.set_state(WaitlistEntry::OFFERED);
                          *e.mutable_offer_time() = ToProtoTimestamp(TestNow());
                          *e.mutable_offer_expire_time() = ToProtoTimestamp(
                              std::string(id) == "expired"
                                  ? TestNow() - absl::Minutes(1)
                                  : TestNow() + absl::Hours(1));
                          return absl::OkStatus();
                        },
                        {TestNow(), absl::Hours(1)})
                    .ok());
  }

  domain::CalendarQuery q{"sds", std::nullopt, std::nullopt,
                          from,  to,           TestNow()};
  auto calendars = store_->ReadCalendars(person_, q);
  ASSERT_TRUE(calendars.ok()) << calendars.status();
  ASSERT_EQ(calendars->size(), 2u);  // not idle, gone or dai
  const auto& ann = (*calendars)[0];
  const auto& bob = (*calendars)[1];
  EXPECT_EQ(ann.adviser, "advisers/ann");
  EXPECT_EQ(ann.display_name, "Adviser ann");
  EXPECT_THAT(ann.channels, ElementsAre(v1::Adviser::VIDEO));
  std::vector<std::string> rules;
  for (const auto& r : ann.rules) rules.push_back(r.name());
  // Oldest first; created at the same time, so by id.
  EXPECT_THAT(rules, ElementsAre("advisers/ann/availabilityRules/just",
                                 "advisers/ann/availabilityRules/open"));
  ASSERT_EQ(ann.booked.size(), 1u);
  EXPECT_EQ(ann.booked[0].appointment_type, "appointmentTypes/interview");
  EXPECT_EQ(ann.booked[0].start, At(25, 10));
  EXPECT_EQ(ann.booked[0].block_start, At(25, 9, 55));
  EXPECT_EQ(ann.booked[0].block_end, At(25, 10, 40));
  EXPECT_EQ(ann.booked[0].seats, 1);
  ASSERT_EQ(ann.held.size(), 1u);
  EXPECT_EQ(ann.held[0].appointment_type, "appointmentTypes/talk");
  EXPECT_EQ(ann.held[0].start, talk);
  EXPECT_EQ(bob.adviser, "advisers/bob");
  EXPECT_THAT(bob.channels, IsEmpty());
  ASSERT_EQ(bob.rules.size(), 1u);
  ASSERT_EQ(bob.booked.size(), 1u);  // the evening before, within a day
  EXPECT_THAT(bob.held, IsEmpty());

  // Filters: one adviser; a language.
  q.adviser_id = "bob";
  calendars = store_->ReadCalendars(person_, q);
  ASSERT_TRUE(calendars.ok());
  ASSERT_EQ(calendars->size(), 1u);
  EXPECT_EQ((*calendars)[0].adviser, "advisers/bob");
  q.adviser_id.reset();
  q.language_code = "gd";
  calendars = store_->ReadCalendars(person_, q);
  ASSERT_TRUE(calendars.ok());
  ASSERT_EQ(calendars->size(), 1u);
  EXPECT_EQ((*calendars)[0].adviser, "advisers/ann");
  q.organisation_id = "cw";
  q.language_code = "cy";
  calendars = store_->ReadCalendars(person_, q);
  ASSERT_TRUE(calendars.ok());
  ASSERT_EQ(calendars->size(), 1u);
  EXPECT_EQ((*calendars)[0].adviser, "advisers/dai");
  EXPECT_EQ((*calendars)[0].rules.size(), 1u);
  q.language_code = "fr";
  calendars = store_->ReadCalendars(person_, q);
  ASSERT_TRUE(calendars.ok());
  EXPECT_THAT(*calendars, IsEmpty());
}

TEST_F(BookingStoreTest, ReadCalendarsOfManyAdvisersInFewQueries) {
  // 600 advisers: more than one IN list.
  std::string sql =
      "INSERT INTO advisers (id, organisation_id, display_name, "
      "language_codes, active, version, create_time, update_time) VALUES ";
  for (int i = 0; i < 600; ++i) {
    absl::StrAppend(&sql, i ? ", " : "",
                    absl::StrFormat("('m%03d', 'sds', 'M', 'en', TRUE, 1, "
                                    "UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))",
                                    i));
  }
  test_db_->Exec(sql);
  for (int i : {0, 511, 512, 599}) {
    const std::string id = absl::StrFormat("m%03d", i);
    ASSERT_TRUE(store_
                    ->CreateAvailabilityRule(
                        person_, id, "r",
                        WeeklyRule(id, "r", Date(2026, 11, 1)), nullptr)
                    .ok());
  }
  domain::CalendarQuery q{"sds",     std::nullopt, std::nullopt,
                          At(25, 9), At(25, 17),   TestNow()};
  // The advisers, then rules, appointments and held seats of 512 + 89
  // (7 statements: counted by hand with COM_STMT_EXECUTE on an idle
  // server; not asserted, as other tests share the server).
  auto calendars = store_->ReadCalendars(person_, q);
  ASSERT_TRUE(calendars.ok()) << calendars.status();
  ASSERT_EQ(calendars->size(), 601u);  // and ann
  int with_rules = 0;
  for (const auto& c : *calendars) {
    if (!c.rules.empty()) {
      ++with_rules;
      EXPECT_EQ(c.rules[0].name(), c.adviser + "/availabilityRules/r");
    }
  }
  EXPECT_EQ(with_rules, 4);
  EXPECT_TRUE(std::is_sorted(
      calendars->begin(), calendars->end(),
      [](const auto& a, const auto& b) { return a.adviser < b.adviser; }));
}

// ---------------------------------------------------------------- booking

TEST_F(BookingStoreTest, BookWritesTheAppointmentAndItsReminders) {
  ASSERT_TRUE(store_
                  ->CreateAvailabilityRule(
                      person_, "ann", "open",
                      WeeklyRule("ann", "open", Date(2026, 11, 1)), nullptr)
                  .ok());
  const BookingTarget target = Target("pupil", "ann", "talk", At(25, 14));
  std::optional<BookingFacts> seen;
  auto booked =
      store_->Book(person_, target, nullptr,
                   [&](const BookingFacts& f) -> absl::StatusOr<BookingPlan> {
                     seen = f;
                     return PlanFor(target, 1, 3);
                   });
  ASSERT_TRUE(booked.ok()) << booked.status();
  // 9 statements (counted on an idle server, not asserted): lock the
  // person and the adviser, read the type, the rules, appointments and
  // held seats, the person's appointments; insert the appointment and its
  // reminders.
  ASSERT_TRUE(seen.has_value());
  EXPECT_EQ(seen->person.life_stage, v1::Profile::SCHOOL);
  EXPECT_EQ(seen->person.school_stage, "S4");
  EXPECT_EQ(seen->type.name(), "appointmentTypes/talk");
  EXPECT_EQ(seen->type.seats(), 3);
  EXPECT_TRUE(seen->adviser_active);
  EXPECT_EQ(seen->adviser_organisation_id, "sds");
  EXPECT_EQ(seen->calendar.adviser, "advisers/ann");
  EXPECT_THAT(seen->calendar.channels, ElementsAre(v1::Adviser::VIDEO));
  ASSERT_EQ(seen->calendar.rules.size(), 1u);
  EXPECT_THAT(seen->calendar.booked, IsEmpty());
  EXPECT_THAT(seen->session_seats_taken, IsEmpty());
  EXPECT_EQ(seen->person_upcoming_of_type, 0);
  EXPECT_FALSE(seen->person_busy);
  EXPECT_FALSE(seen->replacing.has_value());

  const Appointment& a = booked->appointment;
  const std::string id = rows::IdOf(a.name());
  auto got = store_->GetAppointment(person_, id);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->etag(), a.etag());
  EXPECT_EQ(got->seat(), 1);
  EXPECT_EQ(got->state(), Appointment::BOOKED);
  EXPECT_EQ(
      test_db_->Query(
          "SELECT CONCAT_WS(' ', profile_id, adviser_id, organisation_id, "
          "appointment_type_id, start_time, block_start, block_end, "
          "seats, seat, state, live_start) FROM appointments WHERE id = '" +
          id + "'"),
      "pupil ann sds talk 2026-11-25 14:00:00.000000 "
      "2026-11-25 13:55:00.000000 2026-11-25 14:40:00.000000 3 1 BOOKED "
      "2026-11-25 14:00:00.000000");
  EXPECT_EQ(test_db_->Query("SELECT GROUP_CONCAT(kind, '@', due_time, '@', "
                            "state ORDER BY due_time) FROM "
                            "appointment_reminders WHERE appointment_id = '" +
                            id + "'"),
            "24h@2026-11-24 14:00:00.000000@PENDING,"
            "1h@2026-11-25 13:00:00.000000@PENDING");

  // A second booking of the same person in the same session sees the first.
  seen.reset();
  auto second =
      store_->Book(person_, target, nullptr,
                   [&](const BookingFacts& f) -> absl::StatusOr<BookingPlan> {
                     seen = f;
                     return PlanFor(target, 2, 3);
                   });
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_TRUE(seen.has_value());
  ASSERT_EQ(seen->calendar.booked.size(), 1u);
  EXPECT_EQ(seen->calendar.booked[0].start, At(25, 14));
  EXPECT_EQ(seen->calendar.booked[0].seats, 3);
  EXPECT_THAT(seen->session_seats_taken, ElementsAre(1));
  EXPECT_EQ(seen->person_upcoming_of_type, 1);
  EXPECT_TRUE(seen->person_busy);

  // Another type at another time: counted per type, busy only if overlapping.
  seen.reset();
  const BookingTarget later = Target("pupil", "ann", "interview", At(25, 16));
  ASSERT_TRUE(
      store_
          ->Book(person_, later, nullptr,
                 [&](const BookingFacts& f) -> absl::StatusOr<BookingPlan> {
                   seen = f;
                   return absl::FailedPreconditionError("no thanks");
                 })
          .status()
          .code() == absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(seen.has_value());
  EXPECT_EQ(seen->person_upcoming_of_type, 0);
  EXPECT_FALSE(seen->person_busy);
  EXPECT_THAT(seen->session_seats_taken, IsEmpty());
  EXPECT_EQ(seen->calendar.booked.size(), 2u);
  EXPECT_EQ(test_db_->Query("SELECT COUNT(*) FROM appointments"), "2");

  // What does not exist.
  auto refuse = [](const BookingFacts&) -> absl::StatusOr<BookingPlan> {
    ADD_FAILURE() << "decide ran";
    return absl::InternalError("no");
  };
  EXPECT_EQ(store_
                ->Book(person_, Target("nobody", "ann", "talk", At(25, 9)),
                       nullptr, refuse)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store_
                ->Book(person_, Target("pupil", "nobody", "talk", At(25, 9)),
                       nullptr, refuse)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store_
                ->Book(person_, Target("pupil", "ann", "nope", At(25, 9)),
                       nullptr, refuse)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  ASSERT_TRUE(AddAdviser("gone", "sds", {"en"}).ok());
  test_db_->Exec(
      "UPDATE advisers SET delete_time = UTC_TIMESTAMP(6) WHERE id = 'gone'");
  EXPECT_EQ(store_
                ->Book(person_, Target("pupil", "gone", "talk", At(25, 9)),
                       nullptr, refuse)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  ASSERT_TRUE(AddAdviser("idle", "sds", {"en"}).ok());
  test_db_->Exec("UPDATE advisers SET active = FALSE WHERE id = 'idle'");
  seen.reset();
  store_
      ->Book(person_, Target("pupil", "idle", "talk", At(25, 9)), nullptr,
             [&](const BookingFacts& f) -> absl::StatusOr<BookingPlan> {
               seen = f;
               return absl::FailedPreconditionError("inactive");
             })
      .status()
      .IgnoreError();
  ASSERT_TRUE(seen.has_value());
  EXPECT_FALSE(seen->adviser_active);
}

TEST_F(BookingStoreTest, BookWithARequestIdReplaysTheFirstResponse) {
  const BookingTarget target = Target("pupil", "ann", "interview", At(25, 10));
  // request_hash is a SHA-256 (BINARY(32)).
  const domain::IdempotencyKey key{"CreateAppointment:pupil-sub", "req-42",
                                   std::string(32, '1')};
  int decided = 0;
  auto decide = [&](const BookingFacts&) -> absl::StatusOr<BookingPlan> {
    ++decided;
    return PlanFor(target);
  };
  auto first = store_->Book(person_, target, &key, decide);
  ASSERT_TRUE(first.ok()) << first.status();
  auto again = store_->Book(person_, target, &key, decide);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(decided, 1);
  EXPECT_EQ(again->appointment.name(), first->appointment.name());
  EXPECT_EQ(again->appointment.etag(), first->appointment.etag());
  EXPECT_EQ(again->appointment.seat(), 1);
  EXPECT_EQ(test_db_->Query("SELECT COUNT(*) FROM appointments"), "1");
  // The same id with another body is refused.
  const domain::IdempotencyKey other{key.scope, key.request_id,
                                     std::string(32, '2')};
  EXPECT_EQ(store_->Book(person_, target, &other, decide).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(decided, 1);
}

TEST_F(BookingStoreTest, TheDatabaseRefusesASeatTwiceEvenIfDecideDoesNot) {
  ASSERT_TRUE(AddProfile("p2").ok());
  ASSERT_TRUE(BookPlain(Target("pupil", "ann", "interview", At(25, 10))).ok());
  auto twice = BookPlain(Target("p2", "ann", "interview", At(25, 10)));
  EXPECT_EQ(twice.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(twice.status().message(), HasSubstr("just taken"));
  // A seat beyond the session's seats, by the CHECK constraint.
  auto beyond = BookPlain(Target("p2", "ann", "talk", At(25, 14)),
                          /*seat=*/4, /*seats=*/3);
  EXPECT_EQ(beyond.status().code(), absl::StatusCode::kFailedPrecondition);
  auto zero = BookPlain(Target("p2", "ann", "talk", At(25, 14)), 0, 3);
  EXPECT_EQ(zero.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(test_db_->Query("SELECT COUNT(*) FROM appointments"), "1");
  EXPECT_EQ(test_db_->Query("SELECT COUNT(*) FROM appointment_reminders"), "2");
  // A cancelled appointment frees its seat.
  domain::AppointmentQuery mine;
  mine.profile_id = "pupil";
  auto first = store_->ListAppointments(person_, mine);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->items.size(), 1u);
  ASSERT_TRUE(Cancel(person_, rows::IdOf(first->items[0].name()), TestNow(),
                     absl::Hours(1))
                  .ok());
  EXPECT_TRUE(BookPlain(Target("p2", "ann", "interview", At(25, 10))).ok());
}

TEST_F(BookingStoreTest, RescheduleCancelsTheOldOneOnceAndMovesReminders) {
  ASSERT_TRUE(AddAdviser("bob", "sds", {"en"}).ok());
  auto old = BookPlain(Target("pupil", "ann", "interview", At(25, 10)));
  ASSERT_TRUE(old.ok()) << old.status();
  const std::string old_id = rows::IdOf(old->appointment.name());

  auto reschedule = [&](absl::Time start, const std::string& adviser,
                        std::optional<BookingFacts>* seen) {
    BookingTarget target = Target("pupil", adviser, "interview", start);
    target.replacing_id = old_id;
    return store_->Book(
        person_, target, nullptr,
        [&, target](const BookingFacts& f) -> absl::StatusOr<BookingPlan> {
          if (seen) *seen = f;
          if (!f.replacing) return absl::InternalError("no replacing");
          BookingPlan plan = PlanFor(target);
          plan.appointment.set_rescheduled_from(f.replacing->name());
          Appointment replaced = *f.replacing;
          replaced.set_state(Appointment::CANCELLED);
          replaced.set_cancel_reason(Appointment::RESCHEDULED);
          *replaced.mutable_cancel_time() = ToProtoTimestamp(TestNow());
          replaced.set_rescheduled_to(plan.appointment.name());
          replaced.set_sequence(replaced.sequence() + 1);
          plan.replaced = replaced;
          return plan;
        });
  };
  // To the same adviser, overlapping the old time: the old one is left out.
  std::optional<BookingFacts> seen;
  auto moved = reschedule(At(25, 10, 15), "ann", &seen);
  ASSERT_TRUE(moved.ok()) << moved.status();
  ASSERT_TRUE(seen.has_value());
  EXPECT_EQ(seen->replacing->name(), old->appointment.name());
  EXPECT_EQ(seen->replacing->etag(), old->appointment.etag());
  EXPECT_THAT(seen->calendar.booked, IsEmpty());
  EXPECT_FALSE(seen->person_busy);
  EXPECT_EQ(seen->person_upcoming_of_type, 0);

  const std::string new_id = rows::IdOf(moved->appointment.name());
  auto old_now = store_->GetAppointment(person_, old_id);
  ASSERT_TRUE(old_now.ok());
  EXPECT_EQ(old_now->state(), Appointment::CANCELLED);
  EXPECT_EQ(old_now->rescheduled_to(), moved->appointment.name());
  EXPECT_EQ(old_now->sequence(), 1);
  ASSERT_TRUE(moved->replaced.has_value());
  EXPECT_EQ(old_now->etag(), moved->replaced->etag());
  EXPECT_NE(old_now->etag(), old->appointment.etag());
  EXPECT_EQ(test_db_->Query("SELECT CONCAT(state, ' ', IFNULL(live_start, "
                            "'-'), ' ', sequence) FROM appointments WHERE "
                            "id = '" +
                            old_id + "'"),
            "CANCELLED - 1");
  EXPECT_EQ(test_db_->Query("SELECT rescheduled_from_id FROM appointments "
                            "WHERE id = '" +
                            new_id + "'"),
            old_id);
  EXPECT_EQ(test_db_->Query("SELECT GROUP_CONCAT(state ORDER BY kind) FROM "
                            "appointment_reminders WHERE appointment_id = '" +
                            old_id + "'"),
            "CANCELLED,CANCELLED");
  EXPECT_EQ(test_db_->Query("SELECT GROUP_CONCAT(state ORDER BY kind) FROM "
                            "appointment_reminders WHERE appointment_id = '" +
                            new_id + "'"),
            "PENDING,PENDING");

  // Once only, even when the decision does not check (and to another
  // adviser, which locks both).
  auto twice = reschedule(At(26, 10), "bob", nullptr);
  EXPECT_EQ(twice.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(twice.status().message(), HasSubstr("already rescheduled"));
  EXPECT_EQ(test_db_->Query("SELECT COUNT(*) FROM appointments"), "2");

  BookingTarget missing = Target("pupil", "ann", "interview", At(26, 10));
  missing.replacing_id = "nope";
  EXPECT_EQ(store_
                ->Book(person_, missing, nullptr,
                       [](const BookingFacts&) -> absl::StatusOr<BookingPlan> {
                         return absl::InternalError("ran");
                       })
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

// ------------------------------------------------------------ appointments

TEST_F(BookingStoreTest, ListAppointmentsInStartOrderBothWays) {
  ASSERT_TRUE(AddAdviser("bob", "sds", {"en"}).ok());
  std::vector<std::string> booked;
  for (int day : {26, 24, 25, 27}) {
    auto b = BookPlain(
        Target("pupil", day % 2 ? "bob" : "ann", "interview", At(day, 10)));
    ASSERT_TRUE(b.ok()) << b.status();
    booked.push_back(b->appointment.name());
  }
  // booked: [26 ann, 24 ann, 25 bob, 27 bob]
  domain::AppointmentQuery q;
  q.profile_id = "pupil";
  q.limit = 3;
  auto page = store_->ListAppointments(person_, q);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_THAT(Names(page->items), ElementsAre(booked[1], booked[2], booked[0]));
  EXPECT_TRUE(page->has_more);
  q.after = domain::CreationCursor{At(26, 10), rows::IdOf(booked[0])};
  page = store_->ListAppointments(person_, q);
  ASSERT_TRUE(page.ok());
  EXPECT_THAT(Names(page->items), ElementsAre(booked[3]));
  EXPECT_FALSE(page->has_more);

  q.newest_first = true;
  q.after.reset();
  q.limit = 2;
  page = store_->ListAppointments(person_, q);
  ASSERT_TRUE(page.ok());
  EXPECT_THAT(Names(page->items), ElementsAre(booked[3], booked[0]));
  q.after = domain::CreationCursor{At(26, 10), rows::IdOf(booked[0])};
  page = store_->ListAppointments(person_, q);
  ASSERT_TRUE(page.ok());
  EXPECT_THAT(Names(page->items), ElementsAre(booked[2], booked[1]));

  domain::AppointmentQuery by_adviser;
  by_adviser.adviser_id = "bob";
  page = store_->ListAppointments(person_, by_adviser);
  ASSERT_TRUE(page.ok());
  EXPECT_THAT(Names(page->items), ElementsAre(booked[2], booked[3]));

  ASSERT_TRUE(
      Cancel(person_, rows::IdOf(booked[2]), TestNow(), absl::Hours(1)).ok());
  domain::AppointmentQuery by_org;
  by_org.organisation_id = "sds";
  by_org.state = Appointment::BOOKED;
  by_org.start_from = At(25, 0);
  by_org.start_to = At(27, 0);
  page = store_->ListAppointments(person_, by_org);
  ASSERT_TRUE(page.ok());
  EXPECT_THAT(Names(page->items), ElementsAre(booked[0]));
  by_org.state = Appointment::CANCELLED;
  page = store_->ListAppointments(person_, by_org);
  ASSERT_TRUE(page.ok());
  EXPECT_THAT(Names(page->items), ElementsAre(booked[2]));
  by_org.state.reset();
  by_org.appointment_type_id = "talk";
  page = store_->ListAppointments(person_, by_org);
  ASSERT_TRUE(page.ok());
  EXPECT_THAT(page->items, IsEmpty());

  domain::AppointmentQuery none;
  EXPECT_EQ(store_->ListAppointments(person_, none).status().code(),
            absl::StatusCode::kInvalidArgument);

  auto parties = store_->AppointmentParties(person_, rows::IdOf(booked[2]));
  ASSERT_TRUE(parties.ok());
  ASSERT_TRUE(parties->has_value());
  EXPECT_EQ((*parties)->profile_id, "pupil");
  EXPECT_EQ((*parties)->adviser_id, "bob");
  EXPECT_EQ((*parties)->organisation_id, "sds");
  EXPECT_FALSE(store_->AppointmentParties(person_, "nope")->has_value());
}

TEST_F(BookingStoreTest, UpdateAppointmentRefusesOrWritesAVersion) {
  auto b = BookPlain(Target("pupil", "ann", "interview", At(25, 10)));
  ASSERT_TRUE(b.ok());
  const std::string id = rows::IdOf(b->appointment.name());
  EXPECT_EQ(store_
                ->UpdateAppointment(
                    person_, id,
                    [](Appointment&) { return absl::AbortedError("etag"); },
                    {TestNow(), absl::Hours(1)})
                .status()
                .code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(
      store_
          ->UpdateAppointment(person_, "nope",
                              [](Appointment&) { return absl::OkStatus(); },
                              {TestNow(), absl::Hours(1)})
          .status()
          .code(),
      absl::StatusCode::kNotFound);
  // Immutable parts stay.
  EXPECT_EQ(store_
                ->UpdateAppointment(person_, id,
                                    [](Appointment& a) {
                                      *a.mutable_start_time() =
                                          ToProtoTimestamp(At(26, 10));
                                      return absl::OkStatus();
                                    },
                                    {TestNow(), absl::Hours(1)})
                .status()
                .code(),
            absl::StatusCode::kInternal);
  auto attended = store_->UpdateAppointment(
      person_, id,
      [](Appointment& a) {
        a.set_state(Appointment::ATTENDED);
        *a.mutable_attendance_time() = ToProtoTimestamp(At(25, 10, 30));
        return absl::OkStatus();
      },
      {TestNow(), absl::Hours(1)});
  ASSERT_TRUE(attended.ok()) << attended.status();
  EXPECT_NE(attended->etag(), b->appointment.etag());
  EXPECT_EQ(store_->GetAppointment(person_, id)->etag(), attended->etag());
  EXPECT_EQ(test_db_->Query("SELECT CONCAT(state, ' ', version, ' ', "
                            "update_time) FROM appointments WHERE id = '" +
                            id + "'"),
            "ATTENDED 2 2026-11-25 10:30:00.000000");
  // Reminders stay pending (the sender skips what is not BOOKED).
  EXPECT_EQ(test_db_->Query("SELECT COUNT(*) FROM appointment_reminders WHERE "
                            "state = 'PENDING'"),
            "2");
}

// ---------------------------------------------------------------- waitlist

TEST_F(BookingStoreTest, CancellingAGroupSeatOffersItToTheFirstWaiting) {
  for (const char* p : {"p2", "p3", "p4", "p5", "p6"})
    ASSERT_TRUE(AddProfile(p).ok());
  const absl::Time start = TestNow() + absl::Hours(3);  // 15:00
  std::vector<std::string> seats;
  for (auto [p, seat] : std::vector<std::pair<std::string, int>>{
           {"p6", 1}, {"p2", 2}, {"p3", 3}}) {
    auto b = BookPlain(Target(p, "ann", "talk", start), seat, 3);
    ASSERT_TRUE(b.ok()) << b.status();
    seats.push_back(rows::IdOf(b->appointment.name()));
  }
  // Waiting, in order of joining (not of id).
  ASSERT_TRUE(Wait("w-b", "p4", start, TestNow() + absl::Minutes(1)).ok());
  ASSERT_TRUE(Wait("w-c", "p5", start, TestNow() + absl::Minutes(2)).ok());
  ASSERT_TRUE(Wait("w-a", "pupil", start, TestNow() + absl::Minutes(3)).ok());
  EXPECT_EQ(Wait("w-dup", "p4", start, TestNow()).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Wait("w-none", "nobody", start, TestNow()).status().code(),
            absl::StatusCode::kNotFound);

  auto cancelled = Cancel(person_, seats[1], TestNow(), absl::Hours(1));
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  EXPECT_EQ(cancelled->state(), Appointment::CANCELLED);
  EXPECT_EQ(test_db_->Query("SELECT GROUP_CONCAT(state) FROM "
                            "appointment_reminders WHERE appointment_id = '" +
                            seats[1] + "'"),
            "CANCELLED,CANCELLED");
  EXPECT_EQ(test_db_->Query("SELECT COUNT(*) FROM appointment_reminders WHERE "
                            "state = 'PENDING'"),
            "4");
  auto offered = store_->GetWaitlistEntry(person_, "w-b");
  ASSERT_TRUE(offered.ok());
  EXPECT_EQ(offered->state(), WaitlistEntry::OFFERED);
  EXPECT_EQ(FromProtoTimestamp(offered->offer_time()), TestNow());
  EXPECT_EQ(FromProtoTimestamp(offered->offer_expire_time()),
            TestNow() + absl::Hours(1));
  EXPECT_EQ(EntryState("w-c"), "WAITING");
  EXPECT_EQ(EntryState("w-a"), "WAITING");

  // Cancelling again (already cancelled) offers nothing more.
  ASSERT_TRUE(Cancel(person_, seats[1], TestNow(), absl::Hours(1)).ok());
  EXPECT_EQ(EntryState("w-c"), "WAITING");

  // The held seat is on the calendar, until it expires.
  domain::CalendarQuery q{"sds", std::nullopt,           std::nullopt,
                          start, start + absl::Hours(1), TestNow()};
  auto calendars = store_->ReadCalendars(person_, q);
  ASSERT_TRUE(calendars.ok());
  ASSERT_EQ(calendars->size(), 1u);
  EXPECT_EQ((*calendars)[0].held.size(), 1u);
  EXPECT_EQ((*calendars)[0].booked.size(), 2u);

  // The offer expires: it moves on, capped at the session's start.
  auto none = store_->ExpireOffers(
      person_, {TestNow() + absl::Minutes(30), absl::Hours(24)}, 10);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, 0);
  auto expired = store_->ExpireOffers(
      person_, {TestNow() + absl::Hours(1), absl::Hours(24)}, 10);
  ASSERT_TRUE(expired.ok()) << expired.status();
  EXPECT_EQ(*expired, 1);
  EXPECT_EQ(EntryState("w-b"), "EXPIRED");
  auto next = store_->GetWaitlistEntry(person_, "w-c");
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->state(), WaitlistEntry::OFFERED);
  EXPECT_EQ(FromProtoTimestamp(next->offer_expire_time()), start);
  EXPECT_EQ(test_db_->Query("SELECT offer_expire_time FROM waitlist_entries "
                            "WHERE id = 'w-c'"),
            "2026-11-23 15:00:00.000000");
  EXPECT_EQ(store_->GetWaitlistEntry(person_, "w-b")->state(),
            WaitlistEntry::EXPIRED);

  // Withdrawing an offer moves it on too.
  auto withdrawn = store_->UpdateWaitlistEntry(
      person_, "w-c",
      [](WaitlistEntry& e) {
        e.set_state(WaitlistEntry::WITHDRAWN);
        return absl::OkStatus();
      },
      {TestNow() + absl::Hours(2), absl::Minutes(20)});
  ASSERT_TRUE(withdrawn.ok()) << withdrawn.status();
  EXPECT_EQ(withdrawn->state(), WaitlistEntry::WITHDRAWN);
  auto last = store_->GetWaitlistEntry(person_, "w-a");
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->state(), WaitlistEntry::OFFERED);
  EXPECT_EQ(FromProtoTimestamp(last->offer_expire_time()),
            TestNow() + absl::Hours(2) + absl::Minutes(20));

  // Accepting it books the seat and writes the entry in one go.
  const BookingTarget target = Target("pupil", "ann", "talk", start);
  BookingTarget accept = target;
  accept.accepting_entry_id = "w-a";
  std::optional<BookingFacts> seen;
  auto taken =
      store_->Book(person_, accept, nullptr,
                   [&](const BookingFacts& f) -> absl::StatusOr<BookingPlan> {
                     seen = f;
                     BookingPlan plan = PlanFor(target, 2, 3);
                     WaitlistEntry e = *f.accepting;
                     e.set_state(WaitlistEntry::ACCEPTED);
                     e.set_appointment(plan.appointment.name());
                     plan.accepted = e;
                     return plan;
                   });
  ASSERT_TRUE(taken.ok()) << taken.status();
  ASSERT_TRUE(seen.has_value());
  ASSERT_TRUE(seen->accepting.has_value());
  EXPECT_EQ(seen->accepting->state(), WaitlistEntry::OFFERED);
  EXPECT_THAT(seen->calendar.held, IsEmpty());  // its own hold left out
  EXPECT_THAT(seen->session_seats_taken, UnorderedElementsAre(1, 3));
  auto accepted = store_->GetWaitlistEntry(person_, "w-a");
  ASSERT_TRUE(accepted.ok());
  EXPECT_EQ(accepted->state(), WaitlistEntry::ACCEPTED);
  EXPECT_EQ(accepted->appointment(), taken->appointment.name());
  EXPECT_EQ(accepted->etag(), taken->accepted->etag());

  // Once the session has started, a freed seat is offered to nobody.
  ASSERT_TRUE(Wait("w-late", "p2", start, TestNow() + absl::Minutes(5)).ok());
  ASSERT_TRUE(
      Cancel(person_, seats[2], start + absl::Minutes(1), absl::Hours(1)).ok());
  EXPECT_EQ(EntryState("w-late"), "WAITING");

  domain::WaitlistQuery mine;
  mine.profile_id = "pupil";
  mine.limit = 10;
  auto listed = store_->ListWaitlistEntries(person_, mine);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->items.size(), 1u);
  EXPECT_EQ(listed->items[0].name(), "waitlistEntries/w-a");
  auto parties = store_->WaitlistEntryParties(person_, "w-a");
  ASSERT_TRUE(parties.ok());
  ASSERT_TRUE(parties->has_value());
  EXPECT_EQ((*parties)->profile_id, "pupil");
  EXPECT_EQ((*parties)->adviser_id, "ann");
  EXPECT_EQ((*parties)->organisation_id, "sds");
  EXPECT_FALSE(store_->WaitlistEntryParties(person_, "nope")->has_value());
}

// A seat holder cannot queue for their own session, and a freed seat goes
// to the first waiting person who can take it: those busy at the time (or
// at their limit) are passed over in the same transaction and keep their
// place.
TEST_F(BookingStoreTest,
       ASeatHolderCannotJoinAndAnOfferPassesOverWhoCannotCome) {
  for (const char* p : {"p2", "p3", "p4", "p5"})
    ASSERT_TRUE(AddProfile(p).ok());
  ASSERT_TRUE(AddAdviser("bob", "sds", {"en"}, {v1::Adviser::VIDEO}).ok());
  const absl::Time start = TestNow() + absl::Hours(3);
  std::vector<std::string> seats;
  for (auto [p, seat] : std::vector<std::pair<std::string, int>>{
           {"pupil", 1}, {"p2", 2}, {"p3", 3}}) {
    auto b = BookPlain(Target(p, "ann", "talk", start), seat, 3);
    ASSERT_TRUE(b.ok()) << b.status();
    seats.push_back(rows::IdOf(b->appointment.name()));
  }
  const absl::Status holder =
      Wait("w-holder", "pupil", start, TestNow()).status();
  EXPECT_EQ(holder.code(), absl::StatusCode::kFailedPrecondition) << holder;
  EXPECT_THAT(std::string(holder.message()), HasSubstr("already holds a seat"));
  EXPECT_EQ(test_db_->Query("SELECT COUNT(*) FROM waitlist_entries"), "0");

  // p4 queues first but then books an interview with bob at the same time.
  ASSERT_TRUE(Wait("w-busy", "p4", start, TestNow() + absl::Minutes(1)).ok());
  ASSERT_TRUE(Wait("w-free", "p5", start, TestNow() + absl::Minutes(2)).ok());
  ASSERT_TRUE(BookPlain(Target("p4", "bob", "interview", start)).ok());

  const OfferTerms terms{
      TestNow(), absl::Hours(1),
      [](const v1::AppointmentType& type, const rules::PersonAtTime& person) {
        return rules::CheckPersonCanTake(type, person).ok();
      }};
  auto cancelled = store_->UpdateAppointment(
      person_, seats[1],
      [&](Appointment& a) {
        a.set_state(Appointment::CANCELLED);
        a.set_cancel_reason(Appointment::PERSON_UNAVAILABLE);
        *a.mutable_cancel_time() = ToProtoTimestamp(TestNow());
        return absl::OkStatus();
      },
      terms);
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  EXPECT_EQ(EntryState("w-busy"), "WAITING");
  EXPECT_EQ(EntryState("w-free"), "OFFERED");

  // The queue as staff see it: in joining order, the passed-over person
  // still first in line.
  domain::WaitlistQuery queue;
  queue.session = domain::Session{"ann", "talk", start};
  queue.limit = 10;
  auto listed = store_->ListWaitlistEntries(person_, queue);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->items.size(), 2u);
  EXPECT_EQ(listed->items[0].name(), "waitlistEntries/w-busy");
  EXPECT_EQ(listed->items[0].position(), 1);
  EXPECT_EQ(listed->items[1].name(), "waitlistEntries/w-free");
  EXPECT_EQ(listed->items[1].position(), 0);  // offered: out of the queue
  EXPECT_EQ(store_->GetWaitlistEntry(person_, "w-busy")->position(), 1);

  // Nobody else who can come: the next freed seat is offered to nobody.
  auto second = store_->UpdateAppointment(
      person_, seats[2],
      [&](Appointment& a) {
        a.set_state(Appointment::CANCELLED);
        a.set_cancel_reason(Appointment::PERSON_UNAVAILABLE);
        *a.mutable_cancel_time() = ToProtoTimestamp(TestNow());
        return absl::OkStatus();
      },
      terms);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(EntryState("w-busy"), "WAITING");
}

TEST_F(BookingStoreTest, WaitlistEntriesListNewestFirst) {
  const absl::Time start = At(25, 14);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(Wait(absl::StrCat("w", i), "pupil", start + absl::Hours(i),
                     TestNow() + absl::Minutes(i))
                    .ok());
  }
  domain::WaitlistQuery q;
  q.profile_id = "pupil";
  q.limit = 2;
  auto page = store_->ListWaitlistEntries(person_, q);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_TRUE(page->has_more);
  EXPECT_EQ(page->items[0].name(), "waitlistEntries/w2");
  EXPECT_EQ(page->items[1].name(), "waitlistEntries/w1");
  q.before = domain::CreationCursor{TestNow() + absl::Minutes(1), "w1"};
  page = store_->ListWaitlistEntries(person_, q);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].name(), "waitlistEntries/w0");
  EXPECT_FALSE(page->has_more);
  EXPECT_EQ(store_->GetWaitlistEntry(person_, "nope").status().code(),
            absl::StatusCode::kNotFound);
}

// ------------------------------------------------------------ access record

TEST_F(BookingStoreTest, StaffWritesGoOnThePersonsAccessRecord) {
  auto by_person = BookPlain(Target("pupil", "ann", "interview", At(25, 9)));
  ASSERT_TRUE(by_person.ok());
  EXPECT_EQ(test_db_->Query("SELECT COUNT(*) FROM access_events"), "0");

  const BookingTarget target = Target("pupil", "ann", "interview", At(25, 10));
  auto booked =
      store_->Book(staff_, target, nullptr,
                   [&](const BookingFacts&) -> absl::StatusOr<BookingPlan> {
                     return PlanFor(target);
                   });
  ASSERT_TRUE(booked.ok()) << booked.status();
  EXPECT_EQ(
      test_db_->Query("SELECT CONCAT_WS(' ', profile_id, action, resource, "
                      "actor_subject, actor_organisation_id, method) FROM "
                      "access_events"),
      absl::StrCat("pupil WRITE ", booked->appointment.name(),
                   " adviser-sub sds "
                   "careers.v1.BookingService/CreateAppointment"));
  ASSERT_TRUE(Cancel(staff_, rows::IdOf(booked->appointment.name()), TestNow(),
                     absl::Hours(1))
                  .ok());
  EXPECT_EQ(test_db_->Query("SELECT COUNT(*) FROM access_events WHERE "
                            "profile_id = 'pupil' AND resource = '" +
                            booked->appointment.name() + "'"),
            "2");
  ASSERT_TRUE(Wait("w", "pupil", At(26, 14), TestNow()).ok());  // by the person
  EXPECT_EQ(test_db_->Query("SELECT COUNT(*) FROM access_events"), "2");
}

// ------------------------------------------------------------- concurrency

class BookingConcurrencyTest : public BookingStoreTest {
 protected:
  static constexpr int kThreads = 64;

  void AddPeople() {
    for (int i = 0; i < kThreads; ++i) {
      ASSERT_TRUE(AddProfile(absl::StrCat("c", i)).ok());
    }
  }

  // Books the same slot from kThreads threads, each for its own person.
  std::vector<absl::Status> BookAtOnce(bool check_overlap) {
    std::vector<absl::Status> results(kThreads);
    std::vector<std::thread> threads;
    std::atomic<int> ready{0};
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        const BookingTarget target =
            Target(absl::StrCat("c", i), "ann", "interview", At(25, 10));
        ++ready;
        while (ready.load() < kThreads) std::this_thread::yield();
        results[i] =
            store_
                ->Book(person_, target, nullptr,
                       [&, target](const BookingFacts& f)
                           -> absl::StatusOr<BookingPlan> {
                         BookingPlan plan = PlanFor(target);
                         if (check_overlap) {
                           for (const auto& b : f.calendar.booked) {
                             if (b.block_start < plan.block_end &&
                                 plan.block_start < b.block_end) {
                               return errors::FailedPrecondition(
                                   "SLOT_TAKEN", "the slot", "was taken");
                             }
                           }
                         }
                         return plan;
                       })
                .status();
      });
    }
    for (auto& t : threads) t.join();
    return results;
  }

  void ExpectOneWinner(const std::vector<absl::Status>& results) {
    int ok = 0, refused = 0;
    for (const absl::Status& s : results) {
      if (s.ok()) {
        ++ok;
      } else if (s.code() == absl::StatusCode::kFailedPrecondition) {
        ++refused;
      } else {
        ADD_FAILURE() << "unexpected: " << s;
      }
    }
    EXPECT_EQ(ok, 1);
    EXPECT_EQ(refused, kThreads - 1);
    EXPECT_EQ(test_db_->Query("SELECT COUNT(*) FROM appointments"), "1");
    EXPECT_EQ(test_db_->Query("SELECT COUNT(*) FROM appointment_reminders"),
              "2");
  }
};

TEST_F(BookingConcurrencyTest, SixtyFourBookingsOfOneSlotMakeOne) {
  AddPeople();
  ExpectOneWinner(BookAtOnce(/*check_overlap=*/true));
}

TEST_F(BookingConcurrencyTest, TheUniqueKeyHoldsUnderConcurrencyToo) {
  AddPeople();
  ExpectOneWinner(BookAtOnce(/*check_overlap=*/false));
}

}  // namespace
}  // namespace careers::store
