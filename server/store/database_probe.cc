#include "server/store/database_probe.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "server/common/logging.h"
#include "server/store/sql_error.h"

namespace careers::store {

struct DatabaseProbe::State {
  State(DbTarget target_in, ServerFlavor flavor_in, Listener listener_in,
        DatabaseProbeOptions options_in)
      : target(std::move(target_in)),
        flavor(flavor_in),
        listener(std::move(listener_in)),
        options(options_in) {}

  // Blocking. Only the thread that probes (Start's caller, then the probing
  // thread) calls it.
  bool ProbeOnce();
  // Gives the verdict to the listener if it changed (or is the first), and
  // logs the change; nothing once stopping.
  void Publish(bool serving) ABSL_LOCKS_EXCLUDED(mu);
  // The probing thread's loop.
  static void Run(const std::shared_ptr<State>& state);

  const DbTarget target;
  const ServerFlavor flavor;
  const Listener listener;
  const DatabaseProbeOptions options;

  // Confined to the thread that probes.
  std::unique_ptr<Connection> connection;
  absl::Status last_error;

  // The listener is called with `mu` held, so Stop() (which takes it to set
  // `stopping`) returns only after a call in progress has ended.
  mutable absl::Mutex mu;
  bool stopping ABSL_GUARDED_BY(mu) = false;
  bool finished ABSL_GUARDED_BY(mu) = false;  // the thread's loop has ended
  std::optional<bool> serving ABSL_GUARDED_BY(mu);
  int64_t probes ABSL_GUARDED_BY(mu) = 0;
};

bool DatabaseProbe::State::ProbeOnce() {
  if (connection == nullptr) {
    absl::StatusOr<std::unique_ptr<Connection>> opened =
        OpenConnection(target, options.timeout, options.timeout, flavor,
                       /*log_failure=*/false);
    if (!opened.ok()) {
      last_error = opened.status();
      return false;
    }
    connection = *std::move(opened);
  }
  try {
    std::unique_ptr<sql::ResultSet> rs = connection->Query("SELECT 1");
    if (rs->next() && rs->getInt(1) == 1) return true;
    last_error = absl::UnavailableError("the database gave no answer");
  } catch (const sql::SQLException& e) {
    last_error = FromSqlException(e);
  }
  // Whatever went wrong, the next probe starts on a new connection.
  connection.reset();
  return false;
}

void DatabaseProbe::State::Publish(bool now_serving) {
  absl::MutexLock lock(&mu);
  if (stopping || serving == now_serving) return;
  if (serving.has_value() || !now_serving) {
    if (now_serving) {
      spdlog::info("health: the database answers: SERVING");
    } else {
      spdlog::error("health: the database does not answer ({}): NOT_SERVING",
                    last_error.ToString());
    }
  }
  serving = now_serving;
  listener(now_serving);
}

void DatabaseProbe::State::Run(const std::shared_ptr<State>& state) {
  while (true) {
    {
      absl::MutexLock lock(&state->mu);
      if (state->mu.AwaitWithTimeout(absl::Condition(&state->stopping),
                                     state->options.interval)) {
        break;
      }
      ++state->probes;
    }
    const bool ok = state->ProbeOnce();
    state->Publish(ok);
  }
  state->connection.reset();
  absl::MutexLock lock(&state->mu);
  state->finished = true;
}

DatabaseProbe::DatabaseProbe(DbTarget target, ServerFlavor flavor,
                             Listener listener, DatabaseProbeOptions options)
    : state_(std::make_shared<State>(std::move(target), flavor,
                                     std::move(listener), options)) {}

DatabaseProbe::DatabaseProbe(const Database& db, Listener listener,
                             DatabaseProbeOptions options)
    : DatabaseProbe(db.target(), db.flavor(), std::move(listener), options) {}

DatabaseProbe::~DatabaseProbe() { Stop(); }

void DatabaseProbe::Start() {
  if (thread_.joinable()) return;
  {
    absl::MutexLock lock(&state_->mu);
    if (state_->stopping) return;
    ++state_->probes;
  }
  state_->Publish(state_->ProbeOnce());
  // The thread holds the state, so it may outlive this object (see Stop).
  thread_ = std::thread([state = state_] { State::Run(state); });
}

void DatabaseProbe::Stop() {
  if (!thread_.joinable()) {
    absl::MutexLock lock(&state_->mu);
    state_->stopping = true;
    return;
  }
  bool finished;
  {
    absl::MutexLock lock(&state_->mu);
    state_->stopping = true;
    finished = state_->mu.AwaitWithTimeout(absl::Condition(&state_->finished),
                                           state_->options.stop_wait);
  }
  if (finished) {
    thread_.join();
  } else {
    // Blocked on a database that does not answer: it ends by itself when
    // its socket times out, touching only the state it shares.
    thread_.detach();
  }
}

int64_t DatabaseProbe::probes() const {
  absl::MutexLock lock(&state_->mu);
  return state_->probes;
}

bool DatabaseProbe::serving() const {
  absl::MutexLock lock(&state_->mu);
  return state_->serving.value_or(false);
}

}  // namespace careers::store
