// `careersctl profiles ...`: the flag tables of profiles and their commands.
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "careers/v1/profile_service.grpc.pb.h"
#include "clients/cli/command.h"
#include "clients/cli/resource_flags.h"
#include "clients/cli/standard_commands.h"

namespace careers::cli {
namespace {

using v1::CreateProfileRequest;
using v1::Profile;
using v1::ProfileService;
using v1::UpdateProfileRequest;

// The fields create and update set from flags. Paths are also update_mask
// paths, so `--email` updates contact.email and nothing else in contact.
std::vector<FieldFlagSpec> ProfileFieldFlags() {
  return {
      {"--given-name", "given_name", "Given name"},
      {"--family-name", "family_name", "Family name"},
      {"--preferred-name", "preferred_name",
       "Name the person likes to be called"},
      {"--birth-date", "birth_date", "Date of birth"},
      {"--email", "contact.email", "Email address"},
      {"--phone", "contact.phone", "UK phone number"},
      {"--address-line", "contact.address.lines", "Street line of the address"},
      {"--town", "contact.address.town", "Town or city"},
      {"--postcode", "contact.address.postcode", "UK postcode"},
      {"--language",
       "preferred_language_code",
       "Preferred language",
       {"en", "cy", "gd"}},
      {"--life-stage", "life_stage", "Where the person is in life"},
      {"--school-stage", "school_stage",
       "School year while at school: P6, P7, S1-S6 or Year 6-Year 14"},
      {"--support-level", "support_level", "Planned level of support"},
      {"--home-organisation", "home_organisation",
       "Registered with: organisations/{organisation}"},
      {"--interest", "career_interests", "Career or sector of interest"},
  };
}

std::vector<FilterFlagSpec> ProfileFilterFlags() {
  return {
      {"--organisation", "home_organisation",
       "Only profiles registered with organisations/{organisation}"},
      {"--life-stage", "life_stage", "Only this life stage",
       Profile::LifeStage_descriptor()},
      {"--support-level", "support_level", "Only this support level",
       Profile::SupportLevel_descriptor()},
      {"--family-name-prefix", "family_name",
       "Only family names starting with this (case-insensitive)", nullptr,
       /*prefix=*/true},
  };
}

}  // namespace

void AddProfileCommands(CLI::App& root, CommandSelection& selection) {
  CLI::App& group =
      *root.add_subcommand("profiles", "Lifelong career profiles");
  group.require_subcommand(1);

  auto create = AddCreateCommand(group, selection, ProfileFieldFlags(),
                                 &ProfileService::StubInterface::CreateProfile,
                                 &CreateProfileRequest::mutable_profile);
  create.cmd.add_option(
      "--id", *create.request.mutable_profile_id(),
      "Profile id, becoming profiles/{id} (default: chosen by the server)");
  AddGetCommand(group, selection, &ProfileService::StubInterface::GetProfile);
  AddListCommand(group, selection, "profiles", ProfileFilterFlags(),
                 &ProfileService::StubInterface::ListProfiles);
  AddUpdateCommand(group, selection, ProfileFieldFlags(),
                   &ProfileService::StubInterface::UpdateProfile,
                   &UpdateProfileRequest::mutable_profile);
}

}  // namespace careers::cli
