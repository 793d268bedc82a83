// Availability rules → windows → slots, around daylight-saving changes in
// particular (Europe/London: 2027-03-28 01:00Z and 2027-10-31 01:00Z).
#include "server/domain/schedule.h"

#include <ostream>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/proto_time.h"

namespace careers::domain::schedule {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using Channel = v1::Adviser::Channel;
using Rule = v1::AvailabilityRule;

constexpr char kType[] = "appointmentTypes/interview";

absl::TimeZone London() {
  absl::TimeZone tz;
  EXPECT_TRUE(absl::LoadTimeZone("Europe/London", &tz));
  return tz;
}

absl::Time Utc(int y, int mo, int d, int h, int mi = 0) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, 0),
                         absl::UTCTimeZone());
}

// Only for times that are unique in London.
absl::Time Local(int y, int mo, int d, int h, int mi = 0) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, 0), London());
}

google::type::TimeOfDay Tod(int h, int m) {
  google::type::TimeOfDay t;
  t.set_hours(h);
  t.set_minutes(m);
  return t;
}

// An every-day rule from 2027-01-01, open-ended, in London.
Rule MakeRule(Rule::Kind kind, int start_h, int start_m, int end_h, int end_m) {
  Rule rule;
  rule.set_kind(kind);
  *rule.mutable_start_time() = Tod(start_h, start_m);
  *rule.mutable_end_time() = Tod(end_h, end_m);
  *rule.mutable_valid_from() = FromCivilDay(absl::CivilDay(2027, 1, 1));
  return rule;
}

Rule Weekly(int start_h, int end_h) {
  return MakeRule(Rule::WEEKLY, start_h, 0, end_h, 0);
}

// A rule for one day only.
Rule OnDay(Rule rule, absl::CivilDay day) {
  *rule.mutable_valid_from() = FromCivilDay(day);
  *rule.mutable_valid_to() = FromCivilDay(day);
  return rule;
}

v1::AppointmentType MakeType(int minutes) {
  v1::AppointmentType type;
  type.set_name(kType);
  type.set_duration_minutes(minutes);
  type.add_channels(v1::Adviser::VIDEO);
  type.add_channels(v1::Adviser::PHONE);
  return type;
}

AdviserCalendar Calendar(std::vector<Rule> rules) {
  AdviserCalendar calendar;
  calendar.adviser = "advisers/ada";
  calendar.display_name = "Ada Adviser";
  calendar.rules = std::move(rules);
  return calendar;
}

SlotQuery Query(const v1::AppointmentType& type, absl::Time from,
                absl::Time to) {
  SlotQuery query;
  query.type = &type;
  query.from = from;
  query.to = to;
  query.now = from;
  return query;
}

std::vector<absl::Time> Starts(const std::vector<v1::Slot>& slots) {
  std::vector<absl::Time> starts;
  for (const v1::Slot& slot : slots) {
    starts.push_back(FromProtoTimestamp(slot.start_time()));
  }
  return starts;
}

std::vector<absl::Time> StartsFor(const AdviserCalendar& calendar,
                                  const SlotQuery& query) {
  return Starts(SlotsFor(calendar, query));
}

struct Span {
  absl::Time start;
  absl::Time end;
  bool operator==(const Span& o) const {
    return start == o.start && end == o.end;
  }
  friend std::ostream& operator<<(std::ostream& os, const Span& s) {
    return os << "[" << s.start << ", " << s.end << ")";
  }
};

std::vector<Span> Spans(const std::vector<Window>& windows) {
  std::vector<Span> spans;
  for (const Window& w : windows) spans.push_back({w.start, w.end});
  return spans;
}

void ExpectStrictlyIncreasing(const std::vector<absl::Time>& starts) {
  for (size_t i = 1; i < starts.size(); ++i) {
    EXPECT_LT(starts[i - 1], starts[i]) << "at " << i;
  }
}

// --- Zones -------------------------------------------------------------------

TEST(ZoneOf, DefaultsToLondon) {
  const absl::StatusOr<absl::TimeZone> tz = ZoneOf(Rule());
  ASSERT_TRUE(tz.ok()) << tz.status();
  EXPECT_EQ(tz->name(), "Europe/London");
}

TEST(ZoneOf, KnownZone) {
  Rule rule;
  rule.set_time_zone("America/New_York");
  const absl::StatusOr<absl::TimeZone> tz = ZoneOf(rule);
  ASSERT_TRUE(tz.ok()) << tz.status();
  EXPECT_EQ(tz->name(), "America/New_York");
}

