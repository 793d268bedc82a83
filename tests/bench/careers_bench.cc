// careers-bench: drives one scenario against careers-server and prints the
// calls by gRPC status code, the QPS of OK calls and their latency
// percentiles, as a table or as JSON. Exit codes: 0 the run completed (even
// with non-OK answers, which it reports), 1 it could not connect, 2 usage.
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <tuple>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "tests/bench/bench_lib.h"

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
  std::string profile;
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
  app.add_option("--token", token, "Bearer token sent with every call")
      ->envname("CAREERS_TOKEN");
  auto* scenario_option =
      app.add_option("--scenario", scenario_name, scenario_help)->required();
  app.add_option("--profile", profile,
                 "profiles/{profile} for the profile scenarios");
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
  ScenarioConfig config;
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
  config.token = token;
  config.profile = profile;

  // Connecting before checking the scenario's own flags would blame the
  // network for a usage error, so build a config-only check first.
  {
    ScenarioConfig dry = config;
    if (absl::StatusOr<IssueFn> check = scenario->make(dry); !check.ok()) {
      std::cerr << check.status().message() << "\n";
      return kUsage;
    }
  }
  std::optional<std::vector<std::shared_ptr<grpc::Channel>>> connected =
      Connect(target, channels, config.call_timeout);
  if (!connected.has_value()) {
    std::cerr << "careers-bench: could not connect to " << target << "\n";
    return kNoConnection;
  }
  config.channels = std::move(*connected);
  absl::StatusOr<IssueFn> issue = scenario->make(config);
  if (!issue.ok()) {
    std::cerr << issue.status().message() << "\n";
    return kUsage;
  }

  const Result result = Run(*issue, options);
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
