#ifndef CAREERS_SERVER_DOMAIN_CHANGE_REPOSITORY_H_
#define CAREERS_SERVER_DOMAIN_CHANGE_REPOSITORY_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/domain/changes.h"

namespace careers::domain {

// Changes read from the feed, with the feed's bounds read after them: if
// `bounds.pruned_through` is at or below the position they were read
// after, none of the changes that followed it had been pruned.
struct ChangeBatch {
  std::vector<RecordedChange> changes;
  FeedBounds bounds;
};

// Reads the change feed. Writes go through the store's unit of work, which
// appends the records. Thread-safe.
class ChangeRepository {
 public:
  virtual ~ChangeRepository() = default;
  // Up to `limit` changes with a sequence above `after`, in order.
  virtual absl::StatusOr<ChangeBatch> ReadAfter(absl::Time deadline,
                                                int64_t after, int limit) = 0;
  virtual absl::StatusOr<FeedBounds> Bounds(absl::Time deadline) = 0;
};

}  // namespace careers::domain

#endif  // CAREERS_SERVER_DOMAIN_CHANGE_REPOSITORY_H_
