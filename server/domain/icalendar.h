#ifndef CAREERS_SERVER_DOMAIN_ICALENDAR_H_
#define CAREERS_SERVER_DOMAIN_ICALENDAR_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "careers/v1/booking_service.pb.h"

// RFC 5545 iCalendar export of appointments, written with libical.
namespace careers::domain::ical {

// One appointment with the words a calendar shows for it.
struct CalendarEvent {
  v1::Appointment appointment;  // name, times, state, sequence, time_zone
  std::string summary;          // "Subject choice interview with Ann Lee"
  std::string location;         // "Riverside Academy, G1 1AA" or "Video call"
  std::string description;      // free text, may be empty
};

// A VCALENDAR (PRODID "-//careers.uk//careers-server//EN", VERSION 2.0,
// METHOD PUBLISH, X-WR-CALNAME `calendar_name`) with one VEVENT per event:
// - UID "<appointment id>@careers.uk": stable across changes;
// - SEQUENCE = appointment.sequence(), DTSTAMP = `now` (UTC);
// - DTSTART / DTEND in the appointment's time_zone (TZID=..., local wall
//   time) with a VTIMEZONE for each zone used; UTC ("...Z") when the
//   appointment has no zone or the zone is unknown;
// - STATUS CONFIRMED for BOOKED, ATTENDED and NO_SHOW, CANCELLED for
//   CANCELLED; SUMMARY, LOCATION and DESCRIPTION from the event (text
//   escaped by libical; lines folded at 75 octets; CRLF line ends).
std::string ToICalendar(const std::vector<CalendarEvent>& events,
                        absl::string_view calendar_name, absl::Time now);

}  // namespace careers::domain::ical

#endif  // CAREERS_SERVER_DOMAIN_ICALENDAR_H_
