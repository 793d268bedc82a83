// The gRPC layer in-process, on the in-memory repository: status details on
// the wire, malformed and non-UTF-8 requests, deadlines.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <future>
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "careers/v1/profile_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "server/api/async_server.h"
#include "server/api/call.h"
#include "server/api/careers_rpcs.h"
#include "server/api/health_service.h"
#include "server/api/request_parsing.h"
#include "tests/support/test_data.h"
#include "tests/unit/fake_auth.h"
#include "tests/unit/fake_repository.h"

namespace careers::api {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> WireViolations(const grpc::Status& status) {
  std::vector<std::string> fields;
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return fields;
  for (const auto& any : details.details()) {
    google::rpc::BadRequest bad;
    if (any.UnpackTo(&bad)) {
      for (const auto& v : bad.field_violations()) fields.push_back(v.field());
    }
  }
  return fields;
}

class ApiTest : public ::testing::Test {
 protected:
  ApiTest()
      : clock_(testing::TestNow()),
        tokens_(std::string(32, 'k'), absl::Hours(24)),
        profiles_(repo_, repo_, clock_, tokens_),
        runner_(authenticator_, policy_, repo_, DeadlinePolicy{}),
        table_({google::protobuf::DescriptorPool::generated_pool()
                    ->FindServiceByName("careers.v1.ProfileService")}) {
    InstallProtobufLogHandler();
    BindProfileService(table_, profiles_);
    AsyncServer::Options options;
    options.listen = "127.0.0.1:0";
    options.workers = 2;
    server_ = std::make_unique<AsyncServer>(options, runner_, table_,
                                            InlineMethods{});
    const absl::StatusOr<int> port = server_->Start();
    EXPECT_TRUE(port.ok()) << port.status();
    channel_ =
        grpc::CreateChannel("127.0.0.1:" + std::to_string(port.value_or(0)),
                            grpc::InsecureChannelCredentials());
    stub_ = v1::ProfileService::NewStub(channel_);
  }
  ~ApiTest() override {
    server_->Shutdown(absl::Now() + absl::Seconds(1),
                      absl::Now() + absl::Seconds(2));
  }

  // Sends raw bytes as a request, as a client with a broken encoder would.
  grpc::Status SendRaw(const std::string& method, const std::string& bytes) {
    grpc::GenericStub generic(channel_);
    grpc::ClientContext context;
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    std::promise<grpc::Status> done;
    generic.UnaryCall(
        &context, method, grpc::StubOptions(), &request, &response,
        [&done](grpc::Status s) { done.set_value(std::move(s)); });
    return done.get_future().get();
  }

  testing::FakeRepository repo_;
  FakeClock clock_;
  PageTokenCodec tokens_;
  domain::Profiles profiles_;
  testing::FixedAuthenticator authenticator_;
  testing::AllowAllPolicy policy_;
  CallRunner runner_;
  RpcTable table_;
  std::unique_ptr<AsyncServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::ProfileService::Stub> stub_;
};

TEST_F(ApiTest, FieldViolationsTravelAsBadRequestDetails) {
  grpc::ClientContext context;
  v1::CreateProfileRequest req;
  *req.mutable_profile() = testing::ValidProfile();
  req.mutable_profile()->mutable_birth_date()->set_year(2030);
  v1::Profile resp;
  const grpc::Status status = stub_->CreateProfile(&context, req, &resp);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("profile.birth_date"));
  EXPECT_THAT(WireViolations(status), ElementsAre("profile.birth_date"));
}

// Every request's timestamps and dates are range-checked before any
// method's own rules, in the one runner every call goes through.
TEST_F(ApiTest, TimesOutsideTheirTypesRangeAreInvalidArgumentNamingTheField) {
  grpc::ClientContext context;
  v1::CreateProfileRequest req;
  *req.mutable_profile() = testing::ValidProfile();
  req.mutable_profile()->mutable_birth_date()->set_year(10000);
  req.mutable_profile()->mutable_create_time()->set_seconds(
      std::numeric_limits<int64_t>::max());
  v1::Profile resp;
  const grpc::Status status = stub_->CreateProfile(&context, req, &resp);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("9999"));
  EXPECT_THAT(WireViolations(status),
              ElementsAre("profile.birth_date", "profile.create_time"));
  EXPECT_EQ(repo_.profile_count(), 0);
}

