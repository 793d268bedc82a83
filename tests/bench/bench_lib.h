#ifndef CAREERS_TESTS_BENCH_BENCH_LIB_H_
#define CAREERS_TESTS_BENCH_BENCH_LIB_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

// careers-bench: a load generator for careers-server on gRPC's callback
// client API. A scenario issues one call and reports its status code; the
// runner drives it closed loop (N calls in flight) or open loop (a fixed
// rate, latency measured from each call's intended send time, so a slow
// server cannot hide its queueing: no coordinated omission).
namespace careers::bench {

// Called once per finished call with its status code.
using StatusCallback = std::function<void(grpc::StatusCode)>;
// Starts one call; `done` runs on a gRPC thread when it finishes.
// Thread-safe.
using IssueFn = std::function<void(StatusCallback done)>;

struct RunOptions {
  int concurrency = 1;  // closed loop: calls in flight
  double rate = 0;      // open loop: calls per second; 0 for closed loop
  absl::Duration duration = absl::Seconds(10);
  absl::Duration warmup = absl::Seconds(2);
};

// Latencies of answered calls in the measured window, and every call's
// code.
struct Result {
  std::map<grpc::StatusCode, int64_t> codes;  // calls by status code
  grpc::StatusCode expected = grpc::StatusCode::OK;
  int64_t ok = 0;
  int64_t answered = 0;  // OK or `expected`
  double seconds = 0;    // the measured window
  double qps = 0;        // OK calls per second of the window
  double answered_qps = 0;
  // Of answered calls, in nanoseconds, by nearest rank; 0 without any.
  int64_t p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0;
  double mean = 0;
};

// Runs `issue` for warmup + duration, then waits for the calls in flight.
// Calls count if their (intended) send time falls in the measured window.
// Answers with `expected` (a refusal the scenario is about, such as
// FAILED_PRECONDITION for a slot already taken) are timed like OK ones.
Result Run(const IssueFn& issue, const RunOptions& options,
           grpc::StatusCode expected = grpc::StatusCode::OK);

// The nearest-rank percentile `p` (0 < p <= 100) of sorted `samples`.
int64_t Percentile(const std::vector<int64_t>& sorted, double p);

// "OK", "UNAUTHENTICATED", ...
std::string CodeName(grpc::StatusCode code);

// "10s", "500ms", "1m"; a bare number is seconds.
std::optional<absl::Duration> ParseDurationFlag(const std::string& text);

// Describes a run for the reports.
struct RunInfo {
  std::string scenario;
  std::string target;
  int channels = 1;
  RunOptions options;
};

std::string FormatJson(const RunInfo& info, const Result& result);
std::string FormatTable(const RunInfo& info, const Result& result);

// `channels` plaintext channels to `target`, each on a connection of its
// own; false if any does not connect within `timeout`.
std::optional<std::vector<std::shared_ptr<grpc::Channel>>> Connect(
    const std::string& target, int channels, absl::Duration timeout);

}  // namespace careers::bench

#endif  // CAREERS_TESTS_BENCH_BENCH_LIB_H_
