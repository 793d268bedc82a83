#include "server/domain/schedule.h"

#include <algorithm>
#include <cstdint>
#include <set>
#include <tuple>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "google/type/date.pb.h"
#include "google/type/dayofweek.pb.h"
#include "google/type/timeofday.pb.h"
#include "server/common/proto_time.h"

namespace careers::domain::schedule {
namespace {

using Channel = v1::Adviser::Channel;
using Rule = v1::AvailabilityRule;
using TimeInfo = absl::TimeZone::TimeInfo;

constexpr int kDefaultHorizonDays = 60;

template <typename Container, typename Value>
bool Contains(const Container& values, const Value& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

// A local wall-clock time as an instant. A time the clocks skip (spring
// forward) becomes the moment they jump. A time they pass twice (fall back)
// is taken at its first occurrence for a start and its second for an end,
// so the window keeps all the hours the adviser means to work.
absl::Time Resolve(const absl::TimeZone& tz, absl::CivilSecond local,
                   bool is_end) {
  const TimeInfo info = tz.At(local);
  switch (info.kind) {
    case TimeInfo::SKIPPED:
      return info.trans;
    case TimeInfo::REPEATED:
      // `pre` uses the earlier (summer) offset, so it is the earlier
      // instant; `post` the later.
      return is_end ? info.post : info.pre;
    case TimeInfo::UNIQUE:
      break;
  }
  return info.pre;
}

// absl and google.type number the days differently; map by name.
google::type::DayOfWeek DayOfWeekOf(absl::CivilDay day) {
  switch (absl::GetWeekday(day)) {
    case absl::Weekday::monday:
      return google::type::MONDAY;
    case absl::Weekday::tuesday:
      return google::type::TUESDAY;
    case absl::Weekday::wednesday:
      return google::type::WEDNESDAY;
    case absl::Weekday::thursday:
      return google::type::THURSDAY;
    case absl::Weekday::friday:
      return google::type::FRIDAY;
    case absl::Weekday::saturday:
      return google::type::SATURDAY;
    case absl::Weekday::sunday:
      return google::type::SUNDAY;
  }
  return google::type::DAY_OF_WEEK_UNSPECIFIED;
}

// `time` on `day`. CivilSecond arithmetic normalises, so 24:00 is the next
// day's 00:00.
absl::CivilSecond LocalTime(absl::CivilDay day,
                            const google::type::TimeOfDay& time) {
  return absl::CivilSecond(day) +
         (int64_t{time.hours()} * 60 + time.minutes()) * 60 + time.seconds();
}

// A zero Date is how an unset one can come back from storage.
bool IsSet(const google::type::Date& date) {
  return date.year() != 0 || date.month() != 0 || date.day() != 0;
}

// The instants `rule` covers on its local days from `margin` days before
// the local date of `from` to `margin` days after that of `to`: a window
// that starts the day before `from` can still reach into it.
std::vector<Window> RuleWindows(const Rule& rule, absl::Time from,
                                absl::Time to, int margin) {
  std::vector<Window> windows;
  const absl::StatusOr<absl::TimeZone> tz = ZoneOf(rule);
  const std::optional<absl::CivilDay> valid_from =
      ToCivilDay(rule.valid_from());
  // Rules are validated when created; one that is not usable offers nothing.
  if (!tz.ok() || !valid_from) return windows;
  absl::CivilDay last = absl::ToCivilDay(to, *tz) + margin;
  if (rule.has_valid_to() && IsSet(rule.valid_to())) {
    const std::optional<absl::CivilDay> valid_to = ToCivilDay(rule.valid_to());
    if (!valid_to) return windows;
    last = std::min(last, *valid_to);
  }
  for (absl::CivilDay day =
           std::max(*valid_from, absl::ToCivilDay(from, *tz) - margin);
       day <= last; ++day) {
    if (!rule.days().empty() && !Contains(rule.days(), DayOfWeekOf(day))) {
      continue;
    }
    const absl::Time start =
        Resolve(*tz, LocalTime(day, rule.start_time()), /*is_end=*/false);
    const absl::Time end =
        Resolve(*tz, LocalTime(day, rule.end_time()), /*is_end=*/true);
    if (start < end) windows.push_back({start, end, &rule});
  }
  return windows;
}

// `window` less every blocked interval: none, one or several pieces.
std::vector<Window> Subtract(const Window& window,
                             const std::vector<Window>& blocked) {
  std::vector<Window> pieces = {window};
  for (const Window& b : blocked) {
    std::vector<Window> left;
    for (const Window& p : pieces) {
      if (b.end <= p.start || p.end <= b.start) {
        left.push_back(p);
        continue;
      }
      if (p.start < b.start) left.push_back({p.start, b.start, p.rule});
      if (b.end < p.end) left.push_back({b.end, p.end, p.rule});
    }
    pieces = std::move(left);
  }
  return pieces;
}

// The channels a slot in `rule`'s time offers, in the type's order.
std::vector<Channel> ChannelsFor(const v1::AppointmentType& type,
                                 const Rule& rule,
                                 const AdviserCalendar& calendar,
                                 Channel wanted) {
  std::vector<Channel> channels;
  for (int value : type.channels()) {
    const auto channel = static_cast<Channel>(value);
    if (channel == v1::Adviser::CHANNEL_UNSPECIFIED) continue;
    if (!rule.channels().empty() && !Contains(rule.channels(), value)) {
      continue;
    }
    if (!calendar.channels.empty() && !Contains(calendar.channels, channel)) {
      continue;
    }
    // Meeting in person needs somewhere to meet.
    if (channel == v1::Adviser::IN_PERSON && rule.location().empty()) continue;
    if (wanted != v1::Adviser::CHANNEL_UNSPECIFIED && channel != wanted) {
      continue;
    }
    channels.push_back(channel);
  }
  return channels;
}

// Seats left in the session of `type` at `start` whose blocked time is
// [block_start, block_end); nullopt when other appointments take the time.
std::optional<int> SeatsLeft(const AdviserCalendar& calendar,
                             const v1::AppointmentType& type, absl::Time start,
                             absl::Time block_start, absl::Time block_end) {
  const bool group = type.seats() > 1;
  int left = group ? type.seats() : 1;
  for (const Booked& booked : calendar.booked) {
    if (group && booked.appointment_type == type.name() &&
        booked.start == start) {
      --left;  // a seat in this very session, not a clash
    } else if (booked.block_start < block_end &&
               block_start < booked.block_end) {
      return std::nullopt;
    }
  }
  if (group) {
    for (const HeldSeat& held : calendar.held) {
      if (held.appointment_type == type.name() && held.start == start) --left;
    }
  }
  return std::max(left, 0);
}

}  // namespace

absl::StatusOr<absl::TimeZone> ZoneOf(const v1::AvailabilityRule& rule) {
  const absl::string_view name =
      rule.time_zone().empty() ? kDefaultTimeZone : rule.time_zone();
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(name, &tz)) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown time zone \"", name, "\""));
  }
  return tz;
}