TEST_F(ApiTest, InvalidUtf8IsInvalidArgumentNamingTheField) {
  v1::CreateProfileRequest req;
  *req.mutable_profile() = testing::ValidProfile("QQQQ", "MacDonald");
  std::string bytes = req.SerializeAsString();
  const size_t at = bytes.find("QQQQ");
  ASSERT_NE(at, std::string::npos);
  bytes.replace(at, 4, "Q\xC3\x28Q");  // 0xC3 0x28: not UTF-8
  const grpc::Status status =
      SendRaw("/careers.v1.ProfileService/CreateProfile", bytes);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << status.error_message();
  EXPECT_THAT(WireViolations(status), ElementsAre("profile.given_name"));
  EXPECT_EQ(repo_.profile_count(), 0);
}

TEST_F(ApiTest, InvalidUtf8DeepInTheRequestIsNamedToo) {
  v1::CreateProfileRequest req;
  *req.mutable_profile() = testing::ValidProfile();
  req.mutable_profile()->mutable_contact()->set_email("QQQQ@example.org");
  std::string bytes = req.SerializeAsString();
  bytes.replace(bytes.find("QQQQ"), 4, "\xFF\xFEQQ");
  const grpc::Status status =
      SendRaw("/careers.v1.ProfileService/CreateProfile", bytes);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(WireViolations(status), ElementsAre("profile.contact.email"));
}

TEST_F(ApiTest, MalformedProtobufIsInvalidArgument) {
  const grpc::Status status = SendRaw("/careers.v1.ProfileService/GetProfile",
                                      std::string("\x0a\xff\xff\xff", 4));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              HasSubstr("careers.v1.GetProfileRequest"));
}

TEST_F(ApiTest, NotFoundAndAbortedKeepTheirCodes) {
  grpc::ClientContext get_context;
  v1::GetProfileRequest get;
  get.set_name("profiles/nobody");
  v1::Profile profile;
  EXPECT_EQ(stub_->GetProfile(&get_context, get, &profile).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

// Calls GetProfile on a stored profile with `metadata` added.
grpc::Status GetWith(
    v1::ProfileService::Stub& stub, const std::string& name,
    const std::vector<std::pair<std::string, std::string>>& metadata) {
  grpc::ClientContext context;
  for (const auto& [key, value] : metadata) context.AddMetadata(key, value);
  v1::GetProfileRequest get;
  get.set_name(name);
  v1::Profile profile;
  return stub.GetProfile(&context, get, &profile);
}

TEST_F(ApiTest, TheAccessReasonReachesTheAccessRecord) {
  policy_.person_data = true;  // the administrator's reads are recorded
  grpc::ClientContext create_context;
  v1::CreateProfileRequest create;
  *create.mutable_profile() = testing::ValidProfile();
  v1::Profile created;
  ASSERT_TRUE(stub_->CreateProfile(&create_context, create, &created).ok());

  EXPECT_TRUE(GetWith(*stub_, created.name(),
                      {{"access-reason", "preparing for appointments/01J"}})
                  .ok());
  EXPECT_TRUE(GetWith(*stub_, created.name(),
                      {{"access_reason", "  the other spelling  "}})
                  .ok());
  EXPECT_TRUE(GetWith(*stub_, created.name(),
                      {{"access-reason-bin", "paratoi ar gyfer Siân"}})
                  .ok());
  EXPECT_TRUE(GetWith(*stub_, created.name(), {}).ok());
  EXPECT_THAT(repo_.read_reasons(),
              ElementsAre("preparing for appointments/01J",
                          "the other spelling", "paratoi ar gyfer Siân", ""));
}

TEST_F(ApiTest, ABadAccessReasonIsInvalidArgumentNamingIt) {
  policy_.person_data = true;
  grpc::ClientContext create_context;
  v1::CreateProfileRequest create;
  *create.mutable_profile() = testing::ValidProfile();
  v1::Profile created;
  ASSERT_TRUE(stub_->CreateProfile(&create_context, create, &created).ok());

  // Each is refused before anything is read.
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"access-reason", std::string(201, 'x')},         // too long
      {"access_reason", std::string(201, 'x')},         // either spelling
      {"access-reason-bin", "tab\there"},               // a C0 control
      {"access-reason-bin", "bell\x07"},                // another
      {"access-reason-bin", "next\xC2\x85line"},        // a C1 control
      {"access-reason-bin", "Q\xC3\x28Q"},              // not UTF-8
      {"access-reason-bin", "\xED\xA0\x80 surrogate"},  // not UTF-8 either
  };
  for (const auto& [key, value] : bad) {
    const grpc::Status status = GetWith(*stub_, created.name(), {{key, value}});
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << key << " " << absl::CEscape(value);
    EXPECT_THAT(WireViolations(status), ElementsAre("access-reason"))
        << absl::CEscape(value);
  }
  EXPECT_THAT(repo_.reads(), ::testing::IsEmpty());

  // 200 characters is the limit, counted in code points, not bytes.
  std::string longest;
  for (int i = 0; i < 200; ++i) longest += "\xC3\xA9";  // é
  EXPECT_TRUE(
      GetWith(*stub_, created.name(), {{"access-reason-bin", longest}}).ok());
  EXPECT_EQ(repo_.read_reasons().size(), 1u);
}

