// Booking through the domain rules on the MariaDB store, with a clock the
// test controls: daylight saving, notice, horizon, audience, per-person
// limits, every state change, reminders, waitlists, idempotent retries, and
// races that must never double-book or oversell.
#include "server/domain/booking.h"

#include <atomic>
#include <map>
#include <random>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/proto_time.h"
#include "server/domain/profiles.h"
#include "server/store/booking_store.h"
#include "server/store/directory_store.h"
#include "server/store/profile_store.h"
#include "tests/support/test_data.h"
#include "tests/support/test_database.h"

namespace careers::domain {
namespace {

using ::careers::testing::Date;
using ::careers::testing::TestDatabase;
using ::careers::testing::ValidProfile;
using ::careers::testing::ViolatedFields;
using ::testing::ElementsAre;
using v1::Appointment;
using v1::WaitlistEntry;

absl::Time Utc(int y, int mo, int d, int h, int mi = 0) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, 0),
                         absl::UTCTimeZone());
}

std::string Rfc(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M", t, absl::UTCTimeZone());
}

class BookingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test_db_ = TestDatabase::Create(/*migrate=*/true, /*pool_size=*/16);
    ASSERT_NE(test_db_, nullptr);
    test_db_->Exec(
        "INSERT INTO organisations (id, display_name, kind, create_time, "
        "update_time) VALUES ('school-a', 'School A', 'SCHOOL', "
        "UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))");
    test_db_->Exec(
        "INSERT INTO locations (id, organisation_id, display_name, kind, "
        "time_zone, create_time, update_time) VALUES ('room-1', 'school-a', "
        "'Careers room', 'SCHOOL', 'Europe/London', UTC_TIMESTAMP(6), "
        "UTC_TIMESTAMP(6))");
    for (int i = 1; i <= 5; ++i) {
      test_db_->Exec(absl::StrCat(
          "INSERT INTO advisers (id, organisation_id, display_name, "
          "language_codes, active, create_time, update_time) VALUES ('adv-",
          i, "', 'school-a', 'Adviser ", i,
          "', 'en', TRUE, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))"));
    }
    profile_store_ = std::make_unique<store::ProfileStore>(test_db_->db());
    directory_ = std::make_unique<store::DirectoryStore>(test_db_->db());
    store_ = std::make_unique<store::BookingStore>(test_db_->db());
    profiles_ = std::make_unique<Profiles>(*profile_store_, *directory_, clock_,
                                           tokens_);
    booking_ = std::make_unique<Booking>(*store_, *directory_, clock_, tokens_);
    admin_.deadline = absl::Now() + absl::Seconds(60);
    admin_.principal.subject = "operator";
    admin_.principal.role = auth::Role::kAdmin;
    admin_.method = "test";
  }

  RequestContext Ctx() const {
    RequestContext ctx = admin_;
    ctx.deadline = absl::Now() + absl::Seconds(30);
    return ctx;
  }

  std::string NewProfile(const std::string& id,
                         v1::Profile::LifeStage stage = v1::Profile::SCHOOL,
                         const std::string& school_stage = "S4") {
    v1::CreateProfileRequest req;
    *req.mutable_profile() = ValidProfile();
    req.mutable_profile()->set_life_stage(stage);
    req.mutable_profile()->set_school_stage(
        stage == v1::Profile::SCHOOL ? school_stage : "");
    req.set_profile_id(id);
    absl::StatusOr<v1::Profile> p = profiles_->CreateProfile(Ctx(), req);
    EXPECT_TRUE(p.ok()) << p.status();
    return absl::StrCat("profiles/", id);
  }

  // An appointment type of school-a.
  v1::AppointmentType NewType(
      const std::string& id,
      std::function<void(v1::AppointmentType&)> edit = nullptr) {
    v1::CreateAppointmentTypeRequest req;
    v1::AppointmentType& t = *req.mutable_appointment_type();
    t.set_organisation("organisations/school-a");
    t.set_display_name("Careers interview");
    t.set_duration_minutes(60);
    t.add_channels(v1::Adviser::IN_PERSON);
    t.add_channels(v1::Adviser::VIDEO);
    t.set_booking_horizon_days(365);
    if (edit) edit(t);
    req.set_appointment_type_id(id);
    absl::StatusOr<v1::AppointmentType> type =
        booking_->CreateAppointmentType(Ctx(), req);
    EXPECT_TRUE(type.ok()) << type.status();
    return type.value_or(v1::AppointmentType{});
  }

  // Every day 09:00–12:00 Europe/London (in the careers room) from 2027.
  void WeeklyHours(const std::string& adviser, int from_hour = 9,
                   int to_hour = 12) {
    v1::CreateAvailabilityRuleRequest req;
    req.set_parent(absl::StrCat("advisers/", adviser));
    v1::AvailabilityRule& r = *req.mutable_availability_rule();
    r.set_kind(v1::AvailabilityRule::WEEKLY);
    r.mutable_start_time()->set_hours(from_hour);
    r.mutable_end_time()->set_hours(to_hour);
    r.set_time_zone("Europe/London");
    *r.mutable_valid_from() = Date(2027, 1, 1);
    r.set_location("locations/room-1");
    absl::StatusOr<v1::AvailabilityRule> rule =
        booking_->CreateAvailabilityRule(Ctx(), req);
    ASSERT_TRUE(rule.ok()) << rule.status();
  }

  absl::StatusOr<Appointment> Book(
      const std::string& profile, const std::string& adviser,
      const std::string& type, absl::Time start,
      const std::string& request_id = "",
      v1::Adviser::Channel channel = v1::Adviser::IN_PERSON) {
    v1::CreateAppointmentRequest req;
    Appointment& a = *req.mutable_appointment();
    a.set_profile(profile);
    a.set_adviser(absl::StrCat("advisers/", adviser));
    a.set_appointment_type(absl::StrCat("appointmentTypes/", type));
    a.set_channel(channel);
    *a.mutable_start_time() = ToProtoTimestamp(start);
    req.set_request_id(request_id);
    return booking_->CreateAppointment(Ctx(), req);
  }

  std::vector<std::string> SlotStarts(const std::string& type, absl::Time from,
                                      absl::Time to,
                                      const std::string& adviser = "adv-1") {
    v1::SearchAvailabilityRequest req;
    req.set_appointment_type(absl::StrCat("appointmentTypes/", type));
    *req.mutable_start_time() = ToProtoTimestamp(from);
    *req.mutable_end_time() = ToProtoTimestamp(to);
    req.set_adviser(absl::StrCat("advisers/", adviser));
    req.set_page_size(500);
    absl::StatusOr<v1::SearchAvailabilityResponse> resp =
        booking_->SearchAvailability(Ctx(), req);
    EXPECT_TRUE(resp.ok()) << resp.status();
    std::vector<std::string> starts;
    if (resp.ok()) {
      for (const v1::Slot& s : resp->slots()) {
        starts.push_back(Rfc(FromProtoTimestamp(s.start_time())));
      }
    }
    return starts;
  }

  absl::StatusOr<Appointment> Cancel(const Appointment& a) {
    v1::CancelAppointmentRequest req;
    req.set_name(a.name());
    req.set_reason(Appointment::PERSON_UNAVAILABLE);
    return booking_->CancelAppointment(Ctx(), req);
  }

  absl::StatusOr<Appointment> Reschedule(const std::string& name,
                                         absl::Time start) {
    v1::RescheduleAppointmentRequest req;
    req.set_name(name);
    *req.mutable_start_time() = ToProtoTimestamp(start);
    return booking_->RescheduleAppointment(Ctx(), req);
  }

  absl::StatusOr<Appointment> Attend(const std::string& name) {
    v1::RecordAttendanceRequest req;
    req.set_name(name);
    req.set_attendance(Appointment::ATTENDED);
    return booking_->RecordAttendance(Ctx(), req);
  }

  // The change records appended after the one with id `after` (in the
  // order written; the sequencer numbers them later), one line each:
  // "KIND resource [field,paths] profile_id organisations".
  std::vector<std::string> ChangesSince(int64_t after) {
    const std::string rows = test_db_->Query(absl::StrCat(
        "SELECT GROUP_CONCAT(CONCAT_WS(' ', kind, resource, CONCAT('[', "
        "field_paths, ']'), IFNULL(profile_id, '-'), IF(organisations = '', "
        "'-', organisations)) ORDER BY id SEPARATOR '|') FROM changes "
        "WHERE id > ",
        after));
    if (rows.empty() || rows == "NULL") return {};
    return absl::StrSplit(rows, '|');
  }
  int64_t LastChange() {
    const std::string last =
        test_db_->Query("SELECT COALESCE(MAX(id), 0) FROM changes");
    int64_t n = 0;
    EXPECT_TRUE(absl::SimpleAtoi(last, &n)) << last;
    return n;
  }

  std::string Reminders(const std::string& appointment_name) {
    return test_db_->Query(absl::StrCat(
        "SELECT GROUP_CONCAT(CONCAT(kind, '=', state) ORDER BY kind) FROM "
        "appointment_reminders WHERE appointment_id = '",
        appointment_name.substr(appointment_name.find('/') + 1), "'"));
  }

  static std::string Reason(const absl::Status& s) {
    auto payload = s.GetPayload(errors::kPreconditionFailureType);
    if (!payload) return "";
    google::rpc::PreconditionFailure failure;
    failure.ParseFromString(std::string(*payload));
    return failure.violations_size() ? failure.violations(0).type() : "";
  }

  // The refusal's subject (what it is about) and its ErrorInfo metadata.
  static std::string Subject(const absl::Status& s) {
    auto payload = s.GetPayload(errors::kPreconditionFailureType);
    if (!payload) return "";
    google::rpc::PreconditionFailure failure;
    failure.ParseFromString(std::string(*payload));
    return failure.violations_size() ? failure.violations(0).subject() : "";
  }
  static std::vector<std::string> Violations(const absl::Status& s) {
    std::vector<std::string> fields;
    auto payload = s.GetPayload(errors::kBadRequestType);
    if (!payload) return fields;
    google::rpc::BadRequest bad;
    bad.ParseFromString(std::string(*payload));
    for (const auto& v : bad.field_violations()) fields.push_back(v.field());
    return fields;
  }
  static std::map<std::string, std::string> Metadata(const absl::Status& s) {
    auto payload = s.GetPayload(errors::kErrorInfoType);
    if (!payload) return {};
    google::rpc::ErrorInfo info;
    info.ParseFromString(std::string(*payload));
    EXPECT_EQ(info.domain(), "careers.uk");
    EXPECT_EQ(info.reason(), Reason(s));
    return {info.metadata().begin(), info.metadata().end()};
  }

  std::unique_ptr<TestDatabase> test_db_;
  FakeClock clock_{Utc(2027, 1, 4, 8)};  // a Monday
  PageTokenCodec tokens_{std::string(32, 'k'), absl::Hours(1)};
  std::unique_ptr<store::ProfileStore> profile_store_;
  std::unique_ptr<store::DirectoryStore> directory_;
  std::unique_ptr<store::BookingStore> store_;
  std::unique_ptr<Profiles> profiles_;
  std::unique_ptr<Booking> booking_;
  RequestContext admin_;
};