std::vector<Window> ExpandRules(const std::vector<v1::AvailabilityRule>& rules,
                                absl::Time from, absl::Time to) {
  std::vector<Window> windows;
  if (to <= from) return windows;
  // Blocked time is gathered a day wider, so that it also cuts the parts of
  // kept windows that lie outside [from, to) (in any pair of zones).
  std::vector<Window> blocked;
  for (const Rule& rule : rules) {
    if (rule.kind() != Rule::BLOCKED) continue;
    const std::vector<Window> w = RuleWindows(rule, from, to, /*margin=*/2);
    blocked.insert(blocked.end(), w.begin(), w.end());
  }
  for (const Rule& rule : rules) {
    if (rule.kind() != Rule::WEEKLY && rule.kind() != Rule::EXTRA) continue;
    for (const Window& window : RuleWindows(rule, from, to, /*margin=*/1)) {
      for (const Window& piece : Subtract(window, blocked)) {
        if (piece.start < to && from < piece.end) windows.push_back(piece);
      }
    }
  }
  // Gathered in rule order, so a stable sort breaks ties by rule order.
  std::stable_sort(
      windows.begin(), windows.end(),
      [](const Window& a, const Window& b) { return a.start < b.start; });
  return windows;
}

BookingWindow CheckBookingWindow(const v1::AppointmentType& type,
                                 const absl::TimeZone& tz, absl::Time start,
                                 absl::Time now) {
  BookingWindow w;
  const absl::Time notice_up =
      now + absl::Minutes(std::max(0, type.minimum_notice_minutes()));
  if (start < notice_up) {
    w.verdict = BookingWindow::Verdict::kMinimumNotice;
    w.earliest_start = notice_up;
    return w;
  }
  const absl::CivilDay today = absl::ToCivilDay(now, tz);
  const absl::CivilDay day = absl::ToCivilDay(start, tz);
  if (type.not_same_day() && day <= today) {
    w.verdict = BookingWindow::Verdict::kSameDay;
    w.earliest_start = absl::FromCivil(today + 1, tz);
    return w;
  }
  const int horizon_days = type.booking_horizon_days() > 0
                               ? type.booking_horizon_days()
                               : kDefaultHorizonDays;
  if (day > today + horizon_days) {
    w.verdict = BookingWindow::Verdict::kBeyondHorizon;
    w.bookable_from = absl::FromCivil(day - horizon_days, tz);
    w.bookable_until = absl::FromCivil(today + horizon_days + 1, tz);
  }
  return w;
}

WallClock WallClockAt(absl::Time t, absl::string_view zone) {
  absl::TimeZone tz = absl::UTCTimeZone();
  if (!absl::LoadTimeZone(std::string(zone), &tz)) tz = absl::UTCTimeZone();
  return {absl::FormatTime("%Y-%m-%dT%H:%M:%E*S%Ez", t, tz),
          tz.At(t).zone_abbr};
}

