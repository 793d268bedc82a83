// careersctl: runs the command line against a real channel to --server.
#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "clients/cli/app.h"
#include "clients/cli/channel.h"

int main(int argc, char** argv) {
  return careers::cli::RunCli(std::vector<std::string>(argv + 1, argv + argc),
                              careers::cli::MakeStubs, std::cout, std::cerr,
                              isatty(STDERR_FILENO) == 1);
}
