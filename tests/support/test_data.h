#ifndef CAREERS_TESTS_SUPPORT_TEST_DATA_H_
#define CAREERS_TESTS_SUPPORT_TEST_DATA_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "careers/v1/profile_service.pb.h"
#include "google/rpc/error_details.pb.h"
#include "server/domain/errors.h"

namespace careers::testing {

// Tests run on a fixed day so ages do not drift: 2026-11-23, noon UTC.
inline absl::Time TestNow() {
  return absl::FromCivil(absl::CivilSecond(2026, 11, 23, 12, 0, 0),
                         absl::UTCTimeZone());
}

inline google::type::Date Date(int y, int m, int d) {
  google::type::Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

// A valid profile of a 15-year-old pupil in S4.
inline v1::Profile ValidProfile(const std::string& given = "Eilidh",
                                const std::string& family = "MacDonald") {
  v1::Profile p;
  p.set_given_name(given);
  p.set_family_name(family);
  *p.mutable_birth_date() = Date(2011, 4, 12);
  p.set_life_stage(v1::Profile::SCHOOL);
  p.set_school_stage("S4");
  p.mutable_contact()->set_email("pupil@example.org");
  p.mutable_contact()->set_phone("07700 900123");
  return p;
}

// The field paths of a status's google.rpc.BadRequest, "" if it has none.
inline std::vector<std::string> ViolatedFields(const absl::Status& status) {
  std::vector<std::string> fields;
  auto payload = status.GetPayload(errors::kBadRequestType);
  if (!payload) return fields;
  google::rpc::BadRequest bad;
  bad.ParseFromString(std::string(*payload));
  for (const auto& v : bad.field_violations()) fields.push_back(v.field());
  return fields;
}

}  // namespace careers::testing

#endif  // CAREERS_TESTS_SUPPORT_TEST_DATA_H_
