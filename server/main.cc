// careers-server: flags and environment → Config → RunServer.
#include <signal.h>

#include <variant>

#include "server/common/logging.h"
#include "server/config.h"
#include "server/server.h"
#include "spdlog/sinks/stdout_color_sinks.h"

int main(int argc, char** argv) {
  // Block SIGTERM/SIGINT before any thread starts, so that only RunServer's
  // sigwait sees them. A shell may start us with SIGINT ignored (background
  // jobs); an ignored signal is dropped even when blocked, so reset first.
  signal(SIGTERM, SIG_DFL);
  signal(SIGINT, SIG_DFL);
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto parsed = careers::ParseConfig(argc, argv);
  if (const int* exit_code = std::get_if<int>(&parsed)) return *exit_code;
  const careers::Config& config = std::get<careers::Config>(parsed);

  auto logger = spdlog::stderr_color_mt("careers");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%fZ %^%l%$ %v",
                      spdlog::pattern_time_type::utc);
  logger->set_level(spdlog::level::from_str(config.log_level));
  spdlog::set_default_logger(logger);
  return careers::RunServer(config);
}
