#ifndef CAREERS_SERVER_STORE_UNIT_OF_WORK_H_
#define CAREERS_SERVER_STORE_UNIT_OF_WORK_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "server/domain/changes.h"
#include "server/domain/repository.h"
#include "server/domain/request_context.h"
#include "server/store/connection.h"
#include "server/store/database.h"

namespace careers::store {

// One write, in one transaction: the only way the store changes data.
// What a write does to resources it tells the unit (Created, Updated,
// Deleted); the unit then writes, in the same transaction, the caller's
// access event (for a person's data, when the context records access) at
// once and the change records of the feed just before COMMIT. A retried
// create replays its first response through Claim. A unit may span several
// stores: it is only the connection and what was noted on it.
//
// Made by Write for each attempt (a deadlock re-runs the whole write with a
// fresh unit); not thread-safe; lives only inside Write's callback.
class UnitOfWork {
 public:
  UnitOfWork(Connection& c, const RequestContext& ctx);
  UnitOfWork(const UnitOfWork&) = delete;
  UnitOfWork& operator=(const UnitOfWork&) = delete;

  Connection& connection() { return c_; }
  const RequestContext& context() const { return ctx_; }

  // AIP-155: claims `key` for this transaction (nullopt: a new request, go
  // on) or returns the stored response of the first request with the same
  // id and body (INVALID_ARGUMENT on request_id if the body differed).
  absl::StatusOr<std::optional<std::string>> Claim(
      const domain::IdempotencyKey& key);
  // Stores the response a retry of `key` gets.
  void RecordResponse(const domain::IdempotencyKey& key,
                      const google::protobuf::Message& response);

  void Created(const google::protobuf::Message& resource) {
    Record(domain::CreatedChange(resource));
  }
  void Updated(const google::protobuf::Message& before,
               const google::protobuf::Message& after) {
    Record(domain::UpdatedChange(before, after));
  }
  void Deleted(const google::protobuf::Message& resource) {
    Record(domain::DeletedChange(resource));
  }
  // Any change: its access event now, its change record at Finish.
  void Record(domain::ChangeNote note);

  // For Write: appends the change records noted (numbered later by the
  // ChangeSequencer). Returns how many.
  size_t Finish();

 private:
  Connection& c_;
  const RequestContext& ctx_;
  std::vector<domain::ChangeNote> notes_;
};

// Runs `fn` as one unit of work in one transaction (Database::Transact:
// deadline, deadlock retries, no commit past the deadline) and commits if
// it returns OK. After a commit that appended changes, the database's
// change listener is told (Database::NotifyChanges), so the sequencer
// numbers them at once.
absl::Status Write(Database& db, const RequestContext& ctx,
                   absl::string_view what,
                   absl::FunctionRef<absl::Status(UnitOfWork&)> fn);

// Appends change records for `notes` on `c`, inside its transaction: one
// multi-row INSERT, with who may see each change read by the statement
// itself. The rows have no sequence yet (store/change_store.h
// ChangeSequencer). For UnitOfWork::Finish.
void AppendChanges(Connection& c, const RequestContext& ctx,
                   const std::vector<domain::ChangeNote>& notes);

}  // namespace careers::store

#endif  // CAREERS_SERVER_STORE_UNIT_OF_WORK_H_
