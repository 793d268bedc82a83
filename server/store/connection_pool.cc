#include "server/store/connection_pool.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace careers::store {

PooledConnection& PooledConnection::operator=(PooledConnection&& other) {
  if (this != &other) {
    Release();
    pool_ = other.pool_;
    connection_ = std::move(other.connection_);
    other.pool_ = nullptr;
  }
  return *this;
}

PooledConnection::~PooledConnection() { Release(); }

void PooledConnection::Release() {
  if (pool_ != nullptr && connection_ != nullptr) {
    pool_->Return(std::move(connection_));
  }
  pool_ = nullptr;
}

ConnectionPool::ConnectionPool(Factory factory, int max_size,
                               absl::Duration validate_after)
    : factory_(std::move(factory)),
      max_size_(max_size),
      validate_after_(validate_after) {}

absl::StatusOr<PooledConnection> ConnectionPool::Acquire(absl::Time deadline) {
  while (true) {
    std::unique_ptr<Connection> candidate;
    bool open_new = false;
    {
      std::unique_lock<std::mutex> lock(mu_);
      ++waiting_;
      const auto chrono_deadline = absl::ToChronoTime(deadline);
      while (!closed_ && idle_.empty() && open_ >= max_size_) {
        if (deadline == absl::InfiniteFuture()) {
          available_.wait(lock);
        } else if (available_.wait_until(lock, chrono_deadline) ==
                       std::cv_status::timeout &&
                   idle_.empty() && open_ >= max_size_) {
          --waiting_;
          // The database is there but busy: the call ran out of time, and
          // a retry with the same deadline would fare no better.
          return absl::DeadlineExceededError(
              absl::StrCat("the deadline passed while waiting for one of the ",
                           max_size_, " database connections (all were busy)"));
        }
      }
      --waiting_;
      if (closed_) {
        return absl::UnavailableError("the server is shutting down");
      }
      if (!idle_.empty()) {
        candidate = std::move(idle_.back());
        idle_.pop_back();
      } else {
        ++open_;  // reserve the slot; the connect happens unlocked
        open_new = true;
      }
    }

    if (open_new) {
      absl::StatusOr<std::unique_ptr<Connection>> opened = factory_(deadline);
      if (!opened.ok()) {
        std::lock_guard<std::mutex> lock(mu_);
        --open_;
        available_.notify_one();
        return opened.status();
      }
      candidate = *std::move(opened);
    } else if (absl::Now() - candidate->last_used() > validate_after_ &&
               !candidate->Ping()) {
      // Dead while idle (server restart, wait_timeout): drop it, try again.
      candidate.reset();
      std::lock_guard<std::mutex> lock(mu_);
      --open_;
      continue;
    }
    candidate->ResetStatementsSent();
    candidate->set_deadline(absl::InfiniteFuture());
    {
      std::lock_guard<std::mutex> lock(mu_);
      leased_.insert(candidate.get());
    }
    return PooledConnection(this, std::move(candidate));
  }
}

void ConnectionPool::Return(std::unique_ptr<Connection> c) {
  c->set_last_used(absl::Now());
  bool keep;
  {
    std::lock_guard<std::mutex> lock(mu_);
    leased_.erase(c.get());
    keep = !c->broken() && !closed_;
    if (keep) {
      idle_.push_back(std::move(c));
    } else {
      --open_;
    }
  }
  if (!keep) c.reset();  // close outside the lock
  available_.notify_one();
}

void ConnectionPool::Close() {
  std::vector<std::unique_ptr<Connection>> idle;
  {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    idle.swap(idle_);
    open_ -= static_cast<int>(idle.size());
  }
  available_.notify_all();
}

std::vector<int64_t> ConnectionPool::LeasedServerIds() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<int64_t> ids;
  for (const Connection* c : leased_) ids.push_back(c->server_id());
  return ids;
}

ConnectionPool::Stats ConnectionPool::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return Stats{open_, static_cast<int>(idle_.size()), waiting_};
}

}  // namespace careers::store
