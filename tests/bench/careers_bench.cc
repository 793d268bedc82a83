// careers-bench: drives one scenario against careers-server and prints the
// calls by gRPC status code, the QPS of OK calls and their latency
// percentiles, as a table or as JSON. Exit codes: 0 the run completed (even
// with non-OK answers, which it reports), 1 it could not connect or prepare
// (e.g. find free slots), 2 usage.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <tuple>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "server/auth/jwt_mint.h"
#include "tests/bench/bench_data.h"
#include "tests/bench/bench_lib.h"
#include "tests/bench/scenarios.h"

namespace careers::bench {
namespace {

constexpr int kUsage = 2;
constexpr int kNoConnection = 1;

int Main(int argc, char** argv) {
  CLI::App app{
      "careers-bench: a load generator for careers-server (gRPC, plaintext)"};
  std::string target = "127.0.0.1:50051";
  std::string token;
  std::string scenario_name;
  std::string key_file;
  ScenarioConfig config;
  config.issuer = data::kDevIssuer;
  config.audience = data::kDevAudience;
  int concurrency = 1;
  double rate = 0;
  std::string duration_text = "10s";
  std::string warmup_text = "2s";
  std::string timeout_text = "10s";
  std::string output = "table";
  int channels = 1;

  std::string scenario_help = "What to call:";
  for (const Scenario& s : Scenarios()) {
    absl::StrAppend(&scenario_help, "\n  ", s.name, ": ", s.help);
  }
  app.add_option("--target", target, "Server address host:port")
      ->capture_default_str();
  auto* token_option = app.add_option(
      "--token", token,
      "Send this bearer token with every call instead of signed ones "
      "(\"\" for none)");
  auto* scenario_option =
      app.add_option("--scenario", scenario_name, scenario_help)->required();
  app.add_option("--jwt-key", key_file,
                 "Private key (PEM) to sign the data set's tokens with, as "
                 "the server's identity provider")
      ->envname("CAREERS_DEV_JWT_KEY");
  app.add_option("--issuer", config.issuer, "`iss` of signed tokens")
      ->capture_default_str();
  app.add_option("--audience", config.audience, "`aud` of signed tokens")
      ->capture_default_str();
  app.add_option("--profiles", config.profiles,
                 "Profiles in the data set (careers-bench-data --profiles)");
  app.add_option("--advisers", config.advisers,
                 "Advisers in the data set (careers-bench-data --advisers)");
  app.add_option("--db-url", config.db_url,
                 "The server's database, for the sql-* baselines");
  app.add_option("--slots", config.slots,
                 "create-appointment: free slots to find before the run")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--seed", config.seed, "Seed of the random choices")
      ->capture_default_str();
  app.add_option("--concurrency", concurrency,
                 "Closed loop: calls in flight at once")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--rate", rate,
                 "Open loop: calls per second, latency from each call's "
                 "intended send time (0: closed loop)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  app.add_option("--duration", duration_text,
                 "Measured window, e.g. 10s, 500ms, 1m")
      ->capture_default_str();
  app.add_option("--warmup", warmup_text, "Unmeasured time before the window")
      ->capture_default_str();
  app.add_option("--timeout", timeout_text,
                 "Deadline of each call; also how long to wait to connect")
      ->capture_default_str();
  app.add_option("--output", output, "table or json")
      ->capture_default_str()
      ->check(CLI::IsMember({"table", "json"}));
  app.add_option("--channels", channels,
                 "Spread the calls over this many channels (connections)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kUsage;
  }

  const Scenario* scenario = FindScenario(scenario_name);
  if (scenario == nullptr) {
    std::cerr << "--scenario: unknown scenario \"" << scenario_name << "\"\n"
              << scenario_option->get_description() << "\n";
    return kUsage;
  }
  RunOptions options;
  options.concurrency = concurrency;
  options.rate = rate;
  config.concurrency = concurrency;
  for (auto [text, out, name] :
       {std::tuple(&duration_text, &options.duration, "--duration"),
        std::tuple(&warmup_text, &options.warmup, "--warmup"),
        std::tuple(&timeout_text, &config.call_timeout, "--timeout")}) {
    const std::optional<absl::Duration> d = ParseDurationFlag(*text);
    if (!d.has_value()) {
      std::cerr << name << ": not a duration: \"" << *text << "\"\n";
      return kUsage;
    }
    *out = *d;
  }
  if (options.duration <= absl::ZeroDuration()) {
    std::cerr << "--duration must be positive\n";
    return kUsage;
  }
  if (token_option->count() > 0) config.token = token;
  if (!key_file.empty()) {
    std::ifstream in(key_file, std::ios::binary);
    config.signing_key.assign(std::istreambuf_iterator<char>(in),
                              std::istreambuf_iterator<char>());
    absl::StatusOr<auth::JwtAlgorithm> algorithm =
        auth::AlgorithmOfPrivateKey(config.signing_key);
    if (!algorithm.ok()) {
      std::cerr << "--jwt-key " << key_file << ": "
                << algorithm.status().message() << "\n";
      return kUsage;
    }
    config.signing_algorithm = *algorithm;
  }
  // Check the scenario's own flags before connecting, so a usage error is
  // not blamed on the network.
  if (absl::Status s = scenario->check(config); !s.ok()) {
    std::cerr << "--scenario " << scenario->name << ": " << s.message() << "\n";
    return kUsage;
  }
  std::optional<std::vector<std::shared_ptr<grpc::Channel>>> connected =
      Connect(target, channels, config.call_timeout);
  if (!connected.has_value()) {
    std::cerr << "careers-bench: could not connect to " << target << "\n";
    return kNoConnection;
  }
  config.channels = std::move(*connected);
  const absl::Time preparing = absl::Now();
  absl::StatusOr<IssueFn> issue = scenario->make(config);
  if (!issue.ok()) {
    std::cerr << "careers-bench: preparing " << scenario->name << ": "
              << issue.status().message() << "\n";
    return kNoConnection;
  }

  std::cerr << absl::StrFormat(
      "careers-bench: %s prepared in %.1f s; running\n", scenario->name,
      absl::ToDoubleSeconds(absl::Now() - preparing));
  const Result result = Run(*issue, options, scenario->expected);
  RunInfo info;
  info.scenario = scenario->name;
  info.target = target;
  info.channels = channels;
  info.options = options;
  std::cout << (output == "json" ? FormatJson(info, result) + "\n"
                                 : FormatTable(info, result));
  return 0;
}

}  // namespace
}  // namespace careers::bench

int main(int argc, char** argv) { return careers::bench::Main(argc, argv); }