TEST(AccessReason, FromMetadata) {
  using Metadata = std::multimap<grpc::string_ref, grpc::string_ref>;
  EXPECT_EQ(*AccessReasonFromMetadata(Metadata{}), "");
  EXPECT_EQ(*AccessReasonFromMetadata(Metadata{{"x-request-id", "r1"}}), "");
  EXPECT_EQ(*AccessReasonFromMetadata(Metadata{{"access-reason", "   "}}), "");
  EXPECT_EQ(*AccessReasonFromMetadata(Metadata{{"access_reason", "second"},
                                               {"access-reason", " first "}}),
            "first");
  const absl::StatusOr<std::string> long_one = AccessReasonFromMetadata(
      Metadata{{"access-reason", std::string(201, 'x')}});
  EXPECT_EQ(long_one.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(long_one.status().message()),
              HasSubstr("access-reason"));
  EXPECT_TRUE(AccessReasonFromMetadata(
                  Metadata{{"access-reason", std::string(200, 'x')}})
                  .ok());
}

// Every method of a service must have its domain function: a table that
// misses one says which, and the server refuses to start on it.
TEST_F(ApiTest, TheRpcTableNamesTheMethodsLeftUnbound) {
  EXPECT_TRUE(table_.Complete().ok()) << table_.Complete();
  RpcTable partial(
      {google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          "careers.v1.ProfileService")});
  partial.Bind(profiles_, &domain::Profiles::GetProfile);
  const absl::Status incomplete = partial.Complete();
  EXPECT_EQ(incomplete.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(std::string(incomplete.message()),
              HasSubstr("careers.v1.ProfileService/ListProfiles has no domain "
                        "function"));
  EXPECT_THAT(std::string(incomplete.message()),
              ::testing::Not(HasSubstr("GetProfile has")));
  AsyncServer refuses(AsyncServer::Options{}, runner_, partial,
                      InlineMethods{});
  EXPECT_FALSE(refuses.Start().ok());
}

