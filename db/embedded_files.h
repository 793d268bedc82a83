#ifndef CAREERS_DB_EMBEDDED_FILES_H_
#define CAREERS_DB_EMBEDDED_FILES_H_

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace careers::db {

// A file from db/ compiled into the binary (see db/embed_files.cmake).
struct EmbeddedFile {
  absl::string_view name;     // base name, e.g. "0001_directory.up.sql"
  absl::string_view content;  // the file's bytes
};

// db/migrations/*.sql, sorted by name.
absl::Span<const EmbeddedFile> MigrationFiles();

// db/demo/*, sorted by name.
absl::Span<const EmbeddedFile> DemoFiles();

}  // namespace careers::db

#endif  // CAREERS_DB_EMBEDDED_FILES_H_