TEST(ZoneOf, UnknownZoneIsInvalidArgument) {
  Rule rule;
  rule.set_time_zone("Europe/Atlantis");
  EXPECT_EQ(ZoneOf(rule).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ExpandRules, UnknownZoneIsSkipped) {
  Rule bad = Weekly(9, 12);
  bad.set_time_zone("Europe/Atlantis");
  Rule good = Weekly(14, 15);
  const std::vector<Rule> rules = {bad, good};
  const std::vector<Window> windows =
      ExpandRules(rules, Utc(2027, 5, 11, 0), Utc(2027, 5, 12, 0));
  ASSERT_EQ(windows.size(), 1u);
  EXPECT_EQ(windows[0].rule, &rules[1]);
  EXPECT_EQ(windows[0].start, Local(2027, 5, 11, 14));
}

TEST(SlotsFor, RuleInAnotherZone) {
  Rule rule = Weekly(9, 10);
  rule.set_time_zone("America/New_York");
  const v1::AppointmentType type = MakeType(60);
  const std::vector<v1::Slot> slots = SlotsFor(
      Calendar({rule}), Query(type, Utc(2027, 5, 11, 0), Utc(2027, 5, 12, 0)));
  ASSERT_EQ(slots.size(), 1u);
  EXPECT_EQ(FromProtoTimestamp(slots[0].start_time()), Utc(2027, 5, 11, 13));
  EXPECT_EQ(slots[0].time_zone(), "America/New_York");
}

// --- Daylight saving ---------------------------------------------------------

TEST(SlotsFor, SpringForwardKeepsLocalTimes) {
  const v1::AppointmentType type = MakeType(60);
  const std::vector<v1::Slot> slots =
      SlotsFor(Calendar({Weekly(9, 12)}),
               Query(type, Utc(2027, 3, 26, 0), Utc(2027, 3, 31, 0)));
  // 09:00 local is 09:00Z in GMT, 08:00Z in BST.
  EXPECT_THAT(
      Starts(slots),
      ElementsAre(
          Utc(2027, 3, 26, 9), Utc(2027, 3, 26, 10), Utc(2027, 3, 26, 11),
          Utc(2027, 3, 27, 9), Utc(2027, 3, 27, 10), Utc(2027, 3, 27, 11),
          Utc(2027, 3, 28, 8), Utc(2027, 3, 28, 9), Utc(2027, 3, 28, 10),
          Utc(2027, 3, 29, 8), Utc(2027, 3, 29, 9), Utc(2027, 3, 29, 10),
          Utc(2027, 3, 30, 8), Utc(2027, 3, 30, 9), Utc(2027, 3, 30, 10)));
  for (const v1::Slot& slot : slots) {
    EXPECT_EQ(FromProtoTimestamp(slot.end_time()) -
                  FromProtoTimestamp(slot.start_time()),
              absl::Hours(1));
    EXPECT_EQ(slot.time_zone(), "Europe/London");
    EXPECT_EQ(slot.adviser(), "advisers/ada");
    EXPECT_EQ(slot.adviser_display_name(), "Ada Adviser");
    EXPECT_EQ(slot.appointment_type(), kType);
    EXPECT_EQ(slot.seats_remaining(), 1);
    EXPECT_THAT(slot.channels(),
                ElementsAre(v1::Adviser::VIDEO, v1::Adviser::PHONE));
    EXPECT_EQ(slot.location(), "");
  }
}

TEST(SlotsFor, FallBackKeepsLocalTimes) {
  const v1::AppointmentType type = MakeType(60);
  EXPECT_THAT(StartsFor(Calendar({Weekly(9, 12)}),
                        Query(type, Utc(2027, 10, 29, 0), Utc(2027, 11, 2, 0))),
              ElementsAre(Utc(2027, 10, 29, 8), Utc(2027, 10, 29, 9),
                          Utc(2027, 10, 29, 10), Utc(2027, 10, 30, 8),
                          Utc(2027, 10, 30, 9), Utc(2027, 10, 30, 10),
                          Utc(2027, 10, 31, 9), Utc(2027, 10, 31, 10),
                          Utc(2027, 10, 31, 11), Utc(2027, 11, 1, 9),
                          Utc(2027, 11, 1, 10), Utc(2027, 11, 1, 11)));
}

TEST(SlotsFor, SkippedHourHasNoSlots) {
  const v1::AppointmentType type = MakeType(30);
  const std::vector<Rule> rules = {
      OnDay(MakeRule(Rule::EXTRA, 0, 30, 3, 0), absl::CivilDay(2027, 3, 28))};
  const absl::Time from = Utc(2027, 3, 27, 12);
  const absl::Time to = Utc(2027, 3, 29, 0);
  // 00:30 GMT to 03:00 BST: an hour and a half of real time.
  EXPECT_THAT(Spans(ExpandRules(rules, from, to)),
              ElementsAre(Span{Utc(2027, 3, 28, 0, 30), Utc(2027, 3, 28, 2)}));
  const std::vector<absl::Time> starts =
      StartsFor(Calendar(rules), Query(type, from, to));
  EXPECT_THAT(starts, ElementsAre(Utc(2027, 3, 28, 0, 30), Utc(2027, 3, 28, 1),
                                  Utc(2027, 3, 28, 1, 30)));
  ExpectStrictlyIncreasing(starts);
  for (absl::Time start : starts) {
    EXPECT_NE(absl::ToCivilSecond(start, London()).hour(), 1) << start;
  }
}

TEST(ExpandRules, SkippedStartOrEndIsTheTransition) {
  const absl::CivilDay day(2027, 3, 28);
  const std::vector<Rule> rules = {
      OnDay(MakeRule(Rule::EXTRA, 1, 30, 3, 0), day),
      OnDay(MakeRule(Rule::EXTRA, 0, 0, 1, 30), day)};
  EXPECT_THAT(
      Spans(ExpandRules(rules, Utc(2027, 3, 27, 12), Utc(2027, 3, 29, 0))),
      ElementsAre(Span{Utc(2027, 3, 28, 0), Utc(2027, 3, 28, 1)},
                  Span{Utc(2027, 3, 28, 1), Utc(2027, 3, 28, 2)}));
}

TEST(SlotsFor, RepeatedHourHasNoDuplicates) {
  const v1::AppointmentType type = MakeType(30);
  const std::vector<Rule> rules = {
      OnDay(MakeRule(Rule::EXTRA, 0, 30, 3, 0), absl::CivilDay(2027, 10, 31))};
  const absl::Time from = Utc(2027, 10, 30, 12);
  const absl::Time to = Utc(2027, 11, 1, 0);
  // 00:30 BST to 03:00 GMT: three and a half hours of real time.
  EXPECT_THAT(
      Spans(ExpandRules(rules, from, to)),
      ElementsAre(Span{Utc(2027, 10, 30, 23, 30), Utc(2027, 10, 31, 3)}));
  const std::vector<absl::Time> starts =
      StartsFor(Calendar(rules), Query(type, from, to));
  EXPECT_THAT(starts,
              ElementsAre(Utc(2027, 10, 30, 23, 30), Utc(2027, 10, 31, 0),
                          Utc(2027, 10, 31, 0, 30), Utc(2027, 10, 31, 1),
                          Utc(2027, 10, 31, 1, 30), Utc(2027, 10, 31, 2),
                          Utc(2027, 10, 31, 2, 30)));
  ExpectStrictlyIncreasing(starts);
}

TEST(ExpandRules, RepeatedStartIsFirstAndEndIsSecondOccurrence) {
  // 01:15–01:45 local on the day the clocks go back: from 01:15 BST to
  // 01:45 GMT.
  const std::vector<Rule> rules = {
      OnDay(MakeRule(Rule::EXTRA, 1, 15, 1, 45), absl::CivilDay(2027, 10, 31))};
  EXPECT_THAT(
      Spans(ExpandRules(rules, Utc(2027, 10, 30, 12), Utc(2027, 11, 1, 0))),
      ElementsAre(Span{Utc(2027, 10, 31, 0, 15), Utc(2027, 10, 31, 1, 45)}));
}

TEST(SlotsFor, MinimumNoticeIsRealTimeAcrossTheChange) {
  v1::AppointmentType type = MakeType(60);
  type.set_minimum_notice_minutes(1440);
  SlotQuery query = Query(type, Utc(2027, 3, 27, 0), Utc(2027, 3, 29, 0));
  query.now = Utc(2027, 3, 27, 9);
  // 09:00 BST on the 28th (08:00Z) is only 23 hours after `now`.
  EXPECT_THAT(StartsFor(Calendar({Weekly(9, 12)}), query),
              ElementsAre(Utc(2027, 3, 28, 9), Utc(2027, 3, 28, 10)));
}

// --- Days, validity, horizon -------------------------------------------------

TEST(SlotsFor, StartsBeforeNowAreNotOffered) {
  const v1::AppointmentType type = MakeType(60);
  SlotQuery query = Query(type, Utc(2027, 5, 11, 0), Utc(2027, 5, 12, 0));
  query.now = Local(2027, 5, 11, 10);
  EXPECT_THAT(StartsFor(Calendar({Weekly(9, 12)}), query),
              ElementsAre(Local(2027, 5, 11, 10), Local(2027, 5, 11, 11)));
}

TEST(SlotsFor, NotSameDayUsesTheRulesLocalDate) {
  v1::AppointmentType type = MakeType(60);
  // 00:30 BST on the 10th, still the 9th in UTC.
  SlotQuery query = Query(type, Utc(2027, 5, 9, 23, 30), Utc(2027, 5, 12, 0));
  const AdviserCalendar calendar = Calendar({Weekly(9, 11)});
  EXPECT_THAT(StartsFor(calendar, query),
              ElementsAre(Local(2027, 5, 10, 9), Local(2027, 5, 10, 10),
                          Local(2027, 5, 11, 9), Local(2027, 5, 11, 10)));
  type.set_not_same_day(true);
  EXPECT_THAT(StartsFor(calendar, query),
              ElementsAre(Local(2027, 5, 11, 9), Local(2027, 5, 11, 10)));
}

TEST(SlotsFor, HorizonCountsLocalDays) {
  v1::AppointmentType type = MakeType(60);
  type.set_booking_horizon_days(2);
  const SlotQuery query = Query(type, Utc(2027, 5, 10, 7), Utc(2027, 5, 20, 0));
  EXPECT_THAT(StartsFor(Calendar({Weekly(9, 10)}), query),
              ElementsAre(Local(2027, 5, 10, 9), Local(2027, 5, 11, 9),
                          Local(2027, 5, 12, 9)));
}

TEST(SlotsFor, DefaultHorizonIsSixtyDays) {
  const v1::AppointmentType type = MakeType(60);
  SlotQuery query = Query(type, Utc(2027, 4, 28, 0), Utc(2027, 5, 4, 0));
  query.now = Utc(2027, 3, 1, 0);  // + 60 days = 30 April
  EXPECT_THAT(StartsFor(Calendar({Weekly(9, 10)}), query),
              ElementsAre(Local(2027, 4, 28, 9), Local(2027, 4, 29, 9),
                          Local(2027, 4, 30, 9)));
}

// --- The booking window: why a start cannot be booked now ----------------

TEST(CheckBookingWindow, MinimumNoticeGivesTheEarliestStart) {
  v1::AppointmentType type = MakeType(60);
  type.set_minimum_notice_minutes(120);
  const absl::Time now = Utc(2027, 5, 10, 8);
  const BookingWindow w =
      CheckBookingWindow(type, London(), Utc(2027, 5, 10, 9), now);
  EXPECT_EQ(w.verdict, BookingWindow::Verdict::kMinimumNotice);
  EXPECT_EQ(w.earliest_start, now + absl::Hours(2));
  EXPECT_EQ(
      CheckBookingWindow(type, London(), now + absl::Hours(2), now).verdict,
      BookingWindow::Verdict::kOpen);
}

TEST(CheckBookingWindow, SameDayOpensAtTheNextLocalMidnight) {
  v1::AppointmentType type = MakeType(60);
  type.set_not_same_day(true);
  // 23:30 BST on the 9th is 22:30Z; the next local midnight is 23:00Z.
  const absl::Time now = Utc(2027, 5, 9, 22, 30);
  const BookingWindow w =
      CheckBookingWindow(type, London(), Utc(2027, 5, 9, 22, 45), now);
  EXPECT_EQ(w.verdict, BookingWindow::Verdict::kSameDay);
  EXPECT_EQ(w.earliest_start, Utc(2027, 5, 9, 23));
  EXPECT_EQ(
      CheckBookingWindow(type, London(), Utc(2027, 5, 9, 23), now).verdict,
      BookingWindow::Verdict::kOpen);
}

TEST(CheckBookingWindow, BeyondTheHorizonSaysWhenItOpens) {
  v1::AppointmentType type = MakeType(60);
  type.set_booking_horizon_days(7);
  // Across the spring change: local midnights are 00:00Z before the 28th
  // and 23:00Z the day before after it.
  const absl::Time now = Utc(2027, 3, 25, 12);
  const BookingWindow w =
      CheckBookingWindow(type, London(), Local(2027, 4, 5, 9), now);
  EXPECT_EQ(w.verdict, BookingWindow::Verdict::kBeyondHorizon);
  EXPECT_EQ(w.bookable_from, Utc(2027, 3, 28, 23));  // 29 March, 00:00 BST
  EXPECT_EQ(w.bookable_until, Utc(2027, 4, 1, 23));  // 2 April, 00:00 BST
  EXPECT_EQ(
      CheckBookingWindow(type, London(), Local(2027, 4, 1, 9), now).verdict,
      BookingWindow::Verdict::kOpen);
}

TEST(SlotsFor, IgnoringTheBookingWindowListsTheHoursAlone) {
  v1::AppointmentType type = MakeType(60);
  type.set_booking_horizon_days(1);
  type.set_not_same_day(true);
  SlotQuery query = Query(type, Utc(2027, 5, 10, 0), Utc(2027, 5, 14, 0));
  query.now = Local(2027, 5, 10, 7);
  const AdviserCalendar calendar = Calendar({Weekly(9, 10)});
  EXPECT_THAT(StartsFor(calendar, query), ElementsAre(Local(2027, 5, 11, 9)));
  query.ignore_booking_window = true;
  EXPECT_THAT(StartsFor(calendar, query),
              ElementsAre(Local(2027, 5, 10, 9), Local(2027, 5, 11, 9),
                          Local(2027, 5, 12, 9), Local(2027, 5, 13, 9)));
}

// --- Local wall-clock times for apps without a zone database --------------

TEST(WallClockAt, OffsetAndAbbreviationTellTheTwoOneOClocksApart) {
  // 31 October 2027: 01:00 BST is 00:00Z, 01:00 GMT is 01:00Z.
  const WallClock bst = WallClockAt(Utc(2027, 10, 31, 0), "Europe/London");
  const WallClock gmt = WallClockAt(Utc(2027, 10, 31, 1), "Europe/London");
  EXPECT_EQ(bst.rfc3339, "2027-10-31T01:00:00+01:00");
  EXPECT_EQ(bst.abbreviation, "BST");
  EXPECT_EQ(gmt.rfc3339, "2027-10-31T01:00:00+00:00");
  EXPECT_EQ(gmt.abbreviation, "GMT");
  EXPECT_EQ(WallClockAt(Utc(2027, 1, 5, 9), "Nowhere/Else").rfc3339,
            "2027-01-05T09:00:00+00:00");
}

TEST(SlotsFor, SlotsOnTheAutumnChangeCarryTheirOffsets) {
  const v1::AppointmentType type = MakeType(30);
  // 00:30–02:00 local on the change night: 00:30 BST, 01:00 BST, 01:30 BST,
  // then 01:00 GMT, 01:30 GMT (the hour is passed twice).
  SlotQuery query = Query(type, Utc(2027, 10, 30, 0), Utc(2027, 11, 1, 0));
  query.now = Utc(2027, 10, 1, 0);
  const std::vector<v1::Slot> slots =
      SlotsFor(Calendar({OnDay(MakeRule(Rule::WEEKLY, 0, 30, 2, 0),
                               absl::CivilDay(2027, 10, 31))}),
               query);
  std::vector<std::string> shown;
  for (const v1::Slot& slot : slots) {
    shown.push_back(slot.local_start() + " " + slot.local_start_abbreviation() +
                    "–" + slot.local_end_abbreviation());
  }
  EXPECT_THAT(shown, ElementsAre("2027-10-31T00:30:00+01:00 BST–BST",
                                 "2027-10-31T01:00:00+01:00 BST–BST",
                                 "2027-10-31T01:30:00+01:00 BST–GMT",
                                 "2027-10-31T01:00:00+00:00 GMT–GMT",
                                 "2027-10-31T01:30:00+00:00 GMT–GMT"));
}

TEST(ExpandRules, ValidFromAndValidToAreInclusive) {
  Rule rule = Weekly(9, 12);
  *rule.mutable_valid_from() = FromCivilDay(absl::CivilDay(2027, 5, 11));
  *rule.mutable_valid_to() = FromCivilDay(absl::CivilDay(2027, 5, 12));
  EXPECT_THAT(
      Spans(ExpandRules({rule}, Utc(2027, 5, 9, 0), Utc(2027, 5, 15, 0))),
      ElementsAre(Span{Local(2027, 5, 11, 9), Local(2027, 5, 11, 12)},
                  Span{Local(2027, 5, 12, 9), Local(2027, 5, 12, 12)}));
}

TEST(ExpandRules, OpenEndedRuleRunsOn) {
  Rule rule = Weekly(9, 12);
  EXPECT_EQ(ExpandRules({rule}, Utc(2030, 1, 1, 0), Utc(2030, 1, 8, 0)).size(),
            7u);
}

TEST(ExpandRules, DaysOfWeek) {
  Rule rule = Weekly(9, 12);
  rule.add_days(google::type::MONDAY);
  rule.add_days(google::type::WEDNESDAY);
  // 2027-05-10 is a Monday.
  EXPECT_THAT(
      Spans(ExpandRules({rule}, Utc(2027, 5, 10, 0), Utc(2027, 5, 17, 0))),
      ElementsAre(Span{Local(2027, 5, 10, 9), Local(2027, 5, 10, 12)},
                  Span{Local(2027, 5, 12, 9), Local(2027, 5, 12, 12)}));
}

TEST(ExpandRules, EachDayOfWeekMapsToItsDate) {
  const absl::CivilDay monday(2027, 5, 10);
  for (int d = google::type::MONDAY; d <= google::type::SUNDAY; ++d) {
    Rule rule = Weekly(9, 12);
    rule.add_days(static_cast<google::type::DayOfWeek>(d));
    const std::vector<Window> windows =
        ExpandRules({rule}, Utc(2027, 5, 10, 0), Utc(2027, 5, 17, 0));
    ASSERT_EQ(windows.size(), 1u) << d;
    EXPECT_EQ(absl::ToCivilDay(windows[0].start, London()),
              monday + (d - google::type::MONDAY))
        << d;
  }
}

TEST(ExpandRules, WindowsAreWholeAndOrdered) {
  const Rule weekly = Weekly(9, 12);
  const Rule extra =
      OnDay(MakeRule(Rule::EXTRA, 9, 0, 10, 0), absl::CivilDay(2027, 5, 11));
  const std::vector<Rule> rules = {extra, weekly};
  // A query inside a window returns it whole; one ending at `from` is out.
  const std::vector<Window> windows =
      ExpandRules(rules, Local(2027, 5, 11, 10, 30), Local(2027, 5, 12, 9));
  ASSERT_EQ(windows.size(), 1u);
  EXPECT_EQ(windows[0].rule, &rules[1]);
  EXPECT_EQ(windows[0].start, Local(2027, 5, 11, 9));
  EXPECT_EQ(windows[0].end, Local(2027, 5, 11, 12));
  // Equal starts are in rule order.
  const std::vector<Window> both =
      ExpandRules(rules, Local(2027, 5, 11, 9), Local(2027, 5, 11, 10));
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[0].rule, &rules[0]);
  EXPECT_EQ(both[1].rule, &rules[1]);
  EXPECT_THAT(ExpandRules(rules, Local(2027, 5, 11, 12), Local(2027, 5, 11, 9)),
              IsEmpty());
}

