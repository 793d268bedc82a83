#ifndef CAREERS_SERVER_DOMAIN_TIME_RANGES_H_
#define CAREERS_SERVER_DOMAIN_TIME_RANGES_H_

#include "google/protobuf/message.h"
#include "server/domain/errors.h"

namespace careers::checks {

// The range every google.protobuf.Timestamp must lie in (0001-01-01T00:00:00Z
// to 9999-12-31T23:59:59.999999999Z), as the type defines it.
inline constexpr int64_t kMinTimestampSeconds = -62135596800;
inline constexpr int64_t kMaxTimestampSeconds = 253402300799;

// Checks every google.protobuf.Timestamp and google.type.Date set anywhere
// in `message` (nested messages and repeated fields included) against the
// ranges their types define, and adds one violation per bad value, named by
// its path ("appointment.start_time", "rules[2].valid_from"):
// - a Timestamp's seconds within [kMinTimestampSeconds,
//   kMaxTimestampSeconds] and its nanos within [0, 999999999];
// - a Date's year within 0..9999, month 0..12 and day 0..31 (0 meaning
//   "not given", as google.type.Date allows), and a day the month has.
// Whether a field is required, or may be partial, is each method's own
// rule; this is the part every method shares, applied to every request in
// one place (the API layer's CallRunner) before the domain sees it.
void CheckTimeRanges(const google::protobuf::Message& message,
                     errors::FieldViolations& v);

}  // namespace careers::checks

#endif  // CAREERS_SERVER_DOMAIN_TIME_RANGES_H_
