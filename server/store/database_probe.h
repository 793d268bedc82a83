#ifndef CAREERS_SERVER_STORE_DATABASE_PROBE_H_
#define CAREERS_SERVER_STORE_DATABASE_PROBE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <thread>

#include "absl/time/time.h"
#include "server/store/connection.h"
#include "server/store/database.h"
#include "server/store/db_url.h"

namespace careers::store {

struct DatabaseProbeOptions {
  // Pause between the end of one probe and the start of the next.
  absl::Duration interval = absl::Milliseconds(250);
  // Connect timeout, and the socket read/write timeout of the probe's
  // connection (whole seconds, at least 1 s): how long one probe may wait
  // for a database that does not answer.
  absl::Duration timeout = absl::Seconds(1);
  // How long Stop() waits for a probe in progress before leaving the
  // thread to end by itself.
  absl::Duration stop_wait = absl::Milliseconds(100);
};

// Whether the database answers, for the health service: `SELECT 1` every
// `interval` on a connection of its own (reopened after any failure), on a
// thread of its own, so neither a busy pool nor other background work can
// delay it. With the default options the verdict changes to "not serving"
// within interval + timeout (about 1.25 s) of the database stalling, and to
// "serving" within about interval + one round trip of it answering again.
//
// `listener(serving)` is called once by Start() and then on every change,
// on the probe's thread, one call at a time; never after Stop() returns. It
// must be quick and must not call into the probe.
//
// Stop() is bounded even while a probe is blocked on a frozen database: it
// waits up to stop_wait for the thread, then detaches it. That is safe
// because the thread owns everything it touches (its connection, the
// options, the listener and the state, shared with this object through a
// shared_ptr), never calls the listener or logs once stopped, and ends by
// itself when its blocked read or connect times out (a connect and the new
// connection's session statements each wait at most `timeout`, so within a
// few seconds). Thread-safe.
class DatabaseProbe {
 public:
  using Listener = std::function<void(bool serving)>;

  DatabaseProbe(DbTarget target, ServerFlavor flavor, Listener listener,
                DatabaseProbeOptions options = {});
  // Probes the server `db` is on.
  DatabaseProbe(const Database& db, Listener listener,
                DatabaseProbeOptions options = {});
  ~DatabaseProbe();  // Stop()
  DatabaseProbe(const DatabaseProbe&) = delete;
  DatabaseProbe& operator=(const DatabaseProbe&) = delete;

  // Probes once on the caller's thread (so the verdict is known, and given
  // to the listener, before this returns; when the database does not answer
  // that takes `timeout`, or a few times it if it stalls mid-connect), then
  // starts the probing thread. Once.
  void Start();
  // Ends probing; see above. Idempotent; the destructor calls it.
  void Stop();

  // The last verdict (false before Start).
  bool serving() const;
  // Probes begun so far, including one in progress.
  int64_t probes() const;

 private:
  struct State;
  const std::shared_ptr<State> state_;
  std::thread thread_;
};

}  // namespace careers::store

#endif  // CAREERS_SERVER_STORE_DATABASE_PROBE_H_
