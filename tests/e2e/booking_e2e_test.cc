// Appointment booking through the real server: staff set up an appointment
// type and an adviser's weekly hours with careersctl, people search slots,
// book, reschedule and cancel, the adviser sees the agenda, the person
// exports an iCalendar feed and sees who read their appointment; buf curl
// reaches BookingService through server reflection. Dates are computed from
// the real clock (the Monday after next), so the tests keep working.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "careers/v1/booking_service.pb.h"
#include "careers/v1/consent_service.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/rpc/error_details.pb.h"
#include "google/type/dayofweek.pb.h"
#include "gtest/gtest.h"
#include "tests/e2e/e2e_fixture.h"

namespace careers::e2e {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;
using v1::Appointment;

constexpr char kSchool[] = "organisations/e2e-school";
constexpr char kOtherSchool[] = "organisations/other-school";
constexpr char kAdviser[] = "advisers/e2e-adviser";
constexpr char kType[] = "appointmentTypes/careers-interview";
constexpr char kPupil[] = "profiles/pupil-a";
constexpr char kOtherPupil[] = "profiles/pupil-b";

// "2027-03-29T08:00:00Z": what careersctl's time flags take.
std::string Rfc3339(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

absl::Time TimeOf(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

// A field of a JSON object parsed into a Struct (a null Value if absent).
const google::protobuf::Value& Field(const google::protobuf::Struct& object,
                                     const std::string& name) {
  static const google::protobuf::Value* const kNull =
      new google::protobuf::Value();
  const auto it = object.fields().find(name);
  return it == object.fields().end() ? *kNull : it->second;
}

// The lines of `text` that start with `prefix`.
std::vector<std::string> LinesStartingWith(const std::string& text,
                                           absl::string_view prefix) {
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::StartsWith(line, prefix)) lines.emplace_back(line);
  }
  return lines;
}

class BookingE2eTest : public E2eTest {
 protected:
  void SetUp() override {
    E2eTest::SetUp();
    ASSERT_TRUE(absl::LoadTimeZone("Europe/London", &london_));
    // The Monday after next in London: 8 to 14 days ahead, well inside the
    // default 60-day horizon, and never today.
    const absl::CivilDay today = absl::ToCivilDay(absl::Now(), london_);
    today_ = absl::FormatCivilTime(today);
    absl::CivilDay monday = today + 1;
    while (absl::GetWeekday(monday) != absl::Weekday::monday) ++monday;
    monday_ = monday + 7;
    date_ = absl::FormatCivilTime(monday_);
  }

  // The instant of hh:mm on the chosen Monday, London time.
  absl::Time MondayAt(int hour, int minute) const {
    return absl::FromCivil(absl::CivilMinute(monday_.year(), monday_.month(),
                                             monday_.day(), hour, minute),
                           london_);
  }

  // careersctl -o json ARGS as `token`; parses what it prints into
  // `message` when it succeeds.
  testing::RunResult CtlJson(const std::string& token,
                             const std::vector<std::string>& args,
                             google::protobuf::Message* message) {
    std::vector<std::string> argv = {"--output", "json"};
    argv.insert(argv.end(), args.begin(), args.end());
    testing::RunResult result = CtlAs(token, argv);
    if (result.exit_code == 0) ParseJson(result.out, message);
    return result;
  }

  std::string PersonToken() const {
    return TestIssuer::Get().Mint("person", "pupil-a-sub", "", kPupil);
  }
  std::string OtherPersonToken() const {
    return TestIssuer::Get().Mint("person", "pupil-b-sub", "", kOtherPupil);
  }
  std::string AdviserToken() const {
    return TestIssuer::Get().Mint("adviser", "adviser-sub", kSchool);
  }
  std::string OrgAdminToken() const {
    return TestIssuer::Get().Mint("org_admin", "school-admin-sub", kSchool);
  }
  std::string OtherOrgAdminToken() const {
    return TestIssuer::Get().Mint("org_admin", "other-admin-sub", kOtherSchool);
  }

  // Two pupils, two schools and an adviser of the first (whose record's
  // subject is the adviser token's sub), as the operator.
  void CreateWorld() {
    ASSERT_EQ(CreateProfile("pupil-a").name(), kPupil);
    ASSERT_EQ(CreateProfile("pupil-b", "Reid").name(), kOtherPupil);
    for (const auto& [id, display] :
         std::vector<std::pair<std::string, std::string>>{
             {"e2e-school", "E2E Academy"}, {"other-school", "Other High"}}) {
      const testing::RunResult school =
          Ctl({"organisations", "create", "--id", id, "--display-name", display,
               "--kind", "school"});
      ASSERT_EQ(school.exit_code, 0) << school.err;
    }
    const testing::RunResult adviser =
        Ctl({"advisers", "create", "--id", "e2e-adviser", "--organisation",
             kSchool, "--display-name", "Fiona Reid", "--language", "en",
             "--subject", "adviser-sub"});
    ASSERT_EQ(adviser.exit_code, 0) << adviser.err;
  }