TEST(ExpandRules, EndOfDayIsMidnight) {
  const Rule rule = MakeRule(Rule::WEEKLY, 22, 0, 24, 0);
  EXPECT_THAT(Spans(ExpandRules({rule}, Local(2027, 5, 11, 12),
                                Local(2027, 5, 11, 23))),
              ElementsAre(Span{Local(2027, 5, 11, 22), Local(2027, 5, 12, 0)}));
}

// --- Exceptions --------------------------------------------------------------

TEST(SlotsFor, BlockedTimeSplitsAWindow) {
  const absl::CivilDay day(2027, 5, 11);
  const std::vector<Rule> rules = {
      Weekly(9, 12), OnDay(MakeRule(Rule::BLOCKED, 10, 0, 11, 0), day)};
  const absl::Time from = Utc(2027, 5, 11, 0);
  const absl::Time to = Utc(2027, 5, 12, 0);
  const std::vector<Window> windows = ExpandRules(rules, from, to);
  EXPECT_THAT(
      Spans(windows),
      ElementsAre(Span{Local(2027, 5, 11, 9), Local(2027, 5, 11, 10)},
                  Span{Local(2027, 5, 11, 11), Local(2027, 5, 11, 12)}));
  for (const Window& w : windows) EXPECT_EQ(w.rule, &rules[0]);
  const v1::AppointmentType type = MakeType(60);
  EXPECT_THAT(StartsFor(Calendar(rules), Query(type, from, to)),
              ElementsAre(Local(2027, 5, 11, 9), Local(2027, 5, 11, 11)));
}