// Search expands the window a day at a time until a page is full; pages
// of any size, across days and advisers, give the slots of one big page.
TEST_F(BookingTest, SmallPagesAcrossDaysAndAdvisersMatchOneBigPage) {
  NewType("interview");
  WeeklyHours("adv-1", 9, 12);  // three slots a day each
  WeeklyHours("adv-2", 9, 12);
  WeeklyHours("adv-3", 11, 12);
  auto page = [&](int size, const std::string& token) {
    v1::SearchAvailabilityRequest req;
    req.set_appointment_type("appointmentTypes/interview");
    *req.mutable_start_time() = ToProtoTimestamp(Utc(2027, 1, 5, 0));
    *req.mutable_end_time() = ToProtoTimestamp(Utc(2027, 1, 10, 0));
    req.set_page_size(size);
    req.set_page_token(token);
    absl::StatusOr<v1::SearchAvailabilityResponse> resp =
        booking_->SearchAvailability(Ctx(), req);
    EXPECT_TRUE(resp.ok()) << resp.status();
    return resp.value_or(v1::SearchAvailabilityResponse{});
  };
  auto key = [](const v1::Slot& s) {
    return absl::StrCat(Rfc(FromProtoTimestamp(s.start_time())), " ",
                        s.adviser());
  };
  std::vector<std::string> all;
  const v1::SearchAvailabilityResponse big = page(500, "");
  for (const v1::Slot& s : big.slots()) all.push_back(key(s));
  EXPECT_TRUE(big.next_page_token().empty());
  ASSERT_EQ(all.size(), 5u * 7);  // five days of 3 + 3 + 1 slots
  EXPECT_EQ(all[0], "2027-01-05T09:00 advisers/adv-1");
  EXPECT_EQ(all[1], "2027-01-05T09:00 advisers/adv-2");

  for (int size : {1, 2, 4, 7, 8, 34, 35}) {
    SCOPED_TRACE(size);
    std::vector<std::string> paged;
    std::string token;
    int pages = 0;
    do {
      const v1::SearchAvailabilityResponse resp = page(size, token);
      EXPECT_LE(resp.slots_size(), size);
      for (const v1::Slot& s : resp.slots()) paged.push_back(key(s));
      token = resp.next_page_token();
      ASSERT_LT(++pages, 100);
    } while (!token.empty());
    EXPECT_EQ(paged, all);
  }
}

