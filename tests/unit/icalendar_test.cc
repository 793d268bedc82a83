// RFC 5545 export of appointments: the output is parsed back with libical.
#include "server/domain/icalendar.h"

#include <libical/ical.h>

#include <ctime>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/proto_time.h"

namespace careers::domain::ical {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

struct ComponentDeleter {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using ComponentPtr = std::unique_ptr<icalcomponent, ComponentDeleter>;

constexpr absl::string_view kWelsh =
    "Cyfweliad \xc3\xa2 chynghorydd; dewis pynciau, S3";  // â as UTF-8

absl::Time Utc(int y, int mo, int d, int h, int mi) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, 0),
                         absl::UTCTimeZone());
}

const absl::Time kNow = Utc(2027, 1, 5, 14, 30);

CalendarEvent Event(absl::string_view id, absl::Time start,
                    absl::string_view zone,
                    v1::Appointment::State state = v1::Appointment::BOOKED,
                    int sequence = 0) {
  CalendarEvent event;
  v1::Appointment& a = event.appointment;
  a.set_name(absl::StrCat("appointments/", id));
  *a.mutable_start_time() = ToProtoTimestamp(start);
  *a.mutable_end_time() = ToProtoTimestamp(start + absl::Minutes(45));
  a.set_time_zone(std::string(zone));
  a.set_state(state);
  a.set_sequence(sequence);
  event.summary = absl::StrCat("Careers interview ", id);
  event.location = "Riverside Academy, G1 1AA";
  return event;
}

// The two appointments of the brief: BOOKED on the first Monday of British
// Summer Time, CANCELLED (twice changed) in January.
std::vector<CalendarEvent> TwoLondonEvents() {
  return {Event("spring", Utc(2027, 3, 29, 8, 0), "Europe/London"),
          Event("winter", Utc(2027, 1, 11, 9, 0), "Europe/London",
                v1::Appointment::CANCELLED, 2)};
}

ComponentPtr Parse(const std::string& text) {
  return ComponentPtr(icalparser_parse_string(text.c_str()));
}

std::vector<icalcomponent*> Children(icalcomponent* parent,
                                     icalcomponent_kind kind) {
  std::vector<icalcomponent*> out;
  for (icalcomponent* c = icalcomponent_get_first_component(parent, kind);
       c != nullptr; c = icalcomponent_get_next_component(parent, kind)) {
    out.push_back(c);
  }
  return out;
}

// Content lines with folding undone (RFC 5545 3.1).
std::string Unfold(const std::string& text) {
  return absl::StrReplaceAll(text, {{"\r\n ", ""}, {"\r\n\t", ""}});
}

int Count(absl::string_view haystack, absl::string_view needle) {
  int n = 0;
  for (size_t pos = haystack.find(needle); pos != absl::string_view::npos;
       pos = haystack.find(needle, pos + needle.size())) {
    ++n;
  }
  return n;
}

absl::Time FromTimeT(time_t t) { return absl::FromTimeT(t); }

// DTSTART / DTEND / DTSTAMP as an instant, through the zone libical resolved
// the TZID to (the VTIMEZONE in the calendar) or UTC.
absl::Time Instant(icaltimetype t) {
  EXPECT_NE(t.zone, nullptr) << "floating time";
  return FromTimeT(icaltime_as_timet_with_zone(t, t.zone));
}

std::string Text(icalcomponent* c, icalproperty_kind kind) {
  icalproperty* p = icalcomponent_get_first_property(c, kind);
  if (p == nullptr) return "<absent>";
  switch (kind) {
    case ICAL_SUMMARY_PROPERTY:
      return icalproperty_get_summary(p);
    case ICAL_DESCRIPTION_PROPERTY:
      return icalproperty_get_description(p);
    case ICAL_LOCATION_PROPERTY:
      return icalproperty_get_location(p);
    case ICAL_UID_PROPERTY:
      return icalproperty_get_uid(p);
    default:
      return "<unexpected>";
  }
}

