// The call path under load, through the real server: bursts wait for a
// worker instead of being shed, a queue beyond its bound is refused with
// RetryInfo, calls racing SIGTERM are answered OK or UNAVAILABLE (never
// CANCELLED), and thousands of health Watch streams cost no threads.
#include <signal.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "tests/e2e/e2e_fixture.h"
#include "tests/support/private_mariadb.h"

namespace careers::e2e {
namespace {

using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;
using ::testing::HasSubstr;

// Many unary GetProfile calls in flight at once on one completion queue,
// each on the channel given; Wait() collects every status.
class ConcurrentGets {
 public:
  void Start(const std::shared_ptr<grpc::Channel>& channel,
             const std::string& name, absl::Duration timeout) {
    auto call = std::make_unique<Call>();
    call->stub = v1::ProfileService::NewStub(channel);
    SetTimeout(call->context, timeout);
    v1::GetProfileRequest request;
    request.set_name(name);
    call->reader = call->stub->AsyncGetProfile(&call->context, request, &cq_);
    call->reader->Finish(&call->profile, &call->status, call.get());
    calls_.push_back(std::move(call));
  }
  // Waits for `n` answers (all by default).
  std::vector<grpc::Status> Wait(size_t n = SIZE_MAX) {
    std::vector<grpc::Status> statuses;
    void* tag = nullptr;
    bool ok = false;
    while (statuses.size() < std::min(n, calls_.size() - answered_) &&
           cq_.Next(&tag, &ok)) {
      statuses.push_back(static_cast<Call*>(tag)->status);
    }
    answered_ += statuses.size();
    return statuses;
  }
  ~ConcurrentGets() {
    for (auto& call : calls_) call->context.TryCancel();
    Wait();
    cq_.Shutdown();
    void* tag = nullptr;
    bool ok = false;
    while (cq_.Next(&tag, &ok)) {
    }
  }

