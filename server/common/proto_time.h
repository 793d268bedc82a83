#ifndef CAREERS_SERVER_COMMON_PROTO_TIME_H_
#define CAREERS_SERVER_COMMON_PROTO_TIME_H_

#include <optional>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/type/date.pb.h"

namespace careers {

google::protobuf::Timestamp ToProtoTimestamp(absl::Time t);
absl::Time FromProtoTimestamp(const google::protobuf::Timestamp& ts);

// The calendar day a google.type.Date names, or nullopt unless it is a full,
// real date (year 1–9999, month 1–12, a day that month has).
std::optional<absl::CivilDay> ToCivilDay(const google::type::Date& date);
google::type::Date FromCivilDay(absl::CivilDay day);

// Whole years from `birth` to `on` (a person's age on a day).
int YearsBetween(absl::CivilDay birth, absl::CivilDay on);

}  // namespace careers

#endif  // CAREERS_SERVER_COMMON_PROTO_TIME_H_