TEST(ICalendar, RoundTripsEventsThroughLibical) {
  const std::vector<CalendarEvent> events = TwoLondonEvents();
  const std::string text = ToICalendar(events, "Careers appointments", kNow);
  ComponentPtr cal = Parse(text);
  ASSERT_NE(cal, nullptr) << text;
  ASSERT_EQ(icalcomponent_isa(cal.get()), ICAL_VCALENDAR_COMPONENT);
  EXPECT_EQ(icalcomponent_count_errors(cal.get()), 0) << text;

  // The TZID resolves to the VTIMEZONE in this calendar, not to a zone
  // libical would find on its own.
  icaltimezone* london = icalcomponent_get_timezone(cal.get(), "Europe/London");
  ASSERT_NE(london, nullptr) << text;

  const std::vector<icalcomponent*> vevents =
      Children(cal.get(), ICAL_VEVENT_COMPONENT);
  ASSERT_THAT(vevents, SizeIs(2));
  for (size_t i = 0; i < vevents.size(); ++i) {
    SCOPED_TRACE(i);
    icalcomponent* ev = vevents[i];
    const v1::Appointment& a = events[i].appointment;
    EXPECT_EQ(Text(ev, ICAL_UID_PROPERTY),
              i == 0 ? "spring@careers.uk" : "winter@careers.uk");
    EXPECT_EQ(icalcomponent_get_sequence(ev), a.sequence());
    EXPECT_EQ(icalcomponent_get_status(ev),
              i == 0 ? ICAL_STATUS_CONFIRMED : ICAL_STATUS_CANCELLED);
    EXPECT_EQ(Text(ev, ICAL_SUMMARY_PROPERTY), events[i].summary);
    EXPECT_EQ(Text(ev, ICAL_LOCATION_PROPERTY), events[i].location);
    EXPECT_EQ(Text(ev, ICAL_DESCRIPTION_PROPERTY), "<absent>");

    const icaltimetype start = icalcomponent_get_dtstart(ev);
    const icaltimetype end = icalcomponent_get_dtend(ev);
    EXPECT_EQ(start.zone, london);
    EXPECT_EQ(end.zone, london);
    EXPECT_EQ(Instant(start), FromProtoTimestamp(a.start_time()));
    EXPECT_EQ(Instant(end), FromProtoTimestamp(a.end_time()));
  }
  EXPECT_EQ(icalcomponent_get_sequence(vevents[1]), 2);
  EXPECT_EQ(Instant(icalcomponent_get_dtstart(vevents[0])),
            Utc(2027, 3, 29, 8, 0));
  EXPECT_EQ(Instant(icalcomponent_get_dtstart(vevents[1])),
            Utc(2027, 1, 11, 9, 0));
}

TEST(ICalendar, WritesLocalWallTimeAndEachVtimezoneOnce) {
  const std::string text =
      Unfold(ToICalendar(TwoLondonEvents(), "Careers appointments", kNow));
  EXPECT_THAT(text, HasSubstr("\r\nDTSTART;TZID=Europe/London:20270329T090000"
                              "\r\n"));
  EXPECT_THAT(text, HasSubstr("\r\nDTEND;TZID=Europe/London:20270329T094500"
                              "\r\n"));
  EXPECT_THAT(text, HasSubstr("\r\nDTSTART;TZID=Europe/London:20270111T090000"
                              "\r\n"));
  EXPECT_THAT(text, HasSubstr("\r\nDTEND;TZID=Europe/London:20270111T094500"
                              "\r\n"));
  EXPECT_EQ(Count(text, "BEGIN:VTIMEZONE"), 1) << text;
  EXPECT_EQ(Count(text, "\r\nTZID:Europe/London\r\n"), 1) << text;
  // Zones come before the events that use them.
  EXPECT_LT(text.find("BEGIN:VTIMEZONE"), text.find("BEGIN:VEVENT"));

  ComponentPtr cal = Parse(text);
  ASSERT_NE(cal, nullptr);
  EXPECT_THAT(Children(cal.get(), ICAL_VTIMEZONE_COMPONENT), SizeIs(1));
}