TEST(SlotsFor, BlockedWholeDayLeavesNothing) {
  const absl::CivilDay day(2027, 5, 11);
  const std::vector<Rule> rules = {
      Weekly(9, 12), OnDay(MakeRule(Rule::BLOCKED, 0, 0, 24, 0), day)};
  const v1::AppointmentType type = MakeType(60);
  EXPECT_THAT(StartsFor(Calendar(rules),
                        Query(type, Utc(2027, 5, 10, 23), Utc(2027, 5, 12, 0))),
              IsEmpty());
}

TEST(SlotsFor, ExtraTimeAddsSlots) {
  Rule weekly = Weekly(9, 10);
  weekly.add_days(google::type::MONDAY);
  const Rule extra = OnDay(MakeRule(Rule::EXTRA, 17, 0, 19, 0),
                           absl::CivilDay(2027, 5, 15));  // a Saturday
  const v1::AppointmentType type = MakeType(60);
  EXPECT_THAT(StartsFor(Calendar({weekly, extra}),
                        Query(type, Utc(2027, 5, 10, 0), Utc(2027, 5, 17, 0))),
              ElementsAre(Local(2027, 5, 10, 9), Local(2027, 5, 15, 17),
                          Local(2027, 5, 15, 18)));
}

TEST(SlotsFor, SlotsOfOverlappingWindowsAreInStartOrderAndListedOnce) {
  v1::AppointmentType type = MakeType(60);
  type.add_channels(v1::Adviser::IN_PERSON);
  Rule weekly = Weekly(9, 12);
  weekly.set_location("locations/a");
  Rule extra =
      OnDay(MakeRule(Rule::EXTRA, 9, 0, 11, 30), absl::CivilDay(2027, 5, 11));
  extra.set_location("locations/b");
  Rule late =
      OnDay(MakeRule(Rule::EXTRA, 10, 30, 11, 30), absl::CivilDay(2027, 5, 11));
  late.set_location("locations/c");
  const AdviserCalendar calendar = Calendar({weekly, extra, late});
  SlotQuery query = Query(type, Utc(2027, 5, 11, 0), Utc(2027, 5, 12, 0));
  const std::vector<v1::Slot> slots = SlotsFor(calendar, query);
  EXPECT_THAT(Starts(slots),
              ElementsAre(Local(2027, 5, 11, 9), Local(2027, 5, 11, 10),
                          Local(2027, 5, 11, 10, 30), Local(2027, 5, 11, 11)));
  // The first window's (the first rule's on equal starts).
  ASSERT_EQ(slots.size(), 4u);
  EXPECT_EQ(slots[0].location(), "locations/a");
  EXPECT_EQ(slots[2].location(), "locations/c");

  // A window that cannot offer the slot does not hide another that can.
  query.location = "locations/b";
  const std::vector<v1::Slot> at_b = SlotsFor(calendar, query);
  EXPECT_THAT(Starts(at_b),
              ElementsAre(Local(2027, 5, 11, 9), Local(2027, 5, 11, 10)));
  for (const v1::Slot& slot : at_b) EXPECT_EQ(slot.location(), "locations/b");
}

