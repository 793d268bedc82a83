#ifndef CAREERS_TESTS_E2E_E2E_FIXTURE_H_
#define CAREERS_TESTS_E2E_E2E_FIXTURE_H_

#include <grpcpp/grpcpp.h>

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/time/time.h"
#include "careers/v1/profile_service.grpc.pb.h"
#include "gtest/gtest.h"
#include "health/v1/health.grpc.pb.h"
#include "tests/support/server_process.h"
#include "tests/support/test_database.h"

// Shared by the end-to-end tests: the real careers-server binary on a
// database of the test's own, driven through careersctl, buf and generated
// gRPC clients. The binaries' paths come from CMake.
namespace careers::e2e {

// The tests' identity provider: one ES256 key pair per test process. Servers
// start with its public key; tests sign tokens with it. Thread-safe.
class TestIssuer {
 public:
  static constexpr char kIssuer[] = "https://id.careers.test";
  static const TestIssuer& Get();

  const std::string& public_key_file() const { return public_key_file_; }
  const std::string& private_key_file() const { return private_key_file_; }

  // A signed token. `organisation` and `profile` are resource names.
  std::string Mint(const std::string& role, const std::string& subject,
                   const std::string& organisation = "",
                   const std::string& profile = "",
                   const std::vector<std::string>& scopes = {}) const;
  std::string Admin() const { return Mint("admin", "test-operator"); }

 private:
  TestIssuer();
  std::string dir_;
  std::string private_pem_;
  std::string public_key_file_;
  std::string private_key_file_;
};

// Calls `condition` every 20 ms until it is true or `timeout` has passed;
// returns its last answer. For conditions no event announces (rows in
// information_schema, a closed listening socket).
bool PollUntil(absl::FunctionRef<bool()> condition, absl::Duration timeout);

// Threads of a running process, from /proc/PID/task.
int ThreadsOf(pid_t pid);
// Its resident memory (VmRSS of /proc/PID/status), in MiB; -1 if unknown.
double ResidentMib(pid_t pid);

// Parses protobuf JSON (as careersctl -o json and buf curl print it).
// Fails the current test if it does not parse.
void ParseJson(const std::string& json, google::protobuf::Message* message);

// A fresh migrated database per test (EmptyDatabaseE2eTest: not migrated);
// the server is started by the test. TearDown stops a server still running
// with SIGTERM and expects a clean exit; a failed test's server log is
// printed.
class E2eTest : public ::testing::Test {
 protected:
  explicit E2eTest(bool migrate = true) : migrate_(migrate) {}

  void SetUp() override;
  void TearDown() override;

  testing::TestDatabase& db() { return *db_; }
  testing::ServerProcess& server() { return *server_; }

  // Starts careers-server on db() with the given extra flags (and the test
  // issuer's token settings); ASSERT that it returned true.
  bool StartServer(const std::vector<std::string>& extra_args = {});
  // The same with another --db-url (e.g. another account on db()).
  bool StartServerOn(const std::string& db_url,
                     const std::vector<std::string>& extra_args = {});
  // Kills the server with SIGKILL (no shutdown of any kind, as if its
  // machine lost power) and waits for it; returns how it ended (128 + 9).
  // StartServer then starts a new one on the same database (on another
  // port); until then there is no server().
  std::optional<int> KillServer();

  // Runs careersctl --server ADDRESS ARGS... as an administrator (unless
  // ARGS has its own --token).
  testing::RunResult Ctl(const std::vector<std::string>& args);
  // The same with `token` ("" for none).
  testing::RunResult CtlAs(const std::string& token,
                           const std::vector<std::string>& args);
  // Starts careersctl --server ADDRESS [--token TOKEN] ARGS... and leaves it
  // running (`changes watch`): the test reads its output as it comes and
  // ends it.
  std::unique_ptr<testing::ChildProcess> StartCtlAs(
      const std::string& token, const std::vector<std::string>& args);
  // Runs buf curl over plaintext HTTP/2 at /SERVICE/METHOD with `args`
  // (e.g. -d JSON, --schema FILE) before the URL, as an administrator
  // unless `args` sets its own authorization header.
  testing::RunResult BufCurl(const std::string& method_path,
                             const std::vector<std::string>& args);
  // Runs careers-server once (e.g. --migrate) on db().
  testing::RunResult RunServerCommand(const std::vector<std::string>& args);

  // A new channel whose calls carry `token` (an administrator's by default;
  // "" for none).
  std::shared_ptr<grpc::Channel> NewChannel(const std::string& token);
  // The same with channel arguments of the test's (flow control...).
  std::shared_ptr<grpc::Channel> NewChannel(const std::string& token,
                                            grpc::ChannelArguments args);
  std::shared_ptr<grpc::Channel> NewChannel() {
    return NewChannel(admin_token_);
  }
  std::unique_ptr<v1::ProfileService::Stub> NewProfileStub();
  std::unique_ptr<v1::ProfileService::Stub> NewProfileStub(
      const std::string& token);
  std::unique_ptr<grpc::health::v1::Health::Stub> NewHealthStub();

  // Creates a valid profile (a 15-year-old pupil) through the API.
  v1::Profile CreateProfile(const std::string& id,
                            const std::string& family_name = "MacLeod");

  // Statements of this test's database running SELECT ... FOR UPDATE, from
  // PROCESSLIST: while another client holds the row, these are the ones
  // waiting for it. (Not INNODB_TRX: InnoDB refreshes that only when it has
  // not been read for 100 ms, so polling it, from any test, freezes it.)
  int LockWaits();

 private:
  const bool migrate_;
  const std::string admin_token_ = TestIssuer::Get().Admin();
  std::unique_ptr<testing::TestDatabase> db_;
  std::unique_ptr<testing::ServerProcess> server_;
};

// Another client's transaction holding a profile's row lock (SELECT ... FOR
// UPDATE) until Commit(); destruction closes the connection, which rolls it
// back. Not thread-safe.
class ProfileRowLock {
 public:
  // Fails the current test if the lock cannot be taken.
  ProfileRowLock(testing::TestDatabase& db, const std::string& profile_id);
  ProfileRowLock(const ProfileRowLock&) = delete;
  ProfileRowLock& operator=(const ProfileRowLock&) = delete;

  void Commit();
  // True if another connection cannot lock the row (FOR UPDATE NOWAIT).
  bool Held(testing::TestDatabase& db);

 private:
  std::string profile_id_;
  std::unique_ptr<store::Connection> connection_;
};

class EmptyDatabaseE2eTest : public E2eTest {
 protected:
  EmptyDatabaseE2eTest() : E2eTest(/*migrate=*/false) {}
};

// A client deadline `timeout` from now.
void SetTimeout(grpc::ClientContext& context, absl::Duration timeout);

}  // namespace careers::e2e

#endif  // CAREERS_TESTS_E2E_E2E_FIXTURE_H_