TEST_F(BookingTest, SlotsStayAtNineLocalAcrossBothClockChanges) {
  NewType("interview");
  WeeklyHours("adv-1", 9, 10);  // one slot a day
  clock_.Set(Utc(2027, 3, 1, 0));
  EXPECT_THAT(
      SlotStarts("interview", Utc(2027, 3, 26, 0), Utc(2027, 3, 31, 0)),
      ElementsAre("2027-03-26T09:00", "2027-03-27T09:00", "2027-03-28T08:00",
                  "2027-03-29T08:00", "2027-03-30T08:00"));
  clock_.Set(Utc(2027, 10, 1, 0));
  EXPECT_THAT(
      SlotStarts("interview", Utc(2027, 10, 29, 0), Utc(2027, 11, 2, 0)),
      ElementsAre("2027-10-29T08:00", "2027-10-30T08:00", "2027-10-31T09:00",
                  "2027-11-01T09:00"));
  // And a booking lands on the instant the slot names.
  const std::string p = NewProfile("dst");
  absl::StatusOr<Appointment> a =
      Book(p, "adv-1", "interview", Utc(2027, 10, 31, 9));
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->time_zone(), "Europe/London");
  EXPECT_EQ(a->location(), "locations/room-1");
  EXPECT_EQ(FromProtoTimestamp(a->end_time()), Utc(2027, 10, 31, 10));
  // It carries its local times, as booked and as read back.
  EXPECT_EQ(a->local_start(), "2027-10-31T09:00:00+00:00");
  EXPECT_EQ(a->local_end_abbreviation(), "GMT");
  v1::GetAppointmentRequest get;
  get.set_name(a->name());
  absl::StatusOr<Appointment> read = booking_->GetAppointment(Ctx(), get);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->local_start(), "2027-10-31T09:00:00+00:00");
  EXPECT_EQ(read->local_end(), "2027-10-31T10:00:00+00:00");
  EXPECT_EQ(read->local_start_abbreviation(), "GMT");
}

TEST_F(BookingTest, RulesAtALocationAreInItsTimeZone) {
  test_db_->Exec(
      "INSERT INTO locations (id, organisation_id, display_name, kind, "
      "time_zone, create_time, update_time) VALUES ('dublin', 'school-a', "
      "'Dublin office', 'CENTRE', 'Europe/Dublin', UTC_TIMESTAMP(6), "
      "UTC_TIMESTAMP(6))");
  NewType("interview");
  v1::CreateAvailabilityRuleRequest req;
  req.set_parent("advisers/adv-2");
  v1::AvailabilityRule& r = *req.mutable_availability_rule();
  r.set_kind(v1::AvailabilityRule::WEEKLY);
  r.mutable_start_time()->set_hours(9);
  r.mutable_end_time()->set_hours(10);
  *r.mutable_valid_from() = Date(2027, 1, 1);
  r.set_location("locations/dublin");
  r.set_time_zone("Europe/London");
  absl::StatusOr<v1::AvailabilityRule> wrong =
      booking_->CreateAvailabilityRule(Ctx(), req);
  EXPECT_THAT(ViolatedFields(wrong.status()),
              ElementsAre("availability_rule.time_zone"));
  r.clear_time_zone();
  absl::StatusOr<v1::AvailabilityRule> rule =
      booking_->CreateAvailabilityRule(Ctx(), req);
  ASSERT_TRUE(rule.ok()) << rule.status();
  EXPECT_EQ(rule->time_zone(), "Europe/Dublin");
  absl::StatusOr<Appointment> a =
      Book(NewProfile("ie"), "adv-2", "interview", Utc(2027, 1, 5, 9));
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->time_zone(), "Europe/Dublin");
}

TEST_F(BookingTest, MinimumNoticeIsRealTimeAcrossTheSpringChange) {
  NewType("notice", [](v1::AppointmentType& t) {
    t.set_minimum_notice_minutes(24 * 60);
  });
  WeeklyHours("adv-1");
  const std::string p = NewProfile("notice");
  clock_.Set(Utc(2027, 3, 27, 9));  // Saturday 09:00 GMT
  // Sunday 09:00 BST is 08:00Z: 23 hours away.
  absl::StatusOr<Appointment> early =
      Book(p, "adv-1", "notice", Utc(2027, 3, 28, 8));
  EXPECT_EQ(Reason(early.status()), "MINIMUM_NOTICE") << early.status();
  EXPECT_TRUE(Book(p, "adv-1", "notice", Utc(2027, 3, 28, 9)).ok());
  EXPECT_THAT(SlotStarts("notice", Utc(2027, 3, 28, 0), Utc(2027, 3, 29, 0)),
              ElementsAre("2027-03-28T10:00"));  // 09:00Z is now booked
}

