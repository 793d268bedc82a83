#include "server/store/request_log.h"

#include "server/domain/errors.h"
#include "server/store/sql_error.h"

namespace careers::store {

absl::StatusOr<std::optional<std::string>> ClaimRequestId(
    Connection& c, const domain::IdempotencyKey& key, absl::Time now) {
  try {
    c.Prepare(
         "INSERT INTO request_log (scope, request_id, request_hash, response, "
         "create_time, expire_time) VALUES (?, ?, ?, '', ?, ?)")
        .Bind(key.scope)
        .Bind(key.request_id)
        .Bind(key.request_hash)
        .Bind(now)
        .Bind(now + kRequestIdLifetime)
        .Execute();
    return std::nullopt;
  } catch (const sql::SQLException& e) {
    if (e.getErrorCode() != mysql_errors::kDuplicateKey) throw;
  }
  // Taken, and committed (a claim in flight makes the INSERT wait).
  auto rs = c.Prepare(
                 "SELECT request_hash, response, expire_time FROM request_log "
                 "WHERE scope = ? AND request_id = ?")
                .Bind(key.scope)
                .Bind(key.request_id)
                .Query();
  if (!rs->next()) {
    return absl::AbortedError(
        "a concurrent request with this request_id failed; retry");
  }
  if (GetTime(*rs, 3) < now) {
    rs.reset();
    c.Prepare(
         "UPDATE request_log SET request_hash = ?, response = '', create_time "
         "= ?, "
         "expire_time = ? WHERE scope = ? AND request_id = ?")
        .Bind(key.request_hash)
        .Bind(now)
        .Bind(now + kRequestIdLifetime)
        .Bind(key.scope)
        .Bind(key.request_id)
        .Execute();
    return std::nullopt;
  }
  if (GetString(*rs, 1) != key.request_hash) {
    return errors::InvalidField(
        "request_id",
        "was already used for a different request; use a new request_id for "
        "a new request");
  }
  return GetString(*rs, 2);
}

void RecordResponse(Connection& c, const domain::IdempotencyKey& key,
                    const google::protobuf::Message& response) {
  c.Prepare(
       "UPDATE request_log SET response = ? WHERE scope = ? AND request_id = ?")
      .Bind(response.SerializeAsString())
      .Bind(key.scope)
      .Bind(key.request_id)
      .Execute();
}

absl::StatusOr<int> PurgeExpiredRequestIds(Database& db, absl::Time now,
                                           int limit) {
  int purged = 0;
  absl::Status status = db.Transact(
      "PurgeExpiredRequestIds", now + absl::Seconds(30), [&](Connection& c) {
        purged = static_cast<int>(
            c.Prepare("DELETE FROM request_log WHERE expire_time < ? LIMIT ?")
                .Bind(now)
                .Bind(static_cast<int64_t>(limit))
                .Execute());
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return purged;
}

}  // namespace careers::store