// --- What a rule offers ------------------------------------------------------

TEST(SlotsFor, RuleAppointmentTypes) {
  const v1::AppointmentType type = MakeType(60);
  const SlotQuery query =
      Query(type, Local(2027, 5, 11, 0), Local(2027, 5, 12, 0));
  Rule rule = Weekly(9, 10);
  rule.add_appointment_types("appointmentTypes/other");
  EXPECT_THAT(SlotsFor(Calendar({rule}), query), IsEmpty());
  rule.add_appointment_types(kType);
  EXPECT_THAT(StartsFor(Calendar({rule}), query),
              ElementsAre(Local(2027, 5, 11, 9)));
}

std::vector<Channel> ChannelsOf(const v1::Slot& slot) {
  std::vector<Channel> channels;
  for (int c : slot.channels()) channels.push_back(static_cast<Channel>(c));
  return channels;
}

TEST(SlotsFor, ChannelsAreNarrowedInTheTypesOrder) {
  v1::AppointmentType type = MakeType(60);
  type.clear_channels();
  type.add_channels(v1::Adviser::IN_PERSON);
  type.add_channels(v1::Adviser::VIDEO);
  type.add_channels(v1::Adviser::PHONE);
  SlotQuery query = Query(type, Local(2027, 5, 11, 0), Local(2027, 5, 12, 0));
  Rule rule = Weekly(9, 10);

  // No location: no meeting in person.
  std::vector<v1::Slot> slots = SlotsFor(Calendar({rule}), query);
  ASSERT_EQ(slots.size(), 1u);
  EXPECT_THAT(ChannelsOf(slots[0]),
              ElementsAre(v1::Adviser::VIDEO, v1::Adviser::PHONE));
  EXPECT_EQ(slots[0].location(), "");

  rule.set_location("locations/leith");
  slots = SlotsFor(Calendar({rule}), query);
  ASSERT_EQ(slots.size(), 1u);
  EXPECT_THAT(ChannelsOf(slots[0]),
              ElementsAre(v1::Adviser::IN_PERSON, v1::Adviser::VIDEO,
                          v1::Adviser::PHONE));
  EXPECT_EQ(slots[0].location(), "locations/leith");

  // The rule's channels, in the type's order.
  rule.add_channels(v1::Adviser::PHONE);
  rule.add_channels(v1::Adviser::IN_PERSON);
  slots = SlotsFor(Calendar({rule}), query);
  ASSERT_EQ(slots.size(), 1u);
  EXPECT_THAT(ChannelsOf(slots[0]),
              ElementsAre(v1::Adviser::IN_PERSON, v1::Adviser::PHONE));

  // And the adviser's.
  AdviserCalendar calendar = Calendar({rule});
  calendar.channels = {v1::Adviser::PHONE, v1::Adviser::VIDEO};
  slots = SlotsFor(calendar, query);
  ASSERT_EQ(slots.size(), 1u);
  EXPECT_THAT(ChannelsOf(slots[0]), ElementsAre(v1::Adviser::PHONE));
  EXPECT_EQ(slots[0].location(), "");  // no in-person: no location

  calendar.channels = {v1::Adviser::VIDEO};
  EXPECT_THAT(SlotsFor(calendar, query), IsEmpty());

  // Without a location a rule only for in-person offers nothing.
  Rule in_person = Weekly(9, 10);
  in_person.add_channels(v1::Adviser::IN_PERSON);
  EXPECT_THAT(SlotsFor(Calendar({in_person}), query), IsEmpty());
}