TEST(ICalendar, VtimezoneIsTrimmedButCoversTheEvents) {
  const std::string text =
      ToICalendar(TwoLondonEvents(), "Careers appointments", kNow);
  // The system zone has every change since 1847; the copy starts in 2026.
  EXPECT_THAT(text, Not(HasSubstr("1847")));
  EXPECT_THAT(text, Not(HasSubstr("DTSTART:19")));
  EXPECT_LT(Count(text, "\r\n"), 80) << text;
  // Both observances are there.
  EXPECT_THAT(text, HasSubstr("TZNAME:GMT"));
  EXPECT_THAT(text, HasSubstr("TZNAME:BST"));
}

TEST(ICalendar, OneVtimezonePerZoneInNameOrder) {
  const std::vector<CalendarEvent> events = {
      Event("a", Utc(2027, 3, 29, 8, 0), "Europe/London"),
      Event("b", Utc(2027, 3, 29, 13, 0), "America/New_York"),
      Event("c", Utc(2027, 4, 1, 8, 0), "Europe/London"),
  };
  const std::string text = Unfold(ToICalendar(events, "x", kNow));
  EXPECT_EQ(Count(text, "BEGIN:VTIMEZONE"), 2);
  EXPECT_LT(text.find("TZID:America/New_York\r\n"),
            text.find("TZID:Europe/London\r\n"));
  // 13:00Z is 09:00 EDT (New York has been on summer time since 14 March).
  EXPECT_THAT(text, HasSubstr("DTSTART;TZID=America/New_York:20270329T090000"));
}

TEST(ICalendar, TextWithPunctuationNewlinesAndWelshRoundTrips) {
  CalendarEvent event = Event("t", Utc(2027, 3, 29, 8, 0), "Europe/London");
  event.summary = std::string(kWelsh);
  event.location = "Ysgol Gyfun; Ystafell 3, Llawr 1 \\ Bloc B";
  event.description = absl::StrCat(kWelsh, "\nAil linell: \"dyfynodau\"\n\n",
                                   "Tab\there, back\\slash; end,");
  const std::string calendar_name = "Apwyntiadau gyrfaoedd, Caerdydd";
  const std::string text = ToICalendar({event}, calendar_name, kNow);

  // Escaped on the wire (RFC 5545 3.3.11).
  EXPECT_THAT(Unfold(text),
              HasSubstr("SUMMARY:Cyfweliad \xc3\xa2 chynghorydd\\; dewis "
                        "pynciau\\, S3\r\n"));

  ComponentPtr cal = Parse(text);
  ASSERT_NE(cal, nullptr);
  const std::vector<icalcomponent*> vevents =
      Children(cal.get(), ICAL_VEVENT_COMPONENT);
  ASSERT_THAT(vevents, SizeIs(1));
  EXPECT_EQ(Text(vevents[0], ICAL_SUMMARY_PROPERTY), kWelsh);
  EXPECT_EQ(Text(vevents[0], ICAL_LOCATION_PROPERTY), event.location);
  EXPECT_EQ(Text(vevents[0], ICAL_DESCRIPTION_PROPERTY), event.description);

  icalproperty* name =
      icalcomponent_get_first_property(cal.get(), ICAL_X_PROPERTY);
  ASSERT_NE(name, nullptr);
  EXPECT_STREQ(icalproperty_get_x_name(name), "X-WR-CALNAME");
  EXPECT_EQ(std::string(icalproperty_get_x(name)), calendar_name);
}

TEST(ICalendar, CarriageReturnsAndControlCharactersAreNormalised) {
  CalendarEvent event = Event("t", Utc(2027, 3, 29, 8, 0), "Europe/London");
  constexpr char kRaw[] =
      "one\r\ntwo\rthree\x01"
      "four\0five";
  event.description = std::string(kRaw, sizeof(kRaw) - 1);
  const std::string text = ToICalendar({event}, "x", kNow);
  ComponentPtr cal = Parse(text);
  ASSERT_NE(cal, nullptr);
  const std::vector<icalcomponent*> vevents =
      Children(cal.get(), ICAL_VEVENT_COMPONENT);
  ASSERT_THAT(vevents, SizeIs(1));
  EXPECT_EQ(Text(vevents[0], ICAL_DESCRIPTION_PROPERTY),
            "one\ntwo\nthree four five");
}