 private:
  struct Call {
    std::unique_ptr<v1::ProfileService::Stub> stub;
    grpc::ClientContext context;
    std::unique_ptr<grpc::ClientAsyncResponseReader<v1::Profile>> reader;
    v1::Profile profile;
    grpc::Status status;
  };
  grpc::CompletionQueue cq_;
  std::vector<std::unique_ptr<Call>> calls_;
  size_t answered_ = 0;
};

bool HasRetryInfo(const grpc::Status& status) {
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return false;
  for (const auto& any : details.details()) {
    google::rpc::RetryInfo retry;
    if (any.UnpackTo(&retry)) return retry.retry_delay().seconds() > 0;
  }
  return false;
}

class CallPathTest : public E2eTest {};

// A class opening the app at the bell: 1,000 connections, one GetProfile
// each, all at once. Every call waits for a worker and is answered OK.
TEST_F(CallPathTest, AThousandConnectionsAtOnceAreAllAnswered) {
  ASSERT_TRUE(StartServer());
  const v1::Profile profile = CreateProfile("bell");
  ASSERT_EQ(profile.name(), "profiles/bell");
  constexpr int kConnections = 1000;
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < kConnections; ++i) {
    channels.push_back(NewChannel());  // each a connection of its own
  }
  // Connected first, so the calls arrive together.
  for (auto& channel : channels) {
    ASSERT_TRUE(channel->WaitForConnected(
        absl::ToChronoTime(absl::Now() + absl::Seconds(30))));
  }
  ConcurrentGets gets;
  for (auto& channel : channels) {
    gets.Start(channel, profile.name(), absl::Seconds(60));
  }
  int ok = 0;
  for (const grpc::Status& status : gets.Wait()) {
    EXPECT_TRUE(status.ok())
        << status.error_code() << " " << status.error_message();
    ok += status.ok();
  }
  EXPECT_EQ(ok, kConnections);
}

// With the only worker busy and the queue full, one call more is refused at
// once with RetryInfo; the queued ones are answered once the worker is
// free, and the server carries on.
TEST_F(CallPathTest, BeyondTheQueueBoundCallsAreRefusedWithRetryInfo) {
  ASSERT_TRUE(StartServer({"--concurrency", "1", "--max-queued-calls", "4"}));
  const v1::Profile profile = CreateProfile("busy");
  ASSERT_EQ(profile.name(), "profiles/busy");
  ProfileRowLock lock(db(), "busy");
  ASSERT_FALSE(HasFailure());
  // The worker waits on the row lock with an update.
  std::unique_ptr<v1::ProfileService::Stub> stub = NewProfileStub();
  grpc::Status update_status;
  std::thread update([&] {
    grpc::ClientContext context;
    SetTimeout(context, absl::Seconds(30));
    v1::UpdateProfileRequest request;
    request.mutable_profile()->set_name(profile.name());
    request.mutable_profile()->set_preferred_name("Queued");
    request.mutable_update_mask()->add_paths("preferred_name");
    v1::Profile updated;
    update_status = stub->UpdateProfile(&context, request, &updated);
  });
  ASSERT_TRUE(PollUntil([&] { return LockWaits() == 1; }, absl::Seconds(20)));

  ConcurrentGets gets;
  std::shared_ptr<grpc::Channel> channel = NewChannel();
  for (int i = 0; i < 12; ++i) {
    gets.Start(channel, profile.name(), absl::Seconds(30));
  }
  // Eight are refused straight away; four wait.
  const std::vector<grpc::Status> refused = gets.Wait(8);
  ASSERT_EQ(refused.size(), 8u);
  for (const grpc::Status& status : refused) {
    EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
        << status.error_message();
    EXPECT_TRUE(HasRetryInfo(status));
  }
  lock.Commit();
  update.join();
  EXPECT_TRUE(update_status.ok()) << update_status.error_message();
  const std::vector<grpc::Status> queued = gets.Wait();
  ASSERT_EQ(queued.size(), 4u);
  for (const grpc::Status& status : queued) {
    EXPECT_TRUE(status.ok()) << status.error_message();
  }
  grpc::ClientContext context;
  SetTimeout(context, absl::Seconds(10));
  v1::GetProfileRequest get;
  get.set_name(profile.name());
  v1::Profile got;
  EXPECT_TRUE(NewProfileStub()->GetProfile(&context, get, &got).ok());
  EXPECT_EQ(got.preferred_name(), "Queued");
}

// The server answers a call at its deadline whatever its worker is doing.
// A call with no deadline of its own gets the default (1 s here); queued
// behind a worker stuck on a row lock, it is answered DEADLINE_EXCEEDED by
// the server at 1 s — the client would have waited for ever. The stuck call
// is answered at its own deadline (2 s) and never takes effect.
TEST_F(CallPathTest, TheServerAnswersAtTheDeadlineWhateverTheWorkerDoes) {
  ASSERT_TRUE(StartServer({"--concurrency", "1", "--default-deadline", "1s",
                           "--max-deadline", "2s"}));
  const v1::Profile profile = CreateProfile("slow");
  ASSERT_EQ(profile.name(), "profiles/slow");
  ProfileRowLock lock(db(), "slow");
  ASSERT_FALSE(HasFailure());
  std::unique_ptr<v1::ProfileService::Stub> stub = NewProfileStub();
  absl::Duration update_took;
  grpc::Status update_status;
  std::thread update([&] {
    grpc::ClientContext context;
    SetTimeout(context, absl::Seconds(2));
    v1::UpdateProfileRequest request;
    request.mutable_profile()->set_name(profile.name());
    request.mutable_profile()->set_preferred_name("Never");
    request.mutable_update_mask()->add_paths("preferred_name");
    v1::Profile updated;
    const absl::Time start = absl::Now();
    update_status = stub->UpdateProfile(&context, request, &updated);
    update_took = absl::Now() - start;
  });
  ASSERT_TRUE(PollUntil([&] { return LockWaits() == 1; }, absl::Seconds(20)));
  grpc::ClientContext context;  // no deadline of its own
  v1::GetProfileRequest get;
  get.set_name(profile.name());
  v1::Profile got;
  const absl::Time start = absl::Now();
  const grpc::Status queued = stub->GetProfile(&context, get, &got);
  const absl::Duration queued_took = absl::Now() - start;
  update.join();
  EXPECT_EQ(queued.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
      << queued.error_message();
  EXPECT_GE(queued_took, absl::Milliseconds(900));
  EXPECT_LT(queued_took, absl::Milliseconds(1100));
  EXPECT_EQ(update_status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_LT(update_took, absl::Milliseconds(2100));
  lock.Commit();
  // The stuck update never took effect.
  EXPECT_EQ(db().Query("SELECT version FROM profiles WHERE id = 'slow'"), "1");
}

// Clients calling in a loop while the server is told to stop, each going
// elsewhere once told UNAVAILABLE (as clients and load balancers do): every
// answer is OK or UNAVAILABLE, never CANCELLED.
TEST_F(CallPathTest, CallsRacingSigtermAreAnsweredOkOrUnavailable) {
  ASSERT_TRUE(StartServer({"--shutdown-timeout", "5s"}));
  const v1::Profile profile = CreateProfile("racing");
  ASSERT_EQ(profile.name(), "profiles/racing");
  constexpr int kClients = 8;
  std::atomic<int> oks{0};
  std::vector<std::vector<grpc::Status>> answers(kClients);
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      std::unique_ptr<v1::ProfileService::Stub> stub = NewProfileStub();
      while (true) {
        grpc::ClientContext context;
        SetTimeout(context, absl::Seconds(10));
        v1::GetProfileRequest request;
        request.set_name(profile.name());
        v1::Profile got;
        const grpc::Status status = stub->GetProfile(&context, request, &got);
        answers[i].push_back(status);
        if (!status.ok()) break;
        oks.fetch_add(1);
      }
    });
  }
  ASSERT_TRUE(PollUntil([&] { return oks.load() >= 200; }, absl::Seconds(30)));
  server().process().Signal(SIGTERM);
  for (std::thread& t : clients) t.join();
  EXPECT_EQ(server().process().Wait(absl::Seconds(10)), 0);
  for (const auto& a : answers) {
    ASSERT_FALSE(a.empty());
    EXPECT_EQ(a.back().error_code(), grpc::StatusCode::UNAVAILABLE)
        << a.back().error_message();
    for (const grpc::Status& status : a) {
      EXPECT_TRUE(status.ok() ||
                  status.error_code() == grpc::StatusCode::UNAVAILABLE)
          << status.error_code() << " " << status.error_message();
    }
  }
}

