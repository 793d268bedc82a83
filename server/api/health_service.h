#ifndef CAREERS_SERVER_API_HEALTH_SERVICE_H_
#define CAREERS_SERVER_API_HEALTH_SERVICE_H_

#include <map>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "health/v1/health.grpc.pb.h"
#include "server/api/async_server.h"

namespace careers::api {

// grpc.health.v1.Health for this server. Every service it names (and "",
// the server as a whole) is SERVING or NOT_SERVING together, as the
// database probe says, and NOT_SERVING for good once Shutdown() is called.
//
// Answered on the AsyncServer's completion-queue threads, never by a
// worker, so a busy or stalled server still answers its load balancer.
// Watch streams cost no thread: each is a StreamHandle that hears every
// change (up to `max_watchers` streams; one more is RESOURCE_EXHAUSTED).
// Shutdown() sends NOT_SERVING to every watcher and then ends its stream,
// so that draining in-flight calls never waits for health watchers.
// Thread-safe.
class HealthService {
 public:
  // `services`: full names of the services that follow the server's health.
  explicit HealthService(const std::vector<std::string>& services,
                         int max_watchers = 10000);
  HealthService(const HealthService&) = delete;
  HealthService& operator=(const HealthService&) = delete;

  void SetServing(bool serving);
  void Shutdown();

  // Check, List and Watch, for the AsyncServer.
  InlineMethods Methods();

  int watchers() const;

 private:
  using ServingStatus = grpc::health::v1::HealthCheckResponse::ServingStatus;
  struct Watcher {
    StreamHandle stream;
    bool known = false;  // a service of this server (else SERVICE_UNKNOWN)
  };

  bool Known(const std::string& service) const;
  grpc::Status Check(const google::protobuf::Message& request,
                     google::protobuf::Message* response);
  grpc::Status List(const google::protobuf::Message& request,
                    google::protobuf::Message* response);
  grpc::Status StartWatch(const google::protobuf::Message& request,
                          const StreamHandle& stream);
  void WatchDone(const StreamHandle& stream);
  void Broadcast() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::vector<std::string> services_;
  const int max_watchers_;
  mutable absl::Mutex mu_;
  ServingStatus status_ ABSL_GUARDED_BY(mu_) =
      grpc::health::v1::HealthCheckResponse::NOT_SERVING;
  bool shut_down_ ABSL_GUARDED_BY(mu_) = false;
  std::map<uintptr_t, Watcher> watchers_ ABSL_GUARDED_BY(mu_);
};

}  // namespace careers::api

#endif  // CAREERS_SERVER_API_HEALTH_SERVICE_H_
