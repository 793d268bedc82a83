// A few-second smoke run of careers-bench (tests/bench) against the real
// server: closed and open loop on Health/Check, GetProfile with and without
// a token (the calls are counted by status code), and its exit codes.
#include <string>
#include <vector>

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

TEST_F(BenchSmokeE2eTest, GetProfileCountsCallsByStatusCode) {
  ASSERT_TRUE(StartServer());
  const v1::Profile profile = CreateProfile("bench-pupil");
  ASSERT_EQ(profile.name(), "profiles/bench-pupil");

  ExpectAllOk(
      Bench({"--scenario", "get-profile", "--profile", profile.name(),
             "--concurrency", "4", "--token", TestIssuer::Get().Admin()}));

  // Without a token every answer is UNAUTHENTICATED, and none is counted
  // as a success.
  const nlohmann::json denied =
      Bench({"--scenario", "get-profile", "--profile", profile.name(),
             "--concurrency", "4", "--token", ""});
  ASSERT_TRUE(denied.is_object());
  EXPECT_EQ(denied["ok"], 0) << denied.dump(2);
  EXPECT_GT(denied["codes"].value("UNAUTHENTICATED", int64_t{0}), 0)
      << denied.dump(2);
  EXPECT_EQ(denied["codes"].size(), 1u) << denied.dump(2);
  EXPECT_EQ(denied["qps"], 0.0);
}

TEST_F(BenchSmokeE2eTest, ExitCodes) {
  // Usage errors: 2.
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{
           {"--scenario", "no-such-scenario"},
           {"--scenario", "health", "--duration", "soon"},
           {"--scenario", "get-profile"},
           {"--scenario", "health", "--concurrency", "0"}}) {
    std::vector<std::string> argv = {CAREERS_BENCH_BIN};
    argv.insert(argv.end(), args.begin(), args.end());
    EXPECT_EQ(testing::RunProcess(argv).exit_code, 2) << args[1];
  }
  // Nothing listening: 1.
  const testing::RunResult unreachable = testing::RunProcess(
      {CAREERS_BENCH_BIN, "--target", "127.0.0.1:1", "--scenario", "health",
       "--timeout", "1s", "--duration", "1s"});
  EXPECT_EQ(unreachable.exit_code, 1) << unreachable.err;
}

}  // namespace
}  // namespace careers::e2e
