#ifndef CAREERS_CLIENTS_CLI_APP_H_
#define CAREERS_CLIENTS_CLI_APP_H_

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "clients/cli/channel.h"
#include "clients/cli/stubs.h"

// careersctl's entry point: the global flags and the command tree, with the
// stub injected so tests can run any command line against a mock.
namespace careers::cli {

// Makes the stubs for the --server address and TLS flags. main.cc passes
// MakeStubs (a real channel); tests pass a factory returning the generated
// mock stubs.
using StubFactory = std::function<Stubs(const ChannelOptions& channel)>;

// Runs careersctl on `args` (argv without the program name), printing
// results to `out` and errors and usage to `err` (help goes to `out`).
// Returns the exit code: 0 success (and --help), 1 an RPC failed, 2 a usage
// error. `stub_factory` is called only when a command that calls the server
// is going to run (not for --help, usage errors or `token mint`).
// `err_is_terminal` says whether `err` is a terminal (commands then show
// progress there).
int RunCli(const std::vector<std::string>& args,
           const StubFactory& stub_factory, std::ostream& out,
           std::ostream& err, bool err_is_terminal = false);

}  // namespace careers::cli

#endif  // CAREERS_CLIENTS_CLI_APP_H_
