#ifndef CAREERS_SERVER_STORE_DB_URL_H_
#define CAREERS_SERVER_STORE_DB_URL_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace careers::store {

// Where the database is and who to be there.
struct DbTarget {
  std::string host = "127.0.0.1";
  int port = 3306;
  std::string socket;  // a Unix socket path instead of host:port
  std::string user;
  std::string password;
  std::string database;

  // The URL without its password, for logs and errors.
  std::string Redacted() const;
};

// Parses `mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?socket=PATH]`
// (`mariadb://` works too). User, password and path segments may be
// percent-encoded. INVALID_ARGUMENT says what is wrong without echoing the
// password.
absl::StatusOr<DbTarget> ParseDbUrl(absl::string_view url);

}  // namespace careers::store

#endif  // CAREERS_SERVER_STORE_DB_URL_H_