TEST_F(BookingTest, HorizonAndNotTheSameDay) {
  NewType("soon", [](v1::AppointmentType& t) {
    t.set_booking_horizon_days(7);
    t.set_not_same_day(true);
  });
  WeeklyHours("adv-1");
  const std::string p = NewProfile("horizon");
  clock_.Set(Utc(2027, 1, 4, 8));  // Monday 08:00 GMT
  // The same day: bookable from the next local midnight.
  const absl::Status same_day =
      Book(p, "adv-1", "soon", Utc(2027, 1, 4, 10)).status();
  EXPECT_EQ(Reason(same_day), "SAME_DAY_NOT_ALLOWED");
  EXPECT_EQ(Subject(same_day), "advisers/adv-1/slots/2027-01-04T10:00:00Z");
  EXPECT_EQ(Metadata(same_day),
            (std::map<std::string, std::string>{
                {"earliest_start", "2027-01-05T00:00:00Z"}}));
  // 8 days ahead: bookable from the local midnight 7 days before its day.
  const absl::Status ahead =
      Book(p, "adv-1", "soon", Utc(2027, 1, 12, 9)).status();
  EXPECT_EQ(Reason(ahead), "BEYOND_HORIZON");
  EXPECT_EQ(Metadata(ahead), (std::map<std::string, std::string>{
                                 {"bookable_from", "2027-01-05T00:00:00Z"},
                                 {"bookable_until", "2027-01-12T00:00:00Z"}}));
  // Outside the adviser's hours (they work 09:00–12:00).
  EXPECT_EQ(Reason(Book(p, "adv-1", "soon", Utc(2027, 1, 6, 15)).status()),
            "OUTSIDE_HOURS");
  EXPECT_TRUE(Book(p, "adv-1", "soon", Utc(2027, 1, 11, 9)).ok());
  const std::vector<std::string> starts =
      SlotStarts("soon", Utc(2027, 1, 4, 0), Utc(2027, 1, 20, 0));
  ASSERT_FALSE(starts.empty());
  EXPECT_EQ(starts.front(), "2027-01-05T09:00");
  EXPECT_EQ(starts.back(), "2027-01-11T11:00");
}

TEST_F(BookingTest, AudienceAndPerPersonLimit) {
  NewType("options", [](v1::AppointmentType& t) {
    t.add_audience_life_stages(v1::Profile::SCHOOL);
    t.add_audience_school_stages("S3");
    t.add_audience_school_stages("S4");
    t.set_per_person_limit(1);
  });
  WeeklyHours("adv-1");
  const std::string pupil = NewProfile("pupil");
  const std::string student = NewProfile("student", v1::Profile::COLLEGE);
  const std::string s6 = NewProfile("sixth", v1::Profile::SCHOOL, "S6");
  EXPECT_EQ(
      Reason(Book(student, "adv-1", "options", Utc(2027, 1, 5, 9)).status()),
      "AUDIENCE");
  EXPECT_EQ(Reason(Book(s6, "adv-1", "options", Utc(2027, 1, 5, 9)).status()),
            "AUDIENCE");
  absl::StatusOr<Appointment> first =
      Book(pupil, "adv-1", "options", Utc(2027, 1, 5, 9));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(
      Reason(Book(pupil, "adv-1", "options", Utc(2027, 1, 6, 9)).status()),
      "PER_PERSON_LIMIT");
  ASSERT_TRUE(Cancel(*first).ok());
  EXPECT_TRUE(Book(pupil, "adv-1", "options", Utc(2027, 1, 6, 9)).ok());
}

TEST_F(BookingTest, BuffersKeepNeighboursApartAndBadInputNamesFields) {
  NewType("buffered", [](v1::AppointmentType& t) {
    t.set_duration_minutes(50);
    t.set_buffer_after_minutes(10);
  });
  NewType("short", [](v1::AppointmentType& t) { t.set_duration_minutes(30); });
  WeeklyHours("adv-1");
  const std::string p = NewProfile("buf");
  const std::string q = NewProfile("buf2");
  ASSERT_TRUE(Book(p, "adv-1", "buffered", Utc(2027, 1, 5, 9)).ok());
  // 09:00–09:50 blocks until 10:00: the short type's 09:30 is taken.
  EXPECT_EQ(Reason(Book(q, "adv-1", "short", Utc(2027, 1, 5, 9, 30)).status()),
            "SLOT_TAKEN");
  EXPECT_TRUE(Book(q, "adv-1", "short", Utc(2027, 1, 5, 10)).ok());

  v1::CreateAppointmentRequest bad;
  bad.mutable_appointment()->set_profile("people/x");
  absl::StatusOr<Appointment> got = booking_->CreateAppointment(Ctx(), bad);
  EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(got.status()),
              ::testing::IsSupersetOf(
                  {"appointment.profile", "appointment.adviser",
                   "appointment.appointment_type", "appointment.channel",
                   "appointment.start_time"}));
}

