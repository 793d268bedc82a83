#include "server/api/health_service.h"

#include <algorithm>
#include <optional>

namespace careers::api {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

// One Watch stream: writes each status change in order, at most one write
// in flight, and finishes when asked to or when the call is cancelled.
// Decisions are made under `mu_`; gRPC is called outside it, because gRPC
// may run a reaction (OnWriteDone, OnDone) inline.
class HealthService::Watcher final
    : public grpc::ServerWriteReactor<HealthCheckResponse> {
 public:
  Watcher(HealthService* service, bool known)
      : service_(service), known_(known) {}

  // Whether it watches a service this server has (else SERVICE_UNKNOWN).
  bool known() const { return known_; }

  // Queues `status` as of `version`; an older version than one already seen
  // is dropped (notifications may arrive out of order).
  void Notify(Status status, uint64_t version, bool finish) {
    Action action;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (finished_ || version < version_) return;
      version_ = version;
      pending_ = status;
      finish_after_ = finish_after_ || finish;
      if (writing_) return;
      action = NextLocked();
    }
    Act(action);
  }

  void OnWriteDone(bool ok) override {
    Action action;
    {
      std::lock_guard<std::mutex> lock(mu_);
      writing_ = false;
      if (!ok) {
        if (finished_) return;
        finished_ = true;
        action = Action::kFinishCancelled;
      } else {
        action = NextLocked();
      }
    }
    Act(action);
  }

  void OnCancel() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      // A write in flight fails and OnWriteDone finishes the stream.
      if (finished_ || writing_) return;
      finished_ = true;
    }
    Finish(grpc::Status::CANCELLED);
  }

  void OnDone() override { service_->Remove(this); }

 private:
  enum class Action { kNone, kWrite, kFinishOk, kFinishCancelled };

  Action NextLocked() {
    if (pending_) {
      response_.set_status(*pending_);
      pending_.reset();
      writing_ = true;
      return Action::kWrite;
    }
    if (finish_after_ && !finished_) {
      finished_ = true;
      return Action::kFinishOk;
    }
    return Action::kNone;
  }

  void Act(Action action) {
    switch (action) {
      case Action::kWrite:
        StartWrite(&response_);
        break;
      case Action::kFinishOk:
        Finish(grpc::Status::OK);
        break;
      case Action::kFinishCancelled:
        Finish(grpc::Status::CANCELLED);
        break;
      case Action::kNone:
        break;
    }
  }

  HealthService* const service_;
  const bool known_;
  std::mutex mu_;
  uint64_t version_ = 0;
  HealthCheckResponse response_;  // written by gRPC while writing_
  std::optional<Status> pending_;
  bool writing_ = false;
  bool finish_after_ = false;
  bool finished_ = false;
};

HealthService::HealthService(const std::vector<std::string>& services)
    : services_([&] {
        std::vector<std::string> all = services;
        if (std::find(all.begin(), all.end(), "") == all.end()) {
          all.emplace_back("");
        }
        return all;
      }()) {}

HealthService::~HealthService() = default;

void HealthService::SetServing(bool serving) {
  const Status status =
      serving ? HealthCheckResponse::SERVING : HealthCheckResponse::NOT_SERVING;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (shut_down_ || status == status_) return;
    status_ = status;
    ++version_;
  }
  NotifyWatchers(/*finish=*/false);
}

void HealthService::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (shut_down_) return;
    shut_down_ = true;
    status_ = HealthCheckResponse::NOT_SERVING;
    ++version_;
  }
  NotifyWatchers(/*finish=*/true);
}

void HealthService::NotifyWatchers(bool finish) {
  std::vector<std::shared_ptr<Watcher>> snapshot;
  Status status;
  uint64_t version;
  {
    std::lock_guard<std::mutex> lock(mu_);
    status = status_;
    version = version_;
    for (const auto& [raw, watcher] : watchers_) snapshot.push_back(watcher);
  }
  for (const auto& watcher : snapshot) {
    if (watcher->known()) {
      watcher->Notify(status, version, finish);
    } else if (finish) {
      watcher->Notify(HealthCheckResponse::SERVICE_UNKNOWN, version, finish);
    }
  }
}

void HealthService::Remove(Watcher* watcher) {
  std::shared_ptr<Watcher> last;  // released after the lock
  std::lock_guard<std::mutex> lock(mu_);
  auto it = watchers_.find(watcher);
  if (it != watchers_.end()) {
    last = std::move(it->second);
    watchers_.erase(it);
  }
}

grpc::ServerUnaryReactor* HealthService::Check(
    grpc::CallbackServerContext* context, const HealthCheckRequest* request,
    HealthCheckResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  std::lock_guard<std::mutex> lock(mu_);
  if (std::find(services_.begin(), services_.end(), request->service()) ==
      services_.end()) {
    reactor->Finish(
        grpc::Status(grpc::StatusCode::NOT_FOUND, "unknown service"));
  } else {
    response->set_status(status_);
    reactor->Finish(grpc::Status::OK);
  }
  return reactor;
}

grpc::ServerWriteReactor<HealthCheckResponse>* HealthService::Watch(
    grpc::CallbackServerContext* /*context*/,
    const HealthCheckRequest* request) {
  Status first;
  uint64_t version;
  bool finish;
  std::shared_ptr<Watcher> watcher;
  {
    std::lock_guard<std::mutex> lock(mu_);
    const bool known = std::find(services_.begin(), services_.end(),
                                 request->service()) != services_.end();
    watcher = std::make_shared<Watcher>(this, known);
    first = known ? status_ : HealthCheckResponse::SERVICE_UNKNOWN;
    version = version_;
    finish = shut_down_;
    watchers_.emplace(watcher.get(), watcher);
  }
  // Outside the lock: gRPC may run reactions inline, and OnDone takes it.
  watcher->Notify(first, version, finish);
  return watcher.get();
}

grpc::ServerUnaryReactor* HealthService::List(
    grpc::CallbackServerContext* context,
    const grpc::health::v1::HealthListRequest* /*request*/,
    grpc::health::v1::HealthListResponse* response) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const std::string& service : services_) {
      (*response->mutable_statuses())[service].set_status(status_);
    }
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace careers::api
