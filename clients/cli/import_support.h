#ifndef CAREERS_CLIENTS_CLI_IMPORT_SUPPORT_H_
#define CAREERS_CLIENTS_CLI_IMPORT_SUPPORT_H_

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "clients/cli/csv.h"
#include "google/protobuf/message.h"
#include "google/protobuf/struct.pb.h"

// The pieces the CSV imports of careersctl (adviser_import.cc,
// availability_import.cc, esco_import.cc) share: reading the file and its
// header, the progress bar, the stable request id of a row and the summary
// printed at the end.
namespace careers::cli {

// Reads the file at `path` and parses its text with `parse` (a function
// from absl::string_view to absl::StatusOr<T>). INVALID_ARGUMENT "cannot
// read 'PATH'" if the file cannot be opened, and "PATH: why" if `parse`
// fails; the message is what the import reports as a usage error.
template <typename Parse>
auto ReadImportFile(const std::string& path, Parse parse)
    -> decltype(parse(absl::string_view())) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return absl::InvalidArgumentError(absl::StrCat("cannot read '", path, "'"));
  }
  const std::string text((std::istreambuf_iterator<char>(file)),
                         std::istreambuf_iterator<char>());
  auto parsed = parse(text);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", parsed.status().message()));
  }
  return parsed;
}

// The columns `records`' first record (the header) names, lower-cased and
// trimmed, in its order. INVALID_ARGUMENT if there is no header, or it
// names a column not in `known` or one twice. Which columns are required
// is up to the caller.
absl::StatusOr<std::vector<std::string>> ReadImportHeader(
    const std::vector<CsvRecord>& records,
    const std::vector<std::string>& known);

// A request id for a row that is the same whenever the same row is sent,
// so a re-run within the server's request-id window replays instead of
// creating again: the first 16 bytes of SHA-256("`purpose`\n" + the
// deterministic serialization of `request`) shaped as a UUID of version 8
// ("xxxxxxxx-xxxx-8xxx-[89ab]xxx-xxxxxxxxxxxx", lower-case hex). `purpose`
// names the import ("careersctl advisers import"); `request` is the row's
// request without its request id. These ids must stay byte-for-byte the
// same across versions of careersctl.
std::string RowRequestId(absl::string_view purpose,
                         const google::protobuf::Message& request);

// The progress bar of an import on standard error:
// "\r[#####.........] 12/40 rows". It draws only when `enabled` (standard
// error is a terminal), and then at most once every `every` rows and always
// on the last row. Does not own `err`, which must outlive it. Not
// thread-safe: one import drives it from one thread.
class ImportProgress {
 public:
  ImportProgress(std::ostream& err, bool enabled, size_t total,
                 size_t every = 1);
  ImportProgress(const ImportProgress&) = delete;
  ImportProgress& operator=(const ImportProgress&) = delete;

  // Draws the bar with `done` rows done (some may be done before anything
  // is sent: rows that cannot be).
  void Start(size_t done = 0);

  // Notes that `done` rows of the total are done now; redraws if `every`
  // rows passed since the last drawing or all are done.
  void Update(size_t done);

  // Ends the bar's line, if it was drawn.
  void Finish();

 private:
  void Draw(size_t done);

  std::ostream& err_;
  const bool enabled_;
  const size_t total_;
  const size_t every_;
  size_t drawn_ = 0;  // the `done` of the last drawing
};

// One count of an import's summary.
struct ImportCount {
  const char* json_key;  // "alreadyPresent"
  const char* label;     // "already present", in the table
  int64_t count;
};

// A row an import could not take, as its summary lists it.
struct ImportRowProblem {
  int line = 0;         // where the row starts in the file
  std::string subject;  // what the row is about (a name), or ""
  std::string reason;
  std::vector<std::string> details;  // of the server's error, one a line
};

// What an import prints at its end: the counts, then the rows it could not
// take with their lines and reasons.
struct ImportSummary {
  std::vector<ImportCount> counts;
  const char* rows_key = "failures";  // the JSON list of `rows`
  // The JSON key of a row's subject ("adviser"); nullptr to leave it out.
  const char* subject_key = nullptr;
  bool row_details = true;  // whether JSON rows carry "details"
  std::vector<ImportRowProblem> rows;
};

// `summary` as JSON: {count keys..., rows_key: [{line, subject_key, reason,
// details}]}, a subject only when not empty.
google::protobuf::Struct ImportSummaryJson(const ImportSummary& summary);

// `summary` as text on `out`: a table of the counts, then a line a row,
// "line N (subject): reason", each detail below it indented two spaces.
void PrintImportSummaryText(const ImportSummary& summary, std::ostream& out);

}  // namespace careers::cli

#endif  // CAREERS_CLIENTS_CLI_IMPORT_SUPPORT_H_