  // The school's org_admin creates a 30-minute video interview type.
  void CreateType() {
    v1::AppointmentType type;
    const testing::RunResult created = CtlJson(
        OrgAdminToken(),
        {"appointment-types", "create", "--id", "careers-interview",
         "--organisation", kSchool, "--display-name", "Careers interview",
         "--channels", "video", "--duration", "30"},
        &type);
    ASSERT_EQ(created.exit_code, 0) << created.err;
    EXPECT_EQ(type.name(), kType);
    EXPECT_EQ(type.organisation(), kSchool);
    EXPECT_EQ(type.duration_minutes(), 30);
  }

  // The adviser adds Monday 09:00–12:00 (London) from today for themselves.
  void AddMondayMornings(v1::AvailabilityRule* rule) {
    const testing::RunResult added =
        CtlJson(AdviserToken(),
                {"availability", "add", "--adviser", kAdviser, "--kind",
                 "weekly", "--days", "mon", "--start", "09:00", "--end",
                 "12:00", "--from", today_},
                rule);
    ASSERT_EQ(added.exit_code, 0) << added.err;
  }

  // World, type and availability: six 30-minute slots on the Monday.
  void CreateBookableCalendar() {
    ASSERT_NO_FATAL_FAILURE(CreateWorld());
    ASSERT_NO_FATAL_FAILURE(CreateType());
    v1::AvailabilityRule rule;
    ASSERT_NO_FATAL_FAILURE(AddMondayMornings(&rule));
  }

  // `slots search` of the Monday as `token`.
  testing::RunResult SearchMonday(const std::string& token,
                                  v1::SearchAvailabilityResponse* slots) {
    return CtlJson(
        token,
        {"slots", "search", "--type", kType, "--from", Rfc3339(MondayAt(0, 0)),
         "--to", Rfc3339(absl::FromCivil(monday_ + 1, london_)), "--adviser",
         kAdviser},
        slots);
  }

  // `appointments book` of the adviser's video slot at `start` for
  // `profile`, as `token`.
  testing::RunResult Book(const std::string& token, const std::string& profile,
                          absl::Time start, Appointment* booked) {
    return CtlJson(token,
                   {"appointments", "book", "--profile", profile, "--adviser",
                    kAdviser, "--type", kType, "--start", Rfc3339(start),
                    "--channel", "video", "--notes", "Apprenticeships"},
                   booked);
  }

  // The agenda of the Monday as the adviser (its table).
  std::string Agenda() {
    const testing::RunResult agenda = CtlAs(
        AdviserToken(), {"agenda", "--adviser", kAdviser, "--date", date_});
    EXPECT_EQ(agenda.exit_code, 0) << agenda.err;
    return agenda.out;
  }

