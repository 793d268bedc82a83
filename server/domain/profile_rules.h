#ifndef CAREERS_SERVER_DOMAIN_PROFILE_RULES_H_
#define CAREERS_SERVER_DOMAIN_PROFILE_RULES_H_

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "careers/v1/profile_service.pb.h"
#include "server/domain/errors.h"

// What makes a profile, goal or action valid, and the normal form they are
// stored in. Pure functions: no I/O, no clock (today is passed in).
namespace careers::rules {

// Age limits of the service (docs/product.md#ages: from S1 / Year 7 for life).
inline constexpr int kMinAgeYears = 10;
inline constexpr int kMaxAgeYears = 120;

// Brings `profile` to its stored form (trimmed names, E.164 phone, upper-case
// postcode, language and support level defaults) and adds every rule it
// breaks to `v`, with field paths under `prefix` ("profile").
void NormalizeAndCheckProfile(v1::Profile& profile, absl::CivilDay today,
                              absl::string_view prefix,
                              errors::FieldViolations& v);

// The same for a goal. Output-only fields are not looked at.
void NormalizeAndCheckGoal(v1::Goal& goal, absl::string_view prefix,
                           errors::FieldViolations& v);

// The same for an action of profile `profile_id` (its goal must be in the
// same profile).
void NormalizeAndCheckAction(v1::Action& action, absl::string_view profile_id,
                             absl::string_view prefix,
                             errors::FieldViolations& v);

// Normalizes a school stage ("s3" → "S3", "year 10" → "Year 10"); returns ""
// if it is not one of P6, P7, S1–S6, Year 6–Year 14.
std::string NormalizeSchoolStage(absl::string_view stage);

}  // namespace careers::rules

#endif  // CAREERS_SERVER_DOMAIN_PROFILE_RULES_H_
