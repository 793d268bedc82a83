// careersctl's BookingService commands (appointment-types, availability,
// slots, appointments, agenda, calendar, waitlist) against the generated
// BookingService mock, and the availability import under them.
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "careers/v1/booking_service_mock.grpc.pb.h"
#include "careers/v1/consent_service_mock.grpc.pb.h"
#include "careers/v1/directory_service_mock.grpc.pb.h"
#include "careers/v1/profile_service_mock.grpc.pb.h"
#include "clients/cli/app.h"
#include "clients/cli/availability_import.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace careers::cli {
namespace {

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
using v1::Adviser;
using v1::Appointment;
using v1::AvailabilityRule;
using MockStub = StrictMock<v1::MockBookingServiceStub>;

// Seconds since the epoch of a UTC wall time.
int64_t Utc(int year, int month, int day, int hour, int minute) {
  return absl::ToUnixSeconds(absl::FromCivil(
      absl::CivilMinute(year, month, day, hour, minute), absl::UTCTimeZone()));
}

grpc::Status Unavailable() {
  return grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection refused");
}

const std::regex kUuid(
    "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

// Records each request of a call and answers it with `response`, or with
// `status` when it is not OK.
template <typename Request, typename Response>
auto Record(std::vector<Request>& requests, Response response,
            grpc::Status status = grpc::Status::OK) {
  return Invoke([&requests, response, status](grpc::ClientContext*,
                                              const Request& request,
                                              Response* out) {
    requests.push_back(request);
    if (status.ok()) *out = response;
    return status;
  });
}

Appointment SampleAppointment(const std::string& name, int64_t start,
                              int minutes) {
  Appointment a;
  a.set_name(name);
  a.set_profile("profiles/sian");
  a.set_adviser("advisers/morag");
  a.set_appointment_type("appointmentTypes/guidance");
  a.set_channel(Adviser::IN_PERSON);
  a.set_location("locations/leith");
  a.mutable_start_time()->set_seconds(start);
  a.mutable_end_time()->set_seconds(start + 60 * minutes);
  a.set_time_zone("Europe/London");
  a.set_state(Appointment::BOOKED);
  a.set_etag("e1");
  return a;
}

std::string WriteTempFile(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// Runs careersctl command lines against a strict BookingService mock. RunCli
// owns and destroys the mock, so expectations go on stub() before each Run;
// a later stub() is a fresh mock.
class BookingCliTest : public ::testing::Test {
 protected:
  int Run(const std::vector<std::string>& args, bool terminal = false) {
    out_.str("");
    err_.str("");
    return RunCli(
        args,
        [this](const ChannelOptions&) {
          return Stubs{
              std::make_unique<StrictMock<v1::MockProfileServiceStub>>(),
              std::make_unique<StrictMock<v1::MockDirectoryServiceStub>>(),
              std::make_unique<StrictMock<v1::MockConsentServiceStub>>(),
              std::move(owned_)};
        },
        out_, err_, terminal);
  }

  MockStub& stub() {
    if (owned_ == nullptr) owned_ = std::make_unique<MockStub>();
    return *owned_;
  }

  std::unique_ptr<MockStub> owned_;
  std::ostringstream out_;
  std::ostringstream err_;
};

// ------------------------------------------------------ appointments

TEST_F(BookingCliTest, BookSendsEveryFieldAndOneGeneratedRequestId) {
  std::vector<v1::CreateAppointmentRequest> requests;
  const Appointment booked =
      SampleAppointment("appointments/a1", Utc(2027, 3, 29, 9, 0), 45);
  EXPECT_CALL(stub(), CreateAppointment(_, _, _))
      .WillOnce(Record(requests, booked, Unavailable()))
      .WillOnce(Record(requests, booked));
  ASSERT_EQ(
      Run({"appointments", "book", "--profile", "profiles/sian", "--adviser",
           "advisers/morag", "--type", "appointmentTypes/guidance", "--start",
           "2027-03-29T10:00:00+01:00", "--channel", "IN-PERSON", "--notes",
           "Apprenticeships"}),
      0)
      << err_.str();
  ASSERT_EQ(requests.size(), 2u);  // retried: the request id makes it safe
  const Appointment& a = requests[0].appointment();
  EXPECT_EQ(a.profile(), "profiles/sian");
  EXPECT_EQ(a.adviser(), "advisers/morag");
  EXPECT_EQ(a.appointment_type(), "appointmentTypes/guidance");
  EXPECT_EQ(a.start_time().seconds(), Utc(2027, 3, 29, 9, 0));
  EXPECT_EQ(a.channel(), Adviser::IN_PERSON);
  EXPECT_EQ(a.notes(), "Apprenticeships");
  EXPECT_TRUE(std::regex_match(requests[0].request_id(), kUuid))
      << requests[0].request_id();
  EXPECT_EQ(requests[1].request_id(), requests[0].request_id());
  EXPECT_THAT(out_.str(), HasSubstr("name              appointments/a1\n"));
  EXPECT_THAT(out_.str(),
              HasSubstr("local time        Mon 29 Mar 2027 10:00–10:45 "
                        "Europe/London\n"));
}

TEST_F(BookingCliTest, BookKeepsAGivenRequestIdAndNeedsEveryRequiredFlag) {
  v1::CreateAppointmentRequest request;
  EXPECT_CALL(stub(), CreateAppointment(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&request), Return(grpc::Status::OK)));
  ASSERT_EQ(
      Run({"appointments", "book", "--profile", "profiles/p", "--adviser",
           "advisers/a", "--type", "appointmentTypes/t", "--start",
           "2027-03-29T09:00Z", "--channel", "video", "--request-id", "my-id"}),
      0)
      << err_.str();
  EXPECT_EQ(request.request_id(), "my-id");
  EXPECT_EQ(request.appointment().start_time().seconds(),
            Utc(2027, 3, 29, 9, 0));
  EXPECT_EQ(request.appointment().channel(), Adviser::VIDEO);

  EXPECT_EQ(Run({"appointments", "book", "--profile", "profiles/p", "--type",
                 "appointmentTypes/t", "--start", "2027-03-29T09:00:00Z",
                 "--channel", "video"}),
            2);
  EXPECT_THAT(err_.str(), HasSubstr("--adviser is required"));
  EXPECT_EQ(Run({"appointments", "book", "--profile", "profiles/p", "--adviser",
                 "advisers/a", "--type", "appointmentTypes/t", "--start",
                 "29/03/2027 09:00", "--channel", "video"}),
            2);
  EXPECT_THAT(err_.str(), HasSubstr("is not an RFC 3339 time"));
  EXPECT_EQ(Run({"appointments", "book", "--profile", "profiles/p", "--adviser",
                 "advisers/a", "--type", "appointmentTypes/t", "--start",
                 "2027-03-29T09:00:00Z", "--channel", "pigeon"}),
            2);
}

TEST_F(BookingCliTest, CancelMapsTheReasonAndIsNotRetried) {
  std::vector<v1::CancelAppointmentRequest> requests;
  EXPECT_CALL(stub(), CancelAppointment(_, _, _))
      .WillOnce(Record(requests, Appointment(), Unavailable()));
  EXPECT_EQ(Run({"appointments", "cancel", "appointments/a1", "--reason",
                 "person-unavailable", "--note", "Exam moved", "--etag", "e1"}),
            1);
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].name(), "appointments/a1");
  EXPECT_EQ(requests[0].reason(), Appointment::PERSON_UNAVAILABLE);
  EXPECT_EQ(requests[0].note(), "Exam moved");
  EXPECT_EQ(requests[0].etag(), "e1");
  EXPECT_THAT(err_.str(), HasSubstr("UNAVAILABLE"));

