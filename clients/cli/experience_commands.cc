// `careersctl experiences|attestations ...`, `skills summary` and `export`:
// the SkillsService commands of a person's experience log, its
// attestations, the skills summary and the standard exports. The taxonomy
// commands (`skills search|get|create|import-esco`) are in
// skills_commands.cc.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "careers/v1/skills_service.grpc.pb.h"
#include "clients/cli/command.h"
#include "clients/cli/flags.h"
#include "clients/cli/resource_flags.h"
#include "clients/cli/standard_commands.h"
#include "google/api/httpbody.pb.h"

namespace careers::cli {
namespace {

using v1::Attestation;
using v1::Experience;
using Stub = v1::SkillsService::StubInterface;

constexpr int kMinLevel = 1;
constexpr int kMaxLevel = 4;
constexpr char kSkillSyntax[] =
    "write SKILL:LEVEL[:SOURCE], e.g. skills/focusing:3 or "
    "skills/focusing:3:employer";
constexpr char kEvidenceSyntax[] =
    "write URL[,CONTENT-TYPE[,SHA256]], e.g. "
    "https://example.org/cert.pdf,application/pdf (a comma in the URL as "
    "%2C)";

// ------------------------------------------------------------- values

// "skills/focusing:3" or "skills/focusing:3:employer" → a SkillClaim with a
// level from 1 to 4 and, when given, a source (self, adviser, employer).
absl::StatusOr<v1::SkillClaim> ParseSkillClaim(const std::string& text) {
  const auto bad = [&text](const std::string& why) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "': ", why, "; ", kSkillSyntax));
  };
  const std::vector<std::string> parts = absl::StrSplit(text, ':');
  if (parts.size() < 2 || parts.size() > 3) {
    return bad("expected a skill and a level separated by ':'");
  }
  if (!absl::StartsWith(parts[0], "skills/") ||
      parts[0].size() == sizeof("skills/") - 1) {
    return bad("the skill is a name skills/{skill}");
  }
  int level = 0;
  if (!absl::SimpleAtoi(parts[1], &level) || level < kMinLevel ||
      level > kMaxLevel) {
    return bad(absl::StrCat("the level is a whole number from ", kMinLevel,
                            " to ", kMaxLevel));
  }
  v1::SkillClaim claim;
  claim.set_skill(parts[0]);
  claim.set_level(level);
  if (parts.size() == 3) {
    absl::StatusOr<int> source =
        ParseEnumValue(*v1::SkillSource_descriptor(), parts[2]);
    if (!source.ok()) {
      return bad(absl::StrCat("the source is one of ",
                              EnumChoices(*v1::SkillSource_descriptor())));
    }
    claim.set_source(static_cast<v1::SkillSource>(*source));
  }
  return claim;
}

bool IsSha256(absl::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// "URL[,CONTENT-TYPE[,SHA256]]" → Evidence; the digest is sent in lower
// case. Whether the URL is acceptable is the server's to say.
absl::StatusOr<v1::Evidence> ParseEvidence(const std::string& text) {
  const auto bad = [&text](const std::string& why) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "': ", why, "; ", kEvidenceSyntax));
  };
  const std::vector<std::string> parts = absl::StrSplit(text, ',');
  if (parts.size() > 3) return bad("too many ','");
  v1::Evidence evidence;
  if (parts[0].empty()) return bad("the URL is missing");
  evidence.set_uri(parts[0]);
  if (parts.size() >= 2 && !parts[1].empty()) {
    if (!absl::StrContains(parts[1], '/') || absl::StrContains(parts[1], ' ')) {
      return bad(absl::StrCat("'", parts[1],
                              "' is not a media type such as image/jpeg"));
    }
    evidence.set_content_type(parts[1]);
  }
  if (parts.size() == 3 && !parts[2].empty()) {
    if (!IsSha256(parts[2])) {
      return bad(absl::StrCat("'", parts[2],
                              "' is not a SHA-256 (64 hexadecimal digits)"));
    }
    evidence.set_sha256(absl::AsciiStrToLower(parts[2]));
  }
  return evidence;
}