// Watch streams are state on the completion queue, not threads: 2,000 of
// them leave the server with fewer than 64 threads, and all hear
// NOT_SERVING and end at shutdown.
TEST_F(CallPathTest, TwoThousandWatchStreamsCostNoThreads) {
  ASSERT_TRUE(StartServer());
  constexpr int kStreams = 2000;
  std::shared_ptr<grpc::Channel> channel = NewChannel("");
  std::unique_ptr<grpc::health::v1::Health::Stub> health =
      grpc::health::v1::Health::NewStub(channel);
  grpc::CompletionQueue cq;
  struct Stream {
    grpc::ClientContext context;
    std::unique_ptr<grpc::ClientAsyncReader<HealthCheckResponse>> reader;
    HealthCheckResponse response;
    grpc::Status status;
    int step = 0;  // 0 started, 1 reading, 2 finishing
  };
  std::vector<std::unique_ptr<Stream>> streams;
  for (int i = 0; i < kStreams; ++i) {
    auto s = std::make_unique<Stream>();
    SetTimeout(s->context, absl::Seconds(120));
    s->reader =
        health->AsyncWatch(&s->context, HealthCheckRequest(), &cq, s.get());
    streams.push_back(std::move(s));
  }
  // Run the streams until each has heard SERVING.
  int serving = 0;
  int not_serving = 0;
  int ended = 0;
  auto pump = [&](auto until) {
    void* tag = nullptr;
    bool ok = false;
    while (!until() &&
           cq.AsyncNext(&tag, &ok,
                        absl::ToChronoTime(absl::Now() + absl::Seconds(60))) ==
               grpc::CompletionQueue::GOT_EVENT) {
      Stream* s = static_cast<Stream*>(tag);
      if (s->step == 2) {
        ++ended;
        continue;
      }
      if (s->step == 1 && ok) {
        if (s->response.status() == HealthCheckResponse::SERVING) ++serving;
        if (s->response.status() == HealthCheckResponse::NOT_SERVING) {
          ++not_serving;
        }
      }
      if (ok) {
        s->step = 1;
        s->reader->Read(&s->response, s);
      } else {
        s->step = 2;
        s->reader->Finish(&s->status, s);
      }
    }
  };
  pump([&] { return serving == kStreams; });
  ASSERT_EQ(serving, kStreams);
  const int threads = ThreadsOf(server().process().pid());
  EXPECT_LT(threads, 64);
  std::cout << "threads with " << kStreams << " open Watch streams: " << threads
            << "\n";

  server().process().Signal(SIGTERM);
  pump([&] { return ended == kStreams; });
  EXPECT_EQ(not_serving, kStreams);
  EXPECT_EQ(ended, kStreams);
  for (const auto& s : streams) {
    EXPECT_TRUE(s->status.ok()) << s->status.error_message();
  }
  EXPECT_EQ(server().process().Wait(absl::Seconds(10)), 0);
  cq.Shutdown();
  void* tag = nullptr;
  bool ok = false;
  while (cq.Next(&tag, &ok)) {
  }
}

