#ifndef CAREERS_CLIENTS_CLI_RESOURCE_FLAGS_H_
#define CAREERS_CLIENTS_CLI_RESOURCE_FLAGS_H_

#include <string>
#include <string_view>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace CLI {
class App;
class Option;
}  // namespace CLI

// Typed flags that set resource fields (create/update) and build list
// filters, declared as tables in profiles_commands.cc and plan_commands.cc.
namespace careers::cli {

// One flag that sets one field of a resource.
struct FieldFlagSpec {
  std::string flag;  // "--birth-date"
  // Field path from the resource ("birth_date", "contact.email"); also the
  // update_mask path. The field is a string, an enum, a bool or a
  // google.type.Date; a repeated string or enum field makes a repeatable
  // flag that appends.
  std::string path;
  std::string help;
  // When not empty, the accepted values (case-insensitive) of a string field.
  std::vector<std::string> choices = {};
};

// The field flags of one create or update command. Values are checked while
// the command line is parsed, so a bad date or enum name is a usage error;
// they are set on the resource later, over anything read from --json.
// Not copyable: CLI11 writes into it. Thread-compatible.
class FieldFlags {
 public:
  // Aborts if a spec's path does not name a supported field of `resource`
  // (a programming error, caught by any test that builds the commands).
  FieldFlags(const google::protobuf::Descriptor& resource,
             std::vector<FieldFlagSpec> specs);
  FieldFlags(const FieldFlags&) = delete;
  FieldFlags& operator=(const FieldFlags&) = delete;

  // Adds the flags to `cmd`; `*this` must outlive `cmd`.
  void AddTo(CLI::App& cmd);

  // Sets the fields whose flags were given on `resource`.
  void ApplyTo(google::protobuf::Message& resource) const;

  // The update_mask paths of the flags that were given, in table order.
  std::vector<std::string> GivenPaths() const;

 private:
  struct Flag {
    FieldFlagSpec spec;
    // The fields from the resource down to the one the flag sets.
    std::vector<const google::protobuf::FieldDescriptor*> path;
    std::vector<std::string> values;  // one per occurrence
  };

  // CLI11 validator: "" when `value` suits `flag`, else what is wrong.
  static std::string Check(const Flag& flag, const std::string& value);

  std::vector<Flag> flags_;
};

// One flag that adds a comparison to an AIP-160 list filter.
struct FilterFlagSpec {
  std::string flag;   // "--life-stage"
  std::string field;  // "life_stage"
  std::string help;
  // Set for an enum comparison (`life_stage = SCHOOL`); otherwise the value
  // is a quoted string (`goal = "profiles/p/goals/g"`).
  const google::protobuf::EnumDescriptor* enum_type = nullptr;
  // A string that matches by prefix: `family_name = "Mac*"`.
  bool prefix = false;
  // A true|false comparison (`active = true`).
  bool boolean = false;
};

// The filter flags of one list command, plus `--filter` for a raw filter,
// which excludes them. Not copyable: CLI11 writes into it.
class FilterFlags {
 public:
  explicit FilterFlags(std::vector<FilterFlagSpec> specs);
  FilterFlags(const FilterFlags&) = delete;
  FilterFlags& operator=(const FilterFlags&) = delete;

  // Adds the flags and --filter to `cmd`; `*this` must outlive `cmd`.
  void AddTo(CLI::App& cmd);

  // The raw --filter, or the given comparisons joined by AND in table order.
  std::string Filter() const;

 private:
  struct Flag {
    FilterFlagSpec spec;
    std::string value;
    CLI::Option* option = nullptr;
  };
  std::vector<Flag> flags_;
  std::string raw_;
};

// An AIP-160 string literal: `value` in double quotes, with `"` and `\`
// escaped by a backslash.
std::string QuoteFilterString(std::string_view value);

}  // namespace careers::cli

#endif  // CAREERS_CLIENTS_CLI_RESOURCE_FLAGS_H_
