#ifndef CAREERS_CLIENTS_CLI_COMMAND_H_
#define CAREERS_CLIENTS_CLI_COMMAND_H_

#include <functional>
#include <ostream>

#include "careers/v1/profile_service.grpc.pb.h"
#include "clients/cli/output.h"
#include "clients/cli/rpc.h"

namespace CLI {
class App;
}  // namespace CLI

// What a careersctl command runs with, and how the parsed command line picks
// the one to run.
namespace careers::cli {

// Exit codes of careersctl.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRpcFailed = 1;
inline constexpr int kExitUsage = 2;

// Everything a command needs at run time, made once the command line is
// parsed. Borrows the stub and streams.
struct CommandEnv {
  v1::ProfileService::StubInterface& stub;
  CallOptions call;
  OutputFormat output;
  std::ostream& out;
  std::ostream& err;
};

// A command's body: makes its calls, prints, returns the exit code.
using CommandBody = std::function<int(CommandEnv& env)>;

// Records which leaf command the parsed command line selected. Must outlive
// the CLI::App it registers on. Not copyable; thread-compatible.
class CommandSelection {
 public:
  CommandSelection() = default;
  CommandSelection(const CommandSelection&) = delete;
  CommandSelection& operator=(const CommandSelection&) = delete;

  // Makes `body` the one to run when `cmd` is on the parsed command line.
  void Register(CLI::App& cmd, CommandBody body);

  // The selected body; empty when no leaf command was parsed.
  const CommandBody& selected() const { return selected_; }

 private:
  CommandBody selected_;
};

// Add the command groups to `root`: `profiles` (profiles_commands.cc),
// `goals` and `actions` (plan_commands.cc).
void AddProfileCommands(CLI::App& root, CommandSelection& selection);
void AddGoalCommands(CLI::App& root, CommandSelection& selection);
void AddActionCommands(CLI::App& root, CommandSelection& selection);

}  // namespace careers::cli

#endif  // CAREERS_CLIENTS_CLI_COMMAND_H_
