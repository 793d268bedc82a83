// `careersctl consents|guardian-links|access-events ...`: the flag tables of
// the ConsentService resources and their commands.
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "careers/v1/consent_service.grpc.pb.h"
#include "clients/cli/command.h"
#include "clients/cli/resource_flags.h"
#include "clients/cli/standard_commands.h"

namespace careers::cli {
namespace {

using v1::AccessEvent;
using v1::Consent;
using v1::GuardianLink;
using Stub = v1::ConsentService::StubInterface;

std::vector<FieldFlagSpec> ConsentFieldFlags() {
  return {
      {"--purpose", "purpose", "What the person consents to"},
      {"--organisation", "organisation",
       "Share with organisations/{organisation} (for "
       "share-with-organisation)"},
  };
}

std::vector<FilterFlagSpec> ConsentFilterFlags() {
  return {
      {"--state", "state", "Only consents in this state",
       Consent::State_descriptor()},
      {"--purpose", "purpose", "Only consents for this purpose",
       Consent::Purpose_descriptor()},
      {"--organisation", "organisation",
       "Only consents to share with organisations/{organisation}"},
  };
}

std::vector<FieldFlagSpec> GuardianLinkFieldFlags() {
  return {
      {"--guardian-subject", "guardian_subject",
       "The guardian's subject (sub) at the identity provider"},
      {"--display-name", "guardian_display_name",
       "How the guardian is shown to the person"},
      {"--relationship", "relationship", "How the guardian is related"},
  };
}

std::vector<FilterFlagSpec> AccessEventFilterFlags() {
  return {
      {"--actor", "actor",
       "Only accesses by this subject (with PARENT profiles/-: across "
       "profiles, administrators only)"},
      {"--action", "action", "Only reads or only writes",
       AccessEvent::Action_descriptor()},
  };
}

// Marks the given flags of `cmd` required.
void Require(CLI::App& cmd, const std::vector<std::string>& flags) {
  for (const std::string& flag : flags) cmd.get_option(flag)->required();
}

}  // namespace

void AddConsentCommands(CLI::App& root, CommandSelection& selection) {
  CLI::App& group = *root.add_subcommand(
      "consents", "A person's consents: sharing with organisations, research");
  group.require_subcommand(1);

  auto create = AddCreateCommand(group, selection, ConsentFieldFlags(),
                                 &Stub::CreateConsent,
                                 &v1::CreateConsentRequest::mutable_consent);
  AddParentArgument(create.cmd, *create.request.mutable_parent());
  Require(create.cmd, {"--purpose"});
  AddGetCommand(group, selection, &Stub::GetConsent);
  auto list = AddListCommand(group, selection, "a profile's consents",
                             ConsentFilterFlags(), &Stub::ListConsents);
  AddParentArgument(list.cmd, *list.request.mutable_parent());
  AddStateChangeCommand(group, selection, "withdraw",
                        "Withdraw a consent (ACTIVE → WITHDRAWN); access "
                        "resting on it ends at once",
                        &Stub::WithdrawConsent);
}

void AddGuardianLinkCommands(CLI::App& root, CommandSelection& selection) {
  CLI::App& group = *root.add_subcommand(
      "guardian-links", "Parents and carers linked to a person");
  group.require_subcommand(1);

  auto create = AddCreateCommand(
      group, selection, GuardianLinkFieldFlags(), &Stub::CreateGuardianLink,
      &v1::CreateGuardianLinkRequest::mutable_guardian_link);
  AddParentArgument(create.cmd, *create.request.mutable_parent());
  Require(create.cmd,
          {"--guardian-subject", "--display-name", "--relationship"});
  AddGetCommand(group, selection, &Stub::GetGuardianLink);
  auto list = AddListCommand(group, selection, "a profile's guardian links", {},
                             &Stub::ListGuardianLinks);
  AddParentArgument(list.cmd, *list.request.mutable_parent());
  AddStateChangeCommand(group, selection, "end",
                        "End a guardian link (ACTIVE → ENDED)",
                        &Stub::EndGuardianLink);
  AddStateChangeCommand(group, selection, "confirm",
                        "Keep a guardian's access after the person turns 16 "
                        "(by the person)",
                        &Stub::ConfirmGuardianLink);
}

void AddAccessEventCommands(CLI::App& root, CommandSelection& selection) {
  CLI::App& group = *root.add_subcommand("access-events",
                                         "Who read or changed a person's data");
  group.require_subcommand(1);

  auto list = AddListCommand(group, selection, "accesses to a profile's data",
                             AccessEventFilterFlags(), &Stub::ListAccessEvents);
  list.cmd
      .add_option("PARENT", *list.request.mutable_parent(),
                  "The profile: profiles/{profile}, or profiles/- with "
                  "--actor")
      ->required();
}

}  // namespace careers::cli
