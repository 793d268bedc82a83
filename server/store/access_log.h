#ifndef CAREERS_SERVER_STORE_ACCESS_LOG_H_
#define CAREERS_SERVER_STORE_ACCESS_LOG_H_

#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "careers/v1/consent_service.pb.h"
#include "server/domain/consent_repository.h"
#include "server/domain/resource_names.h"
#include "server/store/connection.h"
#include "server/store/database.h"

namespace careers::store {

// Inside a write's transaction: records that `ctx`'s caller changed
// `resource` (a name under profiles/{profile}), if the context asks for it.
void WriteAccessEvent(Connection& c, const RequestContext& ctx,
                      absl::string_view resource);
// The same for a resource of `profile_id` outside profiles/{profile}
// (appointments/{a}, waitlistEntries/{w}).
void WriteAccessEvent(Connection& c, const RequestContext& ctx,
                      absl::string_view profile_id, absl::string_view resource);

// Whether a resource message has a `profile` name field (appointments,
// waitlist entries): the person it belongs to though it is not under them.
template <typename T, typename = void>
struct HasProfileField : std::false_type {};
template <typename T>
struct HasProfileField<
    T, std::void_t<decltype(std::declval<const T&>().profile())>>
    : std::is_same<decltype(std::declval<const T&>().profile()),
                   const std::string&> {};

// Records a write to `resource`: under the profile its name is in, or the
// one its `profile` field names (appointments, waitlist entries).
template <typename Resource>
void WriteAccessEventFor(Connection& c, const RequestContext& ctx,
                         const Resource& resource) {
  if constexpr (HasProfileField<Resource>::value) {
    WriteAccessEvent(c, ctx, names::ProfileIdOf(resource.profile()),
                     resource.name());
  } else {
    WriteAccessEvent(c, ctx, resource.name());
  }
}

// Records reads in batches on a thread of its own, so a read costs the
// caller no database round trip. Events wait in memory (up to `max_queued`;
// beyond that the oldest are dropped and the loss is logged) and are written
// every `interval` or once `batch_size` are waiting; a failed write is
// retried. The writes go through a Database of the log's own (one
// connection, db.OpenSibling), so they never wait behind calls for a pooled
// connection and still work after InterruptAll has closed the pool at
// shutdown. Stop() writes what is queued before returning, so none are lost
// on a clean shutdown; Stop(bound) gives up after `bound` if the database
// does not answer. Thread-safe, except that Start and Stop are for the
// owner.
class BatchedAccessLog final : public domain::AccessRecorder {
 public:
  BatchedAccessLog(Database& db,
                   absl::Duration interval = absl::Milliseconds(200),
                   size_t batch_size = 256, size_t max_queued = 100000);
  ~BatchedAccessLog() override;  // Stop()
  BatchedAccessLog(const BatchedAccessLog&) = delete;
  BatchedAccessLog& operator=(const BatchedAccessLog&) = delete;

  void Start();
  // Writes what is queued (each batch with 10 s to do it, as any write of
  // the log), then stops the thread, however long that takes. Events that
  // could not be written are logged at error level.
  void Stop() { Stop(absl::InfiniteDuration()); }
  // The same, but returns after at most `bound` (plus a few milliseconds):
  // the final writes must be done by then. If the database does not answer
  // (say it is frozen), logs at error level how many events were not
  // written, and leaves the thread, blocked in the database, to end by
  // itself when its socket times out. That is safe: the thread shares with
  // this object only state that it keeps alive itself (a shared_ptr holding
  // the queue and the log's own Database), and logs nothing more of its own
  // (the store may still log the failed statement when the socket times
  // out, if the process is still running by then). Returns
  // how many queued events were not written. Later calls do nothing and
  // return 0.
  size_t Stop(absl::Duration bound);
  // Writes everything queued so far; OK once it is all in the database.
  absl::Status Flush();

  void RecordRead(const RequestContext& ctx, absl::string_view profile_id,
                  absl::string_view resource) override;

  // Events dropped because the queue was full (never expected).
  uint64_t dropped() const;

 private:
  struct State;
  const std::shared_ptr<State> state_;
  std::thread thread_;
  bool stopped_ = false;
};

}  // namespace careers::store

#endif  // CAREERS_SERVER_STORE_ACCESS_LOG_H_
