#ifndef CAREERS_SERVER_DOMAIN_CHANGE_FEED_H_
#define CAREERS_SERVER_DOMAIN_CHANGE_FEED_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "careers/v1/change_service.pb.h"
#include "server/domain/change_repository.h"
#include "server/domain/changes.h"
#include "server/domain/request_context.h"

namespace careers::domain {

// The most changes one ListChanges call looks at (seen or not) before it
// answers with `more`, so a caller who may see few changes still gets an
// answer in bounded time.
inline constexpr int kMaxChangesExamined = 5000;

// What a caller is shown of a recorded change: nullopt if they may not see
// it (MaySee) or did not ask for its type; otherwise the change with its
// resume token.
std::optional<v1::Change> ShownTo(const auth::Principal& caller,
                                  const std::vector<std::string>& types,
                                  const RecordedChange& change);

// ChangeService/ListChanges: the offline sync of the mobile app. Stateless;
// the repository must outlive it. Thread-safe.
class ChangeFeed {
 public:
  explicit ChangeFeed(ChangeRepository& repository) : repository_(repository) {}

  absl::StatusOr<v1::ListChangesResponse> ListChanges(
      const RequestContext& ctx, const v1::ListChangesRequest& request);

 private:
  ChangeRepository& repository_;
};

}  // namespace careers::domain

#endif  // CAREERS_SERVER_DOMAIN_CHANGE_FEED_H_
