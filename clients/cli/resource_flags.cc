#include "clients/cli/resource_flags.h"

#include <cstdlib>
#include <iostream>
#include <utility>

#include "CLI/CLI.hpp"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "clients/cli/flags.h"
#include "google/type/date.pb.h"

namespace careers::cli {
namespace {

using google::protobuf::FieldDescriptor;

bool IsDate(const FieldDescriptor& field) {
  return field.type() == FieldDescriptor::TYPE_MESSAGE &&
         field.message_type() == google::type::Date::descriptor();
}

// The fields `path` names from `resource`, or {} unless every step but the
// last is a singular message and the last is a supported flag type.
std::vector<const FieldDescriptor*> ResolvePath(
    const google::protobuf::Descriptor& resource, const std::string& path) {
  std::vector<const FieldDescriptor*> fields;
  const google::protobuf::Descriptor* message = &resource;
  const std::vector<std::string> parts = absl::StrSplit(path, '.');
  for (const std::string& part : parts) {
    if (message == nullptr) return {};
    const FieldDescriptor* field = message->FindFieldByName(part);
    if (field == nullptr) return {};
    fields.push_back(field);
    message = field->type() == FieldDescriptor::TYPE_MESSAGE &&
                      !field->is_repeated() && !IsDate(*field)
                  ? field->message_type()
                  : nullptr;
  }
  const FieldDescriptor& leaf = *fields.back();
  const bool supported =
      leaf.type() == FieldDescriptor::TYPE_STRING ||
      leaf.type() == FieldDescriptor::TYPE_ENUM ||
      (!leaf.is_repeated() &&
       (leaf.type() == FieldDescriptor::TYPE_BOOL || IsDate(leaf)));
  return supported ? fields : std::vector<const FieldDescriptor*>{};
}

// The accepted choice equal to `value` ignoring case, or nullptr.
const std::string* FindChoice(const std::vector<std::string>& choices,
                              const std::string& value) {
  for (const std::string& choice : choices) {
    if (absl::EqualsIgnoreCase(choice, value)) return &choice;
  }
  return nullptr;
}

}  // namespace

FieldFlags::FieldFlags(const google::protobuf::Descriptor& resource,
                       std::vector<FieldFlagSpec> specs) {
  for (FieldFlagSpec& spec : specs) {
    std::vector<const FieldDescriptor*> path = ResolvePath(resource, spec.path);
    if (path.empty()) {
      std::cerr << "careersctl: flag " << spec.flag << " names no usable field "
                << spec.path << " of " << resource.full_name() << "\n";
      std::abort();
    }
    flags_.push_back(Flag{std::move(spec), std::move(path), {}});
  }
}

void FieldFlags::AddTo(CLI::App& cmd) {
  for (Flag& flag : flags_) {
    const FieldDescriptor& leaf = *flag.path.back();
    std::string type_name = "TEXT";
    if (!flag.spec.choices.empty()) {
      type_name = absl::StrJoin(flag.spec.choices, "|");
    } else if (leaf.type() == FieldDescriptor::TYPE_ENUM) {
      type_name = EnumChoices(*leaf.enum_type());
    } else if (IsDate(leaf)) {
      type_name = "YYYY-MM-DD";
    } else if (leaf.type() == FieldDescriptor::TYPE_BOOL) {
      type_name = "true|false";
    }
    std::string help = flag.spec.help;
    if (leaf.is_repeated()) help += " (repeatable)";
    const Flag* checked = &flag;
    CLI::Option* option = cmd.add_option(flag.spec.flag, flag.values, help)
                              ->type_name(type_name)
                              ->allow_extra_args(false)
                              ->check(CLI::Validator(
                                  [checked](std::string& value) {
                                    return Check(*checked, value);
                                  },
                                  ""));
    // Giving a singular field's flag twice is an error, not last-one-wins.
    if (!leaf.is_repeated()) option->expected(1);
  }
}

std::string FieldFlags::Check(const Flag& flag, const std::string& value) {
  const FieldDescriptor& leaf = *flag.path.back();
  if (!flag.spec.choices.empty()) {
    return FindChoice(flag.spec.choices, value) != nullptr
               ? ""
               : absl::StrCat("'", value, "' is not one of ",
                              absl::StrJoin(flag.spec.choices, "|"));
  }
  if (leaf.type() == FieldDescriptor::TYPE_ENUM) {
    return std::string(
        ParseEnumValue(*leaf.enum_type(), value).status().message());
  }
  if (IsDate(leaf)) return std::string(ParseDate(value).status().message());
  if (leaf.type() == FieldDescriptor::TYPE_BOOL) {
    return std::string(ParseBool(value).status().message());
  }
  return "";
}

void FieldFlags::ApplyTo(google::protobuf::Message& resource) const {
  for (const Flag& flag : flags_) {
    if (flag.values.empty()) continue;
    google::protobuf::Message* message = &resource;
    for (size_t i = 0; i + 1 < flag.path.size(); ++i) {
      message = message->GetReflection()->MutableMessage(message, flag.path[i]);
    }
    const FieldDescriptor* leaf = flag.path.back();
    const google::protobuf::Reflection& reflection = *message->GetReflection();
    // Values were checked while parsing, so the parses below succeed.
    if (leaf->is_repeated()) {
      reflection.ClearField(message, leaf);
      for (const std::string& value : flag.values) {
        if (leaf->type() == FieldDescriptor::TYPE_ENUM) {
          reflection.AddEnumValue(message, leaf,
                                  *ParseEnumValue(*leaf->enum_type(), value));
        } else if (!flag.spec.choices.empty()) {
          reflection.AddString(message, leaf,
                               *FindChoice(flag.spec.choices, value));
        } else {
          reflection.AddString(message, leaf, value);
        }
      }
      continue;
    }
    const std::string& value = flag.values.back();
    if (!flag.spec.choices.empty()) {
      reflection.SetString(message, leaf,
                           *FindChoice(flag.spec.choices, value));
    } else if (leaf->type() == FieldDescriptor::TYPE_ENUM) {
      reflection.SetEnumValue(message, leaf,
                              *ParseEnumValue(*leaf->enum_type(), value));
    } else if (IsDate(*leaf)) {
      reflection.MutableMessage(message, leaf)->CopyFrom(*ParseDate(value));
    } else if (leaf->type() == FieldDescriptor::TYPE_BOOL) {
      reflection.SetBool(message, leaf, *ParseBool(value));
    } else {
      reflection.SetString(message, leaf, value);
    }
  }
}

std::vector<std::string> FieldFlags::GivenPaths() const {
  std::vector<std::string> paths;
  for (const Flag& flag : flags_) {
    if (!flag.values.empty()) paths.push_back(flag.spec.path);
  }
  return paths;
}

FilterFlags::FilterFlags(std::vector<FilterFlagSpec> specs) {
  for (FilterFlagSpec& spec : specs) {
    flags_.push_back(Flag{std::move(spec), "", nullptr});
  }
}

void FilterFlags::AddTo(CLI::App& cmd) {
  for (Flag& flag : flags_) {
    const google::protobuf::EnumDescriptor* type = flag.spec.enum_type;
    flag.option = cmd.add_option(flag.spec.flag, flag.value, flag.spec.help);
    if (type != nullptr) {
      flag.option->type_name(EnumChoices(*type))
          ->check(CLI::Validator(
              [type](std::string& value) {
                return std::string(
                    ParseEnumValue(*type, value).status().message());
              },
              ""));
    } else if (flag.spec.boolean) {
      flag.option->type_name("true|false")
          ->check(CLI::Validator(
              [](std::string& value) {
                return std::string(ParseBool(value).status().message());
              },
              ""));
    }
  }
  CLI::Option* raw = cmd.add_option(
      "--filter", raw_, "Raw AIP-160 filter, instead of the flags above");
  for (Flag& flag : flags_) raw->excludes(flag.option);
}

std::string FilterFlags::Filter() const {
  if (!raw_.empty()) return raw_;
  std::vector<std::string> terms;
  for (const Flag& flag : flags_) {
    if (flag.option == nullptr || flag.option->count() == 0) continue;
    std::string value;
    if (flag.spec.enum_type != nullptr) {
      const int number = *ParseEnumValue(*flag.spec.enum_type, flag.value);
      value = flag.spec.enum_type->FindValueByNumber(number)->name();
    } else if (flag.spec.boolean) {
      value = *ParseBool(flag.value) ? "true" : "false";
    } else {
      value =
          QuoteFilterString(flag.spec.prefix ? flag.value + "*" : flag.value);
    }
    terms.push_back(absl::StrCat(flag.spec.field, " = ", value));
  }
  return absl::StrJoin(terms, " AND ");
}

std::string QuoteFilterString(std::string_view value) {
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

}  // namespace careers::cli
