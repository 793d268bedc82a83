#ifndef CAREERS_CLIENTS_CLI_ESCO_IMPORT_H_
#define CAREERS_CLIENTS_CLI_ESCO_IMPORT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "careers/v1/skills_service.pb.h"
#include "clients/cli/command.h"

// `careersctl skills import-esco skills_en.csv`: the skills of ESCO's
// published CSV (https://esco.ec.europa.eu/en/use-esco/download) sent to
// ImportSkills in batches, safely re-runnable: a second run reports every
// skill unchanged.
namespace careers::cli {

// The columns read; the first two are needed, the others may be missing,
// and ESCO's other columns (conceptType, reuseLevel, hiddenLabels, status,
// modifiedDate, scopeNote, definition, inScheme...) are ignored.
inline constexpr const char* kEscoColumns[] = {
    "conceptUri", "preferredLabel", "altLabels", "skillType", "description"};

// One data row of the file, as the skill it becomes.
struct EscoRow {
  int line = 0;  // where the row starts in the file
  // `skills/esco-{uuid}`, ESCO, code = conceptUri, the English label, the
  // alternative labels (the lines of altLabels: trimmed, without blanks or
  // repeats, those over 300 characters left out, at most 50), group =
  // skillType, description (cut to 4000 characters at a character
  // boundary).
  v1::Skill skill;
  std::string error;  // why the row cannot be imported, if it cannot
};

// Reads the header and the rows. INVALID_ARGUMENT if the text is not CSV
// or the header lacks conceptUri or preferredLabel; a row that is wrong on
// its own (a conceptUri not ending in a UUID, no preferredLabel, a repeated
// concept) gets its `error` instead.
absl::StatusOr<std::vector<EscoRow>> ParseEscoCsv(absl::string_view text);

// At most `max_chars` code points of UTF-8 `text`, never cutting a
// character in two.
std::string TruncateUtf8(absl::string_view text, size_t max_chars);

// Runs the import of the file at `path`: the importable rows in batches of
// `batch_size` (1–1000), each retried on UNAVAILABLE; rows the server
// refuses are left out of their batch, which is sent again without them.
// Prints a progress bar on `env.err` if it is a terminal, then the summary
// (created, updated, unchanged, skipped with each skipped row's line and
// reason, failed) on `env.out`. Returns 0 if every batch was imported
// (skipped rows included), 1 if a batch failed (the import stops there),
// 2 if the file cannot be read or is not an ESCO skills file.
int RunEscoImport(CommandEnv& env, const std::string& path, int batch_size);

}  // namespace careers::cli

#endif  // CAREERS_CLIENTS_CLI_ESCO_IMPORT_H_
