// `careersctl goals ...` and `careersctl actions ...`: the flag tables of a
// profile's action plan and their commands.
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "careers/v1/profile_service.grpc.pb.h"
#include "clients/cli/command.h"
#include "clients/cli/resource_flags.h"
#include "clients/cli/standard_commands.h"

namespace careers::cli {
namespace {

using v1::Action;
using v1::Goal;
using Stub = v1::ProfileService::StubInterface;

std::vector<FieldFlagSpec> GoalFieldFlags() {
  return {
      {"--title", "title", "Short title"},
      {"--description", "description", "Longer description"},
      {"--type", "goal_type", "What the goal is about"},
      {"--target-date", "target_date", "When the person hopes to reach it"},
  };
}

std::vector<FilterFlagSpec> GoalFilterFlags() {
  return {
      {"--state", "state", "Only goals in this state",
       Goal::State_descriptor()},
      {"--type", "goal_type", "Only goals of this type",
       Goal::GoalType_descriptor()},
  };
}

std::vector<FieldFlagSpec> ActionFieldFlags() {
  return {
      {"--title", "title", "What to do"},
      {"--description", "description", "More detail"},
      {"--goal", "goal", "The goal it serves: profiles/{profile}/goals/{goal}"},
      {"--owner", "owner", "Who is to do it"},
      {"--owner-adviser", "owner_adviser",
       "The adviser who owns it: advisers/{adviser}"},
      {"--due-date", "due_date", "When it is due"},
      {"--signpost-title", "signposted_to.title",
       "The service the person is pointed to"},
      {"--signpost-organisation", "signposted_to.organisation",
       "Its organisation: organisations/{organisation}"},
      {"--signpost-uri", "signposted_to.uri", "Its web address"},
  };
}

std::vector<FilterFlagSpec> ActionFilterFlags() {
  return {
      {"--state", "state", "Only actions in this state",
       Action::State_descriptor()},
      {"--owner", "owner", "Only actions with this owner",
       Action::Owner_descriptor()},
      {"--goal", "goal",
       "Only actions serving profiles/{profile}/goals/{goal}"},
  };
}

}  // namespace

void AddGoalCommands(CLI::App& root, CommandSelection& selection) {
  CLI::App& group = *root.add_subcommand("goals", "Goals in action plans");
  group.require_subcommand(1);

  auto create =
      AddCreateCommand(group, selection, GoalFieldFlags(), &Stub::CreateGoal,
                       &v1::CreateGoalRequest::mutable_goal);
  AddParentArgument(create.cmd, *create.request.mutable_parent());
  AddGetCommand(group, selection, &Stub::GetGoal);
  auto list = AddListCommand(group, selection, "a profile's goals",
                             GoalFilterFlags(), &Stub::ListGoals);
  AddParentArgument(list.cmd, *list.request.mutable_parent());
  AddUpdateCommand(group, selection, GoalFieldFlags(), &Stub::UpdateGoal,
                   &v1::UpdateGoalRequest::mutable_goal);
  AddStateChangeCommand(group, selection, "achieve",
                        "Mark a goal achieved (IN_PROGRESS → ACHIEVED)",
                        &Stub::AchieveGoal);
  AddStateChangeCommand(group, selection, "drop",
                        "Set a goal aside (IN_PROGRESS → NO_LONGER_RELEVANT)",
                        &Stub::DropGoal);
  AddStateChangeCommand(group, selection, "reopen",
                        "Work on a goal again (→ IN_PROGRESS)",
                        &Stub::ReopenGoal);
}

void AddActionCommands(CLI::App& root, CommandSelection& selection) {
  CLI::App& group = *root.add_subcommand("actions", "Actions in action plans");
  group.require_subcommand(1);

  auto create = AddCreateCommand(group, selection, ActionFieldFlags(),
                                 &Stub::CreateAction,
                                 &v1::CreateActionRequest::mutable_action);
  AddParentArgument(create.cmd, *create.request.mutable_parent());
  AddGetCommand(group, selection, &Stub::GetAction);
  auto list = AddListCommand(group, selection, "a profile's actions",
                             ActionFilterFlags(), &Stub::ListActions);
  AddParentArgument(list.cmd, *list.request.mutable_parent());
  AddUpdateCommand(group, selection, ActionFieldFlags(), &Stub::UpdateAction,
                   &v1::UpdateActionRequest::mutable_action);
  AddStateChangeCommand(group, selection, "complete",
                        "Mark an action done (OPEN → DONE)",
                        &Stub::CompleteAction);
  AddStateChangeCommand(group, selection, "cancel",
                        "Cancel an action (OPEN → CANCELLED)",
                        &Stub::CancelAction);
  AddStateChangeCommand(group, selection, "reopen",
                        "Open an action again (→ OPEN)", &Stub::ReopenAction);
}

}  // namespace careers::cli