  // RESCHEDULED is the reschedule method's; a reason is required.
  EXPECT_EQ(Run({"appointments", "cancel", "appointments/a1", "--reason",
                 "rescheduled"}),
            2);
  EXPECT_THAT(err_.str(), HasSubstr("appointments reschedule"));
  EXPECT_EQ(Run({"appointments", "cancel", "appointments/a1"}), 2);
}

TEST_F(BookingCliTest, AttendRecordsAttendedOrNoShowWithItsReason) {
  std::vector<v1::RecordAttendanceRequest> requests;
  Appointment attended = SampleAppointment("appointments/a1", 1, 45);
  attended.set_state(Appointment::ATTENDED);
  EXPECT_CALL(stub(), RecordAttendance(_, _, _))
      .WillOnce(Record(requests, attended));
  ASSERT_EQ(Run({"appointments", "attend", "appointments/a1", "--attended"}), 0)
      << err_.str();
  EXPECT_CALL(stub(), RecordAttendance(_, _, _))
      .WillOnce(Record(requests, attended, Unavailable()));
  EXPECT_EQ(Run({"appointments", "attend", "appointments/a1", "--no-show",
                 "--reason", "transport", "--note", "No bus", "--etag", "e2"}),
            1);  // not retried
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].attendance(), Appointment::ATTENDED);
  EXPECT_EQ(requests[0].no_show_reason(),
            Appointment::NO_SHOW_REASON_UNSPECIFIED);
  EXPECT_EQ(requests[1].name(), "appointments/a1");
  EXPECT_EQ(requests[1].attendance(), Appointment::NO_SHOW);
  EXPECT_EQ(requests[1].no_show_reason(), Appointment::TRANSPORT);
  EXPECT_EQ(requests[1].note(), "No bus");
  EXPECT_EQ(requests[1].etag(), "e2");

  EXPECT_EQ(Run({"appointments", "attend", "appointments/a1"}), 2);
  EXPECT_EQ(Run({"appointments", "attend", "appointments/a1", "--attended",
                 "--no-show"}),
            2);
  EXPECT_EQ(Run({"appointments", "attend", "appointments/a1", "--attended",
                 "--reason", "illness"}),
            2);
}

TEST_F(BookingCliTest, RescheduleSendsTheNewSlotWithARequestId) {
  std::vector<v1::RescheduleAppointmentRequest> requests;
  const Appointment moved =
      SampleAppointment("appointments/a2", Utc(2027, 4, 1, 13, 0), 45);
  EXPECT_CALL(stub(), RescheduleAppointment(_, _, _))
      .WillOnce(Record(requests, moved, Unavailable()))
      .WillOnce(Record(requests, moved));
  ASSERT_EQ(Run({"appointments", "reschedule", "appointments/a1", "--start",
                 "2027-04-01T14:00:00+01:00", "--adviser", "advisers/ewan",
                 "--channel", "phone", "--etag", "e1"}),
            0)
      << err_.str();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].name(), "appointments/a1");
  EXPECT_EQ(requests[0].start_time().seconds(), Utc(2027, 4, 1, 13, 0));
  EXPECT_EQ(requests[0].adviser(), "advisers/ewan");
  EXPECT_EQ(requests[0].channel(), Adviser::PHONE);
  EXPECT_EQ(requests[0].etag(), "e1");
  EXPECT_TRUE(std::regex_match(requests[0].request_id(), kUuid));
  EXPECT_EQ(requests[1].request_id(), requests[0].request_id());
  EXPECT_THAT(out_.str(), HasSubstr("appointments/a2"));

  EXPECT_EQ(Run({"appointments", "reschedule", "appointments/a1"}), 2);
}

