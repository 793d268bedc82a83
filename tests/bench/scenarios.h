#ifndef CAREERS_TESTS_BENCH_SCENARIOS_H_
#define CAREERS_TESTS_BENCH_SCENARIOS_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/auth/jwt_keys.h"
#include "tests/bench/bench_lib.h"

// What careers-bench can call. Every scenario but `health` calls the
// benchmark data set of careers-bench-data (tests/bench/bench_data.h) with
// tokens it signs itself, as the identity provider would: advisers for the
// staff calls (which go through consent checks and the access log),
// people for their own data. The `sql-*` scenarios are the raw-SQL
// baselines: the statements of a gRPC scenario through the server's own
// store, pool and driver, with no gRPC, tokens or domain rules.
namespace careers::bench {

// What every scenario gets.
struct ScenarioConfig {
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  // --token: sent with every call instead of the signed ones (to see how
  // bad tokens are answered).
  std::optional<std::string> token;
  std::string signing_key;  // PEM private key (ES256 or RS256)
  auth::JwtAlgorithm signing_algorithm = auth::JwtAlgorithm::kEs256;
  std::string issuer;
  std::string audience;
  int profiles = 0;  // in the data set
  int advisers = 0;
  std::string db_url;  // the sql-* baselines
  int concurrency = 1;
  int slots = 40'000;  // create-appointment: free slots to find first
  uint64_t seed = 1;
  absl::Duration call_timeout = absl::Seconds(10);
};

// One entry of the scenario table.
struct Scenario {
  const char* name;
  const char* help;
  // A refusal that is the point of the scenario (timed like OK); OK if none.
  grpc::StatusCode expected = grpc::StatusCode::OK;
  // Checks the flags without connecting.
  std::function<absl::Status(const ScenarioConfig&)> check;
  // Prepares (it may call the server, e.g. to find free slots) and builds
  // the issuer.
  std::function<absl::StatusOr<IssueFn>(const ScenarioConfig&)> make;
};

// A free slot of a bench adviser.
struct BenchSlot {
  std::string adviser_id;
  absl::Time start;
};

// Up to `count` free slots of the bench appointment type, asked of the
// server (SearchAvailability per adviser, from the first adviser or the
// last), in round-robin order over the advisers.
absl::StatusOr<std::vector<BenchSlot>> FindFreeSlots(
    const ScenarioConfig& config, int count, bool from_last_adviser);

// All scenarios, in the order --help lists them.
const std::vector<Scenario>& Scenarios();
const Scenario* FindScenario(absl::string_view name);

}  // namespace careers::bench

#endif  // CAREERS_TESTS_BENCH_SCENARIOS_H_
