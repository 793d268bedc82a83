// The change feed through the real server on a real database: a watcher
// resumes across a kill -9 under load with every change exactly once and in
// order, 2,000 watch streams cost no threads, a phone's offline sync pages
// through exactly its person's changes, and careersctl lists and watches.
#include <signal.h>

#include <atomic>
#include <cstdint>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "careers/v1/change_service.grpc.pb.h"
#include "careers/v1/consent_service.pb.h"
#include "careers/v1/profile_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "tests/e2e/e2e_fixture.h"

namespace careers::e2e {
namespace {

using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

// "CREATED profiles/p/goals/g": what a change says, for comparing lists.
std::string Describe(const v1::Change& change) {
  return absl::StrCat(v1::Change::Kind_Name(change.kind()), " ",
                      change.resource());
}

// The fields a status's google.rpc.BadRequest names.
std::vector<std::string> ViolatedFields(const grpc::Status& status) {
  std::vector<std::string> fields;
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return fields;
  for (const auto& any : details.details()) {
    google::rpc::BadRequest bad;
    if (!any.UnpackTo(&bad)) continue;
    for (const auto& v : bad.field_violations()) fields.push_back(v.field());
  }
  return fields;
}

// The non-empty lines of `text`.
std::vector<std::string> Lines(const std::string& text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

v1::CreateGoalRequest GoalRequest(const std::string& profile,
                                  const std::string& title) {
  v1::CreateGoalRequest request;
  request.set_parent(profile);
  request.mutable_goal()->set_title(title);
  request.mutable_goal()->set_goal_type(v1::Goal::LEARNING);
  return request;
}

// Where the tests' clients find the server: a kill -9 and a restart put it
// on another port, and the threads talking to it move when told. Thread-safe.
class Switchboard {
 public:
  // The server is at `channel` from now on.
  void Connect(std::shared_ptr<grpc::Channel> channel) {
    absl::MutexLock lock(&mu_);
    channel_ = std::move(channel);
    ++generation_;
    changed_.SignalAll();
  }
  // Everyone stops: After returns null from now on.
  void Close() {
    absl::MutexLock lock(&mu_);
    closed_ = true;
    changed_.SignalAll();
  }
  bool closed() const {
    absl::MutexLock lock(&mu_);
    return closed_;
  }
  // The channel of the newest generation after `seen` and its number,
  // waiting up to `wait` for one; {null, seen} if none came or once closed.
  std::pair<std::shared_ptr<grpc::Channel>, int> After(
      int seen, absl::Duration wait = absl::InfiniteDuration()) const {
    absl::MutexLock lock(&mu_);
    const absl::Time until = absl::Now() + wait;
    while (!closed_ && generation_ <= seen) {
      if (changed_.WaitWithDeadline(&mu_, until)) break;
    }
    if (closed_ || generation_ <= seen) return {nullptr, seen};
    return {channel_, generation_};
  }

 private:
  mutable absl::Mutex mu_;
  mutable absl::CondVar changed_;
  std::shared_ptr<grpc::Channel> channel_ ABSL_GUARDED_BY(mu_);
  int generation_ ABSL_GUARDED_BY(mu_) = 0;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

// A service following the feed: reads WatchChanges on a thread of its own
// and, when a stream ends, opens the next one on the switchboard's newest
// server with the last token it was given (from now, the first time).
class Watcher {
 public:
  explicit Watcher(Switchboard& board) : board_(board) {
    thread_ = std::thread([this] { Run(); });
  }
  ~Watcher() { Stop(); }

  // Closes the switchboard (the load is over), then ends the stream open
  // now and the thread.
  void Stop() {
    board_.Close();
    {
      absl::MutexLock lock(&mu_);
      paused_ = false;
      if (context_ != nullptr) context_->TryCancel();
    }
    if (thread_.joinable()) thread_.join();
  }

  // A reader that falls behind: takes no message until Resume (the
  // server holds back, then the transport fills up).
  void Pause() {
    absl::MutexLock lock(&mu_);
    paused_ = true;
  }
  void Resume() {
    absl::MutexLock lock(&mu_);
    paused_ = false;
  }

  // Streams whose first message (the starting token) has come.
  int opened() const {
    absl::MutexLock lock(&mu_);
    return opened_;
  }
  // Changes received, per stream.
  std::vector<std::vector<v1::Change>> streams() const {
    absl::MutexLock lock(&mu_);
    return streams_;
  }
  // How each stream that ended ended.
  std::vector<grpc::Status> ends() const {
    absl::MutexLock lock(&mu_);
    return ends_;
  }
  // The highest sequence received, 0 if none.
  int64_t last_sequence() const {
    absl::MutexLock lock(&mu_);
    return last_sequence_;
  }
  size_t received() const {
    absl::MutexLock lock(&mu_);
    size_t n = 0;
    for (const auto& s : streams_) n += s.size();
    return n;
  }

 private:
  void Run() {
    int generation = 0;
    std::string token;
    while (true) {
      auto [channel, next] = board_.After(generation);
      if (channel == nullptr) return;
      generation = next;
      std::unique_ptr<v1::ChangeService::Stub> stub =
          v1::ChangeService::NewStub(channel);
      grpc::ClientContext context;
      {
        absl::MutexLock lock(&mu_);
        context_ = &context;
        streams_.emplace_back();
      }
      v1::WatchChangesRequest request;
      request.set_change_token(token);
      std::unique_ptr<grpc::ClientReader<v1::WatchChangesResponse>> reader =
          stub->WatchChanges(&context, request);
      v1::WatchChangesResponse message;
      bool first = true;
      while (true) {
        {
          absl::MutexLock lock(&mu_);
          mu_.Await(absl::Condition(
              +[](bool* paused) { return !*paused; }, &paused_));
        }
        if (!reader->Read(&message)) break;
        absl::MutexLock lock(&mu_);
        if (first) ++opened_;
        first = false;
        for (const v1::Change& change : message.changes()) {
          streams_.back().push_back(change);
          last_sequence_ = std::max(last_sequence_, change.sequence());
        }
        if (!message.change_token().empty()) token = message.change_token();
      }
      const grpc::Status status = reader->Finish();
      absl::MutexLock lock(&mu_);
      context_ = nullptr;
      ends_.push_back(status);
    }
  }

  Switchboard& board_;
  mutable absl::Mutex mu_;
  grpc::ClientContext* context_ ABSL_GUARDED_BY(mu_) = nullptr;
  int opened_ ABSL_GUARDED_BY(mu_) = 0;
  bool paused_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::vector<v1::Change>> streams_ ABSL_GUARDED_BY(mu_);
  std::vector<grpc::Status> ends_ ABSL_GUARDED_BY(mu_);
  int64_t last_sequence_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread thread_;
};

// A steady write load: CreateGoal on one profile, one call after another,
// on the switchboard's newest server. Each goal is a resource of its own,
// so its one change is easy to find. A call that fails UNAVAILABLE (the
// server died) waits for the next server, up to a second at a time.
class GoalWriter {
 public:
  GoalWriter(Switchboard& board, std::string profile)
      : board_(board), profile_(std::move(profile)) {
    thread_ = std::thread([this] { Run(); });
  }
  ~GoalWriter() { Stop(); }

  void Stop() {
    stop_.store(true);
    if (thread_.joinable()) thread_.join();
  }
  // The goals whose CreateGoal returned OK.
  std::vector<std::string> created() const {
    absl::MutexLock lock(&mu_);
    return created_;
  }
  size_t ok() const {
    absl::MutexLock lock(&mu_);
    return created_.size();
  }
  int failed() const {
    absl::MutexLock lock(&mu_);
    return failed_;
  }

 private:
  void Run() {
    auto [channel, generation] = board_.After(0);
    if (channel == nullptr) return;
    auto stub = v1::ProfileService::NewStub(channel);
    for (int i = 0; !stop_.load(); ++i) {
      grpc::ClientContext context;
      SetTimeout(context, absl::Seconds(5));
      v1::Goal goal;
      const grpc::Status status = stub->CreateGoal(
          &context, GoalRequest(profile_, absl::StrCat("Goal ", i)), &goal);
      if (status.ok()) {
        absl::MutexLock lock(&mu_);
        created_.push_back(goal.name());
        continue;
      }
      {
        absl::MutexLock lock(&mu_);
        ++failed_;
      }
      // A server that died answers nothing until its successor is up: wait
      // for it rather than spin; any other failure is just retried.
      if (status.error_code() != grpc::StatusCode::UNAVAILABLE) continue;
      auto [next, number] = board_.After(generation, absl::Seconds(1));
      if (next != nullptr) {
        generation = number;
        stub = v1::ProfileService::NewStub(next);
      }
    }
  }

  Switchboard& board_;
  const std::string profile_;
  std::atomic<bool> stop_{false};
  mutable absl::Mutex mu_;
  std::vector<std::string> created_ ABSL_GUARDED_BY(mu_);
  int failed_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread thread_;
};

// Many WatchChanges streams (from now) on one completion queue, as a
// server's worth of services and phones would hold them: state, no
// threads. Not thread-safe.
class AsyncWatches {
 public:
  // Streams are spread over `stubs` (a connection each, say).
  explicit AsyncWatches(
      std::vector<std::unique_ptr<v1::ChangeService::Stub>> stubs)
      : stubs_(std::move(stubs)) {}
  ~AsyncWatches() {
    for (auto& s : streams_) s->context.TryCancel();
    Pump([&] { return ended_ == static_cast<int>(streams_.size()); });
    cq_.Shutdown();
    void* tag = nullptr;
    bool ok = false;
    while (cq_.Next(&tag, &ok)) {
    }
  }

  void Open(int n) {
    for (int i = 0; i < n; ++i) {
      auto s = std::make_unique<Stream>();
      SetTimeout(s->context, absl::Seconds(300));
      s->reader = stubs_[streams_.size() % stubs_.size()]->AsyncWatchChanges(
          &s->context, v1::WatchChangesRequest(), &cq_, s.get());
      streams_.push_back(std::move(s));
    }
  }
  // Count the streams that receive a change of `resource` from now on.
  void Expect(const std::string& resource) { expected_ = resource; }

  // Runs the streams until `until` is true, or no event comes for 60 s.
  void Pump(absl::FunctionRef<bool()> until) {
    void* tag = nullptr;
    bool ok = false;
    while (!until() &&
           cq_.AsyncNext(&tag, &ok,
                         absl::ToChronoTime(absl::Now() + absl::Seconds(60))) ==
               grpc::CompletionQueue::GOT_EVENT) {
      Stream* s = static_cast<Stream*>(tag);
      if (s->step == 2) {
        ++ended_;
        continue;
      }
      if (s->step == 1 && ok) {
        // The first message is the starting token: the stream is admitted.
        if (++s->messages == 1) ++opened_;
        for (const v1::Change& change : s->response.changes()) {
          if (!expected_.empty() && change.resource() == expected_ &&
              !s->heard) {
            s->heard = true;
            ++heard_;
          }
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
  }

  int size() const { return static_cast<int>(streams_.size()); }
  int opened() const { return opened_; }  // admitted (first message read)
  int ended() const { return ended_; }
  int heard() const { return heard_; }    // received the Expect()ed change
  // How stream `i` ended (once it has).
  const grpc::Status& status(int i) const { return streams_[i]->status; }

 private:
  struct Stream {
    grpc::ClientContext context;
    std::unique_ptr<grpc::ClientAsyncReader<v1::WatchChangesResponse>> reader;
    v1::WatchChangesResponse response;
    grpc::Status status;
    int step = 0;  // 0 started, 1 reading, 2 finishing
    int messages = 0;
    bool heard = false;
  };
  std::vector<std::unique_ptr<v1::ChangeService::Stub>> stubs_;
  grpc::CompletionQueue cq_;
  std::vector<std::unique_ptr<Stream>> streams_;
  std::string expected_;
  int opened_ = 0;
  int ended_ = 0;
  int heard_ = 0;
};

class ChangeFeedE2eTest : public E2eTest {
 protected:
  // An administrator's channel that takes in little more than its reader
  // has read (a small fixed window, no growing it), so a reader that stops
  // soon stops the server sending: its stream then falls behind the feed.
  std::shared_ptr<grpc::Channel> SlowReaderChannel() {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
    args.SetInt(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, 1024);
    return NewChannel(TestIssuer::Get().Admin(), std::move(args));
  }

  std::unique_ptr<v1::ChangeService::Stub> ChangeStub(
      const std::string& token) {
    return v1::ChangeService::NewStub(NewChannel(token));
  }

  // Administrator's stubs on `n` connections of their own.
  std::vector<std::unique_ptr<v1::ChangeService::Stub>> ChangeStubs(int n) {
    std::vector<std::unique_ptr<v1::ChangeService::Stub>> stubs;
    for (int i = 0; i < n; ++i) {
      stubs.push_back(v1::ChangeService::NewStub(NewChannel()));
    }
    return stubs;
  }

  // ListChanges as the caller of `token`.
  grpc::Status List(const std::string& token,
                    const v1::ListChangesRequest& request,
                    v1::ListChangesResponse& response) {
    grpc::ClientContext context;
    SetTimeout(context, absl::Seconds(10));
    return ChangeStub(token)->ListChanges(&context, request, &response);
  }

  // The current sync token for the caller of `token` (an empty sync_token).
  std::string SyncToken(const std::string& token) {
    v1::ListChangesResponse response;
    const grpc::Status status = List(token, {}, response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_THAT(response.changes(), IsEmpty());
    EXPECT_FALSE(response.more());
    return response.next_sync_token();
  }

  // Pages through ListChanges from `sync_token` with `page_size` until
  // `more` is false; every change, and in `next` the token to continue
  // from.
  std::vector<v1::Change> Sync(const std::string& token,
                               const std::string& sync_token, int page_size,
                               std::string* next = nullptr,
                               int* pages = nullptr) {
    std::vector<v1::Change> changes;
    v1::ListChangesRequest request;
    request.set_sync_token(sync_token);
    request.set_page_size(page_size);
    int n = 0;
    for (; n < 1000; ++n) {
      v1::ListChangesResponse response;
      const grpc::Status status = List(token, request, response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      EXPECT_LE(response.changes_size(), page_size);
      EXPECT_THAT(response.next_sync_token(), StartsWith("ct1_"));
      changes.insert(changes.end(), response.changes().begin(),
                     response.changes().end());
      request.set_sync_token(response.next_sync_token());
      if (!response.more()) break;
    }
    if (next != nullptr) *next = request.sync_token();
    if (pages != nullptr) *pages = n + 1;
    return changes;
  }

  grpc::Status UpdatePreferredName(const std::string& token,
                                   const std::string& profile,
                                   const std::string& preferred_name) {
    grpc::ClientContext context;
    SetTimeout(context, absl::Seconds(10));
    v1::UpdateProfileRequest request;
    request.mutable_profile()->set_name(profile);
    request.mutable_profile()->set_preferred_name(preferred_name);
    request.mutable_update_mask()->add_paths("preferred_name");
    v1::Profile updated;
    return NewProfileStub(token)->UpdateProfile(&context, request, &updated);
  }

  absl::StatusOr<v1::Goal> CreateGoal(const std::string& token,
                                      const std::string& profile,
                                      const std::string& title) {
    grpc::ClientContext context;
    SetTimeout(context, absl::Seconds(10));
    v1::Goal goal;
    const grpc::Status status = NewProfileStub(token)->CreateGoal(
        &context, GoalRequest(profile, title), &goal);
    if (!status.ok()) return absl::UnknownError(status.error_message());
    return goal;
  }

  // The sequences of the feed's rows in [first, last], from the database.
  std::vector<int64_t> SequencesInDatabase(int64_t first, int64_t last) {
    std::unique_ptr<store::Connection> c = db().Connect();
    std::vector<int64_t> sequences;
    if (c == nullptr) return sequences;
    std::unique_ptr<sql::ResultSet> rs = c->Query(absl::StrCat(
        "SELECT sequence FROM changes WHERE sequence BETWEEN ", first, " AND ",
        last, " ORDER BY sequence"));
    while (rs->next()) sequences.push_back(rs->getInt64(1));
    return sequences;
  }

  // Rows of the feed committed but not yet given a sequence (0 when
  // writes number their own rows).
  int Unsequenced() {
    int n = -1;
    EXPECT_TRUE(absl::SimpleAtoi(
        db().Query("SELECT COUNT(*) FROM changes WHERE sequence IS NULL"), &n));
    return n;
  }
  // Waits until every committed change has its place in the feed, so a
  // listing from an earlier token shows them all.
  bool AllSequenced() {
    return PollUntil([&] { return Unsequenced() == 0; }, absl::Seconds(20));
  }

  int64_t LastSequenceInDatabase() {
    int64_t n = -1;
    EXPECT_TRUE(absl::SimpleAtoi(
        db().Query("SELECT last_sequence FROM change_sequence"), &n));
    return n;
  }
};

// A service watching the feed while goals are created one after another;
// it falls behind for a while, the server is killed with SIGKILL mid-load
// and started again on the same database, and the watcher opens a new
// stream with the last token it was given (so the new server first catches
// it up from the database, then from its window). Across both streams every
// change committed is received exactly once, in sequence order, with no
// gap (an administrator sees them all): each goal whose CreateGoal returned
// OK among them once, and the changes received are exactly the feed's rows
// from the first to the last.
TEST_F(ChangeFeedE2eTest, AWatcherResumesAfterKillNineWithEveryChangeOnce) {
  // Writes made while the watcher takes nothing.
  constexpr size_t kBehind = 600;
  ASSERT_TRUE(StartServer());
  ASSERT_EQ(CreateProfile("steady").name(), "profiles/steady");
  Switchboard writes;
  Switchboard watches;
  writes.Connect(NewChannel());
  watches.Connect(SlowReaderChannel());
  Watcher watcher(watches);
  // Opened (its starting token received) before the first write, so every
  // write of the load is after where it starts.
  ASSERT_TRUE(PollUntil([&] { return watcher.opened() == 1; },
                        absl::Seconds(20)));
  GoalWriter writer(writes, "profiles/steady");
  ASSERT_TRUE(PollUntil(
      [&] { return writer.ok() >= 100 && watcher.received() >= 50; },
      absl::Seconds(60)));
  watcher.Pause();
  const size_t ok_at_pause = writer.ok();
  ASSERT_TRUE(PollUntil([&] { return writer.ok() >= ok_at_pause + kBehind; },
                        absl::Seconds(60)));

  const size_t ok_before_kill = writer.ok();
  EXPECT_EQ(KillServer(), 128 + SIGKILL);
  // The watcher reads what reached it; its stream breaks. The writer's
  // calls fail until the successor is up.
  watcher.Resume();
  ASSERT_TRUE(PollUntil([&] { return watcher.ends().size() == 1; },
                        absl::Seconds(20)));
  const int64_t before_restart = LastSequenceInDatabase();
  ASSERT_TRUE(StartServer());
  writes.Connect(NewChannel());
  watches.Connect(SlowReaderChannel());
  ASSERT_TRUE(PollUntil(
      [&] {
        return watcher.opened() == 2 && writer.ok() >= ok_before_kill + 150;
      },
      absl::Seconds(60)));
  writer.Stop();
  // Everything committed, including what the killed server committed but
  // could not answer, is numbered and reaches the watcher.
  ASSERT_TRUE(PollUntil(
      [&] {
        return Unsequenced() == 0 &&
               watcher.last_sequence() >= LastSequenceInDatabase();
      },
      absl::Seconds(30)))
      << "received up to " << watcher.last_sequence() << " of "
      << LastSequenceInDatabase() << ", " << Unsequenced()
      << " not numbered yet";
  const int64_t last = LastSequenceInDatabase();
  watcher.Stop();

  const std::vector<std::vector<v1::Change>> streams = watcher.streams();
  ASSERT_EQ(streams.size(), 2u);
  const std::vector<grpc::Status> ends = watcher.ends();
  ASSERT_EQ(ends.size(), 2u);
  EXPECT_EQ(ends[0].error_code(), grpc::StatusCode::UNAVAILABLE)
      << ends[0].error_message();
  EXPECT_EQ(ends[1].error_code(), grpc::StatusCode::CANCELLED)
      << ends[1].error_message();
  EXPECT_FALSE(streams[0].empty());
  EXPECT_FALSE(streams[1].empty());

  std::vector<v1::Change> all;
  for (const auto& s : streams) all.insert(all.end(), s.begin(), s.end());
  ASSERT_FALSE(all.empty());
  std::vector<int64_t> sequences;
  std::map<std::string, int> times_seen;
  std::vector<std::string> out_of_step;  // a gap, a repeat or a step back
  for (size_t i = 0; i < all.size(); ++i) {
    sequences.push_back(all[i].sequence());
    ++times_seen[all[i].resource()];
    // Strictly increasing with no gap, across the restart too.
    if (i > 0 && all[i].sequence() != all[i - 1].sequence() + 1) {
      out_of_step.push_back(absl::StrCat(
          all[i - 1].sequence(), " then ", all[i].sequence(),
          i == streams[0].size() ? " (first of the resumed stream)" : ""));
    }
    EXPECT_THAT(all[i].change_token(), StartsWith("ct1_"));
  }
  EXPECT_THAT(out_of_step, IsEmpty());
  EXPECT_EQ(sequences.back(), last);
  // Exactly the feed's rows from the first received to the last.
  EXPECT_THAT(SequencesInDatabase(sequences.front(), sequences.back()),
              ElementsAreArray(sequences));
  // Every write that returned OK, once.
  const std::vector<std::string> created = writer.created();
  std::vector<std::string> not_once;
  for (const std::string& goal : created) {
    const int n = times_seen.count(goal) ? times_seen[goal] : 0;
    if (n != 1) not_once.push_back(absl::StrCat(goal, " x", n));
  }
  EXPECT_THAT(not_once, IsEmpty());
  // Each received goal is one the writer asked for: OK, or cut off by the
  // kill (its commit may have made it, its answer did not).
  int goals_received = 0;
  for (const v1::Change& change : all) {
    if (change.resource_type() != "careers.uk/Goal") continue;
    ++goals_received;
    EXPECT_EQ(change.kind(), v1::Change::CREATED) << Describe(change);
    EXPECT_EQ(change.profile(), "profiles/steady");
  }
  EXPECT_GE(goals_received, static_cast<int>(created.size()));
  EXPECT_LE(goals_received,
            static_cast<int>(created.size()) + writer.failed());
  // What the new server read back from the database for the watcher: the
  // changes committed before it started.
  int caught_up = 0;
  for (const v1::Change& change : streams[1]) {
    caught_up += change.sequence() <= before_restart;
  }
  // The watcher had fallen behind, so there were some.
  EXPECT_GT(caught_up, 0);
  std::cout << "kill -9 under load: " << created.size() << " goals created OK ("
            << writer.failed() << " calls failed), " << streams[0].size()
            << " + " << streams[1].size()
            << " changes received before and after the restart ("
            << caught_up << " of them committed before it), sequences "
            << sequences.front() << ".." << sequences.back() << "\n";
}

// 2,000 WatchChanges streams on one server (four connections) are state,
// not threads: the server stays below 64 threads, and one write reaches
// every stream.
TEST_F(ChangeFeedE2eTest, TwoThousandWatchStreamsAllGetAWrite) {
  ASSERT_TRUE(StartServer());
  ASSERT_EQ(CreateProfile("crowd").name(), "profiles/crowd");
  const pid_t pid = server().process().pid();
  const int threads_before = ThreadsOf(pid);
  const double rss_before = ResidentMib(pid);

  constexpr int kStreams = 2000;
  AsyncWatches watches(ChangeStubs(4));
  watches.Open(kStreams);
  watches.Pump([&] { return watches.opened() + watches.ended() == kStreams; });
  ASSERT_EQ(watches.opened(), kStreams);
  const int threads_open = ThreadsOf(pid);
  const double rss_open = ResidentMib(pid);

  const absl::Time write_time = absl::Now();
  absl::StatusOr<v1::Goal> goal =
      CreateGoal(TestIssuer::Get().Admin(), "profiles/crowd", "Be heard");
  ASSERT_TRUE(goal.ok()) << goal.status();
  watches.Expect(goal->name());
  watches.Pump(
      [&] { return watches.heard() == kStreams || watches.ended() > 0; });
  const absl::Duration fan_out = absl::Now() - write_time;
  EXPECT_EQ(watches.heard(), kStreams);
  EXPECT_EQ(watches.ended(), 0);
  const int threads_after = ThreadsOf(pid);

  std::cout << absl::StreamFormat(
      "%d WatchChanges streams: threads %d -> %d, RSS %.1f -> %.1f MiB "
      "(one write reached all of them in %s; %d threads after it)\n",
      kStreams, threads_before, threads_open, rss_before, rss_open,
      absl::FormatDuration(fan_out), threads_after);
  EXPECT_LT(threads_open, 64);
  EXPECT_LT(threads_after, 64);
}

// At the limit (10,000 change streams), every stream more is refused with
// RESOURCE_EXHAUSTED, however often clients try again: a refusal does not
// free a place.
TEST_F(ChangeFeedE2eTest, TheStreamLimitHoldsWhileClientsRetry) {
  ASSERT_TRUE(StartServer());
  constexpr int kLimit = 10000;  // ChangeStreams::Options::max_streams
  AsyncWatches watches(ChangeStubs(8));
  watches.Open(kLimit);
  watches.Pump([&] { return watches.opened() + watches.ended() == kLimit; });
  ASSERT_EQ(watches.opened(), kLimit);
  // Retries, in waves, each refused and ended before the next.
  for (int wave = 1; wave <= 3; ++wave) {
    watches.Open(100);
    watches.Pump([&] {
      return watches.opened() + watches.ended() == watches.size();
    });
    EXPECT_EQ(watches.opened(), kLimit) << "wave " << wave;
    EXPECT_EQ(watches.ended(), 100 * wave) << "wave " << wave;
  }
  for (int i = kLimit; i < watches.size(); ++i) {
    EXPECT_EQ(watches.status(i).error_code(),
              grpc::StatusCode::RESOURCE_EXHAUSTED)
        << watches.status(i).error_message();
  }
}

// A phone's offline sync: the person takes a token, the day's changes
// happen (their own profile and plan, and someone else's profile in
// between), then the app pages through ListChanges with a small page until
// `more` is false and gets exactly the person's changes, in order. An
// adviser of an organisation the profile is not shared with sees none of
// them (but does see the profile that is shared with it), and a bad token
// is INVALID_ARGUMENT naming sync_token.
TEST_F(ChangeFeedE2eTest, APhoneSyncsExactlyItsPersonsChanges) {
  ASSERT_TRUE(StartServer());
  ASSERT_EQ(CreateProfile("isla").name(), "profiles/isla");
  ASSERT_EQ(CreateProfile("other", "Reid").name(), "profiles/other");
  const testing::RunResult school =
      Ctl({"organisations", "create", "--id", "feed-school", "--display-name",
           "Feed Academy", "--kind", "school"});
  ASSERT_EQ(school.exit_code, 0) << school.err;
  const testing::RunResult adviser =
      Ctl({"advisers", "create", "--id", "feed-adviser", "--organisation",
           "organisations/feed-school", "--display-name", "Fiona Reid",
           "--language", "en", "--subject", "feed-adviser-sub"});
  ASSERT_EQ(adviser.exit_code, 0) << adviser.err;
  const std::string admin = TestIssuer::Get().Admin();
  const std::string isla =
      TestIssuer::Get().Mint("person", "isla-sub", "", "profiles/isla");
  const std::string other =
      TestIssuer::Get().Mint("person", "other-sub", "", "profiles/other");
  const std::string staff = TestIssuer::Get().Mint(
      "adviser", "feed-adviser-sub", "organisations/feed-school");
  // The other person shares with the school; Isla does not.
  const testing::RunResult shared = CtlAs(
      other, {"consents", "create", "profiles/other", "--purpose",
              "share-with-organisation", "--organisation",
              "organisations/feed-school"});
  ASSERT_EQ(shared.exit_code, 0) << shared.err;

  // The app's first sync: a token, then it fetches the resources.
  ASSERT_TRUE(AllSequenced());
  const std::string start = SyncToken(isla);
  ASSERT_THAT(start, StartsWith("ct1_"));
  const std::string staff_start = SyncToken(staff);

  // The day: Isla works on her plan on her phone while her profile's
  // neighbour is changed too.
  std::vector<std::string> expected;
  auto profile_stub = NewProfileStub(isla);
  for (int i = 0; i < 16; ++i) {
    ASSERT_TRUE(
        UpdatePreferredName(admin, "profiles/other", absl::StrCat("O", i))
            .ok());
    absl::StatusOr<v1::Goal> goal =
        CreateGoal(isla, "profiles/isla", absl::StrCat("Goal ", i));
    ASSERT_TRUE(goal.ok()) << goal.status();
    expected.push_back(absl::StrCat("CREATED ", goal->name()));
    if (i % 3 == 0) {
      grpc::ClientContext context;
      SetTimeout(context, absl::Seconds(10));
      v1::CreateActionRequest request;
      request.set_parent("profiles/isla");
      request.mutable_action()->set_title(absl::StrCat("Step ", i));
      request.mutable_action()->set_owner(v1::Action::PERSON);
      request.mutable_action()->set_goal(goal->name());
      v1::Action action;
      const grpc::Status status =
          profile_stub->CreateAction(&context, request, &action);
      ASSERT_TRUE(status.ok()) << status.error_message();
      expected.push_back(absl::StrCat("CREATED ", action.name()));
    }
    if (i % 4 == 1) {
      grpc::ClientContext context;
      SetTimeout(context, absl::Seconds(10));
      v1::AchieveGoalRequest request;
      request.set_name(goal->name());
      v1::Goal achieved;
      const grpc::Status status =
          profile_stub->AchieveGoal(&context, request, &achieved);
      ASSERT_TRUE(status.ok()) << status.error_message();
      expected.push_back(absl::StrCat("STATE_CHANGED ", goal->name()));
    }
    if (i % 2 == 0) {
      ASSERT_TRUE(UpdatePreferredName(isla, "profiles/isla",
                                      absl::StrCat("Isla ", i))
                      .ok());
      expected.push_back("UPDATED profiles/isla");
    }
    ASSERT_TRUE(CreateGoal(other, "profiles/other", "Not Isla's").ok());
  }
  ASSERT_GE(expected.size(), 30u);

  // The app syncs, five at a time.
  ASSERT_TRUE(AllSequenced());
  std::string next;
  int pages = 0;
  const std::vector<v1::Change> seen = Sync(isla, start, 5, &next, &pages);
  std::vector<std::string> described;
  for (const v1::Change& change : seen) {
    described.push_back(Describe(change));
    EXPECT_EQ(change.profile(), "profiles/isla") << Describe(change);
  }
  EXPECT_THAT(described, ElementsAreArray(expected));
  EXPECT_GE(pages, static_cast<int>(expected.size() / 5));
  for (size_t i = 1; i < seen.size(); ++i) {
    EXPECT_GT(seen[i].sequence(), seen[i - 1].sequence());
  }
  // What a change says of itself.
  for (const v1::Change& change : seen) {
    if (change.kind() != v1::Change::UPDATED) continue;
    EXPECT_THAT(change.field_paths(), ElementsAreArray({"preferred_name"}));
    EXPECT_EQ(change.resource_type(), "careers.uk/Profile");
    EXPECT_EQ(change.actor().subject(), "isla-sub");
    EXPECT_EQ(change.method(), "careers.v1.ProfileService/UpdateProfile");
  }
  // Synced: nothing more from where it stopped.
  EXPECT_THAT(Sync(isla, next, 5), IsEmpty());
  // Only goals, if the app asks for only goals.
  v1::ListChangesRequest goals_only;
  goals_only.set_sync_token(start);
  goals_only.add_resource_types("Goal");
  goals_only.set_page_size(1000);
  v1::ListChangesResponse goal_changes;
  ASSERT_TRUE(List(isla, goals_only, goal_changes).ok());
  EXPECT_FALSE(goal_changes.more());
  for (const v1::Change& change : goal_changes.changes()) {
    EXPECT_EQ(change.resource_type(), "careers.uk/Goal");
  }
  EXPECT_EQ(goal_changes.changes_size(), 16 + 4);  // created, achieved

  // The adviser: the shared profile's changes, none of Isla's.
  const std::vector<v1::Change> staff_seen = Sync(staff, staff_start, 5);
  int others = 0;
  for (const v1::Change& change : staff_seen) {
    EXPECT_NE(change.profile(), "profiles/isla") << Describe(change);
    others += change.profile() == "profiles/other";
  }
  EXPECT_EQ(others, 16 + 16);  // renamed and a goal, sixteen times

  // A token that is not one of the feed's.
  for (const char* bad : {"not-a-token", "ct1_!!!", "ct1_LTE"}) {
    v1::ListChangesRequest request;
    request.set_sync_token(bad);
    v1::ListChangesResponse response;
    const grpc::Status status = List(isla, request, response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << bad;
    EXPECT_THAT(ViolatedFields(status), ElementsAreArray({"sync_token"}))
        << bad;
  }
}

// careersctl changes list (a table ending in the next sync token; JSON;
// --all with a small page; --type) and changes watch (a JSON line per
// change as it commits, until interrupted; an error and exit 1 when the
// stream fails or the server goes away).
TEST_F(ChangeFeedE2eTest, CareersctlListsAndWatchesChanges) {
  ASSERT_TRUE(StartServer());
  ASSERT_EQ(CreateProfile("cli").name(), "profiles/cli");
  const std::string admin = TestIssuer::Get().Admin();

  // Without --since: no changes, and the token to start from.
  ASSERT_TRUE(AllSequenced());
  const testing::RunResult now = Ctl({"changes", "list"});
  ASSERT_EQ(now.exit_code, 0) << now.err;
  std::vector<std::string> lines = Lines(now.out);
  ASSERT_EQ(lines.size(), 2u) << now.out;
  EXPECT_THAT(lines[0], StartsWith("SEQUENCE  COMMITTED  KIND  RESOURCE"));
  absl::string_view token_line = lines[1];
  ASSERT_TRUE(absl::ConsumePrefix(&token_line, "next sync token: --since "))
      << lines[1];
  const std::string start(token_line);
  ASSERT_THAT(start, StartsWith("ct1_"));

  ASSERT_TRUE(UpdatePreferredName(admin, "profiles/cli", "Cli").ok());
  absl::StatusOr<v1::Goal> first = CreateGoal(admin, "profiles/cli", "One");
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<v1::Goal> second = CreateGoal(admin, "profiles/cli", "Two");
  ASSERT_TRUE(second.ok()) << second.status();

  // The table: one row per change, oldest first, then the next token.
  ASSERT_TRUE(AllSequenced());
  const testing::RunResult table = Ctl({"changes", "list", "--since", start});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  lines = Lines(table.out);
  ASSERT_EQ(lines.size(), 5u) << table.out;
  EXPECT_THAT(lines[1], HasSubstr("updated"));
  EXPECT_THAT(lines[1], HasSubstr("profiles/cli "));
  EXPECT_THAT(lines[1], HasSubstr("preferred_name"));
  EXPECT_THAT(lines[1], HasSubstr("test-operator (admin)"));
  EXPECT_THAT(lines[2], HasSubstr("created"));
  EXPECT_THAT(lines[2], HasSubstr(first->name()));
  EXPECT_THAT(lines[3], HasSubstr(second->name()));
  token_line = lines[4];
  ASSERT_TRUE(absl::ConsumePrefix(&token_line, "next sync token: --since "))
      << lines[4];
  const std::string end(token_line);

  // JSON, one change per call, --all: the same changes and the same end.
  const testing::RunResult all =
      Ctl({"--output", "json", "changes", "list", "--since", start,
           "--page-size", "1", "--all"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  v1::ListChangesResponse listed;
  ParseJson(all.out, &listed);
  ASSERT_EQ(listed.changes_size(), 3) << all.out;
  EXPECT_EQ(Describe(listed.changes(0)), "UPDATED profiles/cli");
  EXPECT_EQ(Describe(listed.changes(1)), "CREATED " + first->name());
  EXPECT_EQ(Describe(listed.changes(2)), "CREATED " + second->name());
  EXPECT_EQ(listed.next_sync_token(), end);
  EXPECT_FALSE(listed.more());

  // One page of one: the table says more are waiting.
  const testing::RunResult page =
      Ctl({"changes", "list", "--since", start, "--page-size", "1"});
  ASSERT_EQ(page.exit_code, 0) << page.err;
  EXPECT_THAT(page.out, HasSubstr("more changes are waiting"));
  EXPECT_EQ(Lines(page.out).size(), 4u) << page.out;

  // Only goals.
  const testing::RunResult typed = Ctl({"--output", "json", "changes", "list",
                                        "--since", start, "--type", "Goal"});
  ASSERT_EQ(typed.exit_code, 0) << typed.err;
  v1::ListChangesResponse goals;
  ParseJson(typed.out, &goals);
  ASSERT_EQ(goals.changes_size(), 2) << typed.out;
  EXPECT_EQ(goals.changes(0).resource(), first->name());

  // Bad input is the server's INVALID_ARGUMENT, printed as usual.
  const testing::RunResult bad =
      Ctl({"changes", "list", "--since", "yesterday"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.err, HasSubstr("INVALID_ARGUMENT"));
  EXPECT_THAT(bad.err, HasSubstr("sync_token"));
  const testing::RunResult bad_type =
      Ctl({"changes", "list", "--type", "Biscuit"});
  EXPECT_EQ(bad_type.exit_code, 1);
  EXPECT_THAT(bad_type.err, HasSubstr("resource_types[0]"));
  const testing::RunResult bad_watch =
      Ctl({"changes", "watch", "--since", "yesterday"});
  EXPECT_EQ(bad_watch.exit_code, 1);
  EXPECT_THAT(bad_watch.err, HasSubstr("INVALID_ARGUMENT"));
  EXPECT_THAT(bad_watch.err, HasSubstr("change_token"));

  // Watching from the end of the listing (so nothing is missed while the
  // stream opens): every change, and with --type only goals.
  std::unique_ptr<testing::ChildProcess> watch =
      StartCtlAs(admin, {"changes", "watch", "--since", end});
  ASSERT_NE(watch, nullptr);
  std::unique_ptr<testing::ChildProcess> watch_goals =
      StartCtlAs(admin, {"changes", "watch", "--since", end, "--type", "Goal"});
  ASSERT_NE(watch_goals, nullptr);
  ASSERT_TRUE(UpdatePreferredName(admin, "profiles/cli", "Watched").ok());
  absl::StatusOr<v1::Goal> third = CreateGoal(admin, "profiles/cli", "Three");
  ASSERT_TRUE(third.ok()) << third.status();

  ASSERT_TRUE(PollUntil([&] { return Lines(watch->Stdout()).size() >= 2; },
                        absl::Seconds(20)))
      << watch->Stdout() << watch->Stderr();
  ASSERT_TRUE(
      PollUntil([&] { return Lines(watch_goals->Stdout()).size() >= 1; },
                absl::Seconds(20)))
      << watch_goals->Stdout() << watch_goals->Stderr();
  lines = Lines(watch->Stdout());
  ASSERT_EQ(lines.size(), 2u) << watch->Stdout();
  v1::Change renamed, created;
  ParseJson(lines[0], &renamed);
  ParseJson(lines[1], &created);
  EXPECT_EQ(Describe(renamed), "UPDATED profiles/cli");
  EXPECT_EQ(Describe(created), "CREATED " + third->name());
  EXPECT_EQ(created.sequence(), renamed.sequence() + 1);
  EXPECT_THAT(created.change_token(), StartsWith("ct1_"));
  EXPECT_THAT(lines[0], HasSubstr("\"resourceType\":\"careers.uk/Profile\""));
  lines = Lines(watch_goals->Stdout());
  ASSERT_EQ(lines.size(), 1u) << watch_goals->Stdout();
  v1::Change goal_only;
  ParseJson(lines[0], &goal_only);
  EXPECT_EQ(Describe(goal_only), "CREATED " + third->name());

  // Interrupted, it just stops.
  watch_goals->Signal(SIGINT);
  EXPECT_EQ(watch_goals->Wait(absl::Seconds(10)), 128 + SIGINT);
  // The server going away ends the stream: the error, the token to resume
  // from, exit 1.
  EXPECT_EQ(server().Stop(), 0);
  EXPECT_EQ(watch->Wait(absl::Seconds(10)), 1);
  EXPECT_THAT(watch->Stderr(), HasSubstr("error: UNAVAILABLE"));
  EXPECT_THAT(watch->Stderr(),
              HasSubstr("resume with: --since " + created.change_token()));
}

}  // namespace
}  // namespace careers::e2e
