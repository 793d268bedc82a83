// A smoke run of the benchmark tools (tests/bench) against the real server:
// careers-bench-data loads (and grows) a tiny data set, and careers-bench
// runs every scenario on it for a second, closed and open loop, counting
// answers by status code; and its exit codes.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/e2e/e2e_fixture.h"

namespace careers::e2e {
namespace {

class BenchSmokeE2eTest : public E2eTest {
 protected:
  // Runs careers-bench --target SERVER --output json ARGS... for about a
  // second; ASSERTs through the returned JSON ("null" on failure).
  nlohmann::json Bench(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {
        CAREERS_BENCH_BIN, "--target", server().address(), "--output", "json",
        "--duration",      "1s",       "--warmup",         "200ms"};
    argv.insert(argv.end(), args.begin(), args.end());
    const testing::RunResult run = testing::RunProcess(argv);
    EXPECT_EQ(run.exit_code, 0) << run.err;
    nlohmann::json json = nlohmann::json::parse(run.out, nullptr, false);
    EXPECT_FALSE(json.is_discarded()) << run.out;
    return json.is_discarded() ? nlohmann::json() : json;
  }

  // Only OK answers, some of them, and sane percentiles.
  static void ExpectAllOk(const nlohmann::json& json) {
    ASSERT_TRUE(json.is_object());
    EXPECT_GT(json["ok"].get<int64_t>(), 0) << json.dump(2);
    EXPECT_EQ(json["codes"].size(), 1u) << json.dump(2);
    EXPECT_EQ(json["codes"].value("OK", int64_t{0}), json["ok"].get<int64_t>());
    EXPECT_GT(json["qps"].get<double>(), 0);
    const nlohmann::json& latency = json["latency_us"];
    EXPECT_GT(latency["p50"].get<double>(), 0);
    EXPECT_LE(latency["p50"].get<double>(), latency["p90"].get<double>());
    EXPECT_LE(latency["p90"].get<double>(), latency["p99"].get<double>());
    EXPECT_LE(latency["p99"].get<double>(), latency["p99.9"].get<double>());
    EXPECT_LE(latency["p99.9"].get<double>(), latency["max"].get<double>());
  }
};

TEST_F(BenchSmokeE2eTest, HealthCheckClosedAndOpenLoop) {
  ASSERT_TRUE(StartServer());
  const nlohmann::json closed =
      Bench({"--scenario", "health", "--concurrency", "4", "--channels", "2"});
  ExpectAllOk(closed);
  EXPECT_EQ(closed["mode"], "closed");

  const nlohmann::json open = Bench({"--scenario", "health", "--rate", "200"});
  ExpectAllOk(open);
  EXPECT_EQ(open["mode"], "open");
  // 200 calls/s for 1 s, every one answered.
  EXPECT_NEAR(open["ok"].get<double>(), 200, 5) << open.dump(2);
}

// Loads the bench data set into the test's database (as ops/bench.sh does,
// at a tiny scale) and returns careers-bench-data's summary line.
std::string LoadData(const std::string& db_url, int profiles, int advisers,
                     int experiences) {
  const testing::RunResult run = testing::RunProcess(
      {CAREERS_BENCH_DATA_BIN, "--db-url", db_url, "--quiet", "--profiles",
       std::to_string(profiles), "--advisers", std::to_string(advisers),
       "--experiences-per-profile", std::to_string(experiences)});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  return run.out;
}

TEST_F(BenchSmokeE2eTest, EveryScenarioAnswersOkOnTheGeneratedData) {
  ASSERT_TRUE(StartServer());
  using ::testing::StartsWith;
  EXPECT_THAT(LoadData(db().Url(), 30, 5, 3),
              StartsWith("profiles 30 (+30), advisers 5 (+5), experiences 90 "
                         "(+90) in "));
  // Grown: only the missing rows are added, one experience each.
  EXPECT_THAT(LoadData(db().Url(), 40, 6, 1),
              StartsWith("profiles 40 (+10), advisers 6 (+1), experiences "
                         "100 (+10) in "));

  const std::vector<std::string> data = {
      "--jwt-key",  TestIssuer::Get().private_key_file(),
      "--issuer",   TestIssuer::kIssuer,
      "--profiles", "40",
      "--advisers", "6",
      "--db-url",   db().Url()};
  auto with = [&](std::vector<std::string> args) {
    args.insert(args.end(), data.begin(), data.end());
    return args;
  };
  // Reads closed loop; writes at a modest fixed rate, so the run books a
  // known number of slots.
  for (const char* scenario :
       {"get-profile", "list-profiles", "search-availability",
        "get-skills-summary", "sql-get-profile"}) {
    SCOPED_TRACE(scenario);
    ExpectAllOk(Bench(with({"--scenario", scenario, "--concurrency", "4"})));
  }
  for (const char* scenario :
       {"update-profile", "create-experience", "create-appointment",
        "sql-create-appointment"}) {
    SCOPED_TRACE(scenario);
    const nlohmann::json json =
        Bench(with({"--scenario", scenario, "--rate", "40", "--slots", "200"}));
    ExpectAllOk(json);
    EXPECT_NEAR(json["ok"].get<double>(), 40, 2) << json.dump(2);
  }

  // Everyone after the same slot: exactly one booking, every other answer
  // FAILED_PRECONDITION (timed as the expected answer).
  const nlohmann::json hot = Bench(
      with({"--scenario", "create-appointment-hot", "--concurrency", "4"}));
  ASSERT_TRUE(hot.is_object());
  EXPECT_LE(hot["ok"].get<int64_t>(), 1) << hot.dump(2);
  EXPECT_GT(hot["codes"].value("FAILED_PRECONDITION", int64_t{0}), 10)
      << hot.dump(2);
  EXPECT_EQ(hot["codes"].size(), hot["ok"] == 1 ? 2u : 1u) << hot.dump(2);
  EXPECT_EQ(hot["expected"], "FAILED_PRECONDITION");

  // With a bad token every answer is UNAUTHENTICATED, and none is counted
  // as a success.
  const nlohmann::json denied = Bench(with(
      {"--scenario", "get-profile", "--concurrency", "4", "--token", "bogus"}));
  ASSERT_TRUE(denied.is_object());
  EXPECT_EQ(denied["ok"], 0) << denied.dump(2);
  EXPECT_GT(denied["codes"].value("UNAUTHENTICATED", int64_t{0}), 0)
      << denied.dump(2);
  EXPECT_EQ(denied["codes"].size(), 1u) << denied.dump(2);
  EXPECT_EQ(denied["qps"], 0.0);
}

TEST_F(BenchSmokeE2eTest, UsageErrorsExitTwoBeforeConnecting) {
  // No server: a usage error must be reported as such, not as "could not
  // connect".
  const testing::RunResult no_data =
      testing::RunProcess({CAREERS_BENCH_BIN, "--target", "127.0.0.1:1",
                           "--scenario", "get-profile"});
  EXPECT_EQ(no_data.exit_code, 2);
  EXPECT_THAT(no_data.err, ::testing::HasSubstr("--profiles"));
  const testing::RunResult unknown = testing::RunProcess(
      {CAREERS_BENCH_BIN, "--target", "127.0.0.1:1", "--scenario", "nope"});
  EXPECT_EQ(unknown.exit_code, 2);
  const testing::RunResult no_db =
      testing::RunProcess({CAREERS_BENCH_BIN, "--target", "127.0.0.1:1",
                           "--scenario", "sql-get-profile", "--profiles", "1",
                           "--advisers", "1", "--token", "x"});
  EXPECT_EQ(no_db.exit_code, 2);
  EXPECT_THAT(no_db.err, ::testing::HasSubstr("--db-url"));
}

}  // namespace
}  // namespace careers::e2e
