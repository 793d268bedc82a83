#include "server/api/health_service.h"

#include <algorithm>
#include <utility>

namespace careers::api {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;
using grpc::health::v1::HealthListResponse;

HealthService::HealthService(const std::vector<std::string>& services,
                             int max_watchers)
    : services_([&] {
        std::vector<std::string> all = services;
        if (std::find(all.begin(), all.end(), "") == all.end()) {
          all.emplace_back("");
        }
        return all;
      }()),
      max_watchers_(std::max(1, max_watchers)) {}

bool HealthService::Known(const std::string& service) const {
  return std::find(services_.begin(), services_.end(), service) !=
         services_.end();
}

void HealthService::SetServing(bool serving) {
  absl::MutexLock lock(&mu_);
  const ServingStatus status =
      serving ? HealthCheckResponse::SERVING : HealthCheckResponse::NOT_SERVING;
  if (shut_down_ || status == status_) return;
  status_ = status;
  Broadcast();
}

void HealthService::Broadcast() {
  HealthCheckResponse response;
  response.set_status(status_);
  for (auto& [id, watcher] : watchers_) {
    if (watcher.known) watcher.stream.Send(response);
  }
}

void HealthService::Shutdown() {
  absl::MutexLock lock(&mu_);
  if (shut_down_) return;
  shut_down_ = true;
  status_ = HealthCheckResponse::NOT_SERVING;
  Broadcast();
  for (auto& [id, watcher] : watchers_) watcher.stream.End(grpc::Status::OK);
  watchers_.clear();
}

int HealthService::watchers() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(watchers_.size());
}

InlineMethods HealthService::Methods() {
  InlineMethods methods;
  methods.services.push_back(grpc::health::v1::HealthCheckRequest::descriptor()
                                 ->file()
                                 ->FindServiceByName("Health"));
  methods.unary.emplace_back("grpc.health.v1.Health/Check",
                             [this](const google::protobuf::Message& request,
                                    google::protobuf::Message* response) {
                               return Check(request, response);
                             });
  methods.unary.emplace_back("grpc.health.v1.Health/List",
                             [this](const google::protobuf::Message& request,
                                    google::protobuf::Message* response) {
                               return List(request, response);
                             });
  InlineMethods::Stream watch;
  watch.start = [this](const CallInputs&,
                       const google::protobuf::Message& request,
                       const StreamHandle& stream) {
    return StartWatch(request, stream);
  };
  watch.on_done = [this](const StreamHandle& stream) { WatchDone(stream); };
  methods.streams.emplace_back("grpc.health.v1.Health/Watch", std::move(watch));
  return methods;
}

grpc::Status HealthService::Check(const google::protobuf::Message& request,
                                  google::protobuf::Message* response) {
  const auto& req = static_cast<const HealthCheckRequest&>(request);
  if (!Known(req.service())) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "unknown service");
  }
  absl::MutexLock lock(&mu_);
  static_cast<HealthCheckResponse*>(response)->set_status(status_);
  return grpc::Status::OK;
}

grpc::Status HealthService::List(const google::protobuf::Message& /*request*/,
                                 google::protobuf::Message* response) {
  auto* resp = static_cast<HealthListResponse*>(response);
  absl::MutexLock lock(&mu_);
  for (const std::string& service : services_) {
    (*resp->mutable_statuses())[service].set_status(status_);
  }
  return grpc::Status::OK;
}

grpc::Status HealthService::StartWatch(const google::protobuf::Message& request,
                                       const StreamHandle& stream) {
  const auto& req = static_cast<const HealthCheckRequest&>(request);
  absl::MutexLock lock(&mu_);
  if (static_cast<int>(watchers_.size()) >= max_watchers_) {
    return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                        "too many open health watches; use Check");
  }
  // An unknown service hears SERVICE_UNKNOWN once (the stream stays open,
  // as the protocol says).
  Watcher watcher{stream, Known(req.service())};
  HealthCheckResponse first;
  first.set_status(watcher.known ? status_
                                 : HealthCheckResponse::SERVICE_UNKNOWN);
  stream.Send(first);
  if (shut_down_) {
    stream.End(grpc::Status::OK);
    return grpc::Status::OK;
  }
  watchers_.emplace(stream.id(), std::move(watcher));
  return grpc::Status::OK;
}

void HealthService::WatchDone(const StreamHandle& stream) {
  Watcher gone;
  {
    absl::MutexLock lock(&mu_);
    auto it = watchers_.find(stream.id());
    if (it == watchers_.end()) return;
    gone = std::move(it->second);
    watchers_.erase(it);
  }
  // `gone` lets go of its stream here, outside the lock.
}

}  // namespace careers::api
