#include "server/store/access_log.h"

#include <algorithm>
#include <deque>
#include <iterator>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "server/common/ids.h"
#include "server/common/logging.h"

namespace careers::store {
namespace {

constexpr char kColumns[] =
    "(profile_id, id, time, actor_subject, actor_role, actor_organisation_id, "
    "action, method, resource, request_id, reason)";
constexpr int kChunk = 32;  // rows per multi-row INSERT

std::string OrganisationIdOf(const auth::Principal& p) {
  if (!p.IsStaff()) return "";
  return p.organisation.substr(p.organisation.find('/') + 1);
}

}  // namespace

void WriteAccessEvent(Connection& c, const RequestContext& ctx,
                      absl::string_view resource) {
  WriteAccessEvent(c, ctx, names::ProfileIdOf(resource), resource);
}

void WriteAccessEvent(Connection& c, const RequestContext& ctx,
                      absl::string_view profile_id,
                      absl::string_view resource) {
  if (!ctx.record_access || profile_id.empty()) return;  // not a person's data
  const absl::Time now = absl::Now();
  c.Prepare(absl::StrCat("INSERT INTO access_events ", kColumns,
                         " VALUES (?, ?, ?, ?, ?, ?, 'WRITE', ?, ?, ?, ?)"))
      .Bind(profile_id)
      .Bind(NewResourceId(now))
      .Bind(now)
      .Bind(ctx.principal.subject)
      .Bind(auth::RoleName(ctx.principal.role))
      .BindOrNull(OrganisationIdOf(ctx.principal))
      .Bind(ctx.method)
      .Bind(resource)
      .Bind(ctx.request_id)
      .BindOrNull(ctx.access_reason)
      .Execute();
}

struct BatchedAccessLog::State {
  struct Event {
    std::string profile_id;
    std::string id;
    absl::Time time;
    std::string actor_subject;
    std::string actor_role;
    std::string actor_organisation_id;
    std::string method;
    std::string resource;
    std::string request_id;
    std::string reason;  // the caller's access-reason; "" for none (NULL)
  };

  State(std::unique_ptr<Database> db_in, absl::Duration interval_in,
        size_t batch_size_in, size_t max_queued_in)
      : db(std::move(db_in)),
        interval(interval_in),
        batch_size(batch_size_in),
        max_queued(max_queued_in) {}

  // Writes what is queued, batch by batch, each with 10 s and none after
  // `deadline`. Stops at the first failure, the batch back in the queue.
  absl::Status FlushBy(absl::Time deadline) ABSL_LOCKS_EXCLUDED(write_mu, mu);
  absl::Status Write(const std::deque<Event>& events, absl::Time deadline);
  // The writing thread's loop.
  static void Run(const std::shared_ptr<State>& state);

  bool Wake() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    return stopping || queue.size() >= batch_size;
  }

  const std::unique_ptr<Database> db;  // the log's own, one connection
  const absl::Duration interval;
  const size_t batch_size;
  const size_t max_queued;

  absl::Mutex write_mu ABSL_ACQUIRED_BEFORE(mu);  // one writer at a time

  mutable absl::Mutex mu;
  std::deque<Event> queue ABSL_GUARDED_BY(mu);
  size_t in_flight ABSL_GUARDED_BY(mu) = 0;  // out of the queue, being written
  uint64_t dropped ABSL_GUARDED_BY(mu) = 0;
  bool stopping ABSL_GUARDED_BY(mu) = false;
  // The final flush must be done by then.
  absl::Time stop_deadline ABSL_GUARDED_BY(mu) = absl::InfiniteFuture();
  bool finished ABSL_GUARDED_BY(mu) = false;  // the thread is done
  absl::Status final_status ABSL_GUARDED_BY(mu);
  // Stop() stopped waiting for the thread: it logs nothing more.
  bool abandoned ABSL_GUARDED_BY(mu) = false;
};

BatchedAccessLog::BatchedAccessLog(Database& db, absl::Duration interval,
                                   size_t batch_size, size_t max_queued)
    : state_(std::make_shared<State>(db.OpenSibling(/*pool_size=*/1), interval,
                                     batch_size, max_queued)) {}

BatchedAccessLog::~BatchedAccessLog() { Stop(); }

void BatchedAccessLog::Start() {
  if (thread_.joinable() || stopped_) return;
  // The thread holds the state, so it may outlive this object (Stop).
  thread_ = std::thread([state = state_] { State::Run(state); });
}

size_t BatchedAccessLog::Stop(absl::Duration bound) {
  if (stopped_) return 0;
  stopped_ = true;
  {
    absl::MutexLock lock(&state_->mu);
    state_->stopping = true;
    state_->stop_deadline = bound == absl::InfiniteDuration()
                                ? absl::InfiniteFuture()
                                : absl::Now() + bound;
    if (!thread_.joinable() && state_->queue.empty()) return 0;
  }
  // Never started, with events queued: a thread for the final flush alone,
  // so that it too is bounded.
  if (!thread_.joinable()) {
    thread_ = std::thread([state = state_] { State::Run(state); });
  }
  bool finished;
  size_t unwritten;
  absl::Status status;
  {
    absl::MutexLock lock(&state_->mu);
    const absl::Condition done(&state_->finished);
    if (bound == absl::InfiniteDuration()) {
      state_->mu.Await(done);
      finished = true;
    } else {
      finished = state_->mu.AwaitWithTimeout(done, bound);
    }
    unwritten = state_->queue.size() + state_->in_flight;
    status = state_->final_status;
    if (!finished) state_->abandoned = true;
  }
  if (finished) {
    thread_.join();
  } else {
    // Blocked on a database that does not answer: it ends when its socket
    // times out, touching only the state it keeps alive.
    thread_.detach();
  }
  if (unwritten > 0) {
    spdlog::error(
        "access log: {} read event(s) could not be written at shutdown: {}",
        unwritten,
        finished ? status.ToString()
                 : absl::StrCat("the database did not answer within ",
                                absl::FormatDuration(bound)));
  }
  return unwritten;
}

