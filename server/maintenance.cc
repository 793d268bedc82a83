#include "server/maintenance.h"

#include "absl/time/clock.h"

namespace careers {

void MaintenanceLoop::Add(std::string name, absl::Duration interval,
                          std::function<void()> task) {
  tasks_.push_back(
      Task{std::move(name), interval, std::move(task), absl::Now()});
}

void MaintenanceLoop::Start() {
  thread_ = std::thread([this] {
    Loop();
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopped_ = true;
    }
    stopped_cv_.notify_all();
  });
}

bool MaintenanceLoop::Stop(absl::Duration bound) {
  std::unique_lock<std::mutex> lock(mu_);
  stopping_ = true;
  wake_.notify_all();
  if (!thread_.joinable()) return true;
  const bool stopped =
      bound == absl::InfiniteDuration()
          ? (stopped_cv_.wait(lock, [this] { return stopped_; }), true)
          : stopped_cv_.wait_for(lock, absl::ToChronoNanoseconds(bound),
                                 [this] { return stopped_; });
  lock.unlock();
  if (stopped) {
    thread_.join();
  } else {
    thread_.detach();
  }
  return stopped;
}

void MaintenanceLoop::Loop() {
  while (true) {
    absl::Time next = absl::InfiniteFuture();
    for (Task& task : tasks_) {
      if (absl::Now() >= task.next) {
        {
          std::lock_guard<std::mutex> lock(mu_);
          if (stopping_) return;
        }
        task.run();
        task.next = absl::Now() + task.interval;
      }
      next = std::min(next, task.next);
    }
    std::unique_lock<std::mutex> lock(mu_);
    if (next == absl::InfiniteFuture()) {
      wake_.wait(lock, [this] { return stopping_; });
    } else {
      wake_.wait_until(lock, absl::ToChronoTime(next),
                       [this] { return stopping_; });
    }
    if (stopping_) return;
  }
}

}  // namespace careers
