#ifndef CAREERS_SERVER_API_HEALTH_SERVICE_H_
#define CAREERS_SERVER_API_HEALTH_SERVICE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "health/v1/health.grpc.pb.h"

namespace careers::api {

// grpc.health.v1.Health for this server. Every service it names (and "",
// the server as a whole) is SERVING or NOT_SERVING together, as the
// database probe says, and NOT_SERVING for good once Shutdown() is called.
//
// It uses the callback API, so an idle Watch stream holds no worker thread,
// and Shutdown() sends NOT_SERVING to every watcher and then ends its stream,
// so that draining in-flight calls never waits for health watchers (the
// default gRPC health service keeps them open until the shutdown deadline).
// Thread-safe.
class HealthService final : public grpc::health::v1::Health::CallbackService {
 public:
  // `services`: full names of the services that follow the server's health.
  explicit HealthService(const std::vector<std::string>& services);
  ~HealthService() override;
  HealthService(const HealthService&) = delete;
  HealthService& operator=(const HealthService&) = delete;

  void SetServing(bool serving);
  void Shutdown();

  grpc::ServerUnaryReactor* Check(
      grpc::CallbackServerContext* context,
      const grpc::health::v1::HealthCheckRequest* request,
      grpc::health::v1::HealthCheckResponse* response) override;
  grpc::ServerWriteReactor<grpc::health::v1::HealthCheckResponse>* Watch(
      grpc::CallbackServerContext* context,
      const grpc::health::v1::HealthCheckRequest* request) override;
  grpc::ServerUnaryReactor* List(
      grpc::CallbackServerContext* context,
      const grpc::health::v1::HealthListRequest* request,
      grpc::health::v1::HealthListResponse* response) override;

 private:
  using Status = grpc::health::v1::HealthCheckResponse::ServingStatus;
  class Watcher;

  // Sends the current status to every watcher of a known service; ends
  // every stream after it when `finish`.
  void NotifyWatchers(bool finish);
  void Remove(Watcher* watcher);

  std::mutex mu_;
  const std::vector<std::string> services_;
  Status status_ = grpc::health::v1::HealthCheckResponse::NOT_SERVING;
  uint64_t version_ = 0;    // guarded by mu_; counts status changes
  bool shut_down_ = false;  // guarded by mu_
  // A watcher lives until gRPC is done with it and no notification is
  // being delivered to it.
  std::map<Watcher*, std::shared_ptr<Watcher>> watchers_;  // guarded by mu_
};

}  // namespace careers::api

#endif  // CAREERS_SERVER_API_HEALTH_SERVICE_H_
