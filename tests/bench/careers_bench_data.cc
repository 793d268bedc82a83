// careers-bench-data: fills a migrated careers database with the benchmark
// data set (see tests/bench/data_generator.h), or grows it to larger counts.
// Exit codes: 0 done, 1 failed, 2 usage.
#include <iostream>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "server/store/database.h"
#include "server/store/db_url.h"
#include "tests/bench/data_generator.h"

namespace careers::bench {
namespace {

int Main(int argc, char** argv) {
  CLI::App app{"careers-bench-data: loads the benchmark data set"};
  std::string db_url;
  GeneratorOptions options;
  bool quiet = false;
  app.add_option("--db-url", db_url, "mysql://user[:password]@host:port/db")
      ->envname("CAREERS_DB_URL")
      ->required();
  app.add_option("--profiles", options.profiles,
                 "Profiles wanted in all (only the missing ones are added)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--advisers", options.advisers, "Advisers wanted in all")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--experiences-per-profile", options.experiences_per_profile,
                 "Experiences of each profile added by this run (0 to 200)")
      ->capture_default_str()
      ->check(CLI::Range(0, 200));
  app.add_option("--weeks", options.weeks,
                 "Weeks of advisers' hours, from today")
      ->capture_default_str()
      ->check(CLI::Range(1, 52));
  app.add_flag("--quiet", quiet, "No progress lines");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  absl::StatusOr<store::DbTarget> target = store::ParseDbUrl(db_url);
  if (!target.ok()) {
    std::cerr << "--db-url: " << target.status().message() << "\n";
    return 2;
  }
  store::DatabaseOptions db_options;
  db_options.target = *target;
  db_options.pool_size = 2;
  db_options.io_timeout = absl::Minutes(30);
  absl::StatusOr<std::unique_ptr<store::Database>> db =
      store::Database::Open(db_options);
  if (!db.ok()) {
    std::cerr << "careers-bench-data: " << db.status().message() << "\n";
    return 1;
  }
  options.today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  const absl::Time start = absl::Now();
  absl::StatusOr<GeneratorSummary> summary =
      GenerateBenchData(**db, options, [quiet, start](const std::string& line) {
        if (!quiet) {
          std::cerr << absl::StrFormat("[%6.1fs] ", absl::ToDoubleSeconds(
                                                        absl::Now() - start))
                    << line << "\n";
        }
      });
  if (!summary.ok()) {
    std::cerr << "careers-bench-data: " << summary.status() << "\n";
    return 1;
  }
  std::cout << absl::StrFormat(
      "profiles %d (+%d), advisers %d (+%d), experiences %d (+%d) in %.1f s\n",
      summary->profiles, summary->profiles_added, summary->advisers,
      summary->advisers_added, summary->experiences, summary->experiences_added,
      absl::ToDoubleSeconds(absl::Now() - start));
  return 0;
}

}  // namespace
}  // namespace careers::bench

int main(int argc, char** argv) { return careers::bench::Main(argc, argv); }
