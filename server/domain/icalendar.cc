#include "server/domain/icalendar.h"

#include <libical/ical.h>

#include <ctime>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "server/common/proto_time.h"

// Notes on libical 3.0 (Debian 12 builds it without its own zone data, so
// "builtin" zones are read from the system's /usr/share/zoneinfo):
//
// - Its time-zone state is global and filled lazily: the list of builtin
//   zones, each zone's VTIMEZONE (read from a TZif file on first use) and
//   each zone's table of offset changes (extended on every conversion).
//   3.0 does not lock all of that (nor the counters in its list code), so
//   every use of libical here happens under one process-wide mutex
//   (`LibicalMutex()`). Nothing else in the server uses libical; new code
//   that needs it belongs in this file so that it takes the same mutex. No
//   start-up call is needed.
// - Zones read from the system get TZIDs like
//   "/freeassociation.sourceforge.net/Europe/London", and
//   icaltimezone_set_tzid_prefix("") is ignored. Rather than change global
//   state we copy each zone's VTIMEZONE, set its TZID to the IANA name and
//   write that same name in the TZID parameters, so the output is
//   self-consistent ("DTSTART;TZID=Europe/London:20270329T090000").
// - A zone read from the system has every change since the 19th century
//   (about 400 lines for London); the copy is truncated to start the year
//   before the calendar's earliest time in that zone.
// - icaltime_from_timet_with_zone() converts the wall time but labels the
//   result UTC, so only its date and time fields are used.
// - A wall time in the hour repeated when clocks go back means its first
//   occurrence (RFC 5545 3.3.5) but libical 3.0 reads it as the second, so
//   such times are written in UTC; Abseil (same tzdata) tells which wall
//   times occur exactly once.
// - libical's parser drops white space at either end of a value, so text
//   is trimmed to read the same everywhere.
namespace careers::domain::ical {
namespace {

constexpr char kProdId[] = "-//careers.uk//careers-server//EN";
constexpr char kUidDomain[] = "@careers.uk";

struct ComponentDeleter {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using ComponentPtr = std::unique_ptr<icalcomponent, ComponentDeleter>;

struct BufferDeleter {
  void operator()(char* p) const { icalmemory_free_buffer(p); }
};

std::mutex& LibicalMutex() {
  static auto* const mu = new std::mutex;
  return *mu;
}

// IANA names only: libical opens /usr/share/zoneinfo/<name> for a name it
// does not list, so nothing that could leave that directory.
bool PlausibleZoneName(absl::string_view name) {
  if (name.empty() || name.size() > 64 || name.front() == '/' ||
      absl::StrContains(name, "..")) {
    return false;
  }
  for (const char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '/' &&
        c != '_' && c != '-' && c != '+') {
      return false;
    }
  }
  return true;
}

// A named zone as libical (which writes its VTIMEZONE) and Abseil see it.
struct Zone {
  icaltimezone* ical;
  absl::TimeZone absl;
};

// The zone for an IANA name with its VTIMEZONE loaded, or nullopt when the
// name is empty, unknown or UTC (all written as UTC). Needs the mutex.
std::optional<Zone> FindZone(const std::string& name) {
  if (!PlausibleZoneName(name)) return std::nullopt;
  Zone zone{icaltimezone_get_builtin_timezone(name.c_str()), {}};
  if (zone.ical == nullptr || zone.ical == icaltimezone_get_utc_timezone() ||
      icaltimezone_get_component(zone.ical) == nullptr ||
      !absl::LoadTimeZone(name, &zone.absl)) {
    return std::nullopt;
  }
  return zone;
}

icaltimetype UtcTime(absl::Time t) {
  return icaltime_from_timet_with_zone(absl::ToTimeT(t), 0,
                                       icaltimezone_get_utc_timezone());
}

// The wall time of `t` in `zone` (floating: the TZID parameter names the
// zone), or nullopt unless that wall time names `t` and nothing else: one
// in the hour repeated when clocks go back is read differently by libical
// and by RFC 5545. Needs the mutex.
std::optional<icaltimetype> WallTime(absl::Time t, const Zone& zone) {
  const time_t seconds = absl::ToTimeT(t);
  const icaltimetype converted =
      icaltime_from_timet_with_zone(seconds, 0, zone.ical);
  icaltimetype wall = icaltime_null_time();
  wall.year = converted.year;
  wall.month = converted.month;
  wall.day = converted.day;
  wall.hour = converted.hour;
  wall.minute = converted.minute;
  wall.second = converted.second;
  const absl::TimeZone::TimeInfo info = zone.absl.At(absl::CivilSecond(
      wall.year, wall.month, wall.day, wall.hour, wall.minute, wall.second));
  if (info.kind != absl::TimeZone::TimeInfo::UNIQUE ||
      absl::ToTimeT(info.pre) != seconds ||
      icaltime_as_timet_with_zone(wall, zone.ical) != seconds) {
    return std::nullopt;
  }
  return wall;
}

// Text as libical should see it: without white space at either end, line
// breaks as "\n" (libical drops "\r"), other control characters (which
// TEXT cannot hold, NUL included) as spaces. Tabs are allowed.
std::string CalendarText(absl::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '\r') {
      out.push_back('\n');
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    } else if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
      out.push_back(' ');
    } else {
      out.push_back(s[i]);
    }
  }
  return std::string(absl::StripAsciiWhitespace(out));
}

