#ifndef CAREERS_SERVER_STORE_CONNECTION_POOL_H_
#define CAREERS_SERVER_STORE_CONNECTION_POOL_H_

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/store/connection.h"

namespace careers::store {

class ConnectionPool;

// A connection on loan from the pool; returned when this goes away (or
// dropped, if it was marked broken). Movable, not copyable.
class PooledConnection {
 public:
  PooledConnection() = default;
  PooledConnection(ConnectionPool* pool, std::unique_ptr<Connection> c)
      : pool_(pool), connection_(std::move(c)) {}
  PooledConnection(PooledConnection&&) = default;
  PooledConnection& operator=(PooledConnection&& other);
  ~PooledConnection();

  Connection& operator*() { return *connection_; }
  Connection* operator->() { return connection_.get(); }

 private:
  void Release();
  ConnectionPool* pool_ = nullptr;
  std::unique_ptr<Connection> connection_;
};

// A bounded pool of database connections. Connections are opened lazily up
// to `max_size`; an idle one is checked with a ping before reuse if it has
// been idle longer than `validate_after`, and replaced if dead; broken ones
// are dropped on return. When all are in use, Acquire waits up to the
// caller's deadline and then fails with DEADLINE_EXCEEDED. Thread-safe.
class ConnectionPool {
 public:
  // Opens one connection for a caller whose deadline is `deadline` (so it
  // can give up in time), or fails with UNAVAILABLE. Must be thread-safe.
  using Factory = std::function<absl::StatusOr<std::unique_ptr<Connection>>(
      absl::Time deadline)>;

  ConnectionPool(Factory factory, int max_size, absl::Duration validate_after);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // A connection for a caller with `deadline`; a new one is opened with
  // that deadline (Factory). The connection comes with no deadline of its
  // own set (Connection::set_deadline).
  absl::StatusOr<PooledConnection> Acquire(absl::Time deadline);

  // Stops lending: waiting and future callers get UNAVAILABLE. Connections
  // on loan are dropped when they come back.
  void Close();

  // CONNECTION_ID()s of the connections on loan now.
  std::vector<int64_t> LeasedServerIds() const;

  struct Stats {
    int open = 0;  // connections open now (idle + in use)
    int idle = 0;
    int waiting = 0;  // callers waiting for a connection
  };
  Stats stats() const;
  int max_size() const { return max_size_; }

 private:
  friend class PooledConnection;
  void Return(std::unique_ptr<Connection> c);

  const Factory factory_;
  const int max_size_;
  const absl::Duration validate_after_;

  mutable std::mutex mu_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mu_
  std::set<const Connection*> leased_;             // guarded by mu_
  bool closed_ = false;                            // guarded by mu_
  int open_ = 0;                                   // guarded by mu_
  int waiting_ = 0;                                // guarded by mu_
};

}  // namespace careers::store

#endif  // CAREERS_SERVER_STORE_CONNECTION_POOL_H_
