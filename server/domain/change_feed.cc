#include "server/domain/change_feed.h"

#include <algorithm>
#include <utility>

#include "server/domain/paging.h"

namespace careers::domain {

std::optional<v1::Change> ShownTo(const auth::Principal& caller,
                                  const std::vector<std::string>& types,
                                  const RecordedChange& change) {
  if (!TypeWanted(types, change.change.resource_type()) ||
      !MaySee(caller, change)) {
    return std::nullopt;
  }
  v1::Change shown = change.change;
  shown.set_change_token(EncodeChangeToken(shown.sequence()));
  return shown;
}

absl::StatusOr<v1::ListChangesResponse> ChangeFeed::ListChanges(
    const RequestContext& ctx, const v1::ListChangesRequest& request) {
  absl::StatusOr<int> page_size =
      ResolvePageSize(request.page_size(), 100, 1000);
  if (!page_size.ok()) return page_size.status();
  absl::StatusOr<std::vector<std::string>> types =
      ParseResourceTypes("resource_types", request.resource_types());
  if (!types.ok()) return types.status();
  v1::ListChangesResponse response;
  if (request.sync_token().empty()) {
    absl::StatusOr<FeedBounds> bounds = repository_.Bounds(ctx.deadline);
    if (!bounds.ok()) return bounds.status();
    response.set_next_sync_token(EncodeChangeToken(bounds->last_sequence));
    return response;
  }
  absl::StatusOr<int64_t> after =
      DecodeChangeToken("sync_token", request.sync_token());
  if (!after.ok()) return after.status();
  int64_t cursor = *after;
  int examined = 0;
  const int batch_size = std::min(kMaxChangesExamined, *page_size * 4);
  for (;;) {
    absl::StatusOr<ChangeBatch> batch =
        repository_.ReadAfter(ctx.deadline, cursor, batch_size);
    if (!batch.ok()) return batch.status();
    // Checked on every batch: the pruner may have moved on meanwhile.
    if (absl::Status s = CheckResumable("sync_token", cursor, batch->bounds);
        !s.ok()) {
      return s;
    }
    for (const RecordedChange& change : batch->changes) {
      cursor = change.change.sequence();
      ++examined;
      if (std::optional<v1::Change> shown =
              ShownTo(ctx.principal, *types, change)) {
        *response.add_changes() = *std::move(shown);
        if (response.changes_size() >= *page_size) break;
      }
    }
    const bool at_end = static_cast<int>(batch->changes.size()) < batch_size ||
                        cursor >= batch->bounds.last_sequence;
    if (response.changes_size() >= *page_size ||
        examined >= kMaxChangesExamined) {
      response.set_more(cursor < batch->bounds.last_sequence);
      break;
    }
    if (at_end) break;
  }
  response.set_next_sync_token(EncodeChangeToken(cursor));
  return response;
}

}  // namespace careers::domain
