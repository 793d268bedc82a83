#include "tests/support/private_mariadb.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "server/store/database.h"

namespace careers::testing {
namespace {

// The first executable `name` on PATH, /usr/sbin or /usr/bin; "" if none.
std::string FindProgram(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::vector<std::string> dirs =
      absl::StrSplit(path == nullptr ? "" : path, ':', absl::SkipEmpty());
  dirs.push_back("/usr/sbin");
  dirs.push_back("/usr/bin");
  for (const std::string& dir : dirs) {
    const std::string candidate = absl::StrCat(dir, "/", name);
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

std::string UserName() {
  const passwd* pw = getpwuid(geteuid());
  return pw == nullptr ? "root" : pw->pw_name;
}

// A port of 127.0.0.1 that was free a moment ago (the kernel's choice).
int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
}

store::DbTarget TargetOn(int port, absl::string_view database) {
  store::DbTarget target;
  target.host = "127.0.0.1";
  target.port = port;
  target.user = "root";
  target.database = std::string(database);
  return target;
}

std::string ReadWhole(const std::string& path) {
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace

std::unique_ptr<PrivateMariaDb> PrivateMariaDb::Start() {
  const std::string install_db = FindProgram("mariadb-install-db");
  const std::string mariadbd = FindProgram("mariadbd");
  if (install_db.empty() || mariadbd.empty()) {
    ADD_FAILURE() << "mariadb-install-db or mariadbd not found (apt-get "
                     "install mariadb-server)";
    return nullptr;
  }
  char dir_template[] = "/tmp/careers-private-db.XXXXXX";
  if (mkdtemp(dir_template) == nullptr) {
    ADD_FAILURE() << "mkdtemp failed";
    return nullptr;
  }
  const std::string dir = dir_template;
  // A temporary directory of its own: servers bootstrapping side by side in
  // one (/tmp) clash over their temporary tables' names.
  const std::string tmpdir = absl::StrCat(dir, "/tmp");
  std::filesystem::create_directory(tmpdir);
  const std::string user = UserName();
  const RunResult installed = RunProcess(
      {install_db, "--no-defaults", absl::StrCat("--datadir=", dir, "/data"),
       absl::StrCat("--user=", user),
       "--auth-root-authentication-method=normal", "--skip-test-db",
       absl::StrCat("--tmpdir=", tmpdir)},
      absl::Seconds(60));
  if (installed.exit_code != 0) {
    ADD_FAILURE() << "mariadb-install-db failed (" << installed.exit_code
                  << "):\n"
                  << installed.out << installed.err;
    std::filesystem::remove_all(dir);
    return nullptr;
  }
  // A port another process takes between FreePort and mariadbd's bind makes
  // mariadbd exit at once: then another port.
  for (int attempt = 0; attempt < 3; ++attempt) {
    const int port = FreePort();
    std::unique_ptr<ChildProcess> server = ChildProcess::Start(
        {mariadbd, "--no-defaults", absl::StrCat("--datadir=", dir, "/data"),
         absl::StrCat("--socket=", dir, "/sock"),
         absl::StrCat("--pid-file=", dir, "/mariadbd.pid"),
         absl::StrCat("--tmpdir=", tmpdir), absl::StrCat("--port=", port),
         "--bind-address=127.0.0.1", absl::StrCat("--user=", user),
         "--skip-name-resolve", "--innodb-buffer-pool-size=64M",
         "--max-connections=200",
         absl::StrCat("--log-error=", dir, "/error.log")});
    if (server == nullptr) break;
    const absl::Time give_up = absl::Now() + absl::Seconds(30);
    while (absl::Now() < give_up &&
           !server->Wait(absl::ZeroDuration()).has_value()) {
      if (store::OpenConnection(TargetOn(port, "mysql"), absl::Seconds(1),
                                absl::Seconds(1), store::ServerFlavor::kMariaDb,
                                /*log_failure=*/false)
              .ok()) {
        std::unique_ptr<PrivateMariaDb> db(new PrivateMariaDb(dir, port));
        db->server_ = std::move(server);
        return db;
      }
      absl::SleepFor(absl::Milliseconds(20));  // polling until it answers
    }
    if (!server->Wait(absl::ZeroDuration()).has_value()) {
      ADD_FAILURE() << "the private MariaDB did not answer within 30 s";
      break;  // `server` is killed as it goes
    }
  }
  ADD_FAILURE() << "the private MariaDB did not start; its log:\n"
                << ReadWhole(absl::StrCat(dir, "/error.log"));
  std::filesystem::remove_all(dir);
  return nullptr;
}

PrivateMariaDb::~PrivateMariaDb() {
  if (server_ != nullptr) {
    Thaw();
    server_->Signal(SIGTERM);
    if (!server_->Wait(absl::Seconds(30)).has_value()) {
      ADD_FAILURE() << "the private MariaDB did not shut down in 30 s";
      server_->Signal(SIGKILL);
      server_->Wait(absl::Seconds(10));
    }
    server_.reset();
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

store::DbTarget PrivateMariaDb::target(absl::string_view database) const {
  return TargetOn(port_, database);
}

store::DbTarget PrivateMariaDb::CreateDatabase(absl::string_view name) {
  std::unique_ptr<store::Connection> admin = Connect();
  if (admin != nullptr) {
    admin->Execute(absl::StrCat("CREATE DATABASE ", name,
                                " CHARACTER SET utf8mb4 COLLATE "
                                "utf8mb4_unicode_520_ci"));
  }
  return target(name);
}

std::unique_ptr<store::Connection> PrivateMariaDb::Connect() const {
  absl::StatusOr<std::unique_ptr<store::Connection>> c =
      store::OpenConnection(target(), absl::Seconds(5), absl::Seconds(60),
                            store::ServerFlavor::kMariaDb);
  if (!c.ok()) {
    ADD_FAILURE() << "cannot reach the private MariaDB: " << c.status();
    return nullptr;
  }
  return *std::move(c);
}

void PrivateMariaDb::Freeze() { server_->Signal(SIGSTOP); }

void PrivateMariaDb::Thaw() { server_->Signal(SIGCONT); }

}  // namespace careers::testing