// "7.5", "12", "0.25" → hours, a finite number, not negative. Whether it
// is in range and in quarters is the server's to say.
absl::StatusOr<double> ParseHours(const std::string& text) {
  double hours = 0;
  if (!absl::SimpleAtod(text, &hours) || !std::isfinite(hours) || hours < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'", text, "' is not a number of hours such as 7.5 or 12"));
  }
  return hours;
}

// "jsonresume" or "xapi", case-insensitive (also "json-resume", "json_resume").
absl::StatusOr<v1::ExportSkillsRecordRequest::Format> ParseExportFormat(
    const std::string& text) {
  std::string key = absl::AsciiStrToLower(text);
  key.erase(std::remove_if(key.begin(), key.end(),
                           [](char c) { return c == '-' || c == '_'; }),
            key.end());
  if (key == "jsonresume") return v1::ExportSkillsRecordRequest::JSON_RESUME;
  if (key == "xapi") return v1::ExportSkillsRecordRequest::XAPI;
  return absl::InvalidArgumentError(
      absl::StrCat("'", text, "' is not one of jsonresume|xapi"));
}

// The text of the file at `path`, or of standard input when `path` is "-".
absl::StatusOr<std::string> ReadText(const std::string& path) {
  if (path == "-") {
    return std::string(std::istreambuf_iterator<char>(std::cin),
                       std::istreambuf_iterator<char>());
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot read --reflection-file '", path, "'"));
  }
  return std::string(std::istreambuf_iterator<char>(file),
                     std::istreambuf_iterator<char>());
}

// A CLI11 check that `parse` accepts each value, reporting its error if not.
template <typename Parse>
CLI::Validator Accepts(Parse parse) {
  return CLI::Validator(
      [parse](std::string& value) {
        return std::string(parse(value).status().message());
      },
      "");
}

// A date flag (YYYY-MM-DD) whose value goes to `set` while the command
// line is parsed, so a bad date is a usage error.
CLI::Option* AddDateOption(CLI::App& cmd, const std::string& flag,
                           std::function<void(const google::type::Date&)> set,
                           const std::string& help) {
  return cmd.add_option(flag, help)
      ->type_name("YYYY-MM-DD")
      ->check(CLI::Validator(
          [set](std::string& value) {
            absl::StatusOr<google::type::Date> parsed = ParseDate(value);
            if (!parsed.ok()) return std::string(parsed.status().message());
            set(*parsed);
            return std::string();
          },
          ""));
}

// Exactly one of the options `flags` of `cmd` must be given; help shows
// them as group `title`.
void RequireOneOf(CLI::App& cmd, const std::string& title,
                  const std::string& description,
                  const std::vector<std::string>& flags) {
  CLI::Option_group* group = cmd.add_option_group(title, description);
  for (const std::string& flag : flags) group->add_option(cmd.get_option(flag));
  group->require_option(1);
}

// ------------------------------------------------------- experiences

// The flags of `experiences add` and `update`: --json, the field flags,
// --reflection-file, --hours, --skill and --evidence. Not copyable: CLI11
// writes into it.
class ExperienceFlags {
 public:
  ExperienceFlags()
      : fields_(*Experience::descriptor(),
                {
                    {"--kind", "kind", "What kind of experience"},
                    {"--title", "title",
                     "What it was (\"Volunteering at Leith Food Bank\"), "
                     "1-200 characters"},
                    {"--organisation-name", "organisation_name",
                     "Where, as the person names it"},
                    {"--start", "start_date", "When it started"},
                    {"--end", "end_date",
                     "When it ended (leave out while it goes on)"},
                    {"--reflection", "reflection",
                     "What the person learned, up to 5000 characters"},
                }) {}
  ExperienceFlags(const ExperienceFlags&) = delete;
  ExperienceFlags& operator=(const ExperienceFlags&) = delete;