TEST_F(BookingTest, EveryTransitionRule) {
  NewType("interview");
  WeeklyHours("adv-1");
  const std::string p = NewProfile("states");
  absl::StatusOr<Appointment> a =
      Book(p, "adv-1", "interview", Utc(2027, 1, 5, 9));
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(Reminders(a->name()), "1h=PENDING,24h=PENDING");

  // Reschedule A → B: A cancelled as RESCHEDULED with its reminders, B new.
  absl::StatusOr<Appointment> b = Reschedule(a->name(), Utc(2027, 1, 5, 10));
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->rescheduled_from(), a->name());
  EXPECT_EQ(Reminders(a->name()), "1h=CANCELLED,24h=CANCELLED");
  EXPECT_EQ(Reminders(b->name()), "1h=PENDING,24h=PENDING");
  v1::GetAppointmentRequest get;
  get.set_name(a->name());
  absl::StatusOr<Appointment> old = booking_->GetAppointment(Ctx(), get);
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(old->state(), Appointment::CANCELLED);
  EXPECT_EQ(old->cancel_reason(), Appointment::RESCHEDULED);
  EXPECT_EQ(old->rescheduled_to(), b->name());
  EXPECT_EQ(old->sequence(), 1);
  // The freed 09:00 is bookable again.
  EXPECT_THAT(SlotStarts("interview", Utc(2027, 1, 5, 0), Utc(2027, 1, 6, 0)),
              ElementsAre("2027-01-05T09:00", "2027-01-05T11:00"));

  // Rescheduling the cancelled one, or B a second time: refused.
  EXPECT_EQ(Reason(Reschedule(a->name(), Utc(2027, 1, 5, 11)).status()),
            "STATE");
  EXPECT_EQ(Reason(Reschedule(b->name(), Utc(2027, 1, 5, 11)).status()),
            "RESCHEDULED");
  // Cancel twice.
  absl::StatusOr<Appointment> c =
      Book(p, "adv-1", "interview", Utc(2027, 1, 6, 9));
  ASSERT_TRUE(c.ok()) << c.status();
  absl::StatusOr<Appointment> cancelled = Cancel(*c);
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  EXPECT_EQ(cancelled->cancelled_by().subject(), "operator");
  EXPECT_EQ(Reminders(c->name()), "1h=CANCELLED,24h=CANCELLED");
  EXPECT_EQ(Reason(Cancel(*c).status()), "STATE");
  // A stale etag is ABORTED.
  v1::CancelAppointmentRequest stale;
  stale.set_name(b->name());
  stale.set_reason(Appointment::OTHER);
  stale.set_note("moved");
  stale.set_etag(a->etag());
  EXPECT_EQ(booking_->CancelAppointment(Ctx(), stale).status().code(),
            absl::StatusCode::kAborted);

  // Attendance only from the start; not twice; a past one is not
  // rescheduled or cancelled.
  EXPECT_EQ(Reason(Attend(b->name()).status()), "NOT_STARTED");
  clock_.Set(Utc(2027, 1, 5, 10, 5));
  EXPECT_EQ(Reason(Reschedule(b->name(), Utc(2027, 1, 7, 9)).status()),
            "STARTED");
  absl::StatusOr<Appointment> d =
      Book(p, "adv-1", "interview", Utc(2027, 1, 5, 11));
  ASSERT_TRUE(d.ok()) << d.status();
  clock_.Set(Utc(2027, 1, 5, 11, 30));
  EXPECT_EQ(Reason(Reschedule(d->name(), Utc(2027, 1, 7, 9)).status()),
            "STARTED");
  EXPECT_EQ(Reason(Cancel(*d).status()), "STARTED");
  absl::StatusOr<Appointment> attended = Attend(b->name());
  ASSERT_TRUE(attended.ok()) << attended.status();
  EXPECT_EQ(attended->state(), Appointment::ATTENDED);
  EXPECT_EQ(Reason(Attend(b->name()).status()), "STATE");
}

TEST_F(BookingTest, ListsByPersonAdviserAndPeriod) {
  NewType("interview");
  WeeklyHours("adv-1");
  const std::string p = NewProfile("lists");
  for (int day = 5; day <= 8; ++day) {
    ASSERT_TRUE(Book(p, "adv-1", "interview", Utc(2027, 1, day, 9)).ok());
  }
  clock_.Set(Utc(2027, 1, 6, 12));
  v1::ListAppointmentsRequest upcoming;
  upcoming.set_profile(p);
  upcoming.set_period(v1::ListAppointmentsRequest::UPCOMING);
  upcoming.set_page_size(1);
  std::vector<std::string> seen;
  for (int page = 0; page < 5; ++page) {
    absl::StatusOr<v1::ListAppointmentsResponse> resp =
        booking_->ListAppointments(Ctx(), upcoming);
    ASSERT_TRUE(resp.ok()) << resp.status();
    for (const Appointment& a : resp->appointments()) {
      seen.push_back(Rfc(FromProtoTimestamp(a.start_time())));
    }
    if (resp->next_page_token().empty()) break;
    upcoming.set_page_token(resp->next_page_token());
  }
  EXPECT_THAT(seen, ElementsAre("2027-01-07T09:00", "2027-01-08T09:00"));
  // Two owners at once: both fields are named.
  v1::ListAppointmentsRequest both;
  both.set_profile(p);
  both.set_adviser("advisers/adv-1");
  EXPECT_THAT(Violations(booking_->ListAppointments(Ctx(), both).status()),
              ElementsAre("profile", "adviser"));
  EXPECT_THAT(Violations(booking_->ListAppointments(Ctx(), {}).status()),
              ElementsAre("profile", "adviser", "organisation"));
  v1::ListAppointmentsRequest past;
  past.set_adviser("advisers/adv-1");
  past.set_period(v1::ListAppointmentsRequest::PAST);
  absl::StatusOr<v1::ListAppointmentsResponse> resp =
      booking_->ListAppointments(Ctx(), past);
  ASSERT_TRUE(resp.ok()) << resp.status();
  ASSERT_EQ(resp->appointments_size(), 2);
  EXPECT_EQ(Rfc(FromProtoTimestamp(resp->appointments(0).start_time())),
            "2027-01-06T09:00");  // most recent first
}

TEST_F(BookingTest, CalendarExportParsesToTheRightTimes) {
  NewType("interview");
  WeeklyHours("adv-1");
  const std::string p = NewProfile("ics");
  clock_.Set(Utc(2027, 3, 1, 0));
  absl::StatusOr<Appointment> a =
      Book(p, "adv-1", "interview", Utc(2027, 3, 29, 8));
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(Cancel(*a).ok());
  v1::ExportCalendarRequest req;
  req.set_profile(p);
  absl::StatusOr<google::api::HttpBody> body =
      booking_->ExportCalendar(Ctx(), req);
  ASSERT_TRUE(body.ok()) << body.status();
  EXPECT_EQ(body->content_type(), "text/calendar; charset=utf-8");
  const std::string& ics = body->data();
  EXPECT_THAT(ics, ::testing::HasSubstr("DTSTART;TZID="));
  EXPECT_THAT(ics, ::testing::HasSubstr("20270329T090000"));  // 09:00 BST
  EXPECT_THAT(ics, ::testing::HasSubstr("STATUS:CANCELLED"));
  EXPECT_THAT(ics, ::testing::HasSubstr("SEQUENCE:1"));
  EXPECT_THAT(ics, ::testing::HasSubstr(absl::StrCat(
                       "UID:", a->name().substr(a->name().find('/') + 1),
                       "@careers.uk")));
}

