#ifndef CAREERS_CLIENTS_CLI_APP_H_
#define CAREERS_CLIENTS_CLI_APP_H_

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "careers/v1/profile_service.grpc.pb.h"

// careersctl's entry point: the global flags and the command tree, with the
// stub injected so tests can run any command line against a mock.
namespace careers::cli {

// Makes the stub for the --server address. main.cc passes MakeStub (a real
// channel); tests pass a factory returning a MockProfileServiceStub.
using StubFactory =
    std::function<std::unique_ptr<v1::ProfileService::StubInterface>(
        const std::string& address)>;

// Runs careersctl on `args` (argv without the program name), printing
// results to `out` and errors and usage to `err` (help goes to `out`).
// Returns the exit code: 0 success (and --help), 1 an RPC failed, 2 a usage
// error. `stub_factory` is called only when a command is going to run.
int RunCli(const std::vector<std::string>& args,
           const StubFactory& stub_factory, std::ostream& out,
           std::ostream& err);

}  // namespace careers::cli

#endif  // CAREERS_CLIENTS_CLI_APP_H_
