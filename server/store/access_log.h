#ifndef CAREERS_SERVER_STORE_ACCESS_LOG_H_
#define CAREERS_SERVER_STORE_ACCESS_LOG_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
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
// retried. Stop() writes what is queued before returning, so none are lost
// on a clean shutdown. Thread-safe.
class BatchedAccessLog final : public domain::AccessRecorder {
 public:
  BatchedAccessLog(Database& db,
                   absl::Duration interval = absl::Milliseconds(200),
                   size_t batch_size = 256, size_t max_queued = 100000);
  ~BatchedAccessLog() override;
  BatchedAccessLog(const BatchedAccessLog&) = delete;
  BatchedAccessLog& operator=(const BatchedAccessLog&) = delete;

  void Start();
  // Flushes, then stops the thread.
  void Stop();
  // Writes everything queued so far; OK once it is all in the database.
  absl::Status Flush();

  void RecordRead(const RequestContext& ctx, absl::string_view profile_id,
                  absl::string_view resource) override;

  // Events dropped because the queue was full (never expected).
  uint64_t dropped() const;

 private:
  struct Event {
    std::string profile_id;
    std::string id;
    absl::Time time;
    std::string actor_subject;
    std::string actor_role;
    std::string actor_organisation_id;
    std::string method;
    std::string resource;
    std::string request_id;
    std::string reason;  // the caller's access-reason; "" for none (NULL)
  };
  void Loop();
  absl::Status Write(const std::deque<Event>& events);

  Database& db_;
  const absl::Duration interval_;
  const size_t batch_size_;
  const size_t max_queued_;

  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Event> queue_;  // guarded by mu_
  bool stopping_ = false;    // guarded by mu_
  uint64_t dropped_ = 0;     // guarded by mu_
  std::mutex write_mu_;      // one writer at a time (thread or Flush)
  std::thread thread_;
};

}  // namespace careers::store

#endif  // CAREERS_SERVER_STORE_ACCESS_LOG_H_
