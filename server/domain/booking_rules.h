#ifndef CAREERS_SERVER_DOMAIN_BOOKING_RULES_H_
#define CAREERS_SERVER_DOMAIN_BOOKING_RULES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "careers/v1/booking_service.pb.h"
#include "server/domain/errors.h"

// What makes an appointment type or an availability rule valid, and the
// normal form they are stored in. Pure functions: whether referenced
// organisations, locations and types exist is the caller's business.
namespace careers::rules {

inline constexpr int kDefaultBookingHorizonDays = 60;

// Trims text, fills defaults (seats 1, horizon 60 days), drops repeated
// values, and adds every rule broken to `v` under `prefix`.
void NormalizeAndCheckAppointmentType(v1::AppointmentType& type,
                                      absl::string_view prefix,
                                      errors::FieldViolations& v);

// Fills the default zone, drops repeated days/channels/types, and adds
// every rule broken to `v` under `prefix`: times on a minute (end 24:00
// allowed) with end after start, a known zone, valid_to on or after
// valid_from (and required within 366 days for exceptions), a location
// when IN_PERSON is offered, nothing but times and dates for BLOCKED.
void NormalizeAndCheckAvailabilityRule(v1::AvailabilityRule& rule,
                                       absl::string_view prefix,
                                       errors::FieldViolations& v);

// Minutes since local midnight of a TimeOfDay (24:00 → 1440).
int MinuteOfDay(const google::type::TimeOfDay& time);

// What a person already has, as far as taking one more appointment of a
// type at a time is concerned (read in the transaction that would book it).
struct PersonAtTime {
  std::string profile;                 // "profiles/p"
  int upcoming_of_type = 0;            // live appointments of the type ahead
  bool busy = false;                   // a live appointment overlaps the time
  bool holds_seat_in_session = false;  // a seat in this very session
};

// Whether the person can take a seat of `type` at that time: not already
// in the session (ALREADY_BOOKED), within the type's per-person limit
// (PER_PERSON_LIMIT) and not elsewhere then (PERSON_BUSY). OK, or
// FAILED_PRECONDITION with that reason. The one rule that booking, joining
// a waitlist and offering a waitlist seat all follow.
absl::Status CheckPersonCanTake(const v1::AppointmentType& type,
                                const PersonAtTime& person);

// Whether the person may join a session's waitlist: not while they hold a
// seat in it (ALREADY_BOOKED). Being busy elsewhere or at their limit does
// not stop them joining, as either may change before a seat comes free;
// an offer passes them over while it lasts.
absl::Status CheckMayJoinWaitlist(const PersonAtTime& person);

}  // namespace careers::rules

#endif  // CAREERS_SERVER_DOMAIN_BOOKING_RULES_H_