TEST_F(BookingCliTest, ListMapsWhoseAndPeriodAndFollowsPages) {
  std::vector<v1::ListAppointmentsRequest> requests;
  v1::ListAppointmentsResponse page1;
  *page1.add_appointments() =
      SampleAppointment("appointments/a1", Utc(2027, 3, 29, 9, 0), 45);
  page1.set_next_page_token("t2");
  v1::ListAppointmentsResponse page2;
  *page2.add_appointments() =
      SampleAppointment("appointments/a2", Utc(2027, 1, 11, 9, 0), 45);
  EXPECT_CALL(stub(), ListAppointments(_, _, _))
      .WillOnce(Record(requests, page1))
      .WillOnce(Record(requests, page2));
  ASSERT_EQ(Run({"appointments", "list", "--profile", "profiles/sian",
                 "--upcoming", "--state", "booked", "--type",
                 "appointmentTypes/guidance", "--all"}),
            0)
      << err_.str();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].profile(), "profiles/sian");
  EXPECT_EQ(requests[0].adviser(), "");
  EXPECT_EQ(requests[0].period(), v1::ListAppointmentsRequest::UPCOMING);
  EXPECT_EQ(requests[0].filter(),
            "state = BOOKED AND appointment_type = "
            "\"appointmentTypes/guidance\"");
  EXPECT_EQ(requests[0].page_token(), "");
  EXPECT_EQ(requests[1].page_token(), "t2");
  EXPECT_EQ(requests[1].profile(), "profiles/sian");
  // Time bounds not given are not sent (an epoch bound would hide all).
  EXPECT_FALSE(requests[0].has_start_time_from());
  EXPECT_FALSE(requests[0].has_start_time_to());
  EXPECT_EQ(out_.str(),
            "NAME             START             PROFILE        ADVISER         "
            "TYPE                       CHANNEL    STATE\n"
            "appointments/a1  2027-03-29 10:00  profiles/sian  advisers/morag  "
            "appointmentTypes/guidance  in-person  booked\n"
            "appointments/a2  2027-01-11 09:00  profiles/sian  advisers/morag  "
            "appointmentTypes/guidance  in-person  booked\n");

  requests.clear();
  EXPECT_CALL(stub(), ListAppointments(_, _, _))
      .WillOnce(Record(requests, page1));
  ASSERT_EQ(
      Run({"appointments", "list", "--adviser", "advisers/morag", "--past",
           "--from", "2027-01-01T00:00:00Z", "--to", "2027-02-01T00:00:00Z"}),
      0)
      << err_.str();
  ASSERT_EQ(requests.size(), 1u);  // one page without --all
  EXPECT_EQ(requests[0].adviser(), "advisers/morag");
  EXPECT_EQ(requests[0].profile(), "");
  EXPECT_EQ(requests[0].period(), v1::ListAppointmentsRequest::PAST);
  EXPECT_EQ(requests[0].start_time_from().seconds(), Utc(2027, 1, 1, 0, 0));
  EXPECT_EQ(requests[0].start_time_to().seconds(), Utc(2027, 2, 1, 0, 0));
  EXPECT_THAT(out_.str(), HasSubstr("next page: --page-token t2\n"));

  EXPECT_EQ(Run({"appointments", "list"}), 2);
  EXPECT_EQ(Run({"appointments", "list", "--profile", "profiles/p", "--adviser",
                 "advisers/a"}),
            2);
  EXPECT_EQ(Run({"appointments", "list", "--profile", "profiles/p",
                 "--upcoming", "--past"}),
            2);
}

// ------------------------------------------------------------ agenda

TEST_F(BookingCliTest, AgendaOfASummerDayCoversItsLocalDayAndShowsLocalTimes) {
  std::vector<v1::ListAppointmentsRequest> requests;
  v1::ListAppointmentsResponse page1;
  // 09:00Z is 10:00 BST.
  *page1.add_appointments() =
      SampleAppointment("appointments/a1", Utc(2027, 3, 29, 9, 0), 45);
  page1.set_next_page_token("t2");
  v1::ListAppointmentsResponse page2;
  Appointment late =
      SampleAppointment("appointments/a2", Utc(2027, 3, 29, 22, 30), 30);
  late.set_profile("profiles/ewan");
  late.set_channel(Adviser::VIDEO);
  late.clear_location();
  late.set_state(Appointment::CANCELLED);
  *page2.add_appointments() = late;
  EXPECT_CALL(stub(), ListAppointments(_, _, _))
      .WillOnce(Record(requests, page1))
      .WillOnce(Record(requests, page2));
  ASSERT_EQ(
      Run({"agenda", "--adviser", "advisers/morag", "--date", "2027-03-29"}), 0)
      << err_.str();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].adviser(), "advisers/morag");
  EXPECT_EQ(requests[0].start_time_from().seconds(), Utc(2027, 3, 28, 23, 0));
  EXPECT_EQ(requests[0].start_time_to().seconds(), Utc(2027, 3, 29, 23, 0));
  EXPECT_EQ(requests[1].page_token(), "t2");
  EXPECT_EQ(requests[1].start_time_from().seconds(), Utc(2027, 3, 28, 23, 0));
  EXPECT_EQ(out_.str(),
            "Agenda of advisers/morag for Monday 29 March 2027 "
            "(Europe/London)\n"
            "TIME             PERSON         TYPE                       "
            "CHANNEL    LOCATION         STATE\n"
            "10:00–10:45 BST  profiles/sian  appointmentTypes/guidance  "
            "in-person  locations/leith  booked\n"
            "23:30–00:00 BST  profiles/ewan  appointmentTypes/guidance  "
            "video                       cancelled\n");
}