void BatchedAccessLog::RecordRead(const RequestContext& ctx,
                                  absl::string_view profile_id,
                                  absl::string_view resource) {
  if (!ctx.record_access || profile_id.empty()) return;
  const absl::Time now = absl::Now();
  State::Event e{std::string(profile_id),
                 NewResourceId(now),
                 now,
                 ctx.principal.subject,
                 std::string(auth::RoleName(ctx.principal.role)),
                 OrganisationIdOf(ctx.principal),
                 ctx.method,
                 std::string(resource),
                 ctx.request_id,
                 ctx.access_reason};
  absl::MutexLock lock(&state_->mu);
  if (state_->queue.size() >= state_->max_queued) {
    state_->queue.pop_front();
    if (state_->dropped++ % 1000 == 0) {
      spdlog::error("access log: queue full, dropping the oldest read events");
    }
  }
  // A full batch wakes the writer (its Await re-checks Wake on unlock).
  state_->queue.push_back(std::move(e));
}

uint64_t BatchedAccessLog::dropped() const {
  absl::MutexLock lock(&state_->mu);
  return state_->dropped;
}

absl::Status BatchedAccessLog::Flush() {
  return state_->FlushBy(absl::InfiniteFuture());
}

void BatchedAccessLog::State::Run(const std::shared_ptr<State>& state) {
  while (true) {
    {
      absl::MutexLock lock(&state->mu);
      state->mu.AwaitWithTimeout(absl::Condition(state.get(), &State::Wake),
                                 state->interval);
      if (state->stopping) break;
    }
    if (absl::Status s = state->FlushBy(absl::InfiniteFuture()); !s.ok()) {
      absl::MutexLock lock(&state->mu);
      if (!state->abandoned) {
        spdlog::warn("access log: writing read events failed, will retry: {}",
                     s.ToString());
      }
    }
  }
  // The final flush, by the deadline Stop() set.
  absl::Time deadline;
  {
    absl::MutexLock lock(&state->mu);
    deadline = state->stop_deadline;
  }
  absl::Status status = state->FlushBy(deadline);
  absl::MutexLock lock(&state->mu);
  state->final_status = std::move(status);
  state->finished = true;
}

absl::Status BatchedAccessLog::State::FlushBy(absl::Time deadline) {
  absl::MutexLock writer(&write_mu);
  while (true) {
    std::deque<Event> batch;
    {
      absl::MutexLock lock(&mu);
      if (queue.empty()) return absl::OkStatus();
      const size_t n = std::min(queue.size(), batch_size);
      batch.assign(
          std::make_move_iterator(queue.begin()),
          std::make_move_iterator(queue.begin() + static_cast<long>(n)));
      queue.erase(queue.begin(), queue.begin() + static_cast<long>(n));
      in_flight = n;
    }
    absl::Status status =
        Write(batch, std::min(deadline, absl::Now() + absl::Seconds(10)));
    absl::MutexLock lock(&mu);
    in_flight = 0;
    if (!status.ok()) {
      // Put them back in front, in order, to try again later.
      queue.insert(queue.begin(), std::make_move_iterator(batch.begin()),
                   std::make_move_iterator(batch.end()));
      return status;
    }
  }
}

absl::Status BatchedAccessLog::State::Write(const std::deque<Event>& events,
                                            absl::Time deadline) {
  auto bind = [](Statement& s, const Event& e) {
    s.Bind(e.profile_id)
        .Bind(e.id)
        .Bind(e.time)
        .Bind(e.actor_subject)
        .Bind(e.actor_role)
        .BindOrNull(e.actor_organisation_id)
        .Bind(e.method)
        .Bind(e.resource)
        .Bind(e.request_id)
        .BindOrNull(e.reason);
  };
  return db->Transact("WriteAccessEvents", deadline, [&](Connection& c) {
    std::string many =
        absl::StrCat("INSERT INTO access_events ", kColumns, " VALUES ");
    for (int i = 0; i < kChunk; ++i) {
      absl::StrAppend(&many, i ? ", " : "",
                      "(?, ?, ?, ?, ?, ?, 'READ', ?, ?, ?, ?)");
    }
    const std::string one =
        absl::StrCat("INSERT INTO access_events ", kColumns,
                     " VALUES (?, ?, ?, ?, ?, ?, 'READ', ?, ?, ?, ?)");
    size_t i = 0;
    for (; i + kChunk <= events.size(); i += kChunk) {
      Statement s = c.Prepare(many);
      for (int k = 0; k < kChunk; ++k) bind(s, events[i + k]);
      s.Execute();
    }
    for (; i < events.size(); ++i) {
      Statement s = c.Prepare(one);
      bind(s, events[i]);
      s.Execute();
    }
    return absl::OkStatus();
  });
}

}  // namespace careers::store
