// careersctl: runs the command line against a real channel to --server.
#include <stdlib.h>
#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "clients/cli/app.h"
#include "clients/cli/channel.h"

int main(int argc, char** argv) {
  // careersctl prints every failed call as `error: CODE: message`, so gRPC's
  // own log lines (a failed TLS handshake...) would only repeat it.
  // GRPC_VERBOSITY=debug in the environment still shows them.
  setenv("GRPC_VERBOSITY", "NONE", /*overwrite=*/0);
  return careers::cli::RunCli(std::vector<std::string>(argv + 1, argv + argc),
                              careers::cli::MakeStubs, std::cout, std::cerr,
                              isatty(STDERR_FILENO) == 1);
}