TEST_F(BookingTest, WaitlistOfferAcceptAndExpiry) {
  NewType("talk", [](v1::AppointmentType& t) { t.set_seats(2); });
  WeeklyHours("adv-1", 9, 10);
  const absl::Time session = Utc(2027, 1, 8, 9);
  const std::string p1 = NewProfile("w1"), p2 = NewProfile("w2"),
                    p3 = NewProfile("w3"), p4 = NewProfile("w4"),
                    p5 = NewProfile("w5");
  absl::StatusOr<Appointment> a1 = Book(p1, "adv-1", "talk", session);
  absl::StatusOr<Appointment> a2 = Book(p2, "adv-1", "talk", session);
  ASSERT_TRUE(a1.ok() && a2.ok()) << a1.status() << a2.status();
  EXPECT_EQ(a1->seat() + a2->seat(), 3);  // seats 1 and 2
  EXPECT_EQ(Reason(Book(p3, "adv-1", "talk", session).status()),
            "SESSION_FULL");
  auto join = [&](const std::string& p) {
    v1::CreateWaitlistEntryRequest req;
    WaitlistEntry& e = *req.mutable_waitlist_entry();
    e.set_profile(p);
    e.set_adviser("advisers/adv-1");
    e.set_appointment_type("appointmentTypes/talk");
    *e.mutable_start_time() = ToProtoTimestamp(session);
    e.set_channel(v1::Adviser::IN_PERSON);
    return booking_->CreateWaitlistEntry(Ctx(), req);
  };
  // Someone with a seat cannot queue for another one.
  const absl::Status holder = join(p1).status();
  EXPECT_EQ(Reason(holder), "ALREADY_BOOKED") << holder;
  EXPECT_EQ(Subject(holder), p1);
  absl::StatusOr<WaitlistEntry> w3 = join(p3);
  ASSERT_TRUE(w3.ok()) << w3.status();
  EXPECT_EQ(w3->position(), 1);
  clock_.Advance(absl::Minutes(1));
  absl::StatusOr<WaitlistEntry> w4 = join(p4);
  ASSERT_TRUE(w4.ok()) << w4.status();
  EXPECT_EQ(w4->position(), 2);
  EXPECT_EQ(join(p3).status().code(), absl::StatusCode::kAlreadyExists);

  // Staff see the session's queue in order, with positions.
  v1::ListWaitlistEntriesRequest queue;
  queue.set_adviser("advisers/adv-1");
  queue.set_appointment_type("appointmentTypes/talk");
  *queue.mutable_start_time() = ToProtoTimestamp(session);
  absl::StatusOr<v1::ListWaitlistEntriesResponse> listed =
      booking_->ListWaitlistEntries(Ctx(), queue);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->waitlist_entries_size(), 2);
  EXPECT_EQ(listed->waitlist_entries(0).name(), w3->name());
  EXPECT_EQ(listed->waitlist_entries(0).position(), 1);
  EXPECT_EQ(listed->waitlist_entries(1).position(), 2);
  queue.set_profile(p3);  // not both
  EXPECT_THAT(Violations(booking_->ListWaitlistEntries(Ctx(), queue).status()),
              ElementsAre("profile", "adviser"));
  auto entry = [&](const WaitlistEntry& e) {
    v1::GetWaitlistEntryRequest req;
    req.set_name(e.name());
    return booking_->GetWaitlistEntry(Ctx(), req).value_or(WaitlistEntry{});
  };
  auto accept = [&](const WaitlistEntry& e) {
    v1::AcceptWaitlistOfferRequest req;
    req.set_name(e.name());
    return booking_->AcceptWaitlistOffer(Ctx(), req);
  };
  EXPECT_EQ(Reason(accept(*w3).status()), "STATE");  // nothing offered yet

  // A seat frees: the first in the queue is offered it for 24 h; the held
  // seat is not for anyone else.
  ASSERT_TRUE(Cancel(*a1).ok());
  WaitlistEntry offered = entry(*w3);
  EXPECT_EQ(offered.state(), WaitlistEntry::OFFERED);
  EXPECT_EQ(FromProtoTimestamp(offered.offer_expire_time()),
            clock_.Now() + absl::Hours(24));
  EXPECT_EQ(entry(*w4).state(), WaitlistEntry::WAITING);
  EXPECT_EQ(Reason(Book(p5, "adv-1", "talk", session).status()),
            "SESSION_FULL");
  absl::StatusOr<WaitlistEntry> accepted = accept(*w3);
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  EXPECT_EQ(accepted->state(), WaitlistEntry::ACCEPTED);
  EXPECT_FALSE(accepted->appointment().empty());
  EXPECT_TRUE(accept(*w3).ok());  // a retry sees it accepted

  // Another frees: p4 is offered it, lets it expire; it moves on (to no
  // one) and the seat is free again.
  ASSERT_TRUE(Cancel(*a2).ok());
  EXPECT_EQ(entry(*w4).state(), WaitlistEntry::OFFERED);
  clock_.Advance(absl::Hours(25));
  EXPECT_EQ(Reason(accept(*w4).status()), "OFFER_EXPIRED");
  EXPECT_EQ(entry(*w4).state(), WaitlistEntry::EXPIRED);
  EXPECT_TRUE(Book(p5, "adv-1", "talk", session).ok());
}