  void AddTo(CLI::App& cmd) {
    AddJsonOption(cmd, *Experience::descriptor(), json_path_);
    fields_.AddTo(cmd);
    reflection_file_option_ =
        cmd.add_option("--reflection-file", reflection_file_,
                       "Read the reflection from FILE ('-' = stdin)")
            ->type_name("FILE")
            ->excludes("--reflection");
    hours_option_ = cmd.add_option("--hours", hours_text_,
                                   "Hours spent, in quarters (7.5, 0.25)")
                        ->type_name("HOURS")
                        ->check(Accepts(ParseHours));
    cmd.add_option("--skill", skills_,
                   "A skill it showed with its level from 1 (beginning) to 4 "
                   "(confident and able to help others) and, optionally, "
                   "who says so: self|adviser|employer (default: the caller; "
                   "repeatable, replaces the list)")
        ->type_name("SKILL:LEVEL[:SOURCE]")
        ->allow_extra_args(false)
        ->check(Accepts(ParseSkillClaim));
    cmd.add_option("--evidence", evidence_,
                   "A link to evidence, with its media type and SHA-256 "
                   "(repeatable, replaces the list)")
        ->type_name("URL[,CONTENT-TYPE[,SHA256]]")
        ->allow_extra_args(false)
        ->check(Accepts(ParseEvidence));
  }

  bool json_given() const { return !json_path_.empty(); }

  // Reads --json into `experience` and sets the given flags over it. On a
  // problem prints it and returns false.
  bool Build(Experience& experience, std::ostream& err) const {
    if (!BuildResource(json_path_, fields_, experience, err)) return false;
    if (reflection_file_option_->count() > 0) {
      absl::StatusOr<std::string> text = ReadText(reflection_file_);
      if (!text.ok()) {
        UsageError(std::string(text.status().message()), err);
        return false;
      }
      experience.set_reflection(
          std::string(absl::StripTrailingAsciiWhitespace(*text)));
    }
    // The values were checked while parsing, so the parses succeed.
    if (hours_option_->count() > 0) {
      experience.set_hours(*ParseHours(hours_text_));
    }
    if (!skills_.empty()) {
      experience.clear_skills();
      for (const std::string& text : skills_) {
        *experience.add_skills() = *ParseSkillClaim(text);
      }
    }
    if (!evidence_.empty()) {
      experience.clear_evidence();
      for (const std::string& text : evidence_) {
        *experience.add_evidence() = *ParseEvidence(text);
      }
    }
    return true;
  }

  // The update_mask paths of the flags that were given.
  std::vector<std::string> GivenPaths() const {
    std::vector<std::string> paths = fields_.GivenPaths();
    if (reflection_file_option_->count() > 0) {
      paths = MergePaths(std::move(paths), {"reflection"});
    }
    if (hours_option_->count() > 0) paths.push_back("hours");
    if (!skills_.empty()) paths.push_back("skills");
    if (!evidence_.empty()) paths.push_back("evidence");
    return paths;
  }

 private:
  FieldFlags fields_;
  std::string json_path_;
  std::string reflection_file_;
  CLI::Option* reflection_file_option_ = nullptr;
  std::string hours_text_;
  CLI::Option* hours_option_ = nullptr;
  std::vector<std::string> skills_;
  std::vector<std::string> evidence_;
};