// The night the clocks go back, 01:00 comes twice: the server's offsets
// and abbreviations tell the two apart.
TEST_F(BookingCliTest, AgendaOfTheAutumnChangeShowsBothOneOClocks) {
  v1::ListAppointmentsResponse page;
  Appointment bst =
      SampleAppointment("appointments/a1", Utc(2027, 10, 31, 0, 0), 30);
  bst.set_local_start("2027-10-31T01:00:00+01:00");
  bst.set_local_end("2027-10-31T01:30:00+01:00");
  bst.set_local_start_abbreviation("BST");
  bst.set_local_end_abbreviation("BST");
  Appointment across =
      SampleAppointment("appointments/a2", Utc(2027, 10, 31, 0, 30), 45);
  across.set_local_start("2027-10-31T01:30:00+01:00");
  across.set_local_end("2027-10-31T01:15:00+00:00");
  across.set_local_start_abbreviation("BST");
  across.set_local_end_abbreviation("GMT");
  // A server that sends no local times: worked out by careersctl.
  Appointment gmt =
      SampleAppointment("appointments/a3", Utc(2027, 10, 31, 1, 0), 30);
  *page.add_appointments() = bst;
  *page.add_appointments() = across;
  *page.add_appointments() = gmt;
  std::vector<v1::ListAppointmentsRequest> requests;
  EXPECT_CALL(stub(), ListAppointments(_, _, _))
      .WillOnce(Record(requests, page));
  ASSERT_EQ(
      Run({"agenda", "--adviser", "advisers/morag", "--date", "2027-10-31"}), 0)
      << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("\n01:00–01:30 BST      profiles/sian"));
  EXPECT_THAT(out_.str(), HasSubstr("\n01:30 BST–01:15 GMT  profiles/sian"));
  EXPECT_THAT(out_.str(), HasSubstr("\n01:00–01:30 GMT      profiles/sian"));
}

TEST_F(BookingCliTest, AgendaOfAWinterDayAndOfTheDayTheClocksGoForward) {
  std::vector<v1::ListAppointmentsRequest> requests;
  EXPECT_CALL(stub(), ListAppointments(_, _, _))
      .WillOnce(Record(requests, v1::ListAppointmentsResponse()));
  ASSERT_EQ(Run({"agenda", "--adviser", "advisers/morag", "--date",
                 "2027-01-11", "--time-zone", "Europe/London"}),
            0)
      << err_.str();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].start_time_from().seconds(), Utc(2027, 1, 11, 0, 0));
  EXPECT_EQ(requests[0].start_time_to().seconds(), Utc(2027, 1, 12, 0, 0));
  EXPECT_EQ(out_.str(),
            "Agenda of advisers/morag for Monday 11 January 2027 "
            "(Europe/London)\n"
            "No appointments.\n");

  // 28 March 2027 has 23 hours in London.
  requests.clear();
  EXPECT_CALL(stub(), ListAppointments(_, _, _))
      .WillOnce(Record(requests, v1::ListAppointmentsResponse()));
  ASSERT_EQ(Run({"--output", "json", "agenda", "--adviser", "advisers/morag",
                 "--date", "2027-03-28"}),
            0);
  EXPECT_EQ(requests[0].start_time_from().seconds(), Utc(2027, 3, 28, 0, 0));
  EXPECT_EQ(requests[0].start_time_to().seconds(), Utc(2027, 3, 28, 23, 0));
  v1::ListAppointmentsResponse json;
  EXPECT_TRUE(
      google::protobuf::util::JsonStringToMessage(out_.str(), &json).ok())
      << out_.str();

  EXPECT_EQ(Run({"agenda", "--date", "2027-03-29"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("--adviser is required"));
  EXPECT_EQ(Run({"agenda", "--adviser", "advisers/a", "--date", "2027-02-30"}),
            2);
  EXPECT_EQ(Run({"agenda", "--adviser", "advisers/a", "--date", "2027-03-29",
                 "--time-zone", "Europe/Atlantis"}),
            2);
}

// ---------------------------------------------------------- calendar

TEST_F(BookingCliTest, CalendarExportWritesExactlyTheBodyBytes) {
  google::api::HttpBody body;
  body.set_content_type("text/calendar; charset=utf-8");
  const std::string ics =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nSUMMARY:Mòrag\r\n"
      "END:VCALENDAR\r\n";
  body.set_data(ics);
  std::vector<v1::ExportCalendarRequest> requests;
  EXPECT_CALL(stub(), ExportCalendar(_, _, _)).WillOnce(Record(requests, body));
  ASSERT_EQ(Run({"calendar", "export", "--adviser", "advisers/morag", "--from",
                 "2027-01-01T00:00:00Z"}),
            0)
      << err_.str();
  EXPECT_EQ(out_.str(), ics);
  EXPECT_EQ(err_.str(), "");
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].adviser(), "advisers/morag");
  EXPECT_EQ(requests[0].profile(), "");
  EXPECT_EQ(requests[0].start_time_from().seconds(), Utc(2027, 1, 1, 0, 0));

  EXPECT_EQ(Run({"calendar", "export", "--profile", "profiles/p", "--adviser",
                 "advisers/a"}),
            2);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(Run({"calendar", "export"}), 2);
}

// ------------------------------------------------------ availability