// Every write is one unit of work that appends a change record per
// resource it changed, in its own transaction: a refused or replayed write
// appends none. Appointments carry their person and their adviser's
// organisation (who may see the change); the catalogue carries neither.
TEST_F(BookingTest, EveryBookingWriteIsAChangeInItsOwnTransaction) {
  int64_t mark = LastChange();
  auto since_mark = [&] {
    std::vector<std::string> c = ChangesSince(mark);
    mark = LastChange();
    return c;
  };
  NewType("talk", [](v1::AppointmentType& t) { t.set_seats(2); });
  EXPECT_THAT(since_mark(),
              ElementsAre("CREATED appointmentTypes/talk [] - -"));
  WeeklyHours("adv-1", 9, 10);
  std::vector<std::string> rule = since_mark();
  ASSERT_EQ(rule.size(), 1u);
  EXPECT_THAT(rule[0], ::testing::StartsWith(
                           "CREATED advisers/adv-1/availabilityRules/"));
  const std::string p1 = NewProfile("c1"), p2 = NewProfile("c2"),
                    p3 = NewProfile("c3");
  EXPECT_EQ(since_mark().size(), 3u);

  const absl::Time session = Utc(2027, 1, 8, 9);
  absl::StatusOr<Appointment> a1 = Book(p1, "adv-1", "talk", session, "r-1");
  ASSERT_TRUE(a1.ok()) << a1.status();
  EXPECT_THAT(since_mark(), ElementsAre(absl::StrCat(
                                "CREATED ", a1->name(), " [] c1 school-a")));
  ASSERT_TRUE(Book(p1, "adv-1", "talk", session, "r-1").ok());  // a replay
  EXPECT_THAT(since_mark(), ElementsAre());
  ASSERT_TRUE(Book(p2, "adv-1", "talk", session).ok());
  EXPECT_EQ(since_mark().size(), 1u);
  EXPECT_EQ(Reason(Book(p3, "adv-1", "talk", session).status()),
            "SESSION_FULL");  // refused: rolled back, nothing recorded
  EXPECT_THAT(since_mark(), ElementsAre());

  // A freed seat is offered in the same transaction as the cancel.
  v1::CreateWaitlistEntryRequest join;
  WaitlistEntry& e = *join.mutable_waitlist_entry();
  e.set_profile(p3);
  e.set_adviser("advisers/adv-1");
  e.set_appointment_type("appointmentTypes/talk");
  *e.mutable_start_time() = ToProtoTimestamp(session);
  e.set_channel(v1::Adviser::IN_PERSON);
  absl::StatusOr<WaitlistEntry> w3 = booking_->CreateWaitlistEntry(Ctx(), join);
  ASSERT_TRUE(w3.ok()) << w3.status();
  EXPECT_THAT(since_mark(), ElementsAre(absl::StrCat(
                                "CREATED ", w3->name(), " [] c3 school-a")));
  ASSERT_TRUE(Cancel(*a1).ok());
  std::vector<std::string> cancel = since_mark();
  ASSERT_EQ(cancel.size(), 2u);
  EXPECT_THAT(cancel[0], ::testing::StartsWith(
                             absl::StrCat("STATE_CHANGED ", w3->name(),
                                          " [state,")));
  EXPECT_THAT(cancel[1], ::testing::StartsWith(absl::StrCat(
                             "STATE_CHANGED ", a1->name(), " [state,")));
  EXPECT_THAT(cancel[1], ::testing::HasSubstr("cancel_reason"));

  // A reschedule: the old one changes state, the new one is created.
  const std::string p4 = NewProfile("c4");
  NewType("interview");
  WeeklyHours("adv-2", 9, 12);
  absl::StatusOr<Appointment> a4 =
      Book(p4, "adv-2", "interview", Utc(2027, 1, 8, 9));
  ASSERT_TRUE(a4.ok()) << a4.status();
  mark = LastChange();
  absl::StatusOr<Appointment> moved = Reschedule(a4->name(), Utc(2027, 1, 8, 10));
  ASSERT_TRUE(moved.ok()) << moved.status();
  std::vector<std::string> reschedule = since_mark();
  ASSERT_EQ(reschedule.size(), 2u);
  EXPECT_EQ(reschedule[0],
            absl::StrCat("CREATED ", moved->name(), " [] c4 school-a"));
  EXPECT_THAT(reschedule[1], ::testing::StartsWith(
                                 absl::StrCat("STATE_CHANGED ", a4->name())));

  // Deleting a rule is a DELETED change of its name.
  v1::ListAvailabilityRulesRequest list;
  list.set_parent("advisers/adv-2");
  absl::StatusOr<v1::ListAvailabilityRulesResponse> rules =
      booking_->ListAvailabilityRules(Ctx(), list);
  ASSERT_TRUE(rules.ok() && rules->availability_rules_size() == 1);
  v1::DeleteAvailabilityRuleRequest del;
  del.set_name(rules->availability_rules(0).name());
  ASSERT_TRUE(booking_->DeleteAvailabilityRule(Ctx(), del).ok());
  EXPECT_THAT(since_mark(),
              ElementsAre(absl::StrCat("DELETED ", del.name(), " [] - -")));
  EXPECT_FALSE(booking_->DeleteAvailabilityRule(Ctx(), del).ok());
  EXPECT_THAT(since_mark(), ElementsAre());
}

TEST_F(BookingTest, AGroupSeatLeftByARescheduleGoesToTheWaitlist) {
  NewType("talk", [](v1::AppointmentType& t) { t.set_seats(2); });
  WeeklyHours("adv-1", 9, 10);
  const absl::Time session = Utc(2027, 1, 8, 9);
  const std::string p1 = NewProfile("g1"), p2 = NewProfile("g2"),
                    p3 = NewProfile("g3");
  absl::StatusOr<Appointment> a1 = Book(p1, "adv-1", "talk", session);
  ASSERT_TRUE(a1.ok() && Book(p2, "adv-1", "talk", session).ok());
  v1::CreateWaitlistEntryRequest join;
  WaitlistEntry& e = *join.mutable_waitlist_entry();
  e.set_profile(p3);
  e.set_adviser("advisers/adv-1");
  e.set_appointment_type("appointmentTypes/talk");
  *e.mutable_start_time() = ToProtoTimestamp(session);
  e.set_channel(v1::Adviser::IN_PERSON);
  absl::StatusOr<WaitlistEntry> w3 = booking_->CreateWaitlistEntry(Ctx(), join);
  ASSERT_TRUE(w3.ok()) << w3.status();
  ASSERT_TRUE(Reschedule(a1->name(), Utc(2027, 1, 9, 9)).ok());
  v1::GetWaitlistEntryRequest get;
  get.set_name(w3->name());
  EXPECT_EQ(booking_->GetWaitlistEntry(Ctx(), get)->state(),
            WaitlistEntry::OFFERED);
}

TEST_F(BookingTest, RetriedBookingsAreOneAppointment) {
  NewType("interview");
  WeeklyHours("adv-1");
  const std::string p = NewProfile("retry");
  std::vector<absl::StatusOr<Appointment>> results(10);
  std::vector<std::thread> threads;
  for (int i = 0; i < 10; ++i) {
    threads.emplace_back([&, i] {
      results[i] = Book(p, "adv-1", "interview", Utc(2027, 1, 5, 9),
                        "5e0c1d2a-0000-4000-8000-000000000001");
    });
  }
  for (std::thread& t : threads) t.join();
  for (const auto& r : results) {
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->SerializeAsString(), results[0]->SerializeAsString());
  }
  EXPECT_EQ(test_db_->Query("SELECT COUNT(*) FROM appointments"), "1");
  absl::StatusOr<Appointment> other =
      Book(p, "adv-1", "interview", Utc(2027, 1, 5, 10),
           "5e0c1d2a-0000-4000-8000-000000000001");
  EXPECT_EQ(other.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(other.status()), ElementsAre("request_id"));
}

