#ifndef CAREERS_SERVER_DOMAIN_SCHEDULE_H_
#define CAREERS_SERVER_DOMAIN_SCHEDULE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "careers/v1/booking_service.pb.h"

// Turning availability rules (local wall time + IANA zone) into bookable
// slots (UTC instants). Pure functions of their arguments: no clock, no
// storage. Zones come from tzdata through absl::LoadTimeZone, never from
// fixed offsets, so a 09:00 rule is at 09:00 local on both sides of a
// daylight-saving change.
namespace careers::domain::schedule {

inline constexpr absl::string_view kDefaultTimeZone = "Europe/London";

// A rule's zone ("" → Europe/London); INVALID_ARGUMENT if tzdata does not
// know it.
absl::StatusOr<absl::TimeZone> ZoneOf(const v1::AvailabilityRule& rule);

// A stretch of time in which an adviser can be booked, as one rule made it
// (after BLOCKED rules have been taken out). [start, end) in UTC.
struct Window {
  absl::Time start;
  absl::Time end;
  const v1::AvailabilityRule* rule = nullptr;  // the WEEKLY or EXTRA rule
};

// The windows of `rules` (WEEKLY and EXTRA, less BLOCKED) that overlap
// [from, to), whole (not clipped to [from, to): slot starts are counted
// from a window's start, so clipping would shift them), ordered by start.
// Local times are resolved in each rule's zone: a start or end that falls
// in a skipped hour (spring forward) becomes the transition instant; one in
// a repeated hour (fall back) takes the first occurrence for a start and
// the second for an end. A rule whose zone is unknown is skipped (rules are
// validated when created). `end_time` 24:00 is the next day's 00:00.
std::vector<Window> ExpandRules(const std::vector<v1::AvailabilityRule>& rules,
                                absl::Time from, absl::Time to);

// A live (not cancelled) appointment of the adviser, as the calendar sees
// it.
struct Booked {
  std::string appointment_type;  // "appointmentTypes/x"
  absl::Time start;
  absl::Time block_start;  // start less the type's buffer before
  absl::Time block_end;    // end plus the type's buffer after
  int seats = 1;           // > 1: a seat in a group session
};

// A seat held for a waitlist offer that has not expired or been taken.
struct HeldSeat {
  std::string appointment_type;
  absl::Time start;
};

// One adviser's calendar around the time asked about.
struct AdviserCalendar {
  std::string adviser;  // "advisers/x"
  std::string display_name;
  std::vector<v1::Adviser::Channel> channels;  // empty: not restricted
  std::vector<v1::AvailabilityRule> rules;
  std::vector<Booked> booked;  // live appointments near the window
  std::vector<HeldSeat> held;  // outstanding waitlist offers
};

// What is being looked for.
struct SlotQuery {
  const v1::AppointmentType* type = nullptr;  // with its name set
  absl::Time from;                            // slots starting at or after
  absl::Time to;                              // slots starting before
  absl::Time now;        // for minimum notice, same-day and horizon
  std::string location;  // "" or "locations/x": only there
  v1::Adviser::Channel channel = {};  // unspecified or only this channel
  // Slots whatever the minimum notice, same-day rule and horizon say (to
  // tell why a start cannot be booked).
  bool ignore_booking_window = false;
};

// Whether a start lies in the part of the future that `type` lets people
// book at `now` — the one rule slots and bookings both follow:
// - minimum notice: start ≥ now + minimum_notice_minutes (real time);
// - not_same_day: the start's local date (in `tz`) is after today's;
// - horizon: the start's local date is at most booking_horizon_days (60 if
//   0) after today's.
struct BookingWindow {
  enum class Verdict { kOpen, kMinimumNotice, kSameDay, kBeyondHorizon };
  Verdict verdict = Verdict::kOpen;
  // kMinimumNotice, kSameDay: the earliest start bookable now.
  absl::Time earliest_start;
  // kBeyondHorizon: when this start can first be booked (the local midnight
  // at which it comes within the horizon), and the end of the last local
  // day bookable now.
  absl::Time bookable_from;
  absl::Time bookable_until;
};
BookingWindow CheckBookingWindow(const v1::AppointmentType& type,
                                 const absl::TimeZone& tz, absl::Time start,
                                 absl::Time now);

// `t` as local wall-clock time in `zone` with the UTC offset in force then
// (RFC 3339, "2027-10-31T01:00:00+01:00") and the zone's abbreviation then
// ("BST"). An unknown zone reads as UTC.
struct WallClock {
  std::string rfc3339;
  std::string abbreviation;
};
WallClock WallClockAt(absl::Time t, absl::string_view zone);

// Sets local_start, local_end and their abbreviations from start_time,
// end_time and time_zone.
void SetLocalTimes(v1::Slot& slot);
void SetLocalTimes(v1::Appointment& appointment);

// The slots of one adviser for `query`, ordered by start:
// - candidate starts are a window's start plus whole multiples of
//   (duration + buffer before + buffer after), stepping in real time, while
//   the appointment (without buffers) ends inside the window;
// - only rules whose `appointment_types` is empty or names the type;
// - channels: the type's, narrowed by the rule's (if set) and the
//   adviser's (if set), and by `query.channel`; none left → no slot. A
//   slot offers IN_PERSON only when its rule has a location;
//   `query.location` keeps only slots whose rule has that location;
// - the booking window (CheckBookingWindow, in the rule's zone), unless
//   `query.ignore_booking_window`;
// - taken out when the slot's blocked time [start − buffer before,
//   end + buffer after) overlaps a Booked's [block_start, block_end),
//   except a Booked of the same group session (same type and start, type
//   seats > 1), which uses a seat instead;
// - group types (seats > 1): seats_remaining = seats − booked seats −
//   held seats of the session, and a session with none left is still
//   listed with 0; interviews have seats_remaining 1.
// Slot.adviser_display_name, time_zone and location come from the
// calendar and the rule, local times from SetLocalTimes. A start reached by
// two windows is listed once.
std::vector<v1::Slot> SlotsFor(const AdviserCalendar& calendar,
                               const SlotQuery& query);

// A slot SlotsFor would list, before it is made into a v1::Slot: cheap to
// make, sort and drop, for searches across many advisers that keep only a
// page of them. `rule` points into the calendar's rules.
struct FreeSlot {
  absl::Time start;
  int seats_remaining = 0;
  const v1::AvailabilityRule* rule = nullptr;
};

// SlotsFor's slots as FreeSlots, in the same order; MakeSlot turns one into
// the v1::Slot SlotsFor lists. Both need the same calendar and query.
std::vector<FreeSlot> FreeSlots(const AdviserCalendar& calendar,
                                const SlotQuery& query);
v1::Slot MakeSlot(const AdviserCalendar& calendar, const SlotQuery& query,
                  const FreeSlot& free);

}  // namespace careers::domain::schedule

#endif  // CAREERS_SERVER_DOMAIN_SCHEDULE_H_