namespace {

template <typename T>
void SetLocalTimesOf(T& m) {
  const std::string zone =
      m.time_zone().empty() ? std::string(kDefaultTimeZone) : m.time_zone();
  WallClock start = WallClockAt(FromProtoTimestamp(m.start_time()), zone);
  WallClock end = WallClockAt(FromProtoTimestamp(m.end_time()), zone);
  m.set_local_start(std::move(start.rfc3339));
  m.set_local_start_abbreviation(std::move(start.abbreviation));
  m.set_local_end(std::move(end.rfc3339));
  m.set_local_end_abbreviation(std::move(end.abbreviation));
}

}  // namespace

void SetLocalTimes(v1::Slot& slot) { SetLocalTimesOf(slot); }
void SetLocalTimes(v1::Appointment& appointment) {
  SetLocalTimesOf(appointment);
}

std::vector<FreeSlot> FreeSlots(const AdviserCalendar& calendar,
                                const SlotQuery& query) {
  std::vector<FreeSlot> slots;
  if (query.type == nullptr || query.type->duration_minutes() <= 0) {
    return slots;
  }
  const v1::AppointmentType& type = *query.type;
  const absl::Duration duration = absl::Minutes(type.duration_minutes());
  const absl::Duration before =
      absl::Minutes(std::max(0, type.buffer_before_minutes()));
  const absl::Duration after =
      absl::Minutes(std::max(0, type.buffer_after_minutes()));
  const absl::Duration step = duration + before + after;
  const int horizon_days = type.booking_horizon_days() > 0
                               ? type.booking_horizon_days()
                               : kDefaultHorizonDays;
  // Nothing can start before the notice is up, nor (in any zone) two days
  // past the horizon, so there is no need to expand the rules beyond.
  const bool window_applies = !query.ignore_booking_window;
  const absl::Time from =
      window_applies
          ? std::max(query.from,
                     query.now + absl::Minutes(std::max(
                                     0, type.minimum_notice_minutes())))
          : query.from;
  const absl::Time to =
      window_applies
          ? std::min(query.to, query.now + absl::Hours(24 * (horizon_days + 2)))
          : query.to;

  std::set<absl::Time> listed;
  for (const Window& window : ExpandRules(calendar.rules, from, to)) {
    const Rule& rule = *window.rule;
    if (!rule.appointment_types().empty() &&
        !Contains(rule.appointment_types(), type.name())) {
      continue;
    }
    if (!query.location.empty() && rule.location() != query.location) continue;
    const absl::StatusOr<absl::TimeZone> tz = ZoneOf(rule);
    if (!tz.ok() || ChannelsFor(type, rule, calendar, query.channel).empty()) {
      continue;
    }
    // Real-time steps: no start in a skipped hour, none twice in a repeated
    // one.
    for (absl::Time start = window.start;
         start + duration <= window.end && start < to; start += step) {
      if (start < from || listed.count(start) > 0) continue;
      if (window_applies &&
          CheckBookingWindow(type, *tz, start, query.now).verdict !=
              BookingWindow::Verdict::kOpen) {
        continue;
      }
      const std::optional<int> seats = SeatsLeft(
          calendar, type, start, start - before, start + duration + after);
      if (!seats) continue;
      listed.insert(start);
      slots.push_back({start, *seats, &rule});
    }
  }
  // Windows are in start order, but a later window's slots can fall between
  // an earlier one's.
  std::stable_sort(
      slots.begin(), slots.end(),
      [](const FreeSlot& a, const FreeSlot& b) { return a.start < b.start; });
  return slots;
}

v1::Slot MakeSlot(const AdviserCalendar& calendar, const SlotQuery& query,
                  const FreeSlot& free) {
  const v1::AppointmentType& type = *query.type;
  const Rule& rule = *free.rule;
  const std::vector<Channel> channels =
      ChannelsFor(type, rule, calendar, query.channel);
  v1::Slot slot;
  slot.set_adviser(calendar.adviser);
  slot.set_adviser_display_name(calendar.display_name);
  slot.set_appointment_type(type.name());
  *slot.mutable_start_time() = ToProtoTimestamp(free.start);
  *slot.mutable_end_time() =
      ToProtoTimestamp(free.start + absl::Minutes(type.duration_minutes()));
  for (Channel channel : channels) slot.add_channels(channel);
  if (Contains(channels, v1::Adviser::IN_PERSON)) {
    slot.set_location(rule.location());
  }
  slot.set_time_zone(rule.time_zone().empty() ? std::string(kDefaultTimeZone)
                                              : rule.time_zone());
  slot.set_seats_remaining(free.seats_remaining);
  SetLocalTimes(slot);
  return slot;
}

std::vector<v1::Slot> SlotsFor(const AdviserCalendar& calendar,
                               const SlotQuery& query) {
  std::vector<v1::Slot> slots;
  for (const FreeSlot& free : FreeSlots(calendar, query)) {
    slots.push_back(MakeSlot(calendar, query, free));
  }
  return slots;
}

}  // namespace careers::domain::schedule
