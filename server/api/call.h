#ifndef CAREERS_SERVER_API_CALL_H_
#define CAREERS_SERVER_API_CALL_H_

#include <grpcpp/server_context.h>

#include <map>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "server/auth/access_policy.h"
#include "server/auth/authenticator.h"
#include "server/domain/request_context.h"

namespace careers::api {

struct DeadlinePolicy {
  absl::Duration default_deadline = absl::Seconds(5);  // calls without one
  absl::Duration max_deadline = absl::Seconds(30);     // cap on any call
};

// The deadline a call gets: its own, else the default, never beyond the
// maximum from now.
absl::Time EffectiveDeadline(absl::Time client_deadline, absl::Time now,
                             const DeadlinePolicy& policy);

// The longest `access-reason` accepted, in code points.
inline constexpr size_t kMaxAccessReasonLength = 200;

// The purpose the caller gives for the call, from its `access-reason`
// request metadata (or `access_reason`; or `access-reason-bin` for clients
// that can send only ASCII in text metadata). Surrounding white space is
// dropped; "" when none is given. INVALID_ARGUMENT naming the field
// "access-reason" unless it is valid UTF-8 of at most 200 code points
// without control characters.
absl::StatusOr<std::string> AccessReasonFromMetadata(
    const std::multimap<grpc::string_ref, grpc::string_ref>& metadata);

// What every handler does around its one domain call: authenticate the
// caller, fix the deadline, read the access reason, ask the access policy,
// check what every request shares (timestamps and dates within their types'
// ranges), run, and convert the result to a gRPC status. Thread-safe; its
// collaborators must outlive it.
class CallRunner {
 public:
  CallRunner(const auth::Authenticator& authenticator,
             const auth::AccessPolicy& policy, DeadlinePolicy deadlines);

  // `method` is "careers.v1.ProfileService/GetProfile"; `request` the
  // call's request message; `resource` the name the call acts on (the
  // parent for creates and lists).
  grpc::Status Run(
      grpc::ServerContext* context, const google::protobuf::Message& request,
      absl::string_view method, absl::string_view resource,
      absl::FunctionRef<absl::Status(const RequestContext&)> body) const;

 private:
  const auth::Authenticator& authenticator_;
  const auth::AccessPolicy& policy_;
  const DeadlinePolicy deadlines_;
};

// Moves a domain result into a gRPC response: what every handler's body
// returns.
template <typename T>
absl::Status Reply(absl::StatusOr<T> result, T* response) {
  if (!result.ok()) return result.status();
  *response = *std::move(result);
  return absl::OkStatus();
}

}  // namespace careers::api

#endif  // CAREERS_SERVER_API_CALL_H_
