#include "server/api/health_service.h"

#include <algorithm>

namespace careers::api {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

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

bool HealthService::KnownLocked(const std::string& service) const {
  return std::find(services_.begin(), services_.end(), service) !=
         services_.end();
}

void HealthService::SetServing(bool serving) {
  const Status status =
      serving ? HealthCheckResponse::SERVING : HealthCheckResponse::NOT_SERVING;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (shut_down_ || status == status_) return;
    status_ = status;
    ++version_;
  }
  changed_.notify_all();
}

void HealthService::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (shut_down_) return;
    shut_down_ = true;
    status_ = HealthCheckResponse::NOT_SERVING;
    ++version_;
  }
  changed_.notify_all();
}

grpc::Status HealthService::Check(grpc::ServerContext* /*context*/,
                                  const HealthCheckRequest* request,
                                  HealthCheckResponse* response) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!KnownLocked(request->service())) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "unknown service");
  }
  response->set_status(status_);
  return grpc::Status::OK;
}

grpc::Status HealthService::Watch(
    grpc::ServerContext* context, const HealthCheckRequest* request,
    grpc::ServerWriter<HealthCheckResponse>* writer) {
  std::unique_lock<std::mutex> lock(mu_);
  if (watchers_ >= max_watchers_) {
    return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                        "too many open health watches; use Check");
  }
  ++watchers_;
  const bool known = KnownLocked(request->service());
  bool sent = false;
  uint64_t sent_version = 0;
  grpc::Status result = grpc::Status::OK;
  while (true) {
    // Every change is sent (the latest status, if several came at once);
    // an unknown service hears SERVICE_UNKNOWN once.
    if (!sent || (known && sent_version != version_)) {
      HealthCheckResponse response;
      response.set_status(known ? status_
                                : HealthCheckResponse::SERVICE_UNKNOWN);
      sent_version = version_;
      sent = true;
      lock.unlock();  // a write waits for the client
      const bool written = writer->Write(response);
      lock.lock();
      if (!written) {
        result = grpc::Status::CANCELLED;
        break;
      }
      continue;  // something may have changed while writing
    }
    if (shut_down_) break;  // NOT_SERVING has been sent: end the stream
    if (context->IsCancelled()) {
      result = grpc::Status::CANCELLED;
      break;
    }
    changed_.wait_for(lock, absl::ToChronoNanoseconds(kCancelCheck));
  }
  --watchers_;
  return result;
}

grpc::Status HealthService::List(
    grpc::ServerContext* /*context*/,
    const grpc::health::v1::HealthListRequest* /*request*/,
    grpc::health::v1::HealthListResponse* response) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const std::string& service : services_) {
    (*response->mutable_statuses())[service].set_status(status_);
  }
  return grpc::Status::OK;
}

}  // namespace careers::api