// A policy that leaves the consent check of every read to the read.
class ConsentInReadPolicy final : public auth::AccessPolicy {
 public:
  absl::StatusOr<auth::AccessGrant> Check(const RequestContext& ctx,
                                          absl::string_view,
                                          absl::string_view) const override {
    if (ctx.consent_in_read != nullptr) {
      ctx.consent_in_read->organisation_id = "org-a";
      ctx.consent_in_read->denied = absl::PermissionDeniedError("not shared");
    }
    return auth::AccessGrant{true};
  }
  ProfileVisibility VisibilityFor(const auth::Principal&) const override {
    return {ProfileVisibility::Kind::kAll, ""};
  }
};

// A read the policy left the consent check to, whose store did not make
// it (the in-memory fake does not), is refused, never let through.
TEST_F(ApiTest, AReadThatDidNotMakeItsConsentCheckIsRefused) {
  grpc::ClientContext create_context;
  v1::CreateProfileRequest create;
  *create.mutable_profile() = testing::ValidProfile();
  v1::Profile created;
  ASSERT_TRUE(stub_->CreateProfile(&create_context, create, &created).ok());
  ConsentInReadPolicy policy;
  CallRunner runner(authenticator_, policy, repo_, DeadlinePolicy{});
  const Rpc* get = table_.Find("careers.v1.ProfileService/GetProfile");
  ASSERT_NE(get, nullptr);
  v1::GetProfileRequest request;
  request.set_name(created.name());
  CallInputs inputs;
  inputs.deadline = absl::Now() + absl::Seconds(5);
  const absl::StatusOr<std::unique_ptr<google::protobuf::Message>> refused =
      runner.Run(inputs, *get, request);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(refused.status().message(), "not shared");
}

// A Watch whose reader does not keep up is cut off with a clear status
// rather than buffered for without bound: here the health changes faster
// than a stream may queue them.
TEST_F(ApiTest, AWatchReaderThatFallsBehindIsCutOff) {
  HealthService health({"careers.v1.ProfileService"});
  health.SetServing(true);
  AsyncServer::Options options;
  options.listen = "127.0.0.1:0";
  options.workers = 1;
  AsyncServer server(options, runner_, table_, health.Methods());
  const absl::StatusOr<int> port = server.Start();
  ASSERT_TRUE(port.ok()) << port.status();
  auto stub = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(*port),
                          grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
  auto watch = stub->Watch(&context, grpc::health::v1::HealthCheckRequest());
  grpc::health::v1::HealthCheckResponse heard;
  ASSERT_TRUE(watch->Read(&heard));
  EXPECT_EQ(health.watchers(), 1);
  for (int i = 0; i < 200; ++i) health.SetServing(i % 2 == 1);
  int read = 0;
  while (watch->Read(&heard)) ++read;
  const grpc::Status ended = watch->Finish();
  EXPECT_EQ(ended.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << ended.error_message();
  EXPECT_THAT(ended.error_message(), HasSubstr("fell too far behind"));
  EXPECT_LT(read, 200);
  server.Shutdown(absl::Now(), absl::Now() + absl::Seconds(1));
}

TEST(Deadlines, DefaultCapAndOwn) {
  const absl::Time now = testing::TestNow();
  const DeadlinePolicy policy{absl::Seconds(5), absl::Seconds(30)};
  EXPECT_EQ(EffectiveDeadline(absl::InfiniteFuture(), now, policy),
            now + absl::Seconds(5));
  EXPECT_EQ(EffectiveDeadline(now + absl::Seconds(2), now, policy),
            now + absl::Seconds(2));
  EXPECT_EQ(EffectiveDeadline(now + absl::Hours(1), now, policy),
            now + absl::Seconds(30));
}

TEST(FieldPaths, ShortestPathFromTheRequest) {
  const auto* type = v1::UpdateProfileRequest::descriptor();
  EXPECT_EQ(FieldPathTo(type, "careers.v1.Profile.family_name"),
            "profile.family_name");
  EXPECT_EQ(FieldPathTo(type, "careers.v1.PostalAddress.town"),
            "profile.contact.address.town");
  EXPECT_EQ(FieldPathTo(type, "careers.v1.Nothing.here"), "here");
}

}  // namespace
}  // namespace careers::api