TEST_F(BookingCliTest, AvailabilityAddBuildsTheRule) {
  v1::CreateAvailabilityRuleRequest request;
  EXPECT_CALL(stub(), CreateAvailabilityRule(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&request), Return(grpc::Status::OK)));
  ASSERT_EQ(
      Run({"availability",  "add",
           "--adviser",     "advisers/morag",
           "--kind",        "weekly",
           "--days",        "mon,TUE,wednesday",
           "--start",       "9:00",
           "--end",         "12:30",
           "--time-zone",   "Europe/London",
           "--from",        "2027-01-04",
           "--to",          "2027-07-02",
           "--location",    "locations/leith",
           "--channels",    "in-person,video",
           "--types",       "appointmentTypes/guidance,appointmentTypes/cv",
           "--description", "Term time"}),
      0)
      << err_.str();
  EXPECT_EQ(request.parent(), "advisers/morag");
  EXPECT_TRUE(std::regex_match(request.request_id(), kUuid));
  const AvailabilityRule& rule = request.availability_rule();
  EXPECT_EQ(rule.kind(), AvailabilityRule::WEEKLY);
  EXPECT_THAT(rule.days(),
              ElementsAre(google::type::MONDAY, google::type::TUESDAY,
                          google::type::WEDNESDAY));
  EXPECT_EQ(rule.start_time().hours(), 9);
  EXPECT_EQ(rule.start_time().minutes(), 0);
  EXPECT_EQ(rule.end_time().hours(), 12);
  EXPECT_EQ(rule.end_time().minutes(), 30);
  EXPECT_EQ(rule.time_zone(), "Europe/London");
  EXPECT_EQ(rule.valid_from().year(), 2027);
  EXPECT_EQ(rule.valid_from().month(), 1);
  EXPECT_EQ(rule.valid_from().day(), 4);
  EXPECT_EQ(rule.valid_to().month(), 7);
  EXPECT_EQ(rule.location(), "locations/leith");
  EXPECT_THAT(rule.channels(), ElementsAre(Adviser::IN_PERSON, Adviser::VIDEO));
  EXPECT_THAT(rule.appointment_types(),
              ElementsAre("appointmentTypes/guidance", "appointmentTypes/cv"));
  EXPECT_EQ(rule.description(), "Term time");

  EXPECT_EQ(
      Run({"availability", "add", "--adviser", "advisers/morag", "--kind",
           "blocked", "--days", "mnday", "--start", "09:00", "--end", "24:00",
           "--from", "2027-01-04", "--time-zone", "Mars/Olympus"}),
      2);
  EXPECT_THAT(err_.str(), HasSubstr("days: 'mnday' is not a day of the week"));
  EXPECT_THAT(err_.str(), HasSubstr("time_zone: 'Mars/Olympus'"));
  EXPECT_EQ(Run({"availability", "add", "--adviser", "advisers/morag", "--kind",
                 "weekly", "--start", "24:00", "--end", "12:75", "--from",
                 "2027-01-04"}),
            2);
  EXPECT_THAT(err_.str(), HasSubstr("start: '24:00' is not a time of day"));
  EXPECT_THAT(err_.str(), HasSubstr("end: '12:75'"));
  EXPECT_EQ(Run({"availability", "add", "--kind", "weekly", "--start", "09:00",
                 "--end", "12:00", "--from", "2027-01-04"}),
            2);
}

TEST_F(BookingCliTest, AvailabilityListGetAndDelete) {
  v1::ListAvailabilityRulesRequest list_request;
  v1::ListAvailabilityRulesResponse rules;
  AvailabilityRule* rule = rules.add_availability_rules();
  rule->set_name("advisers/morag/availabilityRules/r1");
  rule->set_kind(AvailabilityRule::WEEKLY);
  rule->add_days(google::type::MONDAY);
  rule->add_days(google::type::FRIDAY);
  rule->mutable_start_time()->set_hours(9);
  rule->mutable_end_time()->set_hours(24);
  rule->set_time_zone("Europe/London");
  rule->mutable_valid_from()->set_year(2027);
  rule->mutable_valid_from()->set_month(1);
  rule->mutable_valid_from()->set_day(4);
  EXPECT_CALL(stub(), ListAvailabilityRules(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&list_request), SetArgPointee<2>(rules),
                      Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"availability", "list", "--adviser", "advisers/morag"}), 0)
      << err_.str();
  EXPECT_EQ(list_request.parent(), "advisers/morag");
  EXPECT_EQ(
      out_.str(),
      "NAME                                 KIND    DAYS     HOURS        "
      "TIME ZONE      FROM        TO  LOCATION\n"
      "advisers/morag/availabilityRules/r1  weekly  mon,fri  09:00–24:00  "
      "Europe/London  2027-01-04\n");

  v1::DeleteAvailabilityRuleRequest delete_request;
  EXPECT_CALL(stub(), DeleteAvailabilityRule(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&delete_request), Return(grpc::Status::OK)));
  ASSERT_EQ(
      Run({"availability", "delete", "advisers/morag/availabilityRules/r1"}),
      0);
  EXPECT_EQ(delete_request.name(), "advisers/morag/availabilityRules/r1");
  EXPECT_EQ(out_.str(), "deleted advisers/morag/availabilityRules/r1\n");
}

grpc::Status BadLocation() {
  google::rpc::BadRequest bad_request;
  auto* v = bad_request.add_field_violations();
  v->set_field("availability_rule.location");
  v->set_description("is not a location of the adviser's organisation");
  google::rpc::Status details;
  details.set_code(3);
  details.set_message("invalid availability_rule.location");
  details.add_details()->PackFrom(bad_request);
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, details.message(),
                      details.SerializeAsString());
}

// Five rows: two new rules, one the server refuses, one whose kind is
// wrong, and one an earlier run created (the server replays it).
class AvailabilityImportTest : public BookingCliTest {
 protected:
  // Answers creates as the server would: the rule with `ordinal`-th name,
  // an old create time for the replayed rule, an error for the refused.
  auto Answer(std::vector<v1::CreateAvailabilityRuleRequest>& requests) {
    return Invoke([&requests](grpc::ClientContext*,
                              const v1::CreateAvailabilityRuleRequest& req,
                              AvailabilityRule* resp) {
      requests.push_back(req);
      if (req.availability_rule().location() == "locations/nowhere") {
        return BadLocation();
      }
      *resp = req.availability_rule();
      resp->set_name(
          absl::StrCat(req.parent(), "/availabilityRules/r", requests.size()));
      const bool replayed = req.availability_rule().description() == "Old";
      resp->mutable_create_time()->set_seconds(
          replayed ? 1717147800 : absl::ToUnixSeconds(absl::Now()) + 1);
      return grpc::Status::OK;
    });
  }

  std::string file_ = WriteTempFile(
      "rules.csv",
      "Adviser,kind,days,start,end,time_zone,valid_from,valid_to,location,"
      "channels,appointment_types,description\n"
      "morag,weekly,mon;tue,09:00,12:00,Europe/London,2027-01-04,,leith,"
      "in-person;video,guidance cv,\"Term time, mornings\"\n"
      "advisers/morag,blocked,,00:00,24:00,,2027-04-05,2027-04-16,,,,"
      "\"Easter\nholidays\"\n"
      "ewan,extra,thu,17:00,20:00,,2027-02-04,2027-02-04,nowhere,in-person,,\n"
      "ewan,fortnightly,fri,09:00,12:00,,2027-01-08,,,,,\n"
      "ewan,weekly,fri,09:00,12:00,,2027-01-08,,,,,Old\n");
};