void AddExperienceAddCommand(CLI::App& group, CommandSelection& selection) {
  struct State {
    ExperienceFlags flags;
    v1::CreateExperienceRequest request;
  };
  auto state = std::make_shared<State>();
  CLI::App& cmd = AddCommand(
      group, "add",
      "Log an experience: --kind, --title and --start are required (unless "
      "in --json)");
  AddParentArgument(cmd, *state->request.mutable_parent());
  state->flags.AddTo(cmd);
  AddRequestIdOption(cmd, *state->request.mutable_request_id());
  selection.Register(cmd, [state](CommandEnv& env) {
    v1::CreateExperienceRequest& request = state->request;
    Experience& experience = *request.mutable_experience();
    if (!state->flags.Build(experience, env.err)) return kExitUsage;
    if (experience.kind() == v1::EXPERIENCE_KIND_UNSPECIFIED) {
      return UsageError("--kind is required", env.err);
    }
    if (experience.title().empty()) {
      return UsageError("--title is required", env.err);
    }
    if (!experience.has_start_date()) {
      return UsageError("--start is required", env.err);
    }
    if (request.request_id().empty()) request.set_request_id(NewRequestId());
    return CallAndPrint(env, &Stub::CreateExperience, request,
                        Retry::kOnUnavailable);
  });
}

void AddExperienceUpdateCommand(CLI::App& group, CommandSelection& selection) {
  struct State {
    ExperienceFlags flags;
    v1::UpdateExperienceRequest request;
    std::string name;
    std::string etag;
    std::vector<std::string> mask;
  };
  auto state = std::make_shared<State>();
  CLI::App& cmd = AddCommand(
      group, "update",
      "Change an experience that is not verified or voided; --skill and "
      "--evidence replace the whole list, and a field named in "
      "--update-mask without its flag is cleared");
  AddNameArgument(cmd, *Experience::descriptor(), state->name);
  state->flags.AddTo(cmd);
  AddUpdateMaskOption(cmd, state->mask);
  cmd.add_option("--etag", state->etag,
                 "The etag read (from `experiences get`); ABORTED if the "
                 "experience changed since")
      ->required();
  selection.Register(cmd, [state](CommandEnv& env) {
    v1::UpdateExperienceRequest& request = state->request;
    Experience& experience = *request.mutable_experience();
    if (!state->flags.Build(experience, env.err)) return kExitUsage;
    experience.set_name(state->name);
    experience.set_etag(state->etag);
    std::vector<std::string> paths =
        MergePaths(state->mask, state->flags.GivenPaths());
    if (paths.empty() && !state->flags.json_given()) {
      return UsageError("nothing to update: give field flags or --json",
                        env.err);
    }
    for (std::string& path : paths) {
      request.mutable_update_mask()->add_paths(std::move(path));
    }
    return CallAndPrint(env, &Stub::UpdateExperience, request, Retry::kNever);
  });
}

void AddExperienceVoidCommand(CLI::App& group, CommandSelection& selection) {
  auto request = std::make_shared<v1::VoidExperienceRequest>();
  CLI::App& cmd = AddCommand(
      group, "void",
      "Withdraw an experience (→ VOIDED): kept in its history, left out of "
      "summaries and exports");
  AddNameArgument(cmd, *Experience::descriptor(), *request->mutable_name());
  cmd.add_option("--reason", *request->mutable_reason(),
                 "Why, 1-500 characters")
      ->required();
  AddEtagOption(cmd, *request->mutable_etag());
  // Never retried: repeating it after a lost reply would fail on VOIDED.
  selection.Register(cmd, [request](CommandEnv& env) {
    return CallAndPrint(env, &Stub::VoidExperience, *request, Retry::kNever);
  });
}

// ------------------------------------------------------ attestations