std::string Uid(absl::string_view name) {
  const size_t slash = name.rfind('/');
  if (slash != absl::string_view::npos) name.remove_prefix(slash + 1);
  return absl::StrCat(name, kUidDomain);
}

std::optional<icalproperty_status> Status(v1::Appointment::State state) {
  switch (state) {
    case v1::Appointment::BOOKED:
    case v1::Appointment::ATTENDED:
    case v1::Appointment::NO_SHOW:
      return ICAL_STATUS_CONFIRMED;
    case v1::Appointment::CANCELLED:
      return ICAL_STATUS_CANCELLED;
    default:
      return std::nullopt;
  }
}

// A zone the calendar uses and the earliest instant written in it.
struct ZoneUse {
  icaltimezone* zone;  // libical's
  absl::Time earliest;
};

// DTSTART or DTEND: local wall time with TZID, or UTC.
icalproperty* TimeProperty(icalproperty* (*make)(icaltimetype),
                           std::optional<icaltimetype> wall,
                           const std::string& tzid, absl::Time utc) {
  if (!wall.has_value()) return make(UtcTime(utc));
  icalproperty* prop = make(*wall);
  icalproperty_add_parameter(prop, icalparameter_new_tzid(tzid.c_str()));
  return prop;
}

// SUMMARY, LOCATION or DESCRIPTION, unless empty.
void AddText(icalcomponent* ev, icalproperty* (*make)(const char*),
             absl::string_view text) {
  const std::string value = CalendarText(text);
  if (!value.empty()) icalcomponent_add_property(ev, make(value.c_str()));
}