// libical's parser drops white space at either end of a value, so it is
// not written.
TEST(ICalendar, TextIsTrimmed) {
  CalendarEvent event = Event("t", Utc(2027, 3, 29, 8, 0), "Europe/London");
  event.summary = "  Interview\t";
  event.description = "\nFirst line\n  indented second line \n\n";
  const std::string text = ToICalendar({event}, " Name ", kNow);
  const std::string unfolded = Unfold(text);
  EXPECT_THAT(unfolded, HasSubstr("\r\nSUMMARY:Interview\r\n"));
  EXPECT_THAT(unfolded, HasSubstr("\r\nX-WR-CALNAME:Name\r\n"));
  ComponentPtr cal = Parse(text);
  ASSERT_NE(cal, nullptr);
  const std::vector<icalcomponent*> vevents =
      Children(cal.get(), ICAL_VEVENT_COMPONENT);
  ASSERT_THAT(vevents, SizeIs(1));
  EXPECT_EQ(Text(vevents[0], ICAL_DESCRIPTION_PROPERTY),
            "First line\n  indented second line");
}

class UtcFallback : public ::testing::TestWithParam<std::string> {};

TEST_P(UtcFallback, WritesUtcTimes) {
  const std::vector<CalendarEvent> events = {
      Event("z", Utc(2027, 3, 29, 8, 0), GetParam())};
  const std::string text = ToICalendar(events, "x", kNow);
  const std::string unfolded = Unfold(text);
  EXPECT_THAT(unfolded, HasSubstr("\r\nDTSTART:20270329T080000Z\r\n"));
  EXPECT_THAT(unfolded, HasSubstr("\r\nDTEND:20270329T084500Z\r\n"));
  EXPECT_THAT(unfolded, Not(HasSubstr("TZID")));
  EXPECT_THAT(unfolded, Not(HasSubstr("VTIMEZONE")));

  ComponentPtr cal = Parse(text);
  ASSERT_NE(cal, nullptr);
  const std::vector<icalcomponent*> vevents =
      Children(cal.get(), ICAL_VEVENT_COMPONENT);
  ASSERT_THAT(vevents, SizeIs(1));
  const icaltimetype start = icalcomponent_get_dtstart(vevents[0]);
  EXPECT_TRUE(icaltime_is_utc(start));
  EXPECT_EQ(Instant(start), Utc(2027, 3, 29, 8, 0));
  EXPECT_EQ(Instant(icalcomponent_get_dtend(vevents[0])),
            Utc(2027, 3, 29, 8, 45));
}

INSTANTIATE_TEST_SUITE_P(NoOrUnknownZone, UtcFallback,
                         ::testing::Values("", "Mars/Olympus_Mons", "UTC",
                                           "europe/london ",
                                           "../../../etc/passwd",
                                           "/usr/share/zoneinfo/Europe/London",
                                           "zone.tab"));

// Wall time and instant agree with Abseil's reading of the same tzdata, in
// zones either side of UTC, south of the equator and without summer time,
// both sides of each change, and near New Year (the VTIMEZONE is trimmed
// by year).
TEST(ICalendar, WallTimesMatchAbseilInOtherZones) {
  const std::vector<std::string> zones = {
      "America/New_York", "Australia/Sydney", "Asia/Kolkata",    "Asia/Tokyo",
      "Pacific/Auckland", "Europe/London",    "America/St_Johns"};
  const std::vector<absl::Time> instants = {
      Utc(2026, 12, 31, 11, 30), Utc(2027, 1, 1, 0, 15),
      Utc(2027, 3, 15, 9, 0),    Utc(2027, 4, 10, 23, 0),
      Utc(2027, 7, 1, 12, 0),    Utc(2027, 10, 5, 16, 0),
      Utc(2027, 11, 20, 7, 0),   Utc(2031, 6, 2, 10, 0)};
  for (const std::string& zone_name : zones) {
    absl::TimeZone zone;
    ASSERT_TRUE(absl::LoadTimeZone(zone_name, &zone)) << zone_name;
    std::vector<CalendarEvent> events;
    for (size_t i = 0; i < instants.size(); ++i) {
      events.push_back(Event(absl::StrCat("e", i), instants[i], zone_name));
    }
    const std::string text = ToICalendar(events, "x", kNow);
    const std::string unfolded = Unfold(text);
    ComponentPtr cal = Parse(text);
    ASSERT_NE(cal, nullptr);
    icaltimezone* vtimezone =
        icalcomponent_get_timezone(cal.get(), zone_name.c_str());
    ASSERT_NE(vtimezone, nullptr) << zone_name;
    const std::vector<icalcomponent*> vevents =
        Children(cal.get(), ICAL_VEVENT_COMPONENT);
    ASSERT_THAT(vevents, SizeIs(instants.size()));
    for (size_t i = 0; i < instants.size(); ++i) {
      SCOPED_TRACE(absl::StrCat(zone_name, " ", absl::FormatTime(instants[i])));
      EXPECT_THAT(
          unfolded,
          HasSubstr(absl::StrCat(
              "DTSTART;TZID=", zone_name, ":",
              absl::FormatTime("%Y%m%dT%H%M%S", instants[i], zone), "\r\n")));
      const icaltimetype start = icalcomponent_get_dtstart(vevents[i]);
      EXPECT_EQ(start.zone, vtimezone);
      EXPECT_EQ(Instant(start), instants[i]);
      EXPECT_EQ(Instant(icalcomponent_get_dtend(vevents[i])),
                instants[i] + absl::Minutes(45));
    }
  }
}