TEST(SlotsFor, QueryChannel) {
  v1::AppointmentType type = MakeType(60);
  type.add_channels(v1::Adviser::IN_PERSON);
  SlotQuery query = Query(type, Local(2027, 5, 11, 0), Local(2027, 5, 12, 0));
  Rule rule = Weekly(9, 10);

  query.channel = v1::Adviser::VIDEO;
  std::vector<v1::Slot> slots = SlotsFor(Calendar({rule}), query);
  ASSERT_EQ(slots.size(), 1u);
  EXPECT_THAT(ChannelsOf(slots[0]), ElementsAre(v1::Adviser::VIDEO));

  query.channel = v1::Adviser::IN_PERSON;
  EXPECT_THAT(SlotsFor(Calendar({rule}), query), IsEmpty());
  rule.set_location("locations/leith");
  slots = SlotsFor(Calendar({rule}), query);
  ASSERT_EQ(slots.size(), 1u);
  EXPECT_THAT(ChannelsOf(slots[0]), ElementsAre(v1::Adviser::IN_PERSON));
  EXPECT_EQ(slots[0].location(), "locations/leith");
}

TEST(SlotsFor, QueryLocation) {
  v1::AppointmentType type = MakeType(60);
  type.add_channels(v1::Adviser::IN_PERSON);
  Rule leith = Weekly(9, 10);
  leith.add_days(google::type::TUESDAY);
  leith.set_location("locations/leith");
  Rule govan = Weekly(9, 10);
  govan.add_days(google::type::WEDNESDAY);
  govan.set_location("locations/govan");
  Rule remote = Weekly(14, 15);
  const AdviserCalendar calendar = Calendar({leith, govan, remote});
  SlotQuery query = Query(type, Local(2027, 5, 11, 0), Local(2027, 5, 13, 0));
  EXPECT_EQ(SlotsFor(calendar, query).size(), 4u);
  query.location = "locations/govan";
  const std::vector<v1::Slot> slots = SlotsFor(calendar, query);
  EXPECT_THAT(Starts(slots), ElementsAre(Local(2027, 5, 12, 9)));
  ASSERT_EQ(slots.size(), 1u);
  EXPECT_EQ(slots[0].location(), "locations/govan");
}