  absl::TimeZone london_;
  std::string today_;      // YYYY-MM-DD, London
  absl::CivilDay monday_;  // the Monday after next, London
  std::string date_;       // monday_ as YYYY-MM-DD
};

TEST_F(BookingE2eTest, StaffSetUpATypeAndTheAdviserTheirOwnHours) {
  ASSERT_TRUE(StartServer());
  ASSERT_NO_FATAL_FAILURE(CreateWorld());

  // Another school's org_admin cannot create a type for this school.
  const testing::RunResult foreign_type = CtlAs(
      OtherOrgAdminToken(), {"appointment-types", "create", "--organisation",
                             kSchool, "--display-name", "Intruder",
                             "--channels", "video", "--duration", "30"});
  EXPECT_EQ(foreign_type.exit_code, 1);
  EXPECT_THAT(foreign_type.err, HasSubstr("PERMISSION_DENIED"));

  ASSERT_NO_FATAL_FAILURE(CreateType());
  v1::AppointmentType got;
  ASSERT_EQ(CtlJson(PersonToken(), {"appointment-types", "get", kType}, &got)
                .exit_code,
            0)
      << "anyone signed in reads appointment types";
  EXPECT_EQ(got.display_name(), "Careers interview");
  EXPECT_THAT(got.channels(), UnorderedElementsAre(v1::Adviser::VIDEO));

  v1::AvailabilityRule rule;
  ASSERT_NO_FATAL_FAILURE(AddMondayMornings(&rule));
  EXPECT_THAT(rule.name(), ::testing::StartsWith(
                               absl::StrCat(kAdviser, "/availabilityRules/")));
  EXPECT_EQ(rule.kind(), v1::AvailabilityRule::WEEKLY);
  ASSERT_EQ(rule.days_size(), 1);
  EXPECT_EQ(rule.days(0), google::type::MONDAY);
  EXPECT_EQ(rule.start_time().hours(), 9);
  EXPECT_EQ(rule.end_time().hours(), 12);
  EXPECT_EQ(rule.created_by().subject(), "adviser-sub");

  // Another school's org_admin may not touch the adviser's calendar, and
  // nothing was added by the attempt.
  const testing::RunResult foreign = CtlAs(
      OtherOrgAdminToken(), {"availability", "add", "--adviser", kAdviser,
                             "--kind", "weekly", "--days", "tue", "--start",
                             "09:00", "--end", "12:00", "--from", today_});
  EXPECT_EQ(foreign.exit_code, 1);
  EXPECT_THAT(foreign.err, HasSubstr("PERMISSION_DENIED"));
  // ...nor may a person.
  const testing::RunResult person =
      CtlAs(PersonToken(), {"availability", "add", "--adviser", kAdviser,
                            "--kind", "weekly", "--days", "tue", "--start",
                            "09:00", "--end", "12:00", "--from", today_});
  EXPECT_EQ(person.exit_code, 1);
  EXPECT_THAT(person.err, HasSubstr("PERMISSION_DENIED"));

  v1::ListAvailabilityRulesResponse rules;
  const testing::RunResult listed = CtlJson(
      OrgAdminToken(), {"availability", "list", "--adviser", kAdviser}, &rules);
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  ASSERT_EQ(rules.availability_rules_size(), 1);
  EXPECT_EQ(rules.availability_rules(0).name(), rule.name());

  // The rule makes six 30-minute slots on the Monday, from 09:00 London.
  v1::SearchAvailabilityResponse slots;
  const testing::RunResult searched = SearchMonday(PersonToken(), &slots);
  ASSERT_EQ(searched.exit_code, 0) << searched.err;
  ASSERT_EQ(slots.slots_size(), 6) << slots.DebugString();
  EXPECT_EQ(TimeOf(slots.slots(0).start_time()), MondayAt(9, 0));
  EXPECT_EQ(TimeOf(slots.slots(5).start_time()), MondayAt(11, 30));
  EXPECT_EQ(TimeOf(slots.slots(5).end_time()), MondayAt(12, 0));
  EXPECT_EQ(slots.slots(0).adviser(), kAdviser);
  EXPECT_EQ(slots.slots(0).time_zone(), "Europe/London");
}

TEST_F(BookingE2eTest, APersonBooksASlotThatNoOneElseCanTakeOrSee) {
  ASSERT_TRUE(StartServer());
  ASSERT_NO_FATAL_FAILURE(CreateBookableCalendar());
  const std::string person = PersonToken();
  const std::string other = OtherPersonToken();

  v1::SearchAvailabilityResponse slots;
  const testing::RunResult searched = SearchMonday(person, &slots);
  ASSERT_EQ(searched.exit_code, 0) << searched.err;
  ASSERT_EQ(slots.slots_size(), 6) << slots.DebugString();
  ASSERT_EQ(TimeOf(slots.slots(0).start_time()), MondayAt(9, 0));
  // The table shows the slot in the adviser's local time.
  const testing::RunResult table = CtlAs(
      person, {"slots", "search", "--type", kType, "--from",
               Rfc3339(MondayAt(0, 0)), "--to", Rfc3339(MondayAt(23, 0))});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out,
              HasSubstr(absl::StrCat(date_, " 09:00 Europe/London")));

  Appointment booked;
  const testing::RunResult book =
      Book(person, kPupil, TimeOf(slots.slots(0).start_time()), &booked);
  ASSERT_EQ(book.exit_code, 0) << book.err;
  EXPECT_THAT(booked.name(), ::testing::StartsWith("appointments/"));
  EXPECT_EQ(booked.state(), Appointment::BOOKED);
  EXPECT_EQ(booked.profile(), kPupil);
  EXPECT_EQ(booked.adviser(), kAdviser);
  EXPECT_EQ(booked.appointment_type(), kType);
  EXPECT_EQ(booked.channel(), v1::Adviser::VIDEO);
  EXPECT_EQ(TimeOf(booked.start_time()), MondayAt(9, 0));
  EXPECT_EQ(TimeOf(booked.end_time()), MondayAt(9, 30));
  EXPECT_EQ(booked.time_zone(), "Europe/London");
  EXPECT_EQ(booked.notes(), "Apprenticeships");
  EXPECT_EQ(booked.booked_by().subject(), "pupil-a-sub");