// 01:30 on 31 October 2027 happens twice in London. RFC 5545 reads
// "TZID=Europe/London:20271031T013000" as the first, libical 3.0 as the
// second; both are written in UTC (with their DTEND) so every reader agrees.
TEST(ICalendar, RepeatedWallTimeWhenClocksGoBackIsWrittenInUtc) {
  const absl::Time first = Utc(2027, 10, 31, 0, 30);   // 01:30 BST
  const absl::Time second = Utc(2027, 10, 31, 1, 30);  // 01:30 GMT
  const std::vector<CalendarEvent> events = {
      Event("first", first, "Europe/London"),
      Event("second", second, "Europe/London")};
  const std::string text = ToICalendar(events, "x", kNow);
  const std::string unfolded = Unfold(text);
  EXPECT_THAT(unfolded, Not(HasSubstr("DTSTART;TZID")));
  EXPECT_THAT(unfolded, Not(HasSubstr("DTEND;TZID")));
  EXPECT_THAT(unfolded, Not(HasSubstr("VTIMEZONE")));
  EXPECT_THAT(unfolded, HasSubstr("DTSTART:20271031T003000Z\r\n"));
  EXPECT_THAT(unfolded, HasSubstr("DTEND:20271031T011500Z\r\n"));
  EXPECT_THAT(unfolded, HasSubstr("DTSTART:20271031T013000Z\r\n"));
  EXPECT_THAT(unfolded, HasSubstr("DTEND:20271031T021500Z\r\n"));

  ComponentPtr cal = Parse(text);
  ASSERT_NE(cal, nullptr);
  const std::vector<icalcomponent*> vevents =
      Children(cal.get(), ICAL_VEVENT_COMPONENT);
  ASSERT_THAT(vevents, SizeIs(2));
  EXPECT_EQ(Instant(icalcomponent_get_dtstart(vevents[0])), first);
  EXPECT_EQ(Instant(icalcomponent_get_dtstart(vevents[1])), second);
  EXPECT_EQ(Instant(icalcomponent_get_dtend(vevents[1])),
            second + absl::Minutes(45));
}