// --- Buffers and bookings ----------------------------------------------------

v1::AppointmentType BufferedType() {
  v1::AppointmentType type = MakeType(60);
  type.set_buffer_before_minutes(10);
  type.set_buffer_after_minutes(10);
  return type;
}

Booked MakeBooked(absl::string_view type, absl::Time start, int minutes,
                  int before = 0, int after = 0, int seats = 1) {
  Booked booked;
  booked.appointment_type = std::string(type);
  booked.start = start;
  booked.block_start = start - absl::Minutes(before);
  booked.block_end = start + absl::Minutes(minutes + after);
  booked.seats = seats;
  return booked;
}

TEST(SlotsFor, BuffersWidenTheStep) {
  const v1::AppointmentType type = BufferedType();
  // 11:40 would end at 12:40, after the window.
  EXPECT_THAT(
      StartsFor(Calendar({Weekly(9, 12)}),
                Query(type, Local(2027, 5, 11, 0), Local(2027, 5, 12, 0))),
      ElementsAre(Local(2027, 5, 11, 9), Local(2027, 5, 11, 10, 20)));
}

TEST(SlotsFor, BookedTimeRemovesExactlyTheOverlappingSlots) {
  const v1::AppointmentType type = BufferedType();
  const SlotQuery query =
      Query(type, Local(2027, 5, 11, 0), Local(2027, 5, 12, 0));
  AdviserCalendar calendar = Calendar({Weekly(9, 14)});
  EXPECT_THAT(StartsFor(calendar, query),
              ElementsAre(Local(2027, 5, 11, 9), Local(2027, 5, 11, 10, 20),
                          Local(2027, 5, 11, 11, 40), Local(2027, 5, 11, 13)));
  // Blocked [10:10, 11:30) touches the 09:00 slot's blocked time (ends 10:10)
  // and the 11:40 slot's (starts 11:30) without overlapping either.
  calendar.booked = {
      MakeBooked("appointmentTypes/other", Local(2027, 5, 11, 10, 10), 80)};
  EXPECT_THAT(StartsFor(calendar, query),
              ElementsAre(Local(2027, 5, 11, 9), Local(2027, 5, 11, 11, 40),
                          Local(2027, 5, 11, 13)));
  // One minute more overlaps the 11:40 slot's buffer before.
  calendar.booked[0].block_end += absl::Minutes(1);
  EXPECT_THAT(StartsFor(calendar, query),
              ElementsAre(Local(2027, 5, 11, 9), Local(2027, 5, 11, 13)));
}

