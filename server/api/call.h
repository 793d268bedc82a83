#ifndef CAREERS_SERVER_API_CALL_H_
#define CAREERS_SERVER_API_CALL_H_

#include <grpcpp/server_context.h>

#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "server/api/rpc_table.h"
#include "server/auth/access_policy.h"
#include "server/auth/authenticator.h"
#include "server/domain/consent_repository.h"
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

// What a call brings with it that the runner needs, read from its
// ServerContext on the completion-queue thread as soon as it arrives: the
// worker that runs it later never touches the context (the server may be
// finishing the call at its deadline at the same moment).
struct CallInputs {
  absl::Time deadline;     // the effective one (EffectiveDeadline)
  std::string request_id;  // the client's x-request-id, or a new one
  std::string authorization;
  absl::StatusOr<std::string> access_reason = std::string();
};

// What every RPC goes through around its one domain call: authenticate the
// caller, ask the access policy about the resource the method's access
// option names, check what every request shares (timestamps and dates
// within their types' ranges), run, and record the person's data it read
// on their access record. Thread-safe; its collaborators must outlive it.
class CallRunner {
 public:
  CallRunner(const auth::Authenticator& authenticator,
             const auth::AccessPolicy& policy, domain::AccessRecorder& recorder,
             DeadlinePolicy deadlines);

  // Reads the inputs from `context` and sets the x-request-id response
  // metadata. Call it once, before the call is answered.
  CallInputs Prepare(grpc::ServerContext& context, absl::Time now) const;

  // What every call passes before its domain function: authenticates the
  // caller, checks the access reason, asks the access policy about the
  // resource `method`'s option names, and checks the request's timestamp
  // and date ranges. The context for the call, or the status to answer
  // with. `consent` receives a consent check left to the read (may be null
  // for methods that have none). For Run, and for streams that admit their
  // caller once when they open (WatchChanges).
  absl::StatusOr<RequestContext> Admit(const CallInputs& inputs,
                                       absl::string_view method,
                                       const google::protobuf::Message& request,
                                       ConsentInRead* consent) const;

  // Runs `rpc` for `request` (a message of its input type): the response,
  // or the status to answer with.
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> Run(
      const CallInputs& inputs, const Rpc& rpc,
      const google::protobuf::Message& request) const;

  const DeadlinePolicy& deadlines() const { return deadlines_; }

 private:
  const auth::Authenticator& authenticator_;
  const auth::AccessPolicy& policy_;
  domain::AccessRecorder& recorder_;
  const DeadlinePolicy deadlines_;
};

}  // namespace careers::api

#endif  // CAREERS_SERVER_API_CALL_H_
