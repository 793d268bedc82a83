#ifndef CAREERS_SERVER_API_HEALTH_SERVICE_H_
#define CAREERS_SERVER_API_HEALTH_SERVICE_H_

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "health/v1/health.grpc.pb.h"

namespace careers::api {

// grpc.health.v1.Health for this server. Every service it names (and "",
// the server as a whole) is SERVING or NOT_SERVING together, as the
// database probe says, and NOT_SERVING for good once Shutdown() is called.
//
// A synchronous service like the others. (It used the callback API once;
// any callback service makes gRPC 1.51 start its "nexting" threads, which
// sleep 100 ms after every idle second, and while they slept the whole
// server stopped answering: a p99 of 100 ms on every call.) A Watch stream
// therefore holds a worker thread, so at most `max_watchers` are open at
// once (the server adds as many threads); one more is RESOURCE_EXHAUSTED.
// Shutdown() sends NOT_SERVING to every watcher and then ends its stream,
// so that draining in-flight calls never waits for health watchers.
// Thread-safe.
class HealthService final : public grpc::health::v1::Health::Service {
 public:
  // `services`: full names of the services that follow the server's health.
  HealthService(const std::vector<std::string>& services, int max_watchers);
  HealthService(const HealthService&) = delete;
  HealthService& operator=(const HealthService&) = delete;

  void SetServing(bool serving);
  void Shutdown();

  grpc::Status Check(grpc::ServerContext* context,
                     const grpc::health::v1::HealthCheckRequest* request,
                     grpc::health::v1::HealthCheckResponse* response) override;
  grpc::Status Watch(grpc::ServerContext* context,
                     const grpc::health::v1::HealthCheckRequest* request,
                     grpc::ServerWriter<grpc::health::v1::HealthCheckResponse>*
                         writer) override;
  grpc::Status List(grpc::ServerContext* context,
                    const grpc::health::v1::HealthListRequest* request,
                    grpc::health::v1::HealthListResponse* response) override;

  // How often an idle Watch looks whether its caller has gone.
  static constexpr absl::Duration kCancelCheck = absl::Seconds(1);

 private:
  using Status = grpc::health::v1::HealthCheckResponse::ServingStatus;

  bool KnownLocked(const std::string& service) const;

  std::mutex mu_;
  std::condition_variable changed_;  // status_ or shut_down_ changed
  const std::vector<std::string> services_;
  const int max_watchers_;
  Status status_ = grpc::health::v1::HealthCheckResponse::NOT_SERVING;
  uint64_t version_ = 0;    // guarded by mu_; counts status changes
  bool shut_down_ = false;  // guarded by mu_
  int watchers_ = 0;        // guarded by mu_
};

}  // namespace careers::api

#endif  // CAREERS_SERVER_API_HEALTH_SERVICE_H_