TEST(ICalendar, CrlfLineEndsAndLinesFoldedAt75Octets) {
  CalendarEvent event = Event("long", Utc(2027, 3, 29, 8, 0), "Europe/London");
  std::string long_text;
  for (int i = 0; i < 20; ++i) {
    absl::StrAppend(&long_text, kWelsh, " \xe2\x80\x94 ",  // em dash
                    "\xf0\x9f\x93\x85",                    // 4-octet emoji
                    "\xc5\xb5\xc5\xb7", i % 3 == 0 ? "\n" : " ");
  }
  event.summary = long_text;
  event.description = long_text + std::string(300, 'x');
  event.location = std::string(200, 'L');
  const std::string text = ToICalendar({event}, long_text, kNow);

  ASSERT_TRUE(absl::EndsWith(text, "END:VCALENDAR\r\n"));
  const std::vector<absl::string_view> lines =
      absl::StrSplit(text, "\r\n", absl::SkipEmpty());
  ASSERT_GT(lines.size(), 20u);
  int continuation_lines = 0;
  for (const absl::string_view line : lines) {
    EXPECT_LE(line.size(), 75u) << line;
    EXPECT_THAT(line, Not(HasSubstr("\n")));
    EXPECT_THAT(line, Not(HasSubstr("\r")));
    if (line.front() == ' ') ++continuation_lines;
  }
  EXPECT_GT(continuation_lines, 20);
  // Folding never splits a UTF-8 sequence: the text comes back exactly.
  ComponentPtr cal = Parse(text);
  ASSERT_NE(cal, nullptr);
  const std::vector<icalcomponent*> vevents =
      Children(cal.get(), ICAL_VEVENT_COMPONENT);
  ASSERT_THAT(vevents, SizeIs(1));
  EXPECT_EQ(Text(vevents[0], ICAL_SUMMARY_PROPERTY),
            absl::StripTrailingAsciiWhitespace(event.summary));
  EXPECT_EQ(Text(vevents[0], ICAL_DESCRIPTION_PROPERTY), event.description);
  EXPECT_EQ(Text(vevents[0], ICAL_LOCATION_PROPERTY), event.location);
}

TEST(ICalendar, EmptyListIsAValidCalendarWithoutEvents) {
  const std::string text = ToICalendar({}, "Careers appointments", kNow);
  EXPECT_TRUE(absl::StartsWith(text, "BEGIN:VCALENDAR\r\n"));
  EXPECT_TRUE(absl::EndsWith(text, "END:VCALENDAR\r\n"));
  ComponentPtr cal = Parse(text);
  ASSERT_NE(cal, nullptr);
  EXPECT_EQ(icalcomponent_isa(cal.get()), ICAL_VCALENDAR_COMPONENT);
  EXPECT_EQ(icalcomponent_count_errors(cal.get()), 0);
  EXPECT_EQ(icalcomponent_count_components(cal.get(), ICAL_ANY_COMPONENT), 0);
  icalproperty* version =
      icalcomponent_get_first_property(cal.get(), ICAL_VERSION_PROPERTY);
  ASSERT_NE(version, nullptr);
  EXPECT_STREQ(icalproperty_get_version(version), "2.0");
  icalproperty* prodid =
      icalcomponent_get_first_property(cal.get(), ICAL_PRODID_PROPERTY);
  ASSERT_NE(prodid, nullptr);
  EXPECT_STREQ(icalproperty_get_prodid(prodid),
               "-//careers.uk//careers-server//EN");
  EXPECT_EQ(icalcomponent_get_method(cal.get()), ICAL_METHOD_PUBLISH);
}

TEST(ICalendar, CalendarAndEventProperties) {
  std::vector<CalendarEvent> events = TwoLondonEvents();
  *events[0].appointment.mutable_create_time() =
      ToProtoTimestamp(Utc(2027, 1, 4, 16, 5));
  const std::string text = ToICalendar(events, "Careers appointments", kNow);
  const std::string unfolded = Unfold(text);
  EXPECT_THAT(unfolded, HasSubstr("\r\nPRODID:-//careers.uk//careers-server//"
                                  "EN\r\n"));
  EXPECT_THAT(unfolded, HasSubstr("\r\nVERSION:2.0\r\n"));
  EXPECT_THAT(unfolded, HasSubstr("\r\nMETHOD:PUBLISH\r\n"));
  EXPECT_THAT(unfolded, HasSubstr("\r\nX-WR-CALNAME:Careers appointments\r\n"));
  EXPECT_EQ(Count(unfolded, "\r\nDTSTAMP:20270105T143000Z\r\n"), 2);
  EXPECT_EQ(Count(unfolded, "\r\nCREATED:"), 1);
  EXPECT_THAT(unfolded, HasSubstr("\r\nCREATED:20270104T160500Z\r\n"));

  ComponentPtr cal = Parse(text);
  ASSERT_NE(cal, nullptr);
  const std::vector<icalcomponent*> vevents =
      Children(cal.get(), ICAL_VEVENT_COMPONENT);
  ASSERT_THAT(vevents, SizeIs(2));
  EXPECT_EQ(Instant(icalcomponent_get_dtstamp(vevents[0])), kNow);
}

