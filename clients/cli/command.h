#ifndef CAREERS_CLIENTS_CLI_COMMAND_H_
#define CAREERS_CLIENTS_CLI_COMMAND_H_

#include <functional>
#include <ostream>

#include "careers/v1/booking_service.grpc.pb.h"
#include "careers/v1/change_service.grpc.pb.h"
#include "careers/v1/consent_service.grpc.pb.h"
#include "careers/v1/directory_service.grpc.pb.h"
#include "careers/v1/profile_service.grpc.pb.h"
#include "careers/v1/skills_service.grpc.pb.h"
#include "clients/cli/output.h"
#include "clients/cli/rpc.h"
#include "clients/cli/stubs.h"

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
// parsed. Borrows the stubs and streams.
struct CommandEnv {
  Stubs& stubs;
  CallOptions call;
  OutputFormat output;
  std::ostream& out;
  std::ostream& err;
  bool err_is_terminal = false;  // progress may be drawn on `err`
};

// The stub of service `Stub` (a generated StubInterface).
template <typename Stub>
Stub& ServiceStub(CommandEnv& env);
template <>
inline v1::ProfileService::StubInterface& ServiceStub(CommandEnv& env) {
  return *env.stubs.profiles;
}
template <>
inline v1::DirectoryService::StubInterface& ServiceStub(CommandEnv& env) {
  return *env.stubs.directory;
}
template <>
inline v1::ConsentService::StubInterface& ServiceStub(CommandEnv& env) {
  return *env.stubs.consents;
}
template <>
inline v1::BookingService::StubInterface& ServiceStub(CommandEnv& env) {
  return *env.stubs.booking;
}
template <>
inline v1::SkillsService::StubInterface& ServiceStub(CommandEnv& env) {
  return *env.stubs.skills;
}
template <>
inline v1::ChangeService::StubInterface& ServiceStub(CommandEnv& env) {
  return *env.stubs.changes;
}

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
  // A body registered with `uses_server` false makes no RPC: no channel is
  // opened for it (its CommandEnv has empty stubs) and the connection flags
  // are not checked.
  void Register(CLI::App& cmd, CommandBody body, bool uses_server = true);

  // The selected body; empty when no leaf command was parsed.
  const CommandBody& selected() const { return selected_; }

  // Whether the selected body calls the server.
  bool uses_server() const { return uses_server_; }

 private:
  CommandBody selected_;
  bool uses_server_ = true;
};

// Add the command groups to `root`: `profiles` (profiles_commands.cc),
// `goals` and `actions` (plan_commands.cc), `organisations`, `advisers` and
// `locations` (directory_commands.cc), `consents`, `guardian-links` and
// `access-events` (consent_commands.cc), `token` (token_commands.cc),
// `appointment-types`, `availability`, `slots`, `appointments`, `agenda`,
// `calendar` and `waitlist` (booking_commands.cc); `experiences`,
// `attestations`, `skills summary` and `export` (experience_commands.cc);
// `changes` (change_commands.cc).
void AddProfileCommands(CLI::App& root, CommandSelection& selection);
void AddGoalCommands(CLI::App& root, CommandSelection& selection);
void AddActionCommands(CLI::App& root, CommandSelection& selection);
void AddOrganisationCommands(CLI::App& root, CommandSelection& selection);
void AddAdviserCommands(CLI::App& root, CommandSelection& selection);
void AddLocationCommands(CLI::App& root, CommandSelection& selection);
void AddConsentCommands(CLI::App& root, CommandSelection& selection);
void AddGuardianLinkCommands(CLI::App& root, CommandSelection& selection);
void AddAccessEventCommands(CLI::App& root, CommandSelection& selection);
void AddTokenCommands(CLI::App& root, CommandSelection& selection);
void AddAppointmentTypeCommands(CLI::App& root, CommandSelection& selection);
void AddAvailabilityCommands(CLI::App& root, CommandSelection& selection);
void AddSlotCommands(CLI::App& root, CommandSelection& selection);
void AddAppointmentCommands(CLI::App& root, CommandSelection& selection);
void AddAgendaCommand(CLI::App& root, CommandSelection& selection);
void AddCalendarCommands(CLI::App& root, CommandSelection& selection);
void AddWaitlistCommands(CLI::App& root, CommandSelection& selection);
void AddExperienceCommands(CLI::App& root, CommandSelection& selection);
void AddAttestationCommands(CLI::App& root, CommandSelection& selection);
// Adds `summary` to the `skills` group, making the group if it is not there
// yet: call it after the command adding the `skills` group.
void AddSkillsSummaryCommand(CLI::App& root, CommandSelection& selection);
void AddExportCommand(CLI::App& root, CommandSelection& selection);
// `skills search|get|create|import-esco` (skills_commands.cc): makes the
// `skills` group.
void AddSkillCommands(CLI::App& root, CommandSelection& selection);
// `changes list|watch` (change_commands.cc): the change feed.
void AddChangeCommands(CLI::App& root, CommandSelection& selection);

}  // namespace careers::cli

#endif  // CAREERS_CLIENTS_CLI_COMMAND_H_