TEST_F(AvailabilityImportTest, SendsEachRowAndSummarisesByLine) {
  std::vector<v1::CreateAvailabilityRuleRequest> requests;
  EXPECT_CALL(stub(), CreateAvailabilityRule(_, _, _))
      .Times(4)
      .WillRepeatedly(Answer(requests));
  EXPECT_EQ(Run({"availability", "import", file_}), 1);
  ASSERT_EQ(requests.size(), 4u);
  const AvailabilityRule& first = requests[0].availability_rule();
  EXPECT_EQ(requests[0].parent(), "advisers/morag");
  EXPECT_THAT(first.days(),
              ElementsAre(google::type::MONDAY, google::type::TUESDAY));
  EXPECT_EQ(first.location(), "locations/leith");
  EXPECT_THAT(first.channels(),
              ElementsAre(Adviser::IN_PERSON, Adviser::VIDEO));
  EXPECT_THAT(first.appointment_types(),
              ElementsAre("appointmentTypes/guidance", "appointmentTypes/cv"));
  EXPECT_EQ(first.description(), "Term time, mornings");
  const AvailabilityRule& easter = requests[1].availability_rule();
  EXPECT_EQ(easter.kind(), AvailabilityRule::BLOCKED);
  EXPECT_THAT(easter.days(), IsEmpty());
  EXPECT_EQ(easter.end_time().hours(), 24);
  EXPECT_EQ(easter.valid_to().day(), 16);
  EXPECT_EQ(easter.description(), "Easter\nholidays");
  EXPECT_EQ(requests[2].parent(), "advisers/ewan");
  for (const auto& r : requests) {
    EXPECT_TRUE(std::regex_match(r.request_id(), kUuid)) << r.request_id();
  }
  EXPECT_EQ(out_.str(),
            "created          2\n"
            "already present  1\n"
            "failed           2\n"
            "line 5: INVALID_ARGUMENT: invalid availability_rule.location\n"
            "  availability_rule.location: is not a location of the "
            "adviser's organisation\n"
            "line 6: kind: 'fortnightly' is not one of weekly|extra|blocked\n");
  EXPECT_EQ(err_.str(), "");  // not a terminal: no progress bar

  // A re-run sends the very same request ids.
  std::vector<v1::CreateAvailabilityRuleRequest> again;
  EXPECT_CALL(stub(), CreateAvailabilityRule(_, _, _))
      .Times(4)
      .WillRepeatedly(Answer(again));
  EXPECT_EQ(Run({"availability", "import", file_}, /*terminal=*/true), 1);
  ASSERT_EQ(again.size(), 4u);
  for (size_t i = 0; i < again.size(); ++i) {
    EXPECT_EQ(again[i].request_id(), requests[i].request_id());
  }
  EXPECT_THAT(err_.str(), HasSubstr("\r[##############################] 5/5"));
}

TEST_F(AvailabilityImportTest, RepeatedRowsAndBadFiles) {
  const std::string repeated =
      WriteTempFile("repeated.csv",
                    "adviser,kind,start,end,valid_from\n"
                    "morag,weekly,09:00,12:00,2027-01-04\n"
                    "advisers/morag,WEEKLY,9:00,12:00,2027-01-04\n");
  std::vector<v1::CreateAvailabilityRuleRequest> requests;
  EXPECT_CALL(stub(), CreateAvailabilityRule(_, _, _))
      .WillOnce(Record(requests, AvailabilityRule(),
                       grpc::Status(grpc::StatusCode::ALREADY_EXISTS, "")));
  EXPECT_EQ(Run({"--output", "json", "availability", "import", repeated}), 1);
  google::protobuf::Struct summary;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(out_.str(), &summary).ok())
      << out_.str();
  EXPECT_EQ(summary.fields().at("alreadyPresent").number_value(), 1);
  EXPECT_EQ(summary.fields().at("failed").number_value(), 1);
  EXPECT_EQ(summary.fields()
                .at("failures")
                .list_value()
                .values(0)
                .struct_value()
                .fields()
                .at("reason")
                .string_value(),
            "repeats line 2");

  EXPECT_EQ(Run({"availability", "import", "/nonexistent/rules.csv"}), 2);
  const std::string headerless =
      WriteTempFile("headerless.csv", "adviser,kind,start,end\nm,weekly,,\n");
  EXPECT_EQ(Run({"availability", "import", headerless}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("it has no valid_from"));
}

// ------------------------------------------------------------- slots