TEST_F(BookingTest, SixtyFourClientsOneSlotOneBooking) {
  NewType("interview");
  WeeklyHours("adv-1");
  std::vector<std::string> people;
  for (int i = 0; i < 64; ++i)
    people.push_back(NewProfile(absl::StrCat("r", i)));
  std::atomic<int> ok{0}, taken{0};
  std::vector<std::string> other;
  std::mutex mu;
  std::vector<std::thread> threads;
  for (int i = 0; i < 64; ++i) {
    threads.emplace_back([&, i] {
      absl::StatusOr<Appointment> a =
          Book(people[i], "adv-1", "interview", Utc(2027, 1, 5, 9));
      if (a.ok()) {
        ++ok;
      } else if (a.status().code() == absl::StatusCode::kFailedPrecondition) {
        ++taken;
      } else {
        std::lock_guard<std::mutex> lock(mu);
        other.push_back(a.status().ToString());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(taken.load(), 63);
  EXPECT_THAT(other, ::testing::IsEmpty());
  EXPECT_EQ(test_db_->Query("SELECT COUNT(*) FROM appointments"), "1");
}

// 200 clients for a bounded time book, cancel and reschedule across five
// advisers (interviews of two lengths with buffers) and two group sessions;
// then SQL looks for any overlap of live blocked times and any oversold
// session.
TEST_F(BookingTest, ChurnNeverDoublesBooksOrOversells) {
  NewType("long", [](v1::AppointmentType& t) {
    t.set_duration_minutes(45);
    t.set_buffer_before_minutes(5);
    t.set_buffer_after_minutes(10);
  });
  NewType("short", [](v1::AppointmentType& t) { t.set_duration_minutes(20); });
  NewType("group", [](v1::AppointmentType& t) {
    t.set_seats(4);
    t.set_duration_minutes(60);
  });
  for (int i = 1; i <= 5; ++i) WeeklyHours(absl::StrCat("adv-", i), 9, 13);
  const int kClients = 200;
  std::vector<std::string> people;
  for (int i = 0; i < kClients; ++i) {
    people.push_back(NewProfile(absl::StrCat("c", i)));
  }
  const absl::Time day = Utc(2027, 1, 5, 9);
  // Starts every 5 minutes between 09:00 and 12:55 make partial overlaps.
  std::atomic<int> booked{0}, refused{0}, cancelled{0}, moved{0};
  std::mutex mu;
  std::vector<std::string> unexpected;
  const absl::Time stop = absl::Now() + absl::Seconds(20);
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&, i] {
      std::mt19937 rng(i);
      std::vector<Appointment> mine;
      while (absl::Now() < stop) {
        const int action = rng() % 10;
        if (action < 6 || mine.empty()) {
          const bool group = rng() % 4 == 0;
          const std::string adviser = group
                                          ? (rng() % 2 ? "adv-1" : "adv-2")
                                          : absl::StrCat("adv-", 1 + rng() % 5);
          const absl::Time start =
              group ? day + absl::Hours(2)
                    : day + absl::Hours(24 * static_cast<int>(rng() % 3)) +
                          absl::Minutes(5 * static_cast<int>(rng() % 48));
          const std::string type =
              group ? "group" : (rng() % 2 ? "long" : "short");
          absl::StatusOr<Appointment> a = Book(people[i], adviser, type, start);
          if (a.ok()) {
            ++booked;
            mine.push_back(*a);
          } else if (a.status().code() ==
                     absl::StatusCode::kFailedPrecondition) {
            ++refused;
          } else {
            std::lock_guard<std::mutex> lock(mu);
            unexpected.push_back(a.status().ToString());
          }
        } else {
          const size_t k = rng() % mine.size();
          absl::StatusOr<Appointment> r =
              action < 8
                  ? Cancel(mine[k])
                  : Reschedule(
                        mine[k].name(),
                        day + absl::Hours(24 * static_cast<int>(rng() % 3)) +
                            absl::Minutes(5 * static_cast<int>(rng() % 48)));
          if (r.ok()) {
            ++(action < 8 ? cancelled : moved);
            if (action >= 8) mine.push_back(*r);
          } else if (r.status().code() !=
                     absl::StatusCode::kFailedPrecondition) {
            std::lock_guard<std::mutex> lock(mu);
            unexpected.push_back(r.status().ToString());
          }
          mine.erase(mine.begin() + static_cast<long>(k));
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_THAT(unexpected, ::testing::IsEmpty());
  EXPECT_GT(booked.load(), 50);
  EXPECT_GT(cancelled.load() + moved.load(), 10);
  std::cout << "churn: " << booked << " booked, " << refused << " refused, "
            << cancelled << " cancelled, " << moved << " rescheduled\n";
  EXPECT_EQ(
      test_db_->Query(
          "SELECT COUNT(*) FROM appointments a JOIN appointments b "
          "ON a.adviser_id = b.adviser_id AND a.id < b.id "
          "AND a.state <> 'CANCELLED' AND b.state <> 'CANCELLED' "
          "AND a.block_start < b.block_end AND b.block_start < a.block_end "
          "WHERE NOT (a.seats > 1 AND a.appointment_type_id = "
          "b.appointment_type_id AND a.start_time = b.start_time)"),
      "0");
  EXPECT_EQ(test_db_->Query(
                "SELECT COUNT(*) FROM (SELECT adviser_id FROM appointments "
                "WHERE state <> 'CANCELLED' GROUP BY adviser_id, "
                "appointment_type_id, start_time HAVING COUNT(*) > MIN(seats)) "
                "oversold"),
            "0");
  // Every live appointment has its reminders; every cancelled one none
  // pending.
  EXPECT_EQ(
      test_db_->Query(
          "SELECT COUNT(*) FROM appointment_reminders r JOIN appointments "
          "a ON a.id = r.appointment_id WHERE a.state = 'CANCELLED' AND "
          "r.state = 'PENDING'"),
      "0");
}

}  // namespace
}  // namespace careers::domain
