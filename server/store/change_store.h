#ifndef CAREERS_SERVER_STORE_CHANGE_STORE_H_
#define CAREERS_SERVER_STORE_CHANGE_STORE_H_

#include <cstdint>

#include "absl/status/statusor.h"
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

  // Deletes up to `limit` of the oldest changes committed before `cutoff`;
  // returns how many went. Raises pruned_through first, in a transaction of
  // its own, so a reader never misses a change without being told to
  // resync; the delete itself holds no lock writers need.
  absl::StatusOr<int> Prune(absl::Time cutoff, int limit, absl::Time deadline);

 private:
  Database& db_;
};

}  // namespace careers::store

#endif  // CAREERS_SERVER_STORE_CHANGE_STORE_H_
