#ifndef CAREERS_CLIENTS_CLI_FLAGS_H_
#define CAREERS_CLIENTS_CLI_FLAGS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/type/date.pb.h"

// Parsing of careersctl flag values (durations, dates, enum names, JSON
// files) and the spelling of enum values on the command line. Pure functions;
// thread-safe.
namespace careers::cli {

// "500ms", "10s", "1m", "1m30s" (absl::ParseDuration syntax) → a positive,
// finite duration.
absl::StatusOr<absl::Duration> ParseTimeout(const std::string& text);

// "YYYY-MM-DD" naming a real calendar day (year 1–9999) → google.type.Date.
absl::StatusOr<google::type::Date> ParseDate(const std::string& text);

// "true", "false", "yes", "no", "1", "0", case-insensitive → the bool.
absl::StatusOr<bool> ParseBool(const std::string& text);

// An enum value name, case-insensitive, with '-' for '_' ("career-change",
// "CAREER_CHANGE") → its number. The *_UNSPECIFIED value (number 0) is not
// accepted: it never makes sense on the command line.
absl::StatusOr<int> ParseEnumValue(const google::protobuf::EnumDescriptor& type,
                                   const std::string& text);

// How the CLI spells an enum value: CAREER_CHANGE → "career-change". Number 0
// (unspecified) is "", an unknown number its decimal digits.
std::string EnumDisplayName(const google::protobuf::EnumDescriptor& type,
                            int number);

// The accepted values of `type` for help text: "school|college|...".
std::string EnumChoices(const google::protobuf::EnumDescriptor& type);

// Replaces `message` with the protobuf JSON read from the file at `path`, or
// from standard input when `path` is "-". Unknown fields are an error.
absl::Status ReadJsonMessage(const std::string& path,
                             google::protobuf::Message& message);

}  // namespace careers::cli

#endif  // CAREERS_CLIENTS_CLI_FLAGS_H_
