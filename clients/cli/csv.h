#ifndef CAREERS_CLIENTS_CLI_CSV_H_
#define CAREERS_CLIENTS_CLI_CSV_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

// A small reader of RFC 4180 CSV, for careersctl's imports. Pure functions;
// thread-safe.
namespace careers::cli {

// One record of a CSV file.
struct CsvRecord {
  int line = 0;  // the line it starts on, from 1
  std::vector<std::string> fields;
};

// Splits `text` into records of fields. Fields are separated by commas and
// records by line breaks (CRLF, LF or CR). A field in double quotes may hold
// commas, line breaks (kept as they are) and quotes written twice (""). A
// UTF-8 byte order mark at the start and empty lines are skipped; the last
// record needs no line break. INVALID_ARGUMENT naming the line for a quote
// inside an unquoted field, text after a closing quote, or a quote that is
// never closed.
absl::StatusOr<std::vector<CsvRecord>> ParseCsv(absl::string_view text);

}  // namespace careers::cli

#endif  // CAREERS_CLIENTS_CLI_CSV_H_
