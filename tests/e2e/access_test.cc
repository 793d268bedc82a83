// Identity and consent-scoped access through the real server, careersctl
// with minted tokens, and a gRPC client over mutual TLS.
#include <grpcpp/grpcpp.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "careers/v1/consent_service.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/e2e_fixture.h"

namespace careers::e2e {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class AccessTest : public E2eTest {
 protected:
  // Two pupils, a school and one of its advisers.
  void CreateWorld() {
    ASSERT_EQ(CreateProfile("own-pupil").name(), "profiles/own-pupil");
    ASSERT_EQ(CreateProfile("other-pupil", "Reid").name(),
              "profiles/other-pupil");
    const testing::RunResult school =
        Ctl({"organisations", "create", "--id", "e2e-school", "--display-name",
             "E2E Academy", "--kind", "school"});
    ASSERT_EQ(school.exit_code, 0) << school.err;
    const testing::RunResult adviser =
        Ctl({"advisers", "create", "--id", "e2e-adviser", "--organisation",
             "organisations/e2e-school", "--display-name", "Fiona Reid",
             "--language", "en", "--subject", "adviser-sub"});
    ASSERT_EQ(adviser.exit_code, 0) << adviser.err;
  }
  std::string PersonToken() {
    return TestIssuer::Get().Mint("person", "pupil-sub", "",
                                  "profiles/own-pupil");
  }
  std::string AdviserToken() {
    return TestIssuer::Get().Mint("adviser", "adviser-sub",
                                  "organisations/e2e-school");
  }
};

TEST_F(AccessTest, EveryCallNeedsAValidTokenButHealthAndReflection) {
  ASSERT_TRUE(StartServer());
  const v1::Profile profile = CreateProfile("someone");
  grpc::ClientContext no_token_context;
  SetTimeout(no_token_context, absl::Seconds(10));
  v1::GetProfileRequest get;
  get.set_name(profile.name());
  v1::Profile got;
  const grpc::Status missing =
      NewProfileStub("")->GetProfile(&no_token_context, get, &got);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(missing.error_message(), HasSubstr("missing credentials"));

  grpc::ClientContext garbage_context;
  SetTimeout(garbage_context, absl::Seconds(10));
  EXPECT_EQ(NewProfileStub("not.a.token")
                ->GetProfile(&garbage_context, get, &got)
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  const testing::RunResult cli = CtlAs("", {"profiles", "get", profile.name()});
  EXPECT_EQ(cli.exit_code, 1);
  EXPECT_THAT(cli.err, HasSubstr("UNAUTHENTICATED"));

  // Health and reflection answer anyone (load balancers, tools).
  grpc::ClientContext health_context;
  SetTimeout(health_context, absl::Seconds(10));
  grpc::health::v1::HealthCheckResponse health;
  EXPECT_TRUE(grpc::health::v1::Health::NewStub(NewChannel(""))
                  ->Check(&health_context,
                          grpc::health::v1::HealthCheckRequest(), &health)
                  .ok());
  const testing::RunResult methods = testing::RunProcess(
      {CAREERS_BUF_BIN, "curl", "--protocol", "grpc", "--http2-prior-knowledge",
       "--list-methods", absl::StrCat("http://", server().address())});
  EXPECT_EQ(methods.exit_code, 0) << methods.err;
  EXPECT_THAT(methods.out,
              HasSubstr("careers.v1.ConsentService/ListAccessEvents"));
}

TEST_F(AccessTest, APersonReadsTheirOwnProfileButNoOneElses) {
  ASSERT_TRUE(StartServer());
  CreateWorld();
  const std::string person = PersonToken();
  const testing::RunResult own =
      CtlAs(person, {"profiles", "get", "profiles/own-pupil"});
  EXPECT_EQ(own.exit_code, 0) << own.err;
  EXPECT_THAT(own.out, HasSubstr("profiles/own-pupil"));

  for (const char* name : {"profiles/other-pupil", "profiles/no-such-pupil"}) {
    const testing::RunResult other = CtlAs(person, {"profiles", "get", name});
    EXPECT_EQ(other.exit_code, 1) << name;
    // The same answer whether or not it exists.
    EXPECT_THAT(other.err, HasSubstr("PERMISSION_DENIED")) << name;
  }
  const testing::RunResult list =
      CtlAs(person, {"--output", "json", "profiles", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  v1::ListProfilesResponse listed;
  ParseJson(list.out, &listed);
  ASSERT_EQ(listed.profiles_size(), 1);
  EXPECT_EQ(listed.profiles(0).name(), "profiles/own-pupil");
}

TEST_F(AccessTest, AnAdviserSeesAProfileOnlyWhileItIsShared) {
  ASSERT_TRUE(StartServer());
  CreateWorld();
  const std::string person = PersonToken();
  const std::string adviser = AdviserToken();
  auto adviser_get = [&] {
    return CtlAs(adviser, {"profiles", "get", "profiles/own-pupil"});
  };
  EXPECT_THAT(adviser_get().err, HasSubstr("PERMISSION_DENIED"));

  const testing::RunResult granted = CtlAs(
      person, {"--output", "json", "consents", "create", "profiles/own-pupil",
               "--purpose", "share-with-organisation", "--organisation",
               "organisations/e2e-school"});
  ASSERT_EQ(granted.exit_code, 0) << granted.err;
  v1::Consent consent;
  ParseJson(granted.out, &consent);
  EXPECT_EQ(consent.state(), v1::Consent::ACTIVE);

  const testing::RunResult seen = adviser_get();
  EXPECT_EQ(seen.exit_code, 0) << seen.err;
  const testing::RunResult list =
      CtlAs(adviser, {"--output", "json", "profiles", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  v1::ListProfilesResponse listed;
  ParseJson(list.out, &listed);
  ASSERT_EQ(listed.profiles_size(), 1);  // not other-pupil
  EXPECT_EQ(listed.profiles(0).name(), "profiles/own-pupil");
  EXPECT_THAT(CtlAs(adviser, {"profiles", "get", "profiles/other-pupil"}).err,
              HasSubstr("PERMISSION_DENIED"));
  // A profile that does not exist is refused in the same words as one that
  // is not shared: nothing tells the two apart.
  const std::string unshared =
      CtlAs(adviser, {"profiles", "get", "profiles/other-pupil"}).err;
  const std::string missing =
      CtlAs(adviser, {"profiles", "get", "profiles/no-such-pupil"}).err;
  EXPECT_EQ(absl::StrReplaceAll(missing, {{"no-such-pupil", "X"}}),
            absl::StrReplaceAll(unshared, {{"other-pupil", "X"}}));

  const testing::RunResult withdrawn =
      CtlAs(person, {"consents", "withdraw", consent.name()});
  ASSERT_EQ(withdrawn.exit_code, 0) << withdrawn.err;
  const testing::RunResult after = adviser_get();
  EXPECT_EQ(after.exit_code, 1);
  EXPECT_THAT(after.err, HasSubstr("PERMISSION_DENIED"));

  // The person sees who looked: the adviser's reads are on their record.
  v1::ListAccessEventsResponse events;
  EXPECT_TRUE(PollUntil(
      [&] {
        const testing::RunResult record =
            CtlAs(person, {"--output", "json", "access-events", "list",
                           "profiles/own-pupil"});
        if (record.exit_code != 0) return false;
        events.Clear();
        ParseJson(record.out, &events);
        for (const v1::AccessEvent& e : events.access_events()) {
          if (e.actor().subject() == "adviser-sub" &&
              e.method() == "careers.v1.ProfileService/GetProfile") {
            return true;
          }
        }
        return false;
      },
      absl::Seconds(10)))
      << events.DebugString();
  for (const v1::AccessEvent& e : events.access_events()) {
    EXPECT_NE(e.actor().subject(), "pupil-sub")
        << "the person's own reads are not recorded";
  }
  // ...and nobody else's record is theirs to read.
  EXPECT_THAT(
      CtlAs(person, {"access-events", "list", "profiles/other-pupil"}).err,
      HasSubstr("PERMISSION_DENIED"));
}

// The person's record says who looked, from where, what they did and why,
// in words: the adviser gives the purpose with careersctl --access-reason.
TEST_F(AccessTest, ThePersonReadsWhoLookedAndWhyInWords) {
  ASSERT_TRUE(StartServer());
  CreateWorld();
  const std::string person = PersonToken();
  const std::string adviser = AdviserToken();
  const testing::RunResult shared =
      CtlAs(person, {"consents", "create", "profiles/own-pupil", "--purpose",
                     "share-with-organisation", "--organisation",
                     "organisations/e2e-school"});
  ASSERT_EQ(shared.exit_code, 0) << shared.err;

  const testing::RunResult read =
      CtlAs(adviser, {"--access-reason", "preparing for an appointment",
                      "profiles", "get", "profiles/own-pupil"});
  ASSERT_EQ(read.exit_code, 0) << read.err;
  // Text that is not ASCII travels too (careersctl sends it as binary
  // metadata); this write is recorded in its own transaction.
  const testing::RunResult wrote = CtlAs(
      adviser, {"--output", "json", "--access-reason", "cynllunio gyda Siân",
                "goals", "create", "profiles/own-pupil", "--title",
                "Find a Saturday job", "--type", "employment"});
  ASSERT_EQ(wrote.exit_code, 0) << wrote.err;
  // A reason the server will not keep is refused, naming the metadata.
  const testing::RunResult refused =
      CtlAs(adviser, {"--access-reason", std::string(201, 'x'), "profiles",
                      "get", "profiles/own-pupil"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("INVALID_ARGUMENT"));
  EXPECT_THAT(refused.err, HasSubstr("access-reason"));

  // The read is written in a batch: look until it is there.
  std::string table;
  std::string read_line;
  EXPECT_TRUE(PollUntil(
      [&] {
        const testing::RunResult record =
            CtlAs(person, {"access-events", "list", "profiles/own-pupil"});
        if (record.exit_code != 0) return false;
        table = record.out;
        for (absl::string_view line : absl::StrSplit(table, '\n')) {
          if (absl::StrContains(line, "viewed your profile")) {
            read_line = std::string(line);
            return true;
          }
        }
        return false;
      },
      absl::Seconds(10)))
      << table;
  EXPECT_THAT(table, ::testing::StartsWith("WHEN  "))
      << table;  // (padded to the widest)
  EXPECT_THAT(read_line, HasSubstr("Fiona Reid (E2E Academy)"));
  EXPECT_THAT(read_line, HasSubstr("adviser"));
  EXPECT_THAT(read_line, HasSubstr("profiles/own-pupil"));
  EXPECT_THAT(read_line, HasSubstr("preparing for an appointment"));
  EXPECT_THAT(read_line, Not(HasSubstr("adviser-sub")));  // not the subject
  EXPECT_THAT(table, HasSubstr("added a goal to your action plan"));
  EXPECT_THAT(table, HasSubstr("cynllunio gyda Siân"));

  // The JSON is the protobuf mapping of the same fields.
  const testing::RunResult json =
      CtlAs(person, {"--output", "json", "access-events", "list",
                     "profiles/own-pupil", "--action", "read"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  v1::ListAccessEventsResponse events;
  ParseJson(json.out, &events);
  ASSERT_GE(events.access_events_size(), 1);
  const v1::AccessEvent& e = events.access_events(0);
  EXPECT_EQ(e.adviser(), "advisers/e2e-adviser");
  EXPECT_EQ(e.actor_display_name(), "Fiona Reid");
  EXPECT_EQ(e.organisation_display_name(), "E2E Academy");
  EXPECT_EQ(e.summary(), "viewed your profile");
  EXPECT_EQ(e.reason(), "preparing for an appointment");
}

TEST_F(AccessTest, ATokenOfADeletedAdviserStopsWorking) {
  ASSERT_TRUE(StartServer());
  CreateWorld();
  const std::string adviser = AdviserToken();
  EXPECT_EQ(CtlAs(adviser, {"organisations", "get", "organisations/e2e-school"})
                .exit_code,
            0);
  ASSERT_EQ(Ctl({"advisers", "delete", "advisers/e2e-adviser"}).exit_code, 0);
  const testing::RunResult refused =
      CtlAs(adviser, {"organisations", "get", "organisations/e2e-school"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("UNAUTHENTICATED"));
}

// Certificates made for the test: a CA, a server certificate for
// 127.0.0.1 and a client certificate, with openssl.
class MutualTlsTest : public E2eTest {
 protected:
  void SetUp() override {
    E2eTest::SetUp();
    char dir[] = "/tmp/careers-e2e-tls.XXXXXX";
    dir_ = mkdtemp(dir);
    Openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt",
             "ec_paramgen_curve:P-256", "-nodes", "-days", "1", "-subj",
             "/CN=careers test CA", "-keyout", File("ca.key"), "-out",
             File("ca.pem")});
    Issue("server", "/CN=127.0.0.1",
          "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
    Issue("client", "/CN=analytics-service", "extendedKeyUsage=clientAuth\n");
  }
  void TearDown() override {
    E2eTest::TearDown();
    std::filesystem::remove_all(dir_);
  }
  std::string File(const std::string& name) {
    return absl::StrCat(dir_, "/", name);
  }
  std::string Read(const std::string& name) {
    std::ifstream in(File(name));
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  void Openssl(std::vector<std::string> args) {
    args.insert(args.begin(), CAREERS_OPENSSL_BIN);
    const testing::RunResult r = testing::RunProcess(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  void Issue(const std::string& who, const std::string& subject,
             const std::string& ext) {
    std::ofstream(File(who + ".ext")) << ext;
    Openssl({"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
             "-nodes", "-subj", subject, "-keyout", File(who + ".key"), "-out",
             File(who + ".csr")});
    Openssl({"x509", "-req", "-in", File(who + ".csr"), "-CA", File("ca.pem"),
             "-CAkey", File("ca.key"), "-CAcreateserial", "-days", "1",
             "-extfile", File(who + ".ext"), "-out", File(who + ".pem")});
  }
  // A channel over TLS; with the client certificate when `present_cert`.
  std::shared_ptr<grpc::Channel> TlsChannel(bool present_cert) {
    grpc::SslCredentialsOptions options;
    options.pem_root_certs = Read("ca.pem");
    if (present_cert) {
      options.pem_private_key = Read("client.key");
      options.pem_cert_chain = Read("client.pem");
    }
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    return grpc::CreateCustomChannel(server().address(),
                                     grpc::SslCredentials(options), args);
  }
  grpc::Status GetHealth(const std::shared_ptr<grpc::Channel>& channel) {
    grpc::ClientContext context;
    SetTimeout(context, absl::Seconds(10));
    grpc::health::v1::HealthCheckResponse response;
    return grpc::health::v1::Health::NewStub(channel)->Check(
        &context, grpc::health::v1::HealthCheckRequest(), &response);
  }
  std::string dir_;
};

TEST_F(MutualTlsTest, OnlyClientsWithACertificateFromTheCaGetIn) {
  ASSERT_TRUE(
      StartServer({"--tls-cert", File("server.pem"), "--tls-key",
                   File("server.key"), "--tls-client-ca", File("ca.pem")}));
  EXPECT_TRUE(GetHealth(TlsChannel(/*present_cert=*/true)).ok());
  EXPECT_EQ(GetHealth(TlsChannel(/*present_cert=*/false)).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(GetHealth(NewChannel("")).error_code(),
            grpc::StatusCode::UNAVAILABLE);

  // careersctl over mTLS, with a token as well.
  const testing::RunResult created =
      Ctl({"--tls-ca", File("ca.pem"), "--tls-cert", File("client.pem"),
           "--tls-key", File("client.key"), "organisations", "create", "--id",
           "tls-school", "--display-name", "TLS School", "--kind", "school"});
  EXPECT_EQ(created.exit_code, 0) << created.err;
  const testing::RunResult no_cert =
      Ctl({"--tls-ca", File("ca.pem"), "organisations", "get",
           "organisations/tls-school"});
  EXPECT_EQ(no_cert.exit_code, 1);
  EXPECT_THAT(no_cert.err, HasSubstr("UNAVAILABLE"));
}

}  // namespace
}  // namespace careers::e2e
