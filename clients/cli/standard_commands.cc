#include "clients/cli/standard_commands.h"

#include <algorithm>

#include "CLI/CLI.hpp"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "clients/cli/flags.h"
#include "google/api/resource.pb.h"

namespace careers::cli {

CLI::App& AddCommand(CLI::App& group, const std::string& name,
                     const std::string& description) {
  CLI::App& cmd = *group.add_subcommand(name, description);
  cmd.footer(
      "Global flags (--server, --token, --tls, --tls-ca, --output, "
      "--timeout...) may be given here too; see careersctl --help.");
  return cmd;
}

void AddNameArgument(CLI::App& cmd,
                     const google::protobuf::Descriptor& resource,
                     std::string& name) {
  const auto& resource_option =
      resource.options().GetExtension(google::api::resource);
  const std::string pattern = resource_option.pattern_size() > 0
                                  ? resource_option.pattern(0)
                                  : Singular(resource);
  cmd.add_option("NAME", name, "Resource name: " + pattern)->required();
}

void AddParentArgument(CLI::App& cmd, std::string& parent) {
  cmd.add_option("PARENT", parent, "The profile: profiles/{profile}")
      ->required();
}

void AddEtagOption(CLI::App& cmd, std::string& etag) {
  cmd.add_option("--etag", etag,
                 "Fail with ABORTED unless the resource still has this etag");
}

void AddRequestIdOption(CLI::App& cmd, std::string& request_id) {
  cmd.add_option("--request-id", request_id,
                 "Makes retries safe (default: a random UUID)");
}

void AddJsonOption(CLI::App& cmd, const google::protobuf::Descriptor& resource,
                   std::string& path) {
  cmd.add_option("--json", path,
                 "Read the " + Singular(resource) +
                     " as protobuf JSON from FILE ('-' = stdin); flags "
                     "override it")
      ->type_name("FILE");
}

void AddPagingOptions(CLI::App& cmd, int& page_size, std::string& page_token,
                      bool& all) {
  cmd.add_option("--page-size", page_size,
                 "Items per page (server default 50, at most 200)")
      ->check(CLI::Range(1, 1000000).description(""))
      ->type_name("N");
  cmd.add_option("--page-token", page_token,
                 "Continue from a previous page's next page token");
  cmd.add_flag("--all", all, "Fetch every page and print them as one");
}

void AddUpdateMaskOption(CLI::App& cmd, std::vector<std::string>& paths) {
  cmd.add_option("--update-mask", paths,
                 "Fields to update, comma-separated, added to those of the "
                 "field flags (use with --json)")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->type_name("PATHS");
}

std::vector<std::string> MergePaths(std::vector<std::string> first,
                                    const std::vector<std::string>& second) {
  for (const std::string& path : second) {
    if (std::find(first.begin(), first.end(), path) == first.end()) {
      first.push_back(path);
    }
  }
  return first;
}

std::string Singular(const google::protobuf::Descriptor& resource) {
  std::string words;
  for (char c : resource.name()) {
    if (absl::ascii_isupper(static_cast<unsigned char>(c)) && !words.empty()) {
      words += ' ';
    }
    words += absl::ascii_tolower(static_cast<unsigned char>(c));
  }
  return words;
}

std::string WithArticle(const std::string& noun) {
  const bool vowel = !noun.empty() && absl::StrContains("aeiou", noun[0]);
  return (vowel ? "an " : "a ") + noun;
}

bool BuildResource(const std::string& json_path, const FieldFlags& fields,
                   google::protobuf::Message& resource, std::ostream& err) {
  if (!json_path.empty()) {
    const absl::Status status = ReadJsonMessage(json_path, resource);
    if (!status.ok()) {
      UsageError(std::string(status.message()), err);
      return false;
    }
  }
  fields.ApplyTo(resource);
  return true;
}

int UsageError(const std::string& message, std::ostream& err) {
  err << "error: " << message << "\n";
  return kExitUsage;
}

}  // namespace careers::cli