// The server on a MariaDB of the test's own, which the test freezes
// (SIGSTOP) as if its machine hung, under load.
class FrozenDatabaseTest : public E2eTest {
 protected:
  void SetUp() override {
    E2eTest::SetUp();
    mariadb_ = testing::PrivateMariaDb::Start();
    ASSERT_NE(mariadb_, nullptr);
    const store::DbTarget target = mariadb_->CreateDatabase("careers_frozen");
    url_ = absl::StrCat("mysql://root@127.0.0.1:", target.port, "/",
                        target.database);
    const testing::RunResult migrated = testing::RunProcess(
        {CAREERS_SERVER_BIN, "--db-url", url_, "--migrate"});
    ASSERT_EQ(migrated.exit_code, 0) << migrated.err;
  }
  void TearDown() override {
    if (mariadb_ != nullptr) mariadb_->Thaw();
    E2eTest::TearDown();
  }

  // GetProfile calls with no deadline of their own (the server's default
  // applies) from `threads` threads until stopped; each answer's code and
  // how long it took.
  struct Answer {
    grpc::StatusCode code;
    absl::Duration took;
    absl::Time at;
  };
  class Load {
   public:
    Load(FrozenDatabaseTest& test, const std::string& name, int threads) {
      for (int i = 0; i < threads; ++i) {
        threads_.emplace_back([this, &test, name] {
          std::unique_ptr<v1::ProfileService::Stub> stub =
              test.NewProfileStub();
          while (!stop_.load()) {
            grpc::ClientContext context;  // the server's deadline only
            v1::GetProfileRequest request;
            request.set_name(name);
            v1::Profile got;
            const absl::Time start = absl::Now();
            const grpc::Status status =
                stub->GetProfile(&context, request, &got);
            absl::MutexLock lock(&mu_);
            answers_.push_back(
                {status.error_code(), absl::Now() - start, absl::Now()});
          }
        });
      }
    }
    ~Load() { Stop(); }
    void Stop() {
      stop_.store(true);
      for (std::thread& t : threads_) t.join();
      threads_.clear();
    }
    std::vector<Answer> answers() {
      absl::MutexLock lock(&mu_);
      return answers_;
    }

   private:
    std::atomic<bool> stop_{false};
    std::vector<std::thread> threads_;
    absl::Mutex mu_;
    std::vector<Answer> answers_ ABSL_GUARDED_BY(mu_);
  };

  std::unique_ptr<testing::PrivateMariaDb> mariadb_;
  std::string url_;
};

