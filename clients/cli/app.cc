#include "clients/cli/app.h"

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "clients/cli/command.h"
#include "clients/cli/flags.h"

namespace careers::cli {
namespace {

// Values of the global flags, as typed.
struct GlobalFlags {
  std::string server = "127.0.0.1:50051";
  std::string output = "table";
  std::string timeout = "10s";
  std::string token;
  std::string access_reason;
  TlsFlags tls;
};

void AddGlobalFlags(CLI::App& app, GlobalFlags& flags) {
  app.add_option("--server", flags.server, "Server address, host:port")
      ->envname("CAREERS_SERVER")
      ->capture_default_str();
  app.add_option("-o,--output", flags.output, "Output format")
      ->check(CLI::IsMember({"table", "json"}).description(""))
      ->type_name("table|json")
      ->capture_default_str();
  app.add_option("--timeout", flags.timeout,
                 "Deadline of each RPC attempt: 500ms, 10s, 1m")
      ->check(CLI::Validator(
          [](std::string& value) {
            return std::string(ParseTimeout(value).status().message());
          },
          ""))
      ->type_name("DURATION")
      ->capture_default_str();
  app.add_option("--token", flags.token,
                 "Bearer token sent as `authorization: Bearer TOKEN`")
      ->envname("CAREERS_TOKEN");
  app.add_option("--access-reason", flags.access_reason,
                 "Why you are accessing the data, e.g. \"preparing for "
                 "appointments/ID\": sent as `access-reason` metadata on every "
                 "call and shown on the person's access record (at most 200 "
                 "characters)")
      ->type_name("TEXT");
  app.add_flag("--tls", flags.tls.tls,
               "Connect with TLS, verifying the server against the system's "
               "root certificates");
  app.add_option("--tls-ca", flags.tls.ca_file,
                 "Connect with TLS, verifying the server against this PEM CA "
                 "certificate instead of the system's roots")
      ->type_name("FILE")
      ->envname("CAREERS_TLS_CA");
  app.add_option("--tls-cert", flags.tls.cert_file,
                 "Client certificate chain (PEM) for mutual TLS; needs "
                 "--tls-key")
      ->type_name("FILE")
      ->envname("CAREERS_TLS_CERT");
  app.add_option("--tls-key", flags.tls.key_file,
                 "Private key (PEM) of --tls-cert")
      ->type_name("FILE")
      ->envname("CAREERS_TLS_KEY");
}

}  // namespace

int RunCli(const std::vector<std::string>& args,
           const StubFactory& stub_factory, std::ostream& out,
           std::ostream& err, bool err_is_terminal) {
  CLI::App app(
      "Admin and testing client of the careers ProfileService, "
      "DirectoryService, ConsentService, BookingService, SkillsService and "
      "ChangeService.",
      "careersctl");
  // Global flags may also follow the subcommands.
  app.fallthrough();
  app.require_subcommand(1);
  app.failure_message([](const CLI::App*, const CLI::Error& e) {
    return std::string("error: ") + e.what() +
           "\nRun with --help for more information.\n";
  });
  GlobalFlags globals;
  AddGlobalFlags(app, globals);
  CommandSelection selection;
  AddProfileCommands(app, selection);
  AddGoalCommands(app, selection);
  AddActionCommands(app, selection);
  AddOrganisationCommands(app, selection);
  AddAdviserCommands(app, selection);
  AddLocationCommands(app, selection);
  AddConsentCommands(app, selection);
  AddGuardianLinkCommands(app, selection);
  AddAccessEventCommands(app, selection);
  AddAppointmentTypeCommands(app, selection);
  AddAvailabilityCommands(app, selection);
  AddSlotCommands(app, selection);
  AddAppointmentCommands(app, selection);
  AddAgendaCommand(app, selection);
  AddCalendarCommands(app, selection);
  AddWaitlistCommands(app, selection);
  AddExperienceCommands(app, selection);
  AddAttestationCommands(app, selection);
  AddExportCommand(app, selection);
  AddSkillCommands(app, selection);
  AddChangeCommands(app, selection);
  AddTokenCommands(app, selection);
  // Last: adds to the `skills` group whichever command made it.
  AddSkillsSummaryCommand(app, selection);

  try {
    // CLI11 takes the arguments in reverse order.
    app.parse(std::vector<std::string>(args.rbegin(), args.rend()));
  } catch (const CLI::ParseError& e) {
    // Prints help for --help, else the error; CLI11's own codes become 2.
    return app.exit(e, out, err) == 0 ? kExitOk : kExitUsage;
  }
  if (!selection.selected()) {
    err << app.help();
    return kExitUsage;
  }
  Stubs stubs;
  if (selection.uses_server()) {
    absl::StatusOr<ChannelOptions> channel =
        MakeChannelOptions(globals.server, globals.tls);
    if (!channel.ok()) {
      err << "error: " << channel.status().message() << "\n";
      return kExitUsage;
    }
    stubs = stub_factory(*channel);
  }
  CommandEnv env{
      stubs,
      CallOptions{*ParseTimeout(globals.timeout), globals.token,
                  globals.access_reason},
      globals.output == "json" ? OutputFormat::kJson : OutputFormat::kTable,
      out,
      err,
      err_is_terminal};
  return selection.selected()(env);
}

}  // namespace careers::cli
