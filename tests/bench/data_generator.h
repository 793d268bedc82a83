#ifndef CAREERS_TESTS_BENCH_DATA_GENERATOR_H_
#define CAREERS_TESTS_BENCH_DATA_GENERATOR_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "server/store/database.h"

// Fills a migrated careers database with the benchmark data set (names in
// tests/bench/bench_data.h): one organisation with a location and a 30
// minute appointment type, advisers with weekday hours, and profiles shared
// with the organisation, each with experiences tagged with meta-skills.
//
// The first adviser, profile and its experiences are made through the
// domain rules, like any caller's; the rest are copies of those rows made
// in the database (INSERT ... SELECT from MariaDB's sequence engine, in
// batches), which is how a million profiles load in a minute. Running it
// again with larger counts adds only the missing rows, so the data can grow
// from one scale to the next between benchmark runs.
namespace careers::bench {

struct GeneratorOptions {
  int profiles = 10'000;
  int advisers = 500;
  // For profiles added by this run; those already there keep theirs.
  int experiences_per_profile = 100;
  int weeks = 8;            // of availability from `today`
  absl::CivilDay today;     // the first day of the advisers' hours
  int batch_rows = 50'000;  // rows per INSERT ... SELECT
};

struct GeneratorSummary {
  int64_t profiles_added = 0;
  int64_t advisers_added = 0;
  int64_t experiences_added = 0;
  int64_t profiles = 0;  // after the run
  int64_t advisers = 0;
  int64_t experiences = 0;
};

// `progress` gets a line now and then. Not thread-safe with itself: run one
// generator per database at a time.
absl::StatusOr<GeneratorSummary> GenerateBenchData(
    store::Database& db, const GeneratorOptions& options,
    const std::function<void(const std::string&)>& progress);

}  // namespace careers::bench

#endif  // CAREERS_TESTS_BENCH_DATA_GENERATOR_H_
