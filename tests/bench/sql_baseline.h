#ifndef CAREERS_TESTS_BENCH_SQL_BASELINE_H_
#define CAREERS_TESTS_BENCH_SQL_BASELINE_H_

#include "absl/status/statusor.h"
#include "tests/bench/bench_lib.h"
#include "tests/bench/scenarios.h"

// The raw-SQL baselines: what get-profile and create-appointment cost the
// database, measured through careers-server's own store classes, pool
// (sized as the server sizes it for --concurrency) and driver, with no
// gRPC, token checks or domain rules. Each call runs synchronously on one
// of --concurrency worker threads, so "calls in flight" means the same as
// for the gRPC scenarios.
namespace careers::bench {

// The statements of GetProfile by an adviser: the adviser's account (token
// check), the consent (access policy), the profile, and its access event
// (batched, as in the server).
absl::StatusOr<IssueFn> MakeSqlGetProfile(const ScenarioConfig& config);

// The statements of CreateAppointment by a person: the appointment type,
// then one booking transaction (request log, person and adviser locks,
// facts, insert, reminders), with a decision that books the slot as asked.
absl::StatusOr<IssueFn> MakeSqlCreateAppointment(const ScenarioConfig& config);

}  // namespace careers::bench

#endif  // CAREERS_TESTS_BENCH_SQL_BASELINE_H_