  // The slot is gone for everyone else: not offered, and not bookable.
  v1::SearchAvailabilityResponse after;
  ASSERT_EQ(SearchMonday(other, &after).exit_code, 0);
  ASSERT_EQ(after.slots_size(), 5) << after.DebugString();
  EXPECT_EQ(TimeOf(after.slots(0).start_time()), MondayAt(9, 30));
  Appointment taken;
  const testing::RunResult twice =
      Book(other, kOtherPupil, MondayAt(9, 0), &taken);
  EXPECT_EQ(twice.exit_code, 1) << twice.out;
  EXPECT_THAT(twice.err, HasSubstr("FAILED_PRECONDITION"));

  // Nor can another person read it, or book in someone else's name.
  const testing::RunResult peek =
      CtlAs(other, {"appointments", "get", booked.name()});
  EXPECT_EQ(peek.exit_code, 1);
  EXPECT_THAT(peek.err, HasSubstr("PERMISSION_DENIED"));
  EXPECT_THAT(peek.out, Not(HasSubstr(kPupil)));
  const testing::RunResult impersonate =
      Book(other, kPupil, MondayAt(10, 0), &taken);
  EXPECT_EQ(impersonate.exit_code, 1);
  EXPECT_THAT(impersonate.err, HasSubstr("PERMISSION_DENIED"));
  const testing::RunResult foreign_list =
      CtlAs(other, {"appointments", "list", "--profile", kPupil});
  EXPECT_EQ(foreign_list.exit_code, 1);
  EXPECT_THAT(foreign_list.err, HasSubstr("PERMISSION_DENIED"));

  // The owner reads it.
  Appointment own;
  ASSERT_EQ(
      CtlJson(person, {"appointments", "get", booked.name()}, &own).exit_code,
      0);
  EXPECT_EQ(own.name(), booked.name());
}

