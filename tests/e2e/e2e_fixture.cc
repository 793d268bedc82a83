#include "tests/e2e/e2e_fixture.h"

#include <grpcpp/support/client_interceptor.h>
#include <signal.h>
#include <stdlib.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/json_util.h"
#include "server/auth/jwt_keys.h"
#include "server/auth/jwt_mint.h"
#include "tests/support/test_data.h"

namespace careers::e2e {
namespace {

// The first column of the first row, "" if there is none.
std::string QueryFirst(store::Connection& connection, const std::string& sql) {
  std::unique_ptr<sql::ResultSet> rs = connection.Query(sql);
  return rs->next() ? store::GetString(*rs, 1) : "";
}

// Adds `authorization: Bearer <token>` to every call of a channel.
class BearerInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit BearerInterceptor(std::string token) : token_(std::move(token)) {}
  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::
                PRE_SEND_INITIAL_METADATA)) {
      methods->GetSendInitialMetadata()->emplace(
          "authorization", absl::StrCat("Bearer ", token_));
    }
    methods->Proceed();
  }

 private:
  std::string token_;
};

class BearerFactory final
    : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  explicit BearerFactory(std::string token) : token_(std::move(token)) {}
  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo*) override {
    return new BearerInterceptor(token_);
  }

 private:
  std::string token_;
};

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
}

bool HasArg(const std::vector<std::string>& args, absl::string_view needle) {
  for (const std::string& a : args) {
    if (absl::StrContains(a, needle)) return true;
  }
  return false;
}

}  // namespace

const TestIssuer& TestIssuer::Get() {
  static const TestIssuer* issuer = new TestIssuer();
  return *issuer;
}

TestIssuer::TestIssuer() {
  char dir[] = "/tmp/careers-e2e-keys.XXXXXX";
  dir_ = mkdtemp(dir);
  const auth::PemKeyPair keys =
      *auth::GenerateKeyPair(auth::JwtAlgorithm::kEs256);
  private_pem_ = keys.private_pem;
  public_key_file_ = absl::StrCat(dir_, "/issuer.pub.pem");
  private_key_file_ = absl::StrCat(dir_, "/issuer.key.pem");
  WriteFile(public_key_file_, keys.public_pem);
  WriteFile(private_key_file_, keys.private_pem);
  // Removed when the test process ends.
  static std::string cleanup;
  cleanup = dir_;
  std::atexit([] {
    std::remove(absl::StrCat(cleanup, "/issuer.pub.pem").c_str());
    std::remove(absl::StrCat(cleanup, "/issuer.key.pem").c_str());
    std::remove(cleanup.c_str());
  });
}

std::string TestIssuer::Mint(const std::string& role,
                             const std::string& subject,
                             const std::string& organisation,
                             const std::string& profile,
                             const std::vector<std::string>& scopes) const {
  auth::TokenClaims claims;
  claims.issuer = kIssuer;
  claims.audience = "careers-api";
  claims.subject = subject;
  claims.role = role;
  claims.organisation = organisation;
  claims.profile = profile;
  claims.scopes = scopes;
  claims.issued_at = absl::Now();
  claims.expires_at = absl::Now() + absl::Hours(1);
  return *auth::MintToken(claims, auth::JwtAlgorithm::kEs256, private_pem_);
}

bool PollUntil(absl::FunctionRef<bool()> condition, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    if (condition()) return true;
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(absl::Milliseconds(20));
  }
}

int ThreadsOf(pid_t pid) {
  int n = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(
           absl::StrCat("/proc/", pid, "/task"))) {
    ++n;
  }
  return n;
}

double ResidentMib(pid_t pid) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(status, line)) {
    absl::string_view rest = line;
    if (!absl::ConsumePrefix(&rest, "VmRSS:")) continue;
    rest = absl::StripAsciiWhitespace(rest);
    absl::ConsumeSuffix(&rest, "kB");
    int64_t kib = 0;
    if (absl::SimpleAtoi(absl::StripAsciiWhitespace(rest), &kib)) {
      return static_cast<double>(kib) / 1024.0;
    }
  }
  return -1;
}

void ParseJson(const std::string& json, google::protobuf::Message* message) {
  const auto status =
      google::protobuf::util::JsonStringToMessage(json, message);
  EXPECT_TRUE(status.ok()) << status.ToString() << " in:\n" << json;
}

void SetTimeout(grpc::ClientContext& context, absl::Duration timeout) {
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
}

void E2eTest::SetUp() {
  db_ = testing::TestDatabase::Create(migrate_);
  ASSERT_NE(db_, nullptr);
}

void E2eTest::TearDown() {
  if (server_ == nullptr) return;
  if (HasFailure()) {
    std::cerr << "careers-server log:\n" << server_->process().Stderr();
  }
  const std::optional<int> code = server_->Stop(absl::Seconds(15));
  EXPECT_EQ(code, 0) << "careers-server did not stop cleanly on SIGTERM";
  server_.reset();  // kills it if it is still running
}

bool E2eTest::StartServer(const std::vector<std::string>& extra_args) {
  return StartServerOn(db_->Url(), extra_args);
}

bool E2eTest::StartServerOn(const std::string& db_url,
                            const std::vector<std::string>& extra_args) {
  std::vector<std::string> args = {"--jwt-issuer", TestIssuer::kIssuer,
                                   "--jwt-keys-file",
                                   TestIssuer::Get().public_key_file()};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  server_ = testing::ServerProcess::Start(CAREERS_SERVER_BIN, db_url, args);
  return server_ != nullptr;
}