TEST(ICalendar, StatusFollowsTheAppointmentState) {
  const absl::Time t = Utc(2027, 3, 29, 8, 0);
  const std::vector<CalendarEvent> events = {
      Event("booked", t, "Europe/London", v1::Appointment::BOOKED),
      Event("attended", t, "Europe/London", v1::Appointment::ATTENDED),
      Event("no-show", t, "Europe/London", v1::Appointment::NO_SHOW),
      Event("cancelled", t, "Europe/London", v1::Appointment::CANCELLED),
      Event("unknown", t, "Europe/London", v1::Appointment::STATE_UNSPECIFIED),
  };
  ComponentPtr cal = Parse(ToICalendar(events, "x", kNow));
  ASSERT_NE(cal, nullptr);
  const std::vector<icalcomponent*> vevents =
      Children(cal.get(), ICAL_VEVENT_COMPONENT);
  ASSERT_THAT(vevents, SizeIs(5));
  EXPECT_EQ(icalcomponent_get_status(vevents[0]), ICAL_STATUS_CONFIRMED);
  EXPECT_EQ(icalcomponent_get_status(vevents[1]), ICAL_STATUS_CONFIRMED);
  EXPECT_EQ(icalcomponent_get_status(vevents[2]), ICAL_STATUS_CONFIRMED);
  EXPECT_EQ(icalcomponent_get_status(vevents[3]), ICAL_STATUS_CANCELLED);
  EXPECT_EQ(icalcomponent_get_first_property(vevents[4], ICAL_STATUS_PROPERTY),
            nullptr);
  EXPECT_EQ(Text(vevents[2], ICAL_UID_PROPERTY), "no-show@careers.uk");
}

TEST(ICalendar, EmptyTextPropertiesAreLeftOut) {
  CalendarEvent event = Event("t", Utc(2027, 3, 29, 8, 0), "Europe/London");
  event.summary.clear();
  event.location = " \n ";  // nothing once trimmed
  event.appointment.clear_end_time();
  const std::string text = ToICalendar({event}, "", kNow);
  EXPECT_THAT(text, Not(HasSubstr("SUMMARY")));
  EXPECT_THAT(text, Not(HasSubstr("\r\nLOCATION")));
  EXPECT_THAT(text, Not(HasSubstr("DESCRIPTION")));
  EXPECT_THAT(text, Not(HasSubstr("DTEND")));
  EXPECT_THAT(text, Not(HasSubstr("X-WR-CALNAME")));
  EXPECT_THAT(text, HasSubstr("DTSTART;TZID=Europe/London:20270329T090000"));
}

// libical's zone state is global and filled lazily; ToICalendar serialises
// its use. Many threads loading zones for the first time at once.
TEST(ICalendar, ConcurrentCallsAgree) {
  const std::vector<std::string> zones = {
      "Europe/Paris",  "Africa/Nairobi",    "America/Chicago", "Asia/Singapore",
      "Europe/Dublin", "America/Sao_Paulo", "Asia/Dubai",      "Europe/Lisbon"};
  std::vector<std::string> results(zones.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < zones.size(); ++i) {
    threads.emplace_back([&, i] {
      for (int round = 0; round < 20; ++round) {
        results[i] =
            ToICalendar({Event("c", Utc(2027, 6, 1, 12, 0), zones[i]),
                         Event("d", Utc(2027, 12, 1, 12, 0), zones[i])},
                        "x", kNow);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (size_t i = 0; i < zones.size(); ++i) {
    SCOPED_TRACE(zones[i]);
    EXPECT_EQ(results[i],
              ToICalendar({Event("c", Utc(2027, 6, 1, 12, 0), zones[i]),
                           Event("d", Utc(2027, 12, 1, 12, 0), zones[i])},
                          "x", kNow));
    EXPECT_THAT(results[i], HasSubstr(absl::StrCat("TZID:", zones[i], "\r\n")));
  }
}

}  // namespace
}  // namespace careers::domain::ical