TEST_F(BookingE2eTest, ThePersonListsTheirUpcomingAppointments) {
  ASSERT_TRUE(StartServer());
  ASSERT_NO_FATAL_FAILURE(CreateBookableCalendar());
  const std::string person = PersonToken();
  Appointment later;
  Appointment sooner;
  ASSERT_EQ(Book(person, kPupil, MondayAt(11, 0), &later).exit_code, 0);
  ASSERT_EQ(Book(person, kPupil, MondayAt(9, 30), &sooner).exit_code, 0);

  // Without --from/--to, careersctl must leave start_time_from/to unset
  // (a present but zero Timestamp means "before 1970").
  v1::ListAppointmentsResponse upcoming;
  const testing::RunResult listed = CtlJson(
      person, {"appointments", "list", "--profile", kPupil, "--upcoming"},
      &upcoming);
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  ASSERT_EQ(upcoming.appointments_size(), 2)
      << listed.out << "(does careersctl send start_time_to when --to is "
      << "not given?)";
  EXPECT_EQ(upcoming.appointments(0).name(), sooner.name()) << "soonest first";
  EXPECT_EQ(upcoming.appointments(1).name(), later.name());
  EXPECT_EQ(upcoming.appointments(0).state(), Appointment::BOOKED);

  v1::ListAppointmentsResponse past;
  ASSERT_EQ(
      CtlJson(person, {"appointments", "list", "--profile", kPupil, "--past"},
              &past)
          .exit_code,
      0);
  EXPECT_EQ(past.appointments_size(), 0) << past.DebugString();

  const testing::RunResult table = CtlAs(
      person, {"appointments", "list", "--profile", kPupil, "--upcoming"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr(sooner.name()));
}

TEST_F(BookingE2eTest, TheAdviserSeesItOnTheAgendaAndThePersonInTheirCalendar) {
  ASSERT_TRUE(StartServer());
  ASSERT_NO_FATAL_FAILURE(CreateBookableCalendar());
  const std::string person = PersonToken();
  Appointment booked;
  const testing::RunResult book =
      Book(person, kPupil, MondayAt(10, 30), &booked);
  ASSERT_EQ(book.exit_code, 0) << book.err;

  const std::string agenda = Agenda();
  EXPECT_THAT(agenda, HasSubstr(absl::StrCat("Agenda of ", kAdviser)));
  EXPECT_THAT(agenda, HasSubstr("(Europe/London)"));
  const std::vector<std::string> rows = LinesStartingWith(agenda, "10:30");
  ASSERT_EQ(rows.size(), 1u) << agenda;
  EXPECT_THAT(rows[0], HasSubstr("11:00"));
  EXPECT_THAT(rows[0], HasSubstr(kPupil));
  EXPECT_THAT(rows[0], HasSubstr(kType));
  EXPECT_THAT(rows[0], HasSubstr("booked"));
  // Another day is empty.
  const testing::RunResult tuesday =
      CtlAs(AdviserToken(), {"agenda", "--adviser", kAdviser, "--date",
                             absl::FormatCivilTime(monday_ + 1)});
  ASSERT_EQ(tuesday.exit_code, 0) << tuesday.err;
  EXPECT_THAT(tuesday.out, HasSubstr("No appointments."));

  const testing::RunResult exported =
      CtlAs(person, {"calendar", "export", "--profile", kPupil});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  // RFC 5545 folds long lines (CRLF and a space): unfold before looking.
  const std::string ics =
      absl::StrReplaceAll(exported.out, {{"\r\n ", ""}, {"\r\n\t", ""}});
  EXPECT_THAT(ics, ::testing::StartsWith("BEGIN:VCALENDAR"));
  EXPECT_THAT(ics, HasSubstr("END:VCALENDAR"));
  const std::string id = booked.name().substr(booked.name().rfind('/') + 1);
  EXPECT_THAT(ics, HasSubstr(absl::StrCat("UID:", id, "@careers.uk")));
  EXPECT_THAT(
      ics, HasSubstr(absl::StrCat(
               "DTSTART;TZID=Europe/London:",
               absl::FormatTime("%Y%m%dT%H%M%S", MondayAt(10, 30), london_))));
  EXPECT_THAT(ics, HasSubstr("BEGIN:VTIMEZONE"));

  // Another person has no business with this calendar.
  const testing::RunResult foreign =
      CtlAs(OtherPersonToken(), {"calendar", "export", "--profile", kPupil});
  EXPECT_EQ(foreign.exit_code, 1);
  EXPECT_THAT(foreign.err, HasSubstr("PERMISSION_DENIED"));
  EXPECT_THAT(foreign.out, Not(HasSubstr(id)));
}

// On the night the clocks change, the agenda tells the times apart by the
// zone's abbreviation, as the server gives them (autumn: the two 01:00s;
// spring: a half hour that ends an hour later on the clock). The next change
// within the year is used, so the test works on any day.
TEST_F(BookingE2eTest, TheAgendaOfAClockChangeNightShowsEachTimesZone) {
  ASSERT_TRUE(StartServer());
  ASSERT_NO_FATAL_FAILURE(CreateWorld());
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), london_);
  absl::CivilDay night = today + 2;
  auto offset = [&](absl::CivilDay day) {
    return london_.At(absl::FromCivil(day, london_)).offset;
  };
  while (offset(night) == offset(night + 1) && night < today + 360) ++night;
  ASSERT_NE(offset(night), offset(night + 1)) << "no clock change this year";
  const bool autumn = offset(night + 1) < offset(night);

  v1::AppointmentType type;
  ASSERT_EQ(CtlJson(OrgAdminToken(),
                    {"appointment-types", "create", "--id", "night-call",
                     "--organisation", kSchool, "--display-name", "Night call",
                     "--channels", "video", "--duration", "30",
                     "--horizon-days", "365"},
                    &type)
                .exit_code,
            0);
  const std::string day =
      absl::FormatTime("%a", absl::FromCivil(night, london_), london_);
  v1::AvailabilityRule rule;
  const testing::RunResult added =
      CtlJson(AdviserToken(),
              {"availability", "add", "--adviser", kAdviser, "--kind", "weekly",
               "--days", absl::AsciiStrToLower(day), "--start", "00:00",
               "--end", "03:00", "--from", today_},
              &rule);
  ASSERT_EQ(added.exit_code, 0) << added.err;

  // Midnight local is 23:00Z the day before in summer time, 00:00Z in winter.
  const absl::Time midnight = absl::FromCivil(night, london_);
  auto book = [&](const std::string& token, const std::string& profile,
                  absl::Time start, Appointment* a) {
    const testing::RunResult r =
        CtlJson(token,
                {"appointments", "book", "--profile", profile, "--adviser",
                 kAdviser, "--type", "appointmentTypes/night-call", "--start",
                 Rfc3339(start), "--channel", "video"},
                a);
    EXPECT_EQ(r.exit_code, 0) << r.err;
  };
  Appointment first, second;
  std::vector<std::string> expected;
  if (autumn) {
    // 01:00 BST is an hour after local midnight (BST), 01:00 GMT two.
    book(PersonToken(), kPupil, midnight + absl::Hours(1), &first);
    book(OtherPersonToken(), kOtherPupil, midnight + absl::Hours(2), &second);
    EXPECT_THAT(first.local_start(), ::testing::EndsWith("T01:00:00+01:00"));
    EXPECT_THAT(second.local_start(), ::testing::EndsWith("T01:00:00+00:00"));
    expected = {"01:00–01:30 BST", "01:00–01:30 GMT"};
  } else {
    // 00:30 GMT ends at 02:00 BST; the next slot starts at 02:00 BST.
    book(PersonToken(), kPupil, midnight + absl::Minutes(30), &first);
    book(OtherPersonToken(), kOtherPupil, midnight + absl::Hours(1), &second);
    EXPECT_THAT(first.local_end(), ::testing::EndsWith("T02:00:00+01:00"));
    expected = {"00:30 GMT–02:00 BST", "02:00–02:30 BST"};
  }
  const testing::RunResult agenda =
      CtlAs(AdviserToken(), {"agenda", "--adviser", kAdviser, "--date",
                             absl::FormatCivilTime(night)});
  ASSERT_EQ(agenda.exit_code, 0) << agenda.err;
  for (const std::string& times : expected) {
    EXPECT_EQ(LinesStartingWith(agenda.out, times + " ").size(), 1u)
        << times << " in\n"
        << agenda.out;
  }
}