ComponentPtr EventComponent(const CalendarEvent& event, absl::Time now,
                            std::map<std::string, ZoneUse>& zones) {
  const v1::Appointment& a = event.appointment;
  ComponentPtr vevent(icalcomponent_new_vevent());
  icalcomponent* ev = vevent.get();

  icalcomponent_add_property(ev, icalproperty_new_uid(Uid(a.name()).c_str()));
  icalcomponent_add_property(ev, icalproperty_new_dtstamp(UtcTime(now)));
  if (a.has_create_time()) {
    icalcomponent_add_property(
        ev,
        icalproperty_new_created(UtcTime(FromProtoTimestamp(a.create_time()))));
  }
  icalcomponent_add_property(ev, icalproperty_new_sequence(a.sequence()));

  const absl::Time start = FromProtoTimestamp(a.start_time());
  const std::optional<absl::Time> end =
      a.has_end_time()
          ? std::optional<absl::Time>(FromProtoTimestamp(a.end_time()))
          : std::nullopt;
  std::optional<Zone> zone = FindZone(a.time_zone());
  std::optional<icaltimetype> wall_start;
  std::optional<icaltimetype> wall_end;
  if (zone.has_value()) {
    wall_start = WallTime(start, *zone);
    if (end.has_value()) wall_end = WallTime(*end, *zone);
    if (!wall_start.has_value() || (end.has_value() && !wall_end)) {
      wall_start.reset();  // both in UTC rather than one of each
      wall_end.reset();
      zone.reset();
    }
  }
  if (zone.has_value()) {
    auto [it, inserted] =
        zones.try_emplace(a.time_zone(), ZoneUse{zone->ical, start});
    if (!inserted && start < it->second.earliest) it->second.earliest = start;
  }
  icalcomponent_add_property(
      ev,
      TimeProperty(icalproperty_new_dtstart, wall_start, a.time_zone(), start));
  if (end.has_value()) {
    icalcomponent_add_property(ev, TimeProperty(icalproperty_new_dtend,
                                                wall_end, a.time_zone(), *end));
  }

  if (const std::optional<icalproperty_status> status = Status(a.state())) {
    icalcomponent_add_property(ev, icalproperty_new_status(*status));
  }
  AddText(ev, icalproperty_new_summary, event.summary);
  AddText(ev, icalproperty_new_location, event.location);
  AddText(ev, icalproperty_new_description, event.description);
  return vevent;
}

// A copy of the zone's VTIMEZONE with TZID `tzid`, from the start of the
// year before `earliest` on. Needs the mutex.
ComponentPtr TimezoneComponent(const std::string& tzid, const ZoneUse& use) {
  ComponentPtr vtimezone(
      icalcomponent_new_clone(icaltimezone_get_component(use.zone)));
  const absl::CivilYear year =
      absl::ToCivilYear(use.earliest, absl::UTCTimeZone()) - 1;
  icaltimezone_truncate_vtimezone(
      vtimezone.get(), UtcTime(absl::FromCivil(year, absl::UTCTimeZone())),
      icaltime_null_time(), /*ms_compatible=*/0);
  icalproperty* prop =
      icalcomponent_get_first_property(vtimezone.get(), ICAL_TZID_PROPERTY);
  if (prop == nullptr) {
    icalcomponent_add_property(vtimezone.get(),
                               icalproperty_new_tzid(tzid.c_str()));
  } else {
    icalproperty_set_tzid(prop, tzid.c_str());
  }
  return vtimezone;
}

}  // namespace

std::string ToICalendar(const std::vector<CalendarEvent>& events,
                        absl::string_view calendar_name, absl::Time now) {
  // All libical use under the mutex: zones (above) and also pvl, whose
  // list and element counters every new component and property bumps.
  const std::lock_guard<std::mutex> lock(LibicalMutex());
  ComponentPtr calendar(icalcomponent_new_vcalendar());
  icalcomponent* cal = calendar.get();
  icalcomponent_add_property(cal, icalproperty_new_prodid(kProdId));
  icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
  icalcomponent_add_property(cal, icalproperty_new_method(ICAL_METHOD_PUBLISH));
  if (const std::string name = CalendarText(calendar_name); !name.empty()) {
    icalproperty* prop = icalproperty_new_x(name.c_str());
    icalproperty_set_x_name(prop, "X-WR-CALNAME");
    icalcomponent_add_property(cal, prop);
  }

  std::map<std::string, ZoneUse> zones;  // by name: a stable order
  std::vector<ComponentPtr> vevents;
  vevents.reserve(events.size());
  for (const CalendarEvent& event : events) {
    vevents.push_back(EventComponent(event, now, zones));
  }
  // libical puts each VTIMEZONE added first among the calendar's
  // components, so adding them in reverse leaves them in name order.
  for (auto it = zones.rbegin(); it != zones.rend(); ++it) {
    icalcomponent_add_component(
        cal, TimezoneComponent(it->first, it->second).release());
  }
  for (ComponentPtr& vevent : vevents) {
    icalcomponent_add_component(cal, vevent.release());
  }

  const std::unique_ptr<char, BufferDeleter> text(
      icalcomponent_as_ical_string_r(cal));
  return text == nullptr ? std::string() : std::string(text.get());
}

}  // namespace careers::domain::ical