std::optional<int> E2eTest::KillServer() {
  if (server_ == nullptr) return std::nullopt;
  server_->process().Signal(SIGKILL);
  const std::optional<int> code = server_->process().Wait(absl::Seconds(10));
  server_.reset();
  return code;
}

testing::RunResult E2eTest::Ctl(const std::vector<std::string>& args) {
  return CtlAs(HasArg(args, "--token") ? "" : admin_token_, args);
}

namespace {

std::vector<std::string> CtlArgv(const std::string& address,
                                 const std::string& token,
                                 const std::vector<std::string>& args) {
  std::vector<std::string> argv = {CAREERS_CTL_BIN, "--server", address};
  if (!token.empty()) {
    argv.push_back("--token");
    argv.push_back(token);
  }
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

}  // namespace

testing::RunResult E2eTest::CtlAs(const std::string& token,
                                  const std::vector<std::string>& args) {
  return testing::RunProcess(CtlArgv(server_->address(), token, args));
}

std::unique_ptr<testing::ChildProcess> E2eTest::StartCtlAs(
    const std::string& token, const std::vector<std::string>& args) {
  return testing::ChildProcess::Start(
      CtlArgv(server_->address(), token, args));
}

testing::RunResult E2eTest::BufCurl(const std::string& method_path,
                                    const std::vector<std::string>& args) {
  std::vector<std::string> argv = {CAREERS_BUF_BIN, "curl", "--protocol",
                                   "grpc", "--http2-prior-knowledge"};
  if (!HasArg(args, "authorization")) {
    argv.push_back("-H");
    argv.push_back(absl::StrCat("authorization: Bearer ", admin_token_));
  }
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back(absl::StrCat("http://", server_->address(), "/", method_path));
  return testing::RunProcess(argv);
}

testing::RunResult E2eTest::RunServerCommand(
    const std::vector<std::string>& args) {
  std::vector<std::string> argv = {CAREERS_SERVER_BIN, "--db-url", db_->Url()};
  argv.insert(argv.end(), args.begin(), args.end());
  return testing::RunProcess(argv);
}

std::shared_ptr<grpc::Channel> E2eTest::NewChannel(const std::string& token) {
  return NewChannel(token, grpc::ChannelArguments());
}

std::shared_ptr<grpc::Channel> E2eTest::NewChannel(
    const std::string& token, grpc::ChannelArguments args) {
  // A channel argument no other channel has, so gRPC does not share the
  // connection of an earlier channel to the same address.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  std::vector<
      std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>>
      interceptors;
  if (!token.empty())
    interceptors.push_back(std::make_unique<BearerFactory>(token));
  return grpc::experimental::CreateCustomChannelWithInterceptors(
      server_->address(), grpc::InsecureChannelCredentials(), args,
      std::move(interceptors));
}

std::unique_ptr<v1::ProfileService::Stub> E2eTest::NewProfileStub() {
  return v1::ProfileService::NewStub(NewChannel());
}

std::unique_ptr<v1::ProfileService::Stub> E2eTest::NewProfileStub(
    const std::string& token) {
  return v1::ProfileService::NewStub(NewChannel(token));
}

std::unique_ptr<grpc::health::v1::Health::Stub> E2eTest::NewHealthStub() {
  return grpc::health::v1::Health::NewStub(NewChannel());
}

v1::Profile E2eTest::CreateProfile(const std::string& id,
                                   const std::string& family_name) {
  v1::CreateProfileRequest request;
  *request.mutable_profile() = testing::ValidProfile("Ailsa", family_name);
  request.set_profile_id(id);
  v1::Profile profile;
  grpc::ClientContext context;
  SetTimeout(context, absl::Seconds(10));
  const grpc::Status status =
      NewProfileStub()->CreateProfile(&context, request, &profile);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return profile;
}

int E2eTest::LockWaits() {
  // PROCESSLIST is server-wide: count only this test's sessions, not this
  // query itself, and only row locks of profiles (the ones the tests hold):
  // the server's maintenance loop runs FOR UPDATE statements of its own on
  // other tables at any time.
  return std::stoi(db_->Query(absl::StrCat(
      "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = '",
      db_->name(),
      "' AND COMMAND <> 'Sleep' AND INFO LIKE '%FROM profiles%FOR UPDATE%' "
      "AND ID <> CONNECTION_ID()")));
}

ProfileRowLock::ProfileRowLock(testing::TestDatabase& db,
                               const std::string& profile_id)
    : profile_id_(profile_id), connection_(db.Connect()) {
  if (connection_ == nullptr) return;  // Connect() failed the test
  connection_->Execute("START TRANSACTION");
  const std::string locked = QueryFirst(
      *connection_, absl::StrCat("SELECT id FROM profiles WHERE id = '",
                                 profile_id, "' FOR UPDATE"));
  EXPECT_EQ(locked, profile_id);
  // The server marks a session idle only after sending a statement's result,
  // so for a moment this session could still show its FOR UPDATE in the
  // process list and pass for a waiter in LockWaits(). A statement of
  // another shape after it closes that window.
  QueryFirst(*connection_, "SELECT 1");
}

void ProfileRowLock::Commit() {
  if (connection_ != nullptr) connection_->Execute("COMMIT");
}

bool ProfileRowLock::Held(testing::TestDatabase& db) {
  std::unique_ptr<store::Connection> other = db.Connect();
  if (other == nullptr) return false;
  try {
    QueryFirst(*other, absl::StrCat("SELECT id FROM profiles WHERE id = '",
                                    profile_id_, "' FOR UPDATE NOWAIT"));
    return false;
  } catch (const sql::SQLException& e) {
    return e.getErrorCode() == 1205;  // ER_LOCK_WAIT_TIMEOUT
  }
}

}  // namespace careers::e2e