TEST_F(BookingCliTest, SlotsSearchPrintsLocalTimesInTheSlotsZone) {
  v1::SearchAvailabilityResponse response;
  v1::Slot* slot = response.add_slots();
  slot->set_adviser("advisers/morag");
  slot->set_adviser_display_name("Morag Campbell");
  slot->set_appointment_type("appointmentTypes/guidance");
  slot->mutable_start_time()->set_seconds(Utc(2027, 3, 29, 9, 0));
  slot->mutable_end_time()->set_seconds(Utc(2027, 3, 29, 9, 45));
  slot->add_channels(Adviser::IN_PERSON);
  slot->add_channels(Adviser::VIDEO);
  slot->set_location("locations/leith");
  slot->set_time_zone("Europe/London");
  slot->set_seats_remaining(1);
  v1::Slot* winter = response.add_slots();
  *winter = *slot;
  winter->mutable_start_time()->set_seconds(Utc(2027, 1, 11, 9, 0));
  winter->mutable_end_time()->set_seconds(Utc(2027, 1, 11, 9, 45));
  winter->clear_channels();
  winter->add_channels(Adviser::PHONE);
  winter->clear_location();
  response.set_next_page_token("n2");
  v1::SearchAvailabilityRequest request;
  EXPECT_CALL(stub(), SearchAvailability(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&request), SetArgPointee<2>(response),
                      Return(grpc::Status::OK)));
  ASSERT_EQ(
      Run({"slots", "search", "--type", "appointmentTypes/guidance", "--from",
           "2027-01-01T00:00:00Z", "--to", "2027-01-31T00:00:00Z", "--adviser",
           "advisers/morag", "--location", "locations/leith", "--channel",
           "video", "--language", "gd", "--page-size", "20"}),
      0)
      << err_.str();
  EXPECT_EQ(request.appointment_type(), "appointmentTypes/guidance");
  EXPECT_EQ(request.start_time().seconds(), Utc(2027, 1, 1, 0, 0));
  EXPECT_EQ(request.end_time().seconds(), Utc(2027, 1, 31, 0, 0));
  EXPECT_EQ(request.adviser(), "advisers/morag");
  EXPECT_EQ(request.location(), "locations/leith");
  EXPECT_EQ(request.channel(), Adviser::VIDEO);
  EXPECT_EQ(request.language_code(), "gd");
  EXPECT_EQ(request.page_size(), 20);
  EXPECT_EQ(out_.str(),
            "START                               END    ADVISER         "
            "CHANNELS         LOCATION         SEATS\n"
            "Mon 2027-03-29 10:00 Europe/London  10:45  Morag Campbell  "
            "in-person,video  locations/leith  1\n"
            "Mon 2027-01-11 09:00 Europe/London  09:45  Morag Campbell  "
            "phone                             1\n"
            "next page: --page-token n2\n");

  EXPECT_EQ(Run({"slots", "search", "--type", "appointmentTypes/guidance",
                 "--from", "2027-01-01T00:00:00Z"}),
            2);
}

TEST_F(BookingCliTest, SlotsSearchAllFollowsPages) {
  v1::SearchAvailabilityResponse page1;
  page1.add_slots()->set_adviser("advisers/a");
  page1.set_next_page_token("n2");
  v1::SearchAvailabilityResponse page2;
  page2.add_slots()->set_adviser("advisers/b");
  std::vector<v1::SearchAvailabilityRequest> requests;
  EXPECT_CALL(stub(), SearchAvailability(_, _, _))
      .WillOnce(Record(requests, page1))
      .WillOnce(Record(requests, page2));
  ASSERT_EQ(Run({"-o", "json", "slots", "search", "--type",
                 "appointmentTypes/guidance", "--from", "2027-01-01T00:00:00Z",
                 "--to", "2027-01-31T00:00:00Z", "--all"}),
            0)
      << err_.str();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].page_token(), "n2");
  v1::SearchAvailabilityResponse all;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(out_.str(), &all).ok());
  EXPECT_EQ(all.slots_size(), 2);
  EXPECT_EQ(all.next_page_token(), "");
}

// ------------------------------------------------- appointment types

TEST_F(BookingCliTest, AppointmentTypeCreateSetsEveryField) {
  v1::CreateAppointmentTypeRequest request;
  EXPECT_CALL(stub(), CreateAppointmentType(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&request), Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"appointment-types",
                 "create",
                 "--id",
                 "subject-choice",
                 "--organisation",
                 "organisations/sds",
                 "--display-name",
                 "Subject choice interview",
                 "--description",
                 "Choosing subjects",
                 "--duration",
                 "45",
                 "--buffer-before",
                 "10",
                 "--buffer-after",
                 "5",
                 "--minimum-notice",
                 "1440",
                 "--not-same-day",
                 "--horizon-days",
                 "30",
                 "--seats",
                 "1",
                 "--channels",
                 "IN-PERSON,video",
                 "--life-stages",
                 "school,college",
                 "--school-stages",
                 "S3,S4",
                 "--per-person-limit",
                 "1",
                 "--languages",
                 "EN,gd"}),
            0)
      << err_.str();
  EXPECT_EQ(request.appointment_type_id(), "subject-choice");
  EXPECT_TRUE(std::regex_match(request.request_id(), kUuid));
  const v1::AppointmentType& t = request.appointment_type();
  EXPECT_EQ(t.organisation(), "organisations/sds");
  EXPECT_EQ(t.display_name(), "Subject choice interview");
  EXPECT_EQ(t.description(), "Choosing subjects");
  EXPECT_EQ(t.duration_minutes(), 45);
  EXPECT_EQ(t.buffer_before_minutes(), 10);
  EXPECT_EQ(t.buffer_after_minutes(), 5);
  EXPECT_EQ(t.minimum_notice_minutes(), 1440);
  EXPECT_TRUE(t.not_same_day());
  EXPECT_EQ(t.booking_horizon_days(), 30);
  EXPECT_EQ(t.seats(), 1);
  EXPECT_THAT(t.channels(), ElementsAre(Adviser::IN_PERSON, Adviser::VIDEO));
  EXPECT_THAT(t.audience_life_stages(),
              ElementsAre(v1::Profile::SCHOOL, v1::Profile::COLLEGE));
  EXPECT_THAT(t.audience_school_stages(), ElementsAre("S3", "S4"));
  EXPECT_EQ(t.per_person_limit(), 1);
  EXPECT_THAT(t.language_codes(), ElementsAre("en", "gd"));

  EXPECT_EQ(Run({"appointment-types", "create", "--duration", "3"}), 2);
  EXPECT_EQ(Run({"appointment-types", "create", "--channels", "fax"}), 2);
}