TEST_F(BookingE2eTest, RescheduleOnceThenCancelFreesTheAdviser) {
  ASSERT_TRUE(StartServer());
  ASSERT_NO_FATAL_FAILURE(CreateBookableCalendar());
  const std::string person = PersonToken();
  Appointment first;
  const testing::RunResult book = Book(person, kPupil, MondayAt(9, 0), &first);
  ASSERT_EQ(book.exit_code, 0) << book.err;

  Appointment moved;
  const testing::RunResult reschedule =
      CtlJson(person,
              {"appointments", "reschedule", first.name(), "--start",
               Rfc3339(MondayAt(10, 0))},
              &moved);
  ASSERT_EQ(reschedule.exit_code, 0) << reschedule.err;
  EXPECT_NE(moved.name(), first.name());
  EXPECT_EQ(moved.state(), Appointment::BOOKED);
  EXPECT_EQ(TimeOf(moved.start_time()), MondayAt(10, 0));
  EXPECT_EQ(moved.adviser(), kAdviser);
  EXPECT_EQ(moved.channel(), v1::Adviser::VIDEO);
  EXPECT_EQ(moved.rescheduled_from(), first.name());
  EXPECT_EQ(moved.notes(), "Apprenticeships");

  Appointment old;
  ASSERT_EQ(
      CtlJson(person, {"appointments", "get", first.name()}, &old).exit_code,
      0);
  EXPECT_EQ(old.state(), Appointment::CANCELLED);
  EXPECT_EQ(old.cancel_reason(), Appointment::RESCHEDULED);
  EXPECT_EQ(old.rescheduled_to(), moved.name());
  EXPECT_EQ(old.cancelled_by().subject(), "pupil-a-sub");
  EXPECT_GT(old.sequence(), first.sequence());

  // The cancelled original cannot be moved again.
  const testing::RunResult again =
      CtlAs(person, {"appointments", "reschedule", first.name(), "--start",
                     Rfc3339(MondayAt(11, 0))});
  EXPECT_EQ(again.exit_code, 1) << again.out;
  EXPECT_THAT(again.err, HasSubstr("FAILED_PRECONDITION"));

  // The agenda has the original as cancelled, the new one as booked, and
  // nothing at 11:00.
  v1::ListAppointmentsResponse day;
  ASSERT_EQ(CtlJson(AdviserToken(),
                    {"agenda", "--adviser", kAdviser, "--date", date_}, &day)
                .exit_code,
            0);
  ASSERT_EQ(day.appointments_size(), 2) << day.DebugString();
  EXPECT_EQ(day.appointments(0).name(), first.name());
  EXPECT_EQ(day.appointments(0).state(), Appointment::CANCELLED);
  EXPECT_EQ(day.appointments(1).name(), moved.name());
  EXPECT_EQ(day.appointments(1).state(), Appointment::BOOKED);
  std::string agenda = Agenda();
  std::vector<std::string> rows = LinesStartingWith(agenda, "10:00");
  ASSERT_EQ(rows.size(), 1u) << agenda;
  EXPECT_THAT(rows[0], HasSubstr("booked"));
  EXPECT_THAT(LinesStartingWith(agenda, "11:00"), IsEmpty()) << agenda;

  Appointment cancelled;
  const testing::RunResult cancel =
      CtlJson(person,
              {"appointments", "cancel", moved.name(), "--reason",
               "person-unavailable", "--note", "Exam moved to that morning"},
              &cancelled);
  ASSERT_EQ(cancel.exit_code, 0) << cancel.err;
  EXPECT_EQ(cancelled.name(), moved.name());
  EXPECT_EQ(cancelled.state(), Appointment::CANCELLED);
  EXPECT_EQ(cancelled.cancel_reason(), Appointment::PERSON_UNAVAILABLE);
  EXPECT_EQ(cancelled.cancel_note(), "Exam moved to that morning");
  // Cancelling twice is refused.
  const testing::RunResult twice = CtlAs(
      person,
      {"appointments", "cancel", moved.name(), "--reason", "no-longer-needed"});
  EXPECT_EQ(twice.exit_code, 1);
  EXPECT_THAT(twice.err, HasSubstr("FAILED_PRECONDITION"));

  // The agenda keeps both as cancelled; nothing on it is booked.
  agenda = Agenda();
  rows = LinesStartingWith(agenda, "10:00");
  ASSERT_EQ(rows.size(), 1u) << agenda;
  EXPECT_THAT(rows[0], HasSubstr("cancelled"));
  EXPECT_THAT(agenda, Not(HasSubstr(" booked"))) << agenda;
  day.Clear();
  ASSERT_EQ(CtlJson(AdviserToken(),
                    {"agenda", "--adviser", kAdviser, "--date", date_}, &day)
                .exit_code,
            0);
  ASSERT_EQ(day.appointments_size(), 2) << day.DebugString();
  for (const Appointment& a : day.appointments()) {
    EXPECT_EQ(a.state(), Appointment::CANCELLED) << a.name();
  }
  // Both slots are offered again.
  v1::SearchAvailabilityResponse slots;
  ASSERT_EQ(SearchMonday(OtherPersonToken(), &slots).exit_code, 0);
  EXPECT_EQ(slots.slots_size(), 6) << slots.DebugString();
}

