#ifndef CAREERS_CLIENTS_CLI_ADVISER_IMPORT_H_
#define CAREERS_CLIENTS_CLI_ADVISER_IMPORT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "careers/v1/directory_service.pb.h"
#include "clients/cli/command.h"

// `careersctl advisers import FILE.csv`: creates or updates one adviser per
// row, one RPC per row, safely re-runnable.
namespace careers::cli {

// The columns of an import file, in any order; the first three are needed.
// List cells (language_codes, channels, specialisms) separate values with
// semicolons or line breaks.
inline constexpr const char* kAdviserImportColumns[] = {
    "organisation", "display_name", "language_codes", "adviser_id", "channels",
    "specialisms",  "email",        "subject",        "active"};

// One data row of an import file, as the adviser it asks for.
struct AdviserRow {
  int line = 0;            // where the row starts in the file
  std::string adviser_id;  // "" for a server-chosen id
  // In the form the server stores: trimmed text, lower-case language codes,
  // no repeats; `active` set only when the row gives it.
  v1::Adviser adviser;
  // The fields the file gives (columns present; `active` only when not
  // blank): the update_mask of a changed adviser.
  std::vector<std::string> given_fields;
  std::string error;  // why the row cannot be sent, if it cannot
};

// Reads the header and the rows. INVALID_ARGUMENT if the text is not CSV or
// the header lacks a required column, repeats one, or has an unknown one;
// a row that is wrong on its own gets its `error` instead.
absl::StatusOr<std::vector<AdviserRow>> ParseAdviserCsv(absl::string_view text);

// The create request of a row, with its request_id: a UUID-shaped digest
// (version 8) of the request without it, so the same row always makes the
// same request and a re-run within the server's 24 hours replays.
v1::CreateAdviserRequest CreateRequestFor(const AdviserRow& row);

// Runs the import of the file at `path`: for each row, in order, creates
// the adviser, or (when adviser_id names an existing one) updates it with
// its etag if it differs, and counts it as created, updated, unchanged or
// failed. Prints a progress bar on `env.err` if it is a terminal, then the
// summary with each failed row's line and reason on `env.out`. Returns 0 if
// no row failed, 1 if one did, 2 if the file cannot be read or is not an
// import file (nothing is sent then).
int RunAdviserImport(CommandEnv& env, const std::string& path);

}  // namespace careers::cli

#endif  // CAREERS_CLIENTS_CLI_ADVISER_IMPORT_H_
