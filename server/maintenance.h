#ifndef CAREERS_SERVER_MAINTENANCE_H_
#define CAREERS_SERVER_MAINTENANCE_H_

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/time.h"

namespace careers {

// Runs periodic background tasks (the health probe, purging expired request
// ids) on one thread until stopped. Tasks run one at a time; a slow task
// delays the others but never overlaps itself. Thread-safe.
class MaintenanceLoop {
 public:
  MaintenanceLoop() = default;
  MaintenanceLoop(const MaintenanceLoop&) = delete;
  MaintenanceLoop& operator=(const MaintenanceLoop&) = delete;
  ~MaintenanceLoop() { Stop(); }

  // Before Start: run `task` every `interval`, first right away.
  void Add(std::string name, absl::Duration interval,
           std::function<void()> task);
  void Start();
  // Waits for a running task to finish; no task starts after.
  void Stop() { Stop(absl::InfiniteDuration()); }
  // The same, waiting at most `bound` (a task blocked on a frozen database
  // does not hold up an exit): false, and the thread is left to itself, if
  // the task was still running then — the process must then exit before
  // this object goes away.
  bool Stop(absl::Duration bound);

 private:
  struct Task {
    std::string name;
    absl::Duration interval;
    std::function<void()> run;
    absl::Time next;
  };
  void Loop();

  std::vector<Task> tasks_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mu_
  bool stopped_ = false;   // guarded by mu_: the loop has returned
  std::condition_variable stopped_cv_;
  std::thread thread_;
};

}  // namespace careers

#endif  // CAREERS_SERVER_MAINTENANCE_H_
