#include "server/common/proto_time.h"

namespace careers {

google::protobuf::Timestamp ToProtoTimestamp(absl::Time t) {
  google::protobuf::Timestamp ts;
  const int64_t micros = absl::ToUnixMicros(t);
  int64_t seconds = micros / 1000000;
  int64_t rem = micros % 1000000;
  if (rem < 0) {
    rem += 1000000;
    --seconds;
  }
  ts.set_seconds(seconds);
  ts.set_nanos(static_cast<int32_t>(rem * 1000));
  return ts;
}

absl::Time FromProtoTimestamp(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

std::optional<absl::CivilDay> ToCivilDay(const google::type::Date& date) {
  if (date.year() < 1 || date.year() > 9999 || date.month() < 1 ||
      date.month() > 12 || date.day() < 1 || date.day() > 31) {
    return std::nullopt;
  }
  const absl::CivilDay day(date.year(), date.month(), date.day());
  // CivilDay normalises 31 April to 1 May; a real date survives unchanged.
  if (day.year() != date.year() || day.month() != date.month() ||
      day.day() != date.day()) {
    return std::nullopt;
  }
  return day;
}

google::type::Date FromCivilDay(absl::CivilDay day) {
  google::type::Date date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

int YearsBetween(absl::CivilDay birth, absl::CivilDay on) {
  int years = static_cast<int>(on.year() - birth.year());
  if (on.month() < birth.month() ||
      (on.month() == birth.month() && on.day() < birth.day())) {
    --years;
  }
  return years;
}

}  // namespace careers