void AddAttestationRequestCommand(CLI::App& group,
                                  CommandSelection& selection) {
  struct State {
    v1::RequestAttestationRequest request;
    std::string adviser;
    Attestation::Referee referee;
  };
  auto state = std::make_shared<State>();
  CLI::App& cmd = AddCommand(group, "request",
                             "Ask an adviser, or an outside referee by email, "
                             "to vouch for an experience");
  cmd.add_option("EXPERIENCE", *state->request.mutable_parent(),
                 "The experience: profiles/{profile}/experiences/{experience}")
      ->required();
  cmd.add_option("--adviser", state->adviser,
                 "An adviser in the service: advisers/{adviser}");
  CLI::Option* name = cmd.add_option(
      "--referee-name", *state->referee.mutable_display_name(),
      "An outside referee (an employer), sent a single-use link that "
      "expires: their name");
  CLI::Option* email =
      cmd.add_option("--referee-email", *state->referee.mutable_email(),
                     "The referee's email address");
  CLI::Option* organisation = cmd.add_option(
      "--referee-organisation", *state->referee.mutable_organisation_name(),
      "The referee's organisation");
  name->needs(email);
  email->needs(name);
  organisation->needs(name);
  cmd.get_option("--adviser")->excludes(email)->excludes(organisation);
  RequireOneOf(cmd, "Who", "Who to ask: an adviser or an outside referee",
               {"--adviser", "--referee-name"});
  AddRequestIdOption(cmd, *state->request.mutable_request_id());
  selection.Register(cmd, [state](CommandEnv& env) {
    v1::RequestAttestationRequest& request = state->request;
    Attestation& attestation = *request.mutable_attestation();
    if (!state->adviser.empty()) {
      attestation.set_adviser(state->adviser);
    } else {
      *attestation.mutable_referee() = state->referee;
    }
    if (request.request_id().empty()) request.set_request_id(NewRequestId());
    return CallAndPrint(env, &Stub::RequestAttestation, request,
                        Retry::kOnUnavailable);
  });
}

void AddAttestationDecideCommand(CLI::App& group, CommandSelection& selection) {
  auto request = std::make_shared<v1::DecideAttestationRequest>();
  CLI::App& cmd = AddCommand(
      group, "decide",
      "Vouch for an experience or not (PENDING → VERIFIED or REJECTED); "
      "final");
  AddNameArgument(cmd, *Attestation::descriptor(), *request->mutable_name());
  cmd.add_flag_callback(
      "--verified", [request] { request->set_decision(Attestation::VERIFIED); },
      "The experience happened as logged");
  cmd.add_flag_callback(
      "--rejected", [request] { request->set_decision(Attestation::REJECTED); },
      "It did not");
  RequireOneOf(cmd, "Decision", "The decision", {"--verified", "--rejected"});
  cmd.add_option("--comment", *request->mutable_comment(),
                 "A comment with the decision, up to 2000 characters");
  cmd.add_option("--referee-token", *request->mutable_referee_token(),
                 "An outside referee's answer: the token from their link "
                 "(the caller is a service with the attestations.referee "
                 "scope; --token stays the caller's own bearer token)")
      ->envname("CAREERS_REFEREE_TOKEN");
  // Never retried: a decision is final, so a repeat after a lost reply
  // would fail.
  selection.Register(cmd, [request](CommandEnv& env) {
    return CallAndPrint(env, &Stub::DecideAttestation, *request, Retry::kNever);
  });
}

// The `skills` group of skills_commands.cc when it has been added, else a
// new one.
CLI::App& SkillsGroup(CLI::App& root) {
  const std::function<bool(CLI::App*)> is_skills = [](CLI::App* app) {
    return app->get_name() == "skills";
  };
  const std::vector<CLI::App*> existing = root.get_subcommands(is_skills);
  if (!existing.empty()) return *existing.front();
  CLI::App& group = *root.add_subcommand(
      "skills", "The skills taxonomy, and the skills a person has shown");
  group.require_subcommand(1);
  return group;
}

}  // namespace