TEST_F(BookingCliTest, AppointmentTypeUpdateMasksTheGivenFields) {
  v1::UpdateAppointmentTypeRequest request;
  EXPECT_CALL(stub(), UpdateAppointmentType(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&request), Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"appointment-types", "update", "appointmentTypes/guidance",
                 "--display-name", "Guidance", "--seats", "20",
                 "--not-same-day=false", "--etag", "e3"}),
            0)
      << err_.str();
  EXPECT_EQ(request.appointment_type().name(), "appointmentTypes/guidance");
  EXPECT_EQ(request.appointment_type().etag(), "e3");
  EXPECT_EQ(request.appointment_type().seats(), 20);
  EXPECT_FALSE(request.appointment_type().not_same_day());
  EXPECT_THAT(request.update_mask().paths(),
              ElementsAre("display_name", "seats", "not_same_day"));

  EXPECT_EQ(Run({"appointment-types", "update", "appointmentTypes/guidance"}),
            2);
  EXPECT_EQ(Run({"appointment-types", "update", "appointmentTypes/guidance",
                 "--organisation", "organisations/x"}),
            2);
}

TEST_F(BookingCliTest, AppointmentTypeListFiltersByOrganisation) {
  v1::ListAppointmentTypesRequest request;
  EXPECT_CALL(stub(), ListAppointmentTypes(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&request), Return(grpc::Status::OK)));
  ASSERT_EQ(
      Run({"appointment-types", "list", "--organisation", "organisations/sds"}),
      0);
  EXPECT_EQ(request.filter(), "organisation = \"organisations/sds\"");
}

// ----------------------------------------------------------- waitlist

TEST_F(BookingCliTest, WaitlistJoinAcceptAndList) {
  v1::CreateWaitlistEntryRequest join;
  EXPECT_CALL(stub(), CreateWaitlistEntry(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&join), Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"waitlist", "join", "--profile", "profiles/sian", "--adviser",
                 "advisers/morag", "--type", "appointmentTypes/talk", "--start",
                 "2027-03-29T18:00:00Z", "--channel", "in-person"}),
            0)
      << err_.str();
  EXPECT_EQ(join.waitlist_entry().profile(), "profiles/sian");
  EXPECT_EQ(join.waitlist_entry().adviser(), "advisers/morag");
  EXPECT_EQ(join.waitlist_entry().appointment_type(), "appointmentTypes/talk");
  EXPECT_EQ(join.waitlist_entry().start_time().seconds(),
            Utc(2027, 3, 29, 18, 0));
  EXPECT_EQ(join.waitlist_entry().channel(), Adviser::IN_PERSON);
  EXPECT_TRUE(std::regex_match(join.request_id(), kUuid));

  std::vector<v1::AcceptWaitlistOfferRequest> accepts;
  EXPECT_CALL(stub(), AcceptWaitlistOffer(_, _, _))
      .WillOnce(Record(accepts, v1::WaitlistEntry(), Unavailable()));
  EXPECT_EQ(Run({"waitlist", "accept", "waitlistEntries/w1"}), 1);
  ASSERT_EQ(accepts.size(), 1u);  // not retried
  EXPECT_EQ(accepts[0].name(), "waitlistEntries/w1");

  v1::ListWaitlistEntriesRequest list;
  EXPECT_CALL(stub(), ListWaitlistEntries(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&list), Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"waitlist", "list", "--profile", "profiles/sian"}), 0);
  EXPECT_EQ(list.profile(), "profiles/sian");
  EXPECT_EQ(Run({"waitlist", "list"}), 2);

  // A session's queue, as staff see it, with positions.
  v1::ListWaitlistEntriesResponse queue;
  v1::WaitlistEntry first;
  first.set_name("waitlistEntries/w2");
  first.set_profile("profiles/ewan");
  first.set_state(v1::WaitlistEntry::WAITING);
  first.set_position(1);
  *queue.add_waitlist_entries() = first;
  EXPECT_CALL(stub(), ListWaitlistEntries(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&list), ::testing::SetArgPointee<2>(queue),
                      Return(grpc::Status::OK)));
  out_.str("");
  ASSERT_EQ(Run({"waitlist", "list", "--adviser", "advisers/morag", "--type",
                 "appointmentTypes/talk", "--start", "2027-03-29T18:00:00Z"}),
            0)
      << err_.str();
  EXPECT_EQ(list.adviser(), "advisers/morag");
  EXPECT_EQ(list.appointment_type(), "appointmentTypes/talk");
  EXPECT_EQ(list.start_time().seconds(), Utc(2027, 3, 29, 18, 0));
  EXPECT_THAT(out_.str(), HasSubstr("POSITION"));
  EXPECT_THAT(out_.str(), ::testing::ContainsRegex("profiles/ewan .* waiting  1"));
  // A session needs all three; a person and a session do not mix.
  EXPECT_EQ(Run({"waitlist", "list", "--adviser", "advisers/morag"}), 2);
  EXPECT_EQ(Run({"waitlist", "list", "--profile", "profiles/sian", "--adviser",
                 "advisers/morag", "--type", "appointmentTypes/talk", "--start",
                 "2027-03-29T18:00:00Z"}),
            2);
}

// ------------------------------------------------ rules from text

TEST(RuleTextTest, SameRuleSameRequestId) {
  RuleText a;
  a.adviser = "morag";
  a.kind = "weekly";
  a.days = "mon tue";
  a.start = "9:00";
  a.end = "12:00";
  a.valid_from = "2027-01-04";
  RuleText b = a;
  b.adviser = "advisers/morag";
  b.kind = "WEEKLY";
  b.days = "Monday;TUE";
  b.start = "09:00";
  auto ra = RuleRequestFor(a);
  auto rb = RuleRequestFor(b);
  ASSERT_TRUE(ra.ok()) << ra.status();
  ASSERT_TRUE(rb.ok()) << rb.status();
  EXPECT_EQ(StableRequestId(*ra), StableRequestId(*rb));
  b.end = "12:30";
  EXPECT_NE(StableRequestId(*ra), StableRequestId(*RuleRequestFor(b)));
  EXPECT_TRUE(std::regex_match(StableRequestId(*ra), kUuid));
}

}  // namespace
}  // namespace careers::cli
