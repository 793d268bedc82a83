#ifndef CAREERS_TESTS_BENCH_BENCH_DATA_H_
#define CAREERS_TESTS_BENCH_BENCH_DATA_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

// The names of the benchmark data set: careers-bench-data makes it and
// careers-bench calls it, so both take the names from here. Profiles and
// advisers are numbered from 1 without gaps.
namespace careers::bench::data {

inline constexpr char kOrganisationId[] = "bench-org";
inline constexpr char kLocationId[] = "bench-centre";
inline constexpr char kAppointmentTypeId[] = "bench-interview";
inline constexpr char kTimeZone[] = "Europe/London";
// The token claims careers-server expects by default in development
// (ops/run.sh, ops/bench.sh).
inline constexpr char kDevIssuer[] = "https://careers.local/dev";
inline constexpr char kDevAudience[] = "careers-api";

inline std::string ProfileId(int i) {
  return absl::StrFormat("bench-p%07d", i);
}
inline std::string AdviserId(int i) {
  return absl::StrFormat("bench-a%04d", i);
}
// The adviser's token `sub`.
inline std::string AdviserSubject(int i) {
  return absl::StrFormat("bench-adviser-%04d", i);
}
// The person's token `sub`.
inline std::string PersonSubject(int i) {
  return absl::StrFormat("bench-person-%07d", i);
}
inline std::string ExperienceId(int i) {
  return absl::StrFormat("bench-e%03d", i);
}
inline std::string OrganisationName() {
  return absl::StrCat("organisations/", kOrganisationId);
}
inline std::string AppointmentTypeName() {
  return absl::StrCat("appointmentTypes/", kAppointmentTypeId);
}

}  // namespace careers::bench::data

#endif  // CAREERS_TESTS_BENCH_BENCH_DATA_H_
