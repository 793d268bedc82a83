#ifndef CAREERS_SERVER_STORE_REQUEST_LOG_H_
#define CAREERS_SERVER_STORE_REQUEST_LOG_H_

#include <optional>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "server/domain/profile_repository.h"
#include "server/store/connection.h"
#include "server/store/database.h"
#include "server/store/unit_of_work.h"

// AIP-155 request ids, kept in the request_log table: the first response to
// each (scope, request_id) is stored in the same transaction as the create,
// so a retry either finds it or creates the resource itself.
namespace careers::store {

inline constexpr absl::Duration kRequestIdLifetime = absl::Hours(24);

// Inside a transaction: claims `key` for this transaction and returns
// nullopt, or returns the stored response of an earlier request with the
// same id and body. Waits for a concurrent transaction holding the same id.
// INVALID_ARGUMENT on `request_id` if the earlier request's body differed.
absl::StatusOr<std::optional<std::string>> ClaimRequestId(
    Connection& c, const domain::IdempotencyKey& key, absl::Time now);

// Inside the claiming transaction: stores the response for retries.
void RecordResponse(Connection& c, const domain::IdempotencyKey& key,
                    const google::protobuf::Message& response);

// Deletes up to `limit` expired entries; returns how many went.
absl::StatusOr<int> PurgeExpiredRequestIds(Database& db, absl::Time now,
                                           int limit);

// Runs `insert` as one unit of work for the caller in `ctx`, made
// idempotent by `key` when it is set: a retry returns the first response
// without running `insert` again. The creation goes on the caller's access
// record and on the change feed in the same transaction (UnitOfWork).
template <typename Resource>
absl::StatusOr<Resource> CreateOnce(
    Database& db, const RequestContext& ctx, absl::string_view what,
    const domain::IdempotencyKey* key,
    absl::FunctionRef<absl::StatusOr<Resource>(UnitOfWork&)> insert) {
  Resource result;
  absl::Status status =
      Write(db, ctx, what, [&](UnitOfWork& unit) -> absl::Status {
        if (key != nullptr) {
          absl::StatusOr<std::optional<std::string>> replay =
              unit.Claim(*key);
          if (!replay.ok()) return replay.status();
          if (replay->has_value()) {
            if (!result.ParseFromString(**replay)) {
              return absl::InternalError("stored response is unreadable");
            }
            return absl::OkStatus();
          }
        }
        absl::StatusOr<Resource> inserted = insert(unit);
        if (!inserted.ok()) return inserted.status();
        result = *std::move(inserted);
        if (key != nullptr) unit.RecordResponse(*key, result);
        unit.Created(result);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return result;
}

}  // namespace careers::store

#endif  // CAREERS_SERVER_STORE_REQUEST_LOG_H_
