#ifndef CAREERS_SERVER_DOMAIN_BOOKING_RULES_H_
#define CAREERS_SERVER_DOMAIN_BOOKING_RULES_H_

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

}  // namespace careers::rules

#endif  // CAREERS_SERVER_DOMAIN_BOOKING_RULES_H_
