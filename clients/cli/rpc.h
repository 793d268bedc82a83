#ifndef CAREERS_CLIENTS_CLI_RPC_H_
#define CAREERS_CLIENTS_CLI_RPC_H_

#include <string>

#include "absl/functional/function_ref.h"
#include "absl/time/time.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"

// How careersctl makes one RPC: the per-call context (deadline, bearer
// token) and the retry policy for UNAVAILABLE. Thread-compatible.
namespace careers::cli {

// Per-call settings taken from the global flags.
struct CallOptions {
  // Deadline of each attempt, counted from when the attempt starts.
  absl::Duration timeout = absl::Seconds(10);
  // Sent as `authorization: Bearer <token>` when not empty.
  std::string token;
  // Why the caller accesses the data, kept on the person's access record:
  // sent as `access-reason` metadata when not empty (as
  // `access-reason-bin` when it is not printable ASCII, which text
  // metadata cannot carry).
  std::string access_reason;
};

// Whether a call may be sent again after UNAVAILABLE. Only calls that are
// safe to repeat: reads, and creates carrying a request_id (AIP-155).
enum class Retry { kNever, kOnUnavailable };

// Attempts of a retried call, including the first.
inline constexpr int kMaxAttempts = 3;

// Sets the deadline and, when there are a token and an access reason, the
// authorization and access-reason metadata on a fresh context for one
// attempt.
void PrepareContext(const CallOptions& options, grpc::ClientContext& context);

// The metadata of PrepareContext without the deadline: for a stream that
// runs until it is interrupted (`changes watch`), which a per-attempt
// deadline would cut off.
void PrepareStreamContext(const CallOptions& options,
                          grpc::ClientContext& context);

// Calls `attempt` with a fresh prepared context. With Retry::kOnUnavailable
// an UNAVAILABLE result is retried, up to kMaxAttempts in all, after a short
// backoff (100 ms, then 200 ms). Returns the last status.
grpc::Status CallWithRetry(
    const CallOptions& options, Retry retry,
    absl::FunctionRef<grpc::Status(grpc::ClientContext&)> attempt);

// A random version 4 UUID ("1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b"), for
// request_id.
std::string NewRequestId();

}  // namespace careers::cli

#endif  // CAREERS_CLIENTS_CLI_RPC_H_
