#ifndef CAREERS_TESTS_SUPPORT_PRIVATE_MARIADB_H_
#define CAREERS_TESTS_SUPPORT_PRIVATE_MARIADB_H_

#include <sys/types.h>

#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "server/store/connection.h"
#include "server/store/db_url.h"
#include "tests/support/server_process.h"

namespace careers::testing {

// A MariaDB server of the test's own, for tests that stop it dead (SIGSTOP)
// without disturbing the shared test database the others use: a fresh data
// directory under /tmp (mariadb-install-db --no-defaults, about a second)
// and mariadbd --no-defaults on it, listening on a free port of 127.0.0.1,
// as ops/lib.sh careers_start_db does. The destructor thaws it (SIGCONT),
// shuts it down (SIGTERM, SIGKILL after 30 s) and removes the directory.
// Not thread-safe, except Freeze and Thaw.
class PrivateMariaDb {
 public:
  // Fails the current test and returns null if the server cannot be set up
  // or does not answer within 30 s.
  static std::unique_ptr<PrivateMariaDb> Start();
  ~PrivateMariaDb();
  PrivateMariaDb(const PrivateMariaDb&) = delete;
  PrivateMariaDb& operator=(const PrivateMariaDb&) = delete;

  // root@127.0.0.1:port (no password), on `database`.
  store::DbTarget target(absl::string_view database = "mysql") const;
  // Creates an empty database (utf8mb4) and returns its target.
  store::DbTarget CreateDatabase(absl::string_view name);
  // A connection as root (5 s to connect, 60 s socket timeout), for
  // setting up and inspecting; null (and a test failure) if none.
  std::unique_ptr<store::Connection> Connect() const;

  // SIGSTOP: the server stops dead, as if its machine hung. Connections and
  // connects are accepted by the kernel but never answered.
  void Freeze();
  // SIGCONT: it carries on where it stopped.
  void Thaw();

  pid_t pid() const { return server_->pid(); }
  int port() const { return port_; }

 private:
  PrivateMariaDb(std::string dir, int port)
      : dir_(std::move(dir)), port_(port) {}

  const std::string dir_;
  const int port_;
  std::unique_ptr<ChildProcess> server_;
};

}  // namespace careers::testing

#endif  // CAREERS_TESTS_SUPPORT_PRIVATE_MARIADB_H_
