#include "server/api/call.h"

#include <chrono>

#include "absl/time/clock.h"
#include "server/api/grpc_status.h"

namespace careers::api {

absl::Time EffectiveDeadline(absl::Time client_deadline, absl::Time now,
                             const DeadlinePolicy& policy) {
  const absl::Time latest = now + policy.max_deadline;
  if (client_deadline == absl::InfiniteFuture()) {
    return std::min(now + policy.default_deadline, latest);
  }
  return std::min(client_deadline, latest);
}

CallRunner::CallRunner(const auth::Authenticator& authenticator,
                       const auth::AccessPolicy& policy,
                       DeadlinePolicy deadlines)
    : authenticator_(authenticator), policy_(policy), deadlines_(deadlines) {}

grpc::Status CallRunner::Run(
    grpc::ServerContext* context, absl::string_view method,
    absl::string_view resource,
    absl::FunctionRef<absl::Status(const RequestContext&)> body) const {
  RequestContext ctx;
  const auto raw_deadline = context->deadline();
  const absl::Time client_deadline =
      raw_deadline == std::chrono::system_clock::time_point::max()
          ? absl::InfiniteFuture()
          : absl::FromChrono(raw_deadline);
  ctx.deadline = EffectiveDeadline(client_deadline, absl::Now(), deadlines_);

  absl::string_view authorization;
  const auto& metadata = context->client_metadata();
  if (auto it = metadata.find("authorization"); it != metadata.end()) {
    authorization = absl::string_view(it->second.data(), it->second.size());
  }
  absl::StatusOr<auth::Principal> principal =
      authenticator_.Authenticate(authorization);
  if (!principal.ok()) return ToGrpcStatus(principal.status());
  ctx.principal = *std::move(principal);

  if (absl::Status allowed = policy_.Check(ctx.principal, method, resource);
      !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  return ToGrpcStatus(body(ctx));
}

}  // namespace careers::api