TEST(SlotsFor, BookedInterviewOfTheSameTypeTakesTheSlot) {
  const v1::AppointmentType type = MakeType(60);
  AdviserCalendar calendar = Calendar({Weekly(9, 12)});
  calendar.booked = {MakeBooked(kType, Local(2027, 5, 11, 10), 60)};
  EXPECT_THAT(StartsFor(calendar, Query(type, Local(2027, 5, 11, 0),
                                        Local(2027, 5, 12, 0))),
              ElementsAre(Local(2027, 5, 11, 9), Local(2027, 5, 11, 11)));
}

TEST(SlotsFor, GroupSessionSeats) {
  v1::AppointmentType type = MakeType(60);
  type.set_seats(3);
  const absl::Time nine = Local(2027, 5, 11, 9);
  const SlotQuery query =
      Query(type, Local(2027, 5, 11, 0), Local(2027, 5, 12, 0));
  AdviserCalendar calendar = Calendar({Weekly(9, 12)});

  std::vector<v1::Slot> slots = SlotsFor(calendar, query);
  ASSERT_EQ(slots.size(), 3u);
  EXPECT_EQ(slots[0].seats_remaining(), 3);

  calendar.booked = {MakeBooked(kType, nine, 60, 0, 0, 3)};
  slots = SlotsFor(calendar, query);
  ASSERT_EQ(slots.size(), 3u);
  EXPECT_EQ(slots[0].seats_remaining(), 2);
  EXPECT_EQ(slots[1].seats_remaining(), 3);

  // Full sessions are still listed, for the waitlist. A held seat elsewhere
  // does not count.
  calendar.booked.push_back(MakeBooked(kType, nine, 60, 0, 0, 3));
  calendar.held = {{kType, nine}, {kType, Local(2027, 5, 12, 9)}};
  slots = SlotsFor(calendar, query);
  ASSERT_EQ(slots.size(), 3u);
  EXPECT_EQ(FromProtoTimestamp(slots[0].start_time()), nine);
  EXPECT_EQ(slots[0].seats_remaining(), 0);
  EXPECT_EQ(slots[1].seats_remaining(), 3);
}

TEST(SlotsFor, GroupSessionAtAnotherStartClashes) {
  v1::AppointmentType type = MakeType(60);
  type.set_seats(3);
  AdviserCalendar calendar = Calendar({Weekly(9, 12)});
  calendar.booked = {MakeBooked(kType, Local(2027, 5, 11, 9, 30), 60, 0, 0, 3)};
  EXPECT_THAT(StartsFor(calendar, Query(type, Local(2027, 5, 11, 0),
                                        Local(2027, 5, 12, 0))),
              ElementsAre(Local(2027, 5, 11, 11)));
}

// --- Alignment ---------------------------------------------------------------

TEST(SlotsFor, StartsAreCountedFromTheWindowNotTheQuery) {
  const v1::AppointmentType type = MakeType(60);
  EXPECT_THAT(
      StartsFor(Calendar({Weekly(9, 12)}),
                Query(type, Local(2027, 5, 11, 9, 30), Local(2027, 5, 12, 0))),
      ElementsAre(Local(2027, 5, 11, 10), Local(2027, 5, 11, 11)));
}

TEST(SlotsFor, StartsAtOrAfterFromAndBeforeTo) {
  const v1::AppointmentType type = MakeType(60);
  EXPECT_THAT(
      StartsFor(Calendar({Weekly(9, 12)}),
                Query(type, Local(2027, 5, 11, 10), Local(2027, 5, 11, 11))),
      ElementsAre(Local(2027, 5, 11, 10)));
}

TEST(SlotsFor, NoTypeOrNoRulesNoSlots) {
  SlotQuery query;
  query.from = Utc(2027, 5, 11, 0);
  query.to = Utc(2027, 5, 12, 0);
  query.now = query.from;
  EXPECT_THAT(SlotsFor(Calendar({Weekly(9, 12)}), query), IsEmpty());
  const v1::AppointmentType type = MakeType(60);
  EXPECT_THAT(SlotsFor(Calendar({}), Query(type, query.from, query.to)),
              IsEmpty());
}

}  // namespace
}  // namespace careers::domain::schedule
