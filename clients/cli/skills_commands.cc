// `careersctl skills search|get|create|import-esco`: the skills taxonomy of
// SkillsService. (`skills summary` is experience_commands.cc's.)
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "careers/v1/skills_service.grpc.pb.h"
#include "clients/cli/command.h"
#include "clients/cli/errors.h"
#include "clients/cli/esco_import.h"
#include "clients/cli/flags.h"
#include "clients/cli/output.h"
#include "clients/cli/standard_commands.h"

namespace careers::cli {
namespace {

using Stub = v1::SkillsService::StubInterface;
using v1::Skill;

// "skills/x" for "x"; names pass as they are.
std::string SkillName(const std::string& text) {
  return text.find('/') == std::string::npos ? absl::StrCat("skills/", text)
                                             : text;
}

std::string Quoted(const std::string& value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

std::string FrameworkText(Skill::Framework framework) {
  return EnumDisplayName(*Skill::Framework_descriptor(), framework);
}

// The label in `language`, else the English one.
std::string LabelIn(const Skill& skill, const std::string& language) {
  std::string english;
  for (const Skill::Label& label : skill.labels()) {
    if (label.language_code() == language) return label.text();
    if (label.language_code() == "en") english = label.text();
  }
  return english;
}

void PrintSkill(const Skill& skill, OutputFormat format, std::ostream& out) {
  if (format == OutputFormat::kJson) {
    PrintJson(skill, out);
    return;
  }
  std::vector<std::vector<std::string>> rows = {
      {"name", skill.name()},
      {"framework", FrameworkText(skill.framework())},
      {"code", skill.code()}};
  for (const Skill::Label& label : skill.labels()) {
    rows.push_back(
        {absl::StrCat("label (", label.language_code(), ")"), label.text()});
  }
  rows.push_back(
      {"alternative labels", absl::StrJoin(skill.alternative_labels(), "; ")});
  rows.push_back({"group", skill.group()});
  if (!skill.organisation().empty()) {
    rows.push_back({"organisation", skill.organisation()});
  }
  rows.push_back({"description", skill.description()});
  rows.push_back({"create_time", FormatTimestamp(skill.create_time())});
  rows.push_back({"update_time", FormatTimestamp(skill.update_time())});
  PrintTable(rows, out);
}

void PrintSkills(const v1::ListSkillsResponse& response,
                 const std::string& language, OutputFormat format,
                 std::ostream& out) {
  if (format == OutputFormat::kJson) {
    PrintJson(response, out);
    return;
  }
  std::vector<std::vector<std::string>> rows = {
      {"NAME", "LABEL", "FRAMEWORK", "GROUP"}};
  for (const Skill& skill : response.skills()) {
    rows.push_back({skill.name(), LabelIn(skill, language),
                    FrameworkText(skill.framework()), skill.group()});
  }
  PrintTable(rows, out);
  if (!response.next_page_token().empty()) {
    out << "next page: --page-token " << response.next_page_token() << "\n";
  }
}

void AddSearchCommand(CLI::App& group, CommandSelection& selection) {
  struct State {
    v1::ListSkillsRequest request;
    std::string framework;
    std::string group;
    std::string organisation;
    int page_size = 0;
    bool all = false;
  };
  auto state = std::make_shared<State>();
  CLI::App& cmd = AddCommand(
      group, "search",
      "Find skills whose labels have words starting with QUERY's words, "
      "ignoring case and accents (without QUERY, list them), by label");
  cmd.add_option("QUERY", *state->request.mutable_query(),
                 "Words or their beginnings: \"commun\", \"crit think\"");
  cmd.add_option("--framework", state->framework, "Only skills of a framework")
      ->type_name(EnumChoices(*Skill::Framework_descriptor()))
      ->check(CLI::Validator(
          [](std::string& value) {
            return std::string(
                ParseEnumValue(*Skill::Framework_descriptor(), value)
                    .status()
                    .message());
          },
          ""));
  cmd.add_option("--group", state->group,
                 "Only skills of a group (\"Self-management\", "
                 "\"skill/competence\")");
  cmd.add_option("--organisation", state->organisation,
                 "Only the custom skills of organisations/{organisation}");
  cmd.add_option("--language", *state->request.mutable_language_code(),
                 "The label language to show and sort by: en, cy or gd "
                 "(default en)");
  AddPagingOptions(cmd, state->page_size, *state->request.mutable_page_token(),
                   state->all);
  selection.Register(cmd, [state](CommandEnv& env) {
    v1::ListSkillsRequest& request = state->request;
    std::vector<std::string> terms;
    if (!state->framework.empty()) {
      const int number =
          *ParseEnumValue(*Skill::Framework_descriptor(), state->framework);
      terms.push_back(absl::StrCat(
          "framework = ",
          Skill::Framework_Name(static_cast<Skill::Framework>(number))));
    }
    if (!state->group.empty()) {
      terms.push_back(absl::StrCat("group = ", Quoted(state->group)));
    }
    if (!state->organisation.empty()) {
      std::string org = state->organisation;
      if (org.find('/') == std::string::npos) {
        org = absl::StrCat("organisations/", org);
      }
      terms.push_back(absl::StrCat("organisation = ", Quoted(org)));
    }
    request.set_filter(absl::StrJoin(terms, " AND "));
    request.set_page_size(state->page_size);
    const std::string language =
        request.language_code().empty() ? "en" : request.language_code();
    v1::ListSkillsResponse combined;
    while (true) {
      v1::ListSkillsResponse page;
      const grpc::Status status =
          Call(env, &Stub::ListSkills, request, Retry::kOnUnavailable, page);
      if (!status.ok()) {
        PrintRpcError(status, env.err);
        return kExitRpcFailed;
      }
      if (!state->all) {
        PrintSkills(page, language, env.output, env.out);
        return kExitOk;
      }
      combined.MergeFrom(page);
      if (page.next_page_token().empty()) break;
      request.set_page_token(page.next_page_token());
    }
    combined.clear_next_page_token();
    PrintSkills(combined, language, env.output, env.out);
    return kExitOk;
  });
}

void AddSkillGetCommand(CLI::App& group, CommandSelection& selection) {
  auto name = std::make_shared<std::string>();
  CLI::App& cmd = AddCommand(group, "get", "Get a skill");
  cmd.add_option("NAME", *name, "skills/{skill}, or the bare id")->required();
  selection.Register(cmd, [name](CommandEnv& env) {
    v1::GetSkillRequest request;
    request.set_name(SkillName(*name));
    Skill skill;
    const grpc::Status status =
        Call(env, &Stub::GetSkill, request, Retry::kOnUnavailable, skill);
    if (!status.ok()) {
      PrintRpcError(status, env.err);
      return kExitRpcFailed;
    }
    PrintSkill(skill, env.output, env.out);
    return kExitOk;
  });
}

void AddSkillCreateCommand(CLI::App& group, CommandSelection& selection) {
  struct State {
    v1::CreateSkillRequest request;
    std::string label;
    std::string label_cy;
    std::string label_gd;
    std::string organisation;
    std::vector<std::string> alternatives;
  };
  auto state = std::make_shared<State>();
  Skill& skill = *state->request.mutable_skill();
  CLI::App& cmd =
      AddCommand(group, "create", "Add a custom skill of an organisation");
  cmd.add_option("--label", state->label, "The English label")->required();
  cmd.add_option("--label-cy", state->label_cy, "The Welsh label");
  cmd.add_option("--label-gd", state->label_gd, "The Gaelic label");
  cmd.add_option("--organisation", state->organisation,
                 "organisations/{organisation}, or the bare id")
      ->required();
  cmd.add_option("--alt-label", state->alternatives,
                 "Another name it is known by (repeatable)");
  cmd.add_option("--group", *skill.mutable_group(), "The group it belongs to");
  cmd.add_option("--code", *skill.mutable_code(), "Your code for it");
  cmd.add_option("--description", *skill.mutable_description(),
                 "What it means");
  cmd.add_option("--skill-id", *state->request.mutable_skill_id(),
                 "The id to use (default: chosen by the server)");
  AddRequestIdOption(cmd, *state->request.mutable_request_id());
  selection.Register(cmd, [state](CommandEnv& env) {
    v1::CreateSkillRequest& request = state->request;
    Skill& s = *request.mutable_skill();
    s.set_framework(Skill::CUSTOM);
    s.set_organisation(state->organisation.find('/') == std::string::npos
                           ? absl::StrCat("organisations/", state->organisation)
                           : state->organisation);
    s.clear_labels();
    for (const auto& [language, text] :
         {std::pair<const char*, const std::string*>{"en", &state->label},
          {"cy", &state->label_cy},
          {"gd", &state->label_gd}}) {
      if (text->empty()) continue;
      Skill::Label& label = *s.add_labels();
      label.set_language_code(language);
      label.set_text(*text);
    }
    s.clear_alternative_labels();
    for (const std::string& alt : state->alternatives) {
      s.add_alternative_labels(alt);
    }
    if (request.request_id().empty()) request.set_request_id(NewRequestId());
    Skill created;
    const grpc::Status status =
        Call(env, &Stub::CreateSkill, request, Retry::kOnUnavailable, created);
    if (!status.ok()) {
      PrintRpcError(status, env.err);
      return kExitRpcFailed;
    }
    PrintSkill(created, env.output, env.out);
    return kExitOk;
  });
}

void AddImportEscoCommand(CLI::App& group, CommandSelection& selection) {
  struct State {
    std::string path;
    int batch_size = 1000;
  };
  auto state = std::make_shared<State>();
  CLI::App& cmd = AddCommand(
      group, "import-esco",
      "Import the skills of ESCO's skills CSV (skills_en.csv): created, "
      "updated or left as they are, so it can be run again");
  cmd.add_option("FILE", state->path, "ESCO's skills_en.csv")->required();
  cmd.add_option("--batch-size", state->batch_size,
                 "Skills sent in one ImportSkills call")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  selection.Register(cmd, [state](CommandEnv& env) {
    return RunEscoImport(env, state->path, state->batch_size);
  });
}

}  // namespace

void AddSkillCommands(CLI::App& root, CommandSelection& selection) {
  CLI::App& group = *root.add_subcommand(
      "skills", "The skills taxonomy, and the skills a person has shown");
  group.require_subcommand(1);
  AddSearchCommand(group, selection);
  AddSkillGetCommand(group, selection);
  AddSkillCreateCommand(group, selection);
  AddImportEscoCommand(group, selection);
}

}  // namespace careers::cli
