#include "clients/cli/flags.h"

#include <cctype>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/util/json_util.h"

namespace careers::cli {
namespace {

// True when `text` is exactly `n` ASCII digits; stores their value.
bool ParseDigits(const std::string& text, size_t n, int& value) {
  if (text.size() != n) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return absl::SimpleAtoi(text, &value);
}

}  // namespace

absl::StatusOr<absl::Duration> ParseTimeout(const std::string& text) {
  absl::Duration d;
  if (!absl::ParseDuration(std::string(text), &d) ||
      d <= absl::ZeroDuration() || d == absl::InfiniteDuration()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'", text, "' is not a positive duration such as 500ms, 10s or 1m"));
  }
  return d;
}

absl::StatusOr<google::type::Date> ParseDate(const std::string& text) {
  int year = 0;
  int month = 0;
  int day = 0;
  const bool shape_ok = text.size() == 10 && text[4] == '-' && text[7] == '-' &&
                        ParseDigits(text.substr(0, 4), 4, year) &&
                        ParseDigits(text.substr(5, 2), 2, month) &&
                        ParseDigits(text.substr(8, 2), 2, day);
  // absl::CivilDay normalises out-of-range fields (Feb 30 → Mar 1), so a day
  // is real exactly when it survives the round trip unchanged.
  const absl::CivilDay civil(year, month, day);
  if (!shape_ok || year < 1 || civil.year() != year || civil.month() != month ||
      civil.day() != day) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "' is not a real date in the form YYYY-MM-DD"));
  }
  google::type::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

absl::StatusOr<bool> ParseBool(const std::string& text) {
  const std::string lower = absl::AsciiStrToLower(text);
  if (lower == "true" || lower == "yes" || lower == "1") return true;
  if (lower == "false" || lower == "no" || lower == "0") return false;
  return absl::InvalidArgumentError(
      absl::StrCat("'", text, "' is not true or false"));
}

absl::StatusOr<int> ParseEnumValue(const google::protobuf::EnumDescriptor& type,
                                   const std::string& text) {
  const std::string name =
      absl::AsciiStrToUpper(absl::StrReplaceAll(text, {{"-", "_"}}));
  const google::protobuf::EnumValueDescriptor* value =
      type.FindValueByName(name);
  if (value == nullptr || value->number() == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "' is not one of ", EnumChoices(type)));
  }
  return value->number();
}

std::string EnumDisplayName(const google::protobuf::EnumDescriptor& type,
                            int number) {
  if (number == 0) return "";
  const google::protobuf::EnumValueDescriptor* value =
      type.FindValueByNumber(number);
  if (value == nullptr) return absl::StrCat(number);
  return absl::AsciiStrToLower(
      absl::StrReplaceAll(value->name(), {{"_", "-"}}));
}

std::string EnumChoices(const google::protobuf::EnumDescriptor& type) {
  std::vector<std::string> names;
  for (int i = 0; i < type.value_count(); ++i) {
    const int number = type.value(i)->number();
    if (number != 0) names.push_back(EnumDisplayName(type, number));
  }
  return absl::StrJoin(names, "|");
}

absl::Status ReadJsonMessage(const std::string& path,
                             google::protobuf::Message& message) {
  std::string json;
  if (path == "-") {
    json.assign(std::istreambuf_iterator<char>(std::cin),
                std::istreambuf_iterator<char>());
  } else {
    std::ifstream file(path, std::ios::binary);
    if (!file) {
      return absl::InvalidArgumentError(
          absl::StrCat("cannot read --json file '", path, "'"));
    }
    json.assign(std::istreambuf_iterator<char>(file),
                std::istreambuf_iterator<char>());
  }
  message.Clear();
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status =
      google::protobuf::util::JsonStringToMessage(json, &message, options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--json '", path, "' is not a valid ",
                     message.GetDescriptor()->full_name(), ": ",
                     status.message().as_string()));
  }
  return absl::OkStatus();
}

}  // namespace careers::cli
