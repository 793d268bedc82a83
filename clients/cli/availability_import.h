#ifndef CAREERS_CLIENTS_CLI_AVAILABILITY_IMPORT_H_
#define CAREERS_CLIENTS_CLI_AVAILABILITY_IMPORT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "careers/v1/booking_service.pb.h"
#include "clients/cli/command.h"

// Availability rules from text: `careersctl availability add` (flags) and
// `availability import FILE.csv` (one rule per row, one RPC per row, safely
// re-runnable). Both read the text the same way.
namespace careers::cli {

// An availability rule as typed. Lists (days, channels, appointment_types)
// separate values with commas, semicolons or spaces; names may be given
// without their collection ("x" for advisers/x, locations/x,
// appointmentTypes/x).
struct RuleText {
  std::string adviser;     // required
  std::string kind;        // required: weekly|extra|blocked
  std::string days;        // mon, tue... or monday...; empty: every day
  std::string start;       // required: HH:MM
  std::string end;         // required: HH:MM, 24:00 the end of the day
  std::string time_zone;   // IANA; empty: the server's default
  std::string valid_from;  // required: YYYY-MM-DD
  std::string valid_to;    // YYYY-MM-DD
  std::string location;
  std::string channels;  // in-person, video, phone
  std::string appointment_types;
  std::string description;
};

// The columns of an import file, in any order (the header names them,
// ignoring case): the members of RuleText. adviser, kind, start, end and
// valid_from are required.
inline constexpr const char* kAvailabilityImportColumns[] = {
    "adviser",           "kind",       "days",     "start",    "end",
    "time_zone",         "valid_from", "valid_to", "location", "channels",
    "appointment_types", "description"};

// The create request `text` asks for, without a request_id.
// INVALID_ARGUMENT naming each field that is missing or malformed
// ("days: 'mnday' is not a day of the week").
absl::StatusOr<v1::CreateAvailabilityRuleRequest> RuleRequestFor(
    const RuleText& text);

// A UUID-shaped digest (version 8) of `request` without its request_id: the
// same rule always gets the same id, so a re-run within the server's
// request-id window replays the first create instead of adding the rule
// again.
std::string StableRequestId(const v1::CreateAvailabilityRuleRequest& request);

// One data row of an import file.
struct RuleRow {
  int line = 0;  // where the row starts in the file
  // The request to send, with its StableRequestId; unset when `error` is.
  v1::CreateAvailabilityRuleRequest request;
  std::string error;  // why the row cannot be sent
};

// Reads the header and the rows. INVALID_ARGUMENT if the text is not CSV or
// the header lacks a required column, repeats one or has an unknown one; a
// row that is wrong on its own gets its `error` instead.
absl::StatusOr<std::vector<RuleRow>> ParseAvailabilityCsv(
    absl::string_view text);

// Imports the file at `path`: creates each row's rule, in order, counting
// it as created, already present (a replay of an earlier run, or
// ALREADY_EXISTS) or failed. Prints a progress bar on `env.err` when it is a
// terminal, then the summary, with each failed row's line and the server's
// message, on `env.out`. Returns 0 if no row failed, 1 if one did, 2 if the
// file cannot be read or is not an import file (nothing is sent then).
int RunAvailabilityImport(CommandEnv& env, const std::string& path);

}  // namespace careers::cli

#endif  // CAREERS_CLIENTS_CLI_AVAILABILITY_IMPORT_H_