TEST_F(BookingE2eTest, BufCurlGetsFieldViolationsAndSearchesSlots) {
  ASSERT_TRUE(StartServer());
  ASSERT_NO_FATAL_FAILURE(CreateBookableCalendar());

  // No start time, and a profile name of the wrong collection.
  const testing::RunResult bad = BufCurl(
      "careers.v1.BookingService/CreateAppointment",
      {"-d", absl::StrCat(R"({"appointment": {"profile": "pupils/pupil-a",
              "adviser": ")",
                          kAdviser, R"(", "appointmentType": ")", kType,
                          R"(", "channel": "VIDEO"}})")});
  EXPECT_NE(bad.exit_code, 0);
  // buf prints the error as JSON on standard error.
  google::protobuf::Struct error;
  ParseJson(bad.err, &error);
  EXPECT_EQ(Field(error, "code").string_value(), "invalid_argument") << bad.err;
  EXPECT_THAT(Field(error, "message").string_value(),
              HasSubstr("appointment.profile"));
  // The details are printed as their type and base64 value (buf would add
  // a decoded "debug" form only if reflection served their type).
  std::vector<std::string> fields;
  bool bad_request = false;
  for (const google::protobuf::Value& detail :
       Field(error, "details").list_value().values()) {
    const google::protobuf::Struct& d = detail.struct_value();
    if (Field(d, "type").string_value() != "google.rpc.BadRequest") continue;
    std::string bytes;
    ASSERT_TRUE(absl::Base64Unescape(Field(d, "value").string_value(), &bytes))
        << bad.err;
    google::rpc::BadRequest request;
    ASSERT_TRUE(request.ParseFromString(bytes)) << bad.err;
    bad_request = true;
    for (const auto& violation : request.field_violations()) {
      fields.push_back(violation.field());
      EXPECT_THAT(violation.description(), Not(IsEmpty())) << violation.field();
    }
  }
  EXPECT_TRUE(bad_request) << bad.err;
  EXPECT_THAT(fields, UnorderedElementsAre("appointment.start_time",
                                           "appointment.profile"))
      << bad.err;

  const testing::RunResult searched = BufCurl(
      "careers.v1.BookingService/SearchAvailability",
      {"-H", absl::StrCat("authorization: Bearer ", PersonToken()), "-d",
       absl::StrCat(R"({"appointmentType": ")", kType, R"(", "startTime": ")",
                    Rfc3339(MondayAt(0, 0)), R"(", "endTime": ")",
                    Rfc3339(MondayAt(23, 0)), R"(", "pageSize": 4})")});
  ASSERT_EQ(searched.exit_code, 0) << searched.err;
  v1::SearchAvailabilityResponse slots;
  ParseJson(searched.out, &slots);
  ASSERT_EQ(slots.slots_size(), 4) << searched.out;
  EXPECT_EQ(TimeOf(slots.slots(0).start_time()), MondayAt(9, 0));
  EXPECT_EQ(TimeOf(slots.slots(3).start_time()), MondayAt(10, 30));
  EXPECT_EQ(slots.slots(0).adviser_display_name(), "Fiona Reid");
  EXPECT_THAT(slots.next_page_token(), Not(IsEmpty()));

  // The next page has the rest.
  const testing::RunResult rest =
      BufCurl("careers.v1.BookingService/SearchAvailability",
              {"-d", absl::StrCat(R"({"appointmentType": ")", kType,
                                  R"(", "startTime": ")",
                                  Rfc3339(MondayAt(0, 0)), R"(", "endTime": ")",
                                  Rfc3339(MondayAt(23, 0)), R"(", "pageSize": 4,
                    "pageToken": ")",
                                  slots.next_page_token(), R"("})")});
  ASSERT_EQ(rest.exit_code, 0) << rest.err;
  v1::SearchAvailabilityResponse page2;
  ParseJson(rest.out, &page2);
  ASSERT_EQ(page2.slots_size(), 2) << rest.out;
  EXPECT_EQ(TimeOf(page2.slots(0).start_time()), MondayAt(11, 0));
  EXPECT_TRUE(page2.next_page_token().empty());
}