// Frozen under load: every call is answered by its deadline (+100 ms),
// health says NOT_SERVING within 2 s; thawed, SERVING within 1 s and the
// calls succeed again.
TEST_F(FrozenDatabaseTest, EveryCallIsAnsweredByItsDeadlineAndHealthFollows) {
  ASSERT_TRUE(StartServerOn(
      url_, {"--default-deadline", "1s", "--max-deadline", "2s"}));
  const v1::Profile profile = CreateProfile("frozen");
  ASSERT_EQ(profile.name(), "profiles/frozen");
  grpc::ClientContext watch_context;
  SetTimeout(watch_context, absl::Seconds(60));
  auto watch = NewHealthStub()->Watch(&watch_context, HealthCheckRequest());
  HealthCheckResponse heard;
  ASSERT_TRUE(watch->Read(&heard));
  ASSERT_EQ(heard.status(), HealthCheckResponse::SERVING);

  Load load(*this, profile.name(), 8);
  ASSERT_TRUE(PollUntil(
      [&] {
        const auto a = load.answers();
        return a.size() >= 100;
      },
      absl::Seconds(20)));
  const absl::Time frozen = absl::Now();
  mariadb_->Freeze();
  ASSERT_TRUE(watch->Read(&heard));
  const absl::Duration to_not_serving = absl::Now() - frozen;
  EXPECT_EQ(heard.status(), HealthCheckResponse::NOT_SERVING);
  EXPECT_LT(to_not_serving, absl::Seconds(2));
  // A while frozen: the calls keep being answered, at their deadlines.
  ASSERT_TRUE(
      PollUntil([&] { return absl::Now() - frozen >= absl::Seconds(4); },
                absl::Seconds(10)));
  const absl::Time thawed = absl::Now();
  mariadb_->Thaw();
  ASSERT_TRUE(watch->Read(&heard));
  const absl::Duration to_serving = absl::Now() - thawed;
  EXPECT_EQ(heard.status(), HealthCheckResponse::SERVING);
  EXPECT_LT(to_serving, absl::Seconds(1));
  // Calls succeed again.
  ASSERT_TRUE(PollUntil(
      [&] {
        const auto a = load.answers();
        return !a.empty() && a.back().code == grpc::StatusCode::OK &&
               a.back().at > thawed + absl::Seconds(1);
      },
      absl::Seconds(10)));
  load.Stop();
  watch_context.TryCancel();
  watch->Finish();

  int during = 0;
  absl::Duration longest;
  for (const Answer& a : load.answers()) {
    longest = std::max(longest, a.took);
    EXPECT_LE(a.took, absl::Milliseconds(1100)) << a.code;
    if (a.at > frozen && a.at < thawed) {
      ++during;
      // Out of time, or the database unreachable (a connect that gave up):
      // never a hang.
      EXPECT_TRUE(a.code == grpc::StatusCode::DEADLINE_EXCEEDED ||
                  a.code == grpc::StatusCode::UNAVAILABLE ||
                  a.code == grpc::StatusCode::OK)
          << a.code;
    }
  }
  EXPECT_GT(during, 8);
  std::cout << "frozen database: NOT_SERVING after "
            << absl::FormatDuration(to_not_serving) << ", SERVING "
            << absl::FormatDuration(to_serving)
            << " after thawing; longest call " << absl::FormatDuration(longest)
            << "; " << during << " calls answered while frozen\n";
}

// SIGTERM with the database frozen and calls stuck on it: the process
// exits 0 within the shutdown timeout (+1 s), whatever its workers do.
TEST_F(FrozenDatabaseTest, SigtermExitsWithinTheShutdownTimeout) {
  ASSERT_TRUE(
      StartServerOn(url_, {"--shutdown-timeout", "3s", "--default-deadline",
                           "10s", "--max-deadline", "20s"}));
  const v1::Profile profile = CreateProfile("stuck");
  ASSERT_EQ(profile.name(), "profiles/stuck");
  mariadb_->Freeze();
  // Four calls reach workers, which block on the database.
  constexpr int kCalls = 4;
  std::vector<grpc::Status> stuck(kCalls);
  std::vector<std::thread> callers;
  for (int i = 0; i < kCalls; ++i) {
    callers.emplace_back([&, i] {
      grpc::ClientContext context;  // the server's deadline (10 s) only
      v1::GetProfileRequest request;
      request.set_name(profile.name());
      v1::Profile got;
      stuck[i] = NewProfileStub()->GetProfile(&context, request, &got);
    });
  }
  ASSERT_TRUE(server().process().WaitForStderr("database does not answer",
                                               absl::Seconds(5)));
  const absl::Time signalled = absl::Now();
  server().process().Signal(SIGTERM);
  EXPECT_EQ(server().process().Wait(absl::Seconds(10)), 0);
  const absl::Duration took = absl::Now() - signalled;
  EXPECT_LT(took, absl::Seconds(4));
  for (std::thread& t : callers) t.join();
  for (const grpc::Status& status : stuck) {
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE)
        << status.error_message();
  }
  std::cout << "SIGTERM with the database frozen: exit 0 after "
            << absl::FormatDuration(took) << "\n";
}

}  // namespace
}  // namespace careers::e2e