void AddExperienceCommands(CLI::App& root, CommandSelection& selection) {
  CLI::App& group = *root.add_subcommand(
      "experiences",
      "A person's experience log: what they did and the skills it showed");
  group.require_subcommand(1);

  AddExperienceAddCommand(group, selection);
  AddGetCommand(group, selection, &Stub::GetExperience);
  auto list = AddListCommand(
      group, selection, "a person's experiences, newest first",
      {{"--kind", "kind", "Only experiences of this kind",
        v1::ExperienceKind_descriptor()},
       {"--state", "state", "Only experiences in this state",
        Experience::State_descriptor()},
       {"--skill", "skill", "Only experiences that showed skills/{skill}"}},
      &Stub::ListExperiences);
  AddParentArgument(list.cmd, *list.request.mutable_parent());
  // The request's date fields are made only when their flag is given.
  v1::ListExperiencesRequest* list_request = &list.request;
  AddDateOption(
      list.cmd, "--from",
      [list_request](const google::type::Date& date) {
        *list_request->mutable_start_date_from() = date;
      },
      "Only experiences that started on or after this day");
  AddDateOption(
      list.cmd, "--to",
      [list_request](const google::type::Date& date) {
        *list_request->mutable_start_date_to() = date;
      },
      "Only experiences that started on or before this day");
  AddExperienceUpdateCommand(group, selection);
  AddExperienceVoidCommand(group, selection);
}

void AddAttestationCommands(CLI::App& root, CommandSelection& selection) {
  CLI::App& group = *root.add_subcommand(
      "attestations", "Requests to vouch for an experience, and the answers");
  group.require_subcommand(1);

  AddAttestationRequestCommand(group, selection);
  AddGetCommand(group, selection, &Stub::GetAttestation);
  auto list = AddListCommand(group, selection,
                             "an experience's attestations, newest first", {},
                             &Stub::ListAttestations);
  list.cmd
      .add_option("EXPERIENCE", *list.request.mutable_parent(),
                  "The experience: profiles/{profile}/experiences/{experience}")
      ->required();
  AddAttestationDecideCommand(group, selection);
}

void AddSkillsSummaryCommand(CLI::App& root, CommandSelection& selection) {
  auto request = std::make_shared<v1::GetSkillsSummaryRequest>();
  CLI::App& cmd = AddCommand(
      SkillsGroup(root), "summary",
      "A person's skills: per skill the experiences that showed it, their "
      "hours, how many are verified, the highest level and when first and "
      "last evidenced (voided experiences left out)");
  cmd.add_option("PROFILE", *request->mutable_profile(),
                 "The person: profiles/{profile}")
      ->required();
  selection.Register(cmd, [request](CommandEnv& env) {
    v1::SkillsSummary summary;
    const grpc::Status status = Call(env, &Stub::GetSkillsSummary, *request,
                                     Retry::kOnUnavailable, summary);
    if (!status.ok()) {
      PrintRpcError(status, env.err);
      return kExitRpcFailed;
    }
    PrintSkillsSummary(summary, env.output, env.out);
    return kExitOk;
  });
}

void AddExportCommand(CLI::App& root, CommandSelection& selection) {
  auto request = std::make_shared<v1::ExportSkillsRecordRequest>();
  CLI::App& cmd = AddCommand(
      root, "export",
      "Write a person's skills record as JSON Resume 1.0.0 or as xAPI 1.0.3 "
      "statements to standard output (voided experiences left out)");
  cmd.add_option("PROFILE", *request->mutable_profile(),
                 "The person: profiles/{profile}")
      ->required();
  cmd.add_option("--format", "Which format")
      ->type_name("jsonresume|xapi")
      ->check(CLI::Validator(
          [request](std::string& value) {
            absl::StatusOr<v1::ExportSkillsRecordRequest::Format> format =
                ParseExportFormat(value);
            if (!format.ok()) return std::string(format.status().message());
            request->set_format(*format);
            return std::string();
          },
          ""))
      ->required();
  selection.Register(cmd, [request](CommandEnv& env) {
    google::api::HttpBody body;
    const grpc::Status status = Call(env, &Stub::ExportSkillsRecord, *request,
                                     Retry::kOnUnavailable, body);
    if (!status.ok()) {
      PrintRpcError(status, env.err);
      return kExitRpcFailed;
    }
    // Exactly the bytes, so `> file` is the record as the server made it.
    env.out.write(body.data().data(),
                  static_cast<std::streamsize>(body.data().size()));
    env.out.flush();
    return kExitOk;
  });
}

}  // namespace careers::cli