TEST_F(BookingE2eTest, TheAdvisersReadIsOnThePersonsAccessRecord) {
  ASSERT_TRUE(StartServer());
  ASSERT_NO_FATAL_FAILURE(CreateBookableCalendar());
  const std::string person = PersonToken();
  Appointment booked;
  const testing::RunResult book =
      Book(person, kPupil, MondayAt(11, 0), &booked);
  ASSERT_EQ(book.exit_code, 0) << book.err;

  Appointment seen;
  const testing::RunResult read =
      CtlJson(AdviserToken(), {"appointments", "get", booked.name()}, &seen);
  ASSERT_EQ(read.exit_code, 0) << read.err;
  EXPECT_EQ(seen.profile(), kPupil);

  v1::ListAccessEventsResponse events;
  v1::AccessEvent found;
  auto adviser_read = [&] {
    for (const v1::AccessEvent& e : events.access_events()) {
      if (e.actor().subject() == "adviser-sub" &&
          e.method() == "careers.v1.BookingService/GetAppointment" &&
          e.resource() == booked.name()) {
        found = e;
        return true;
      }
    }
    return false;
  };
  // Reads are written in batches: poll the record until it shows up.
  EXPECT_TRUE(PollUntil(
      [&] {
        events.Clear();
        const testing::RunResult record =
            CtlJson(person, {"access-events", "list", kPupil}, &events);
        return record.exit_code == 0 && adviser_read();
      },
      absl::Seconds(10)))
      << events.DebugString();
  for (const v1::AccessEvent& e : events.access_events()) {
    EXPECT_NE(e.actor().subject(), "pupil-a-sub")
        << "the person's own calls are not on their record";
  }
  EXPECT_EQ(found.action(), v1::AccessEvent::READ);
  EXPECT_EQ(found.actor().role(), "adviser");
  EXPECT_EQ(found.actor().organisation(), kSchool);

  // The other pupil's record shows none of it (and is not theirs to read).
  v1::ListAccessEventsResponse others;
  ASSERT_EQ(CtlJson(OtherPersonToken(), {"access-events", "list", kOtherPupil},
                    &others)
                .exit_code,
            0);
  for (const v1::AccessEvent& e : others.access_events()) {
    EXPECT_NE(e.resource(), booked.name());
  }
}

}  // namespace
}  // namespace careers::e2e
