#ifndef CAREERS_SERVER_STORE_CHANGE_STORE_H_
#define CAREERS_SERVER_STORE_CHANGE_STORE_H_

#include <cstdint>
#include <functional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include <functional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/domain/change_repository.h"
#include "server/store/database.h"

namespace careers::store {

// The change feed on MariaDB: reads the `changes` table (written by the
// unit of work, store/unit_of_work.h) and prunes it by age. Thread-safe;
// the database must outlive it.
class ChangeStore final : public domain::ChangeRepository {
 public:
  explicit ChangeStore(Database& db) : db_(db) {}

  absl::StatusOr<domain::ChangeBatch> ReadAfter(absl::Time deadline,
                                                int64_t after,
                                                int limit) override;
  absl::StatusOr<domain::FeedBounds> Bounds(absl::Time deadline) override;

  // Deletes up to `limit` of the oldest changes committed before `cutoff`
  // (looking at the `limit` oldest by sequence only: no index on the time,
  // which every write would pay for);
  // returns how many went. Raises pruned_through first, in a transaction of
  // its own, so a reader never misses a change without being told to
  // resync; the delete itself holds no lock writers need.
  absl::StatusOr<int> Prune(absl::Time cutoff, int limit, absl::Time deadline);

  // Numbers up to `limit` committed change records that have no sequence
  // yet, oldest first, after the newest sequence given; returns how many.
  // One transaction holding the change_sequence row, so sequencers on
  // several servers take turns and each number is given once.
  absl::StatusOr<int> Sequence(int limit, absl::Time deadline);

 private:
  Database& db_;
};

// Numbers the change records writes commit (ChangeStore::Sequence) on a
// thread of its own: `gather` after Notify says a write here committed
// some (so one batch numbers the writes of those milliseconds together),
// and every `interval` for anything left (another server's writes, should
// its sequencer be gone). After each batch it calls `sequenced`, so the
// change streams look. Writers never wait for it. Thread-safe; the store
// must outlive it.
class ChangeSequencer {
 public:
  ChangeSequencer(ChangeStore& store, std::function<void()> sequenced,
                  absl::Duration interval = absl::Milliseconds(100),
                  absl::Duration gather = absl::Milliseconds(10),
                  int batch = 1000);
  ~ChangeSequencer();  // Stop()
  ChangeSequencer(const ChangeSequencer&) = delete;
  ChangeSequencer& operator=(const ChangeSequencer&) = delete;

  void Start();
  void Notify();
  // Stops the thread; false if it is still blocked after `bound` (a
  // frozen database), and then the object must outlive the process.
  bool Stop(absl::Duration bound = absl::InfiniteDuration());

 private:
  void Loop();

  ChangeStore& store_;
  const std::function<void()> sequenced_;
  const absl::Duration interval_;
  const absl::Duration gather_;
  const int batch_;
  absl::Mutex mu_;
  absl::CondVar cv_;
  bool wake_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace careers::store

#endif  // CAREERS_SERVER_STORE_CHANGE_STORE_H_
