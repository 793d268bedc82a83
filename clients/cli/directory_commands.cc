// `careersctl organisations|advisers|locations ...`: the flag tables of the
// directory and their commands, and `advisers import`.
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "careers/v1/directory_service.grpc.pb.h"
#include "clients/cli/adviser_import.h"
#include "clients/cli/command.h"
#include "clients/cli/resource_flags.h"
#include "clients/cli/standard_commands.h"

namespace careers::cli {
namespace {

using v1::Adviser;
using v1::Location;
using v1::Organisation;
using Stub = v1::DirectoryService::StubInterface;

std::vector<FieldFlagSpec> OrganisationFieldFlags() {
  return {
      {"--display-name", "display_name", "Name shown to people"},
      {"--kind", "kind", "What kind of organisation it is"},
      {"--region", "region", "Where it works"},
      {"--parent", "parent",
       "The organisation it belongs to: organisations/{organisation}"},
      {"--website", "website_uri", "Web site, http:// or https://"},
  };
}

std::vector<FilterFlagSpec> OrganisationFilterFlags() {
  return {
      {"--kind", "kind", "Only this kind", Organisation::Kind_descriptor()},
      {"--region", "region", "Only this region (ignoring case)"},
      {"--parent", "parent",
       "Only organisations belonging to organisations/{organisation}"},
  };
}

// The fields of an adviser that may change; create adds --organisation.
std::vector<FieldFlagSpec> AdviserFieldFlags(bool with_organisation) {
  std::vector<FieldFlagSpec> flags;
  if (with_organisation) {
    flags.push_back({"--organisation", "organisation",
                     "Works for organisations/{organisation} (cannot change "
                     "later)"});
  }
  const std::vector<FieldFlagSpec> rest = {
      {"--display-name", "display_name", "Name shown to people"},
      {"--language",
       "language_codes",
       "Language the adviser works in",
       {"en", "cy", "gd"}},
      {"--channel", "channels", "How the adviser meets people"},
      {"--specialism", "specialisms", "Topic the adviser knows well"},
      {"--active", "active", "Whether the adviser takes appointments"},
      {"--email", "email", "Work email address"},
      {"--subject", "subject",
       "The identity provider's subject (sub) of the adviser's sign-in"},
  };
  flags.insert(flags.end(), rest.begin(), rest.end());
  return flags;
}

std::vector<FilterFlagSpec> AdviserFilterFlags() {
  FilterFlagSpec active{"--active", "active",
                        "Only advisers who are (or are not) active"};
  active.boolean = true;
  return {
      {"--organisation", "organisation",
       "Only advisers of organisations/{organisation}"},
      active,
      {"--language", "language_code",
       "Only advisers who work in this language (en, cy, gd)"},
  };
}

std::vector<FieldFlagSpec> LocationFieldFlags(bool with_organisation) {
  std::vector<FieldFlagSpec> flags;
  if (with_organisation) {
    flags.push_back({"--organisation", "organisation",
                     "Run by organisations/{organisation} (cannot change "
                     "later)"});
  }
  const std::vector<FieldFlagSpec> rest = {
      {"--display-name", "display_name", "Name shown to people"},
      {"--kind", "kind", "What kind of place it is"},
      {"--address-line", "address.lines", "Street line of the address"},
      {"--town", "address.town", "Town or city"},
      {"--postcode", "address.postcode", "UK postcode (not for virtual)"},
      {"--time-zone", "time_zone", "IANA time zone (default Europe/London)"},
      {"--accessibility", "accessibility", "Access feature of the place"},
  };
  flags.insert(flags.end(), rest.begin(), rest.end());
  return flags;
}

std::vector<FilterFlagSpec> LocationFilterFlags() {
  return {
      {"--organisation", "organisation",
       "Only locations of organisations/{organisation}"},
      {"--kind", "kind", "Only this kind", Location::Kind_descriptor()},
  };
}

void AddIdOption(CLI::App& cmd, const std::string& collection,
                 std::string& id) {
  cmd.add_option(
      "--id", id,
      "Id, becoming " + collection + "/{id} (default: chosen by the server)");
}

}  // namespace

void AddOrganisationCommands(CLI::App& root, CommandSelection& selection) {
  CLI::App& group = *root.add_subcommand(
      "organisations", "Organisations: schools, colleges, careers services...");
  group.require_subcommand(1);

  auto create = AddCreateCommand(
      group, selection, OrganisationFieldFlags(), &Stub::CreateOrganisation,
      &v1::CreateOrganisationRequest::mutable_organisation);
  AddIdOption(create.cmd, "organisations",
              *create.request.mutable_organisation_id());
  AddGetCommand(group, selection, &Stub::GetOrganisation);
  AddListCommand(group, selection, "organisations", OrganisationFilterFlags(),
                 &Stub::ListOrganisations);
  AddUpdateCommand(group, selection, OrganisationFieldFlags(),
                   &Stub::UpdateOrganisation,
                   &v1::UpdateOrganisationRequest::mutable_organisation);
}

void AddAdviserCommands(CLI::App& root, CommandSelection& selection) {
  CLI::App& group = *root.add_subcommand("advisers", "Careers advisers");
  group.require_subcommand(1);

  auto create = AddCreateCommand(group, selection, AdviserFieldFlags(true),
                                 &Stub::CreateAdviser,
                                 &v1::CreateAdviserRequest::mutable_adviser);
  AddIdOption(create.cmd, "advisers", *create.request.mutable_adviser_id());
  AddGetCommand(group, selection, &Stub::GetAdviser);
  auto list = AddListCommand(group, selection, "advisers", AdviserFilterFlags(),
                             &Stub::ListAdvisers);
  v1::ListAdvisersRequest* list_request = &list.request;
  list.cmd.add_flag_callback(
      "--show-deleted",
      [list_request] { list_request->set_show_deleted(true); },
      "Include deleted advisers");
  AddUpdateCommand(group, selection, AdviserFieldFlags(false),
                   &Stub::UpdateAdviser,
                   &v1::UpdateAdviserRequest::mutable_adviser);
  AddStateChangeCommand(group, selection, "delete",
                        "Delete an adviser (kept, and can be undeleted)",
                        &Stub::DeleteAdviser);
  AddStateChangeCommand(group, selection, "undelete",
                        "Restore a deleted adviser", &Stub::UndeleteAdviser);

  auto path = std::make_shared<std::string>();
  CLI::App& import =
      AddCommand(group, "import",
                 "Create or update advisers from a CSV file, one row each");
  import.add_option("FILE", *path, "The CSV file")->required();
  import.footer(
      "The first row names the columns: organisation, display_name and "
      "language_codes, and any of adviser_id, channels, specialisms, email, "
      "subject, active. List cells separate values with ; or line breaks. "
      "With adviser_id, an existing adviser is updated where the row "
      "differs; without, a re-run within 24 hours does not create twice. "
      "Exit code 1 if any row failed. Global flags (--server, --token, "
      "--tls, --tls-ca, --output, --timeout...) may be given here too.");
  selection.Register(
      import, [path](CommandEnv& env) { return RunAdviserImport(env, *path); });
}

void AddLocationCommands(CLI::App& root, CommandSelection& selection) {
  CLI::App& group =
      *root.add_subcommand("locations", "Places where appointments happen");
  group.require_subcommand(1);

  auto create = AddCreateCommand(group, selection, LocationFieldFlags(true),
                                 &Stub::CreateLocation,
                                 &v1::CreateLocationRequest::mutable_location);
  AddIdOption(create.cmd, "locations", *create.request.mutable_location_id());
  AddGetCommand(group, selection, &Stub::GetLocation);
  AddListCommand(group, selection, "locations", LocationFilterFlags(),
                 &Stub::ListLocations);
  AddUpdateCommand(group, selection, LocationFieldFlags(false),
                   &Stub::UpdateLocation,
                   &v1::UpdateLocationRequest::mutable_location);
}

}  // namespace careers::cli
